//! The Analytics page's 90-day DAU/WAU/MAU read on a large `events` table, against the
//! brute-force count straight from the raw events in the same run.
//!
//! Generates `--events N` events (default 10 million) over 120 days inside SQLite (a
//! recursive CTE, so generation is not what is measured), with a skewed mix of users
//! (`--users`, default 200 000): a few are active daily, most now and then. Then measures:
//! * the one-off rebuild of the rollups from the raw events, and a refresh after one more
//!   day of events arrives (what the background refresher does);
//! * while both run, how long a webhook-intake-like write waits: a probe stores a delivery
//!   every 25 ms on its own fully synchronous connection, taking its turn at the same write
//!   gate as the real intake (Social+ gives up on a delivery after 1.5 s);
//! * the 90-day DAU/WAU/MAU query the page makes (rollup rows), and the whole report
//!   (every chart), p50/p99 over repeated runs;
//! * the baseline: the same numbers counted from `events` directly — the 90-day DAU series
//!   and a single day's MAU (a 30-day distinct count); a full MAU series would repeat the
//!   latter 90 times.
//!
//! `cargo bench -p backend --bench analytics_dau_mau -- --dir DIR [--events N] [--users N] [--runs N]`
//! prints one JSON object on stdout. Without `--dir` it does nothing (plain `cargo bench`).

use backend::{analytics, events::WriteGate};
use sqlx::{Connection, sqlite::SqliteSynchronous};
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};
use types::analytics::{AnalyticsQuery, Granularity, day};

const DAYS: i64 = 120;
/// 2026-01-01: any fixed day works, the generator and the queries agree on it.
const FIRST_DAY: i64 = 20_454;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(f64::NAN, |d| ms(*d))
}

/// Inserts events `first..first + count` spread evenly over the days from `day0` on,
/// `per_day` a day.
async fn generate(
    db: &sqlx::SqlitePool,
    first: i64,
    count: i64,
    per_day: i64,
    users: i64,
) -> sqlx::Result<()> {
    // r: a pseudo-random number per event; the user index r² / p · users / p skews activity
    // to the low ids (density ∝ 1/√id), like real networks' regulars and occasional users.
    sqlx::query(
        "WITH RECURSIVE seq(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?1 + ?2), \
         gen AS (SELECT n, (n * 2654435761) % 1000003 AS r, ?3 + n / ?4 AS d FROM seq) \
         INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, community_id, \
           object_kind, object_id, data) \
         SELECT CASE WHEN n % 20 < 4 THEN 'v3.post.didCreate' WHEN n % 20 < 9 THEN 'v3.comment.didCreate' \
                     WHEN n % 20 < 14 THEN 'v5.message.didCreate' WHEN n % 20 < 19 THEN 'v3.post.didAddReaction' \
                     ELSE 'v3.post.didFlag' END, \
                d * 86400000 + (n % ?4) * (86400000 / ?4), d, 'webhook', printf('bench-%012d', n), \
                'u' || ((r * r / 1000003) * ?5 / 1000003), 'c' || (r % 500), \
                CASE WHEN n % 20 BETWEEN 4 AND 8 THEN 'comment' WHEN n % 20 BETWEEN 9 AND 13 THEN 'message' \
                     ELSE 'post' END, \
                'o' || (r % 300000), '{}' \
         FROM gen",
    )
    .bind(first)
    .bind(count)
    .bind(FIRST_DAY)
    .bind(per_day)
    .bind(users)
    .execute(db)
    .await?;
    Ok(())
}

/// Stores a webhook-like delivery every 25 ms until stopped, the way the intake does (its turn
/// at the gate, then one fully synchronous transaction), and records how long each waited.
struct IntakeProbe {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<sqlx::Result<Vec<Duration>>>,
}

impl IntakeProbe {
    async fn start(db: &sqlx::SqlitePool, gate: &WriteGate, label: &'static str) -> sqlx::Result<Self> {
        let options = db.connect_options().as_ref().clone().synchronous(SqliteSynchronous::Full);
        let mut connection = sqlx::SqliteConnection::connect_with(&options).await?;
        let stop = Arc::new(AtomicBool::new(false));
        let (stopped, gate) = (stop.clone(), gate.clone());
        let task = tokio::spawn(async move {
            let mut waits = Vec::new();
            let mut n = 0_u64;
            while !stopped.load(Ordering::Relaxed) {
                n += 1;
                let started = Instant::now();
                {
                    let _turn = gate.lock().await;
                    let mut tx = connection.begin().await?;
                    sqlx::query(
                        "INSERT INTO webhook_deliveries (received_at, body, body_sha256, secret_label, \
                         signature_kind, event_name, next_attempt_at) VALUES (0, '{}', ?, 'probe', 'base64', 'probe', 0)",
                    )
                    .bind(format!("probe-{label}-{n}"))
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                }
                waits.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            waits.sort_unstable();
            Ok(waits)
        });
        Ok(Self { stop, task })
    }

    /// Stops the probe; its waits, sorted.
    async fn finish(self) -> Result<Vec<Duration>, Box<dyn std::error::Error>> {
        self.stop.store(true, Ordering::Relaxed);
        Ok(self.task.await??)
    }
}

const EVENT_INDEXES: [&str; 5] = [
    "CREATE INDEX events_by_day ON events (day, name)",
    "CREATE INDEX events_by_name ON events (name, id)",
    "CREATE INDEX events_by_actor ON events (actor_user_id, day)",
    "CREATE INDEX events_by_community ON events (community_id, id)",
    "CREATE INDEX events_by_object ON events (object_kind, object_id)",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = arg("--dir") else {
        eprintln!("analytics_dau_mau: needs --dir; skipped");
        return Ok(());
    };
    let events: i64 = arg("--events").and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let users: i64 = arg("--users").and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(50);
    let path = std::path::Path::new(&dir).join("analytics-bench.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let db = backend::db::open(&path).await?;
    let per_day = (events / DAYS).max(1);

    // Bulk load without the secondary indexes, then build them (the schema's own).
    for index in EVENT_INDEXES {
        let name = index.split_whitespace().nth(2).unwrap_or_default();
        sqlx::query(&format!("DROP INDEX IF EXISTS {name}")).execute(&db).await?;
    }
    let started = Instant::now();
    generate(&db, 0, events, per_day, users).await?;
    let generate_time = started.elapsed();
    let started = Instant::now();
    for index in EVENT_INDEXES {
        sqlx::query(index).execute(&db).await?;
    }
    let index_time = started.elapsed();

    let last_day = FIRST_DAY + events / per_day - 1;
    let now = (last_day + 1) * day::DAY_MS - 1;
    let gate = WriteGate::default();
    let probe = IntakeProbe::start(&db, &gate, "rebuild").await?;
    let started = Instant::now();
    analytics::rebuild(&db, &gate, now).await?;
    let rebuild_time = started.elapsed();
    let rebuild_waits = probe.finish().await?;

    // One more day arrives; the refresher folds it in.
    generate(&db, events, per_day, per_day, users).await?;
    let now = now + day::DAY_MS;
    let probe = IntakeProbe::start(&db, &gate, "refresh").await?;
    let started = Instant::now();
    let refreshed = analytics::refresh(&db, &gate, now).await?;
    let refresh_time = started.elapsed();
    let refresh_waits = probe.finish().await?;
    let today = day::of_unix_ms(now);
    let (from, to) = (today - 89, today);

    let mut dau_mau = Vec::with_capacity(runs);
    let mut whole = Vec::with_capacity(runs);
    let query =
        AnalyticsQuery { from: day::format(from), to: day::format(to), granularity: Granularity::Daily };
    let mut rows = 0;
    let mut mau_today = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let series: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT day, dau, wau, mau FROM analytics_daily WHERE day >= ? AND day <= ? ORDER BY day",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&db)
        .await?;
        dau_mau.push(started.elapsed());
        rows = series.len();
        mau_today = series.last().map_or(0, |row| row.3);
        let started = Instant::now();
        let view = analytics::report(&db, &query, today).await?;
        whole.push(started.elapsed());
        assert_eq!(view.charts.len(), 10);
    }
    dau_mau.sort_unstable();
    whole.sort_unstable();

    // Baseline: the raw events, no rollups.
    let started = Instant::now();
    let raw_dau: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT day, COUNT(DISTINCT actor_user_id) FROM events WHERE day >= ? AND day <= ? GROUP BY day",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&db)
    .await?;
    let raw_dau_time = started.elapsed();
    let started = Instant::now();
    let raw_mau: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT actor_user_id) FROM events WHERE day >= ? AND day <= ?")
            .bind(today - 29)
            .bind(today)
            .fetch_one(&db)
            .await?;
    let raw_mau_time = started.elapsed();
    assert_eq!(raw_mau, mau_today, "the rollup's MAU equals the raw count");
    assert_eq!(raw_dau.len(), rows);

    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(&db).await?;
    let user_days: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM analytics_user_days").fetch_one(&db).await?;
    db.close().await;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    println!(
        "{}",
        serde_json::json!({
            "events": stored,
            "users": users,
            "days": DAYS + 1,
            "user_days": user_days,
            "mau_today": mau_today,
            "db_bytes": size,
            "generate_ms": ms(generate_time),
            "index_ms": ms(index_time),
            "rebuild_ms": ms(rebuild_time),
            "refresh_events": refreshed.events,
            "refresh_ms": ms(refresh_time),
            "refresh_chunks": refreshed.chunks,
            "chunk_events": analytics::rollup::CHUNK_EVENTS,
            "refresh_probe_writes": refresh_waits.len(),
            "refresh_probe_p50_ms": percentile(&refresh_waits, 0.5),
            "refresh_probe_p99_ms": percentile(&refresh_waits, 0.99),
            "refresh_probe_max_ms": percentile(&refresh_waits, 1.0),
            "rebuild_probe_writes": rebuild_waits.len(),
            "rebuild_probe_p50_ms": percentile(&rebuild_waits, 0.5),
            "rebuild_probe_p99_ms": percentile(&rebuild_waits, 0.99),
            "rebuild_probe_max_ms": percentile(&rebuild_waits, 1.0),
            "runs": runs,
            "dau_mau_p50_ms": percentile(&dau_mau, 0.5),
            "dau_mau_p99_ms": percentile(&dau_mau, 0.99),
            "report_p50_ms": percentile(&whole, 0.5),
            "report_p99_ms": percentile(&whole, 0.99),
            "raw_dau_90_ms": ms(raw_dau_time),
            "raw_mau_1_ms": ms(raw_mau_time),
        })
    );
    Ok(())
}
