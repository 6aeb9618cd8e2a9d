//! Rollup correctness: random events (late and out of order, in batches with refreshes in
//! between) against counts computed by brute force from the same list, straight from the
//! definitions; and a rebuild from raw events gives the same charts as the increments.

use super::{names, rebuild, refresh, report, request_rebuild, rollup};
use sqlx::SqlitePool;
use std::collections::{BTreeMap, BTreeSet};
use types::analytics::{AnalyticsQuery, AnalyticsView, Granularity, day};

const BASE: i64 = 20_000;
const DAYS: i64 = 50;
const HOUR_MS: i64 = 3_600_000;

#[derive(Clone, Debug)]
struct Event {
    name: &'static str,
    at: i64,
    actor: Option<String>,
    subject: Option<String>,
    community: Option<String>,
    object: Option<(&'static str, String)>,
}

#[derive(Clone, Debug)]
struct Action {
    at_unix: i64,
    actor: String,
    target: String,
    outcome: &'static str,
}

const NAMES: [&str; 13] = [
    "v3.post.didCreate",
    "v3.comment.didCreate",
    "v5.message.didCreate",
    "v3.post.didAddReaction",
    "v3.comment.didAddReaction",
    "v3.post.didFlag",
    "v3.comment.didFlag",
    "v3.post.didFlag",
    "v3.post.didUnflag",
    "v3.post.didDelete",
    "v3.user.didCreate",
    "v3.community.didJoin",
    "v3.post.didUpdate",
];

fn random_event(rng: &mut fastrand::Rng) -> Event {
    let name = NAMES[rng.usize(..NAMES.len())];
    let day = BASE + rng.i64(-3..DAYS);
    let pick = |rng: &mut fastrand::Rng, prefix: &str, n: usize, none_in: usize| {
        (rng.usize(..none_in) != 0).then(|| format!("{prefix}{}", rng.usize(..n)))
    };
    let object = if name.contains(".post.") {
        Some(("post", format!("p{}", rng.usize(..25))))
    } else if name.contains(".comment.") {
        Some(("comment", format!("c{}", rng.usize(..15))))
    } else {
        None
    };
    Event {
        name,
        at: day * day::DAY_MS + rng.i64(0..day::DAY_MS),
        actor: pick(rng, "u", 40, 12),
        subject: pick(rng, "u", 10, 3),
        community: pick(rng, "c", 5, 4),
        object,
    }
}

fn random_action(rng: &mut fastrand::Rng) -> Action {
    let day = BASE + rng.i64(0..DAYS);
    Action {
        at_unix: (day * day::DAY_MS + rng.i64(0..day::DAY_MS)) / 1000,
        actor: format!("mod{}", rng.usize(..4)),
        target: if rng.bool() {
            format!("post:p{}", rng.usize(..25))
        } else {
            format!("comment:c{}", rng.usize(..15))
        },
        outcome: ["applied", "partial", "failed", "running"][rng.usize(..4)],
    }
}

async fn database() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("open database");
    (db, dir)
}

async fn insert_events(db: &SqlitePool, events: &[Event], first_key: usize) {
    for (n, event) in events.iter().enumerate() {
        sqlx::query(
            "INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, subject_user_id, \
             community_id, object_kind, object_id, data) VALUES (?, ?, ?, 'webhook', ?, ?, ?, ?, ?, ?, '{}')",
        )
        .bind(event.name)
        .bind(event.at)
        .bind(day::of_unix_ms(event.at))
        .bind(format!("test-{}", first_key + n))
        .bind(&event.actor)
        .bind(&event.subject)
        .bind(&event.community)
        .bind(event.object.as_ref().map(|(kind, _)| *kind))
        .bind(event.object.as_ref().map(|(_, id)| id.as_str()))
        .execute(db)
        .await
        .expect("insert event");
    }
}

async fn insert_actions(db: &SqlitePool, actions: &[Action]) {
    for action in actions {
        sqlx::query(
            "INSERT INTO moderation_actions (at, at_unix, actor_id, target, actions, reason_code, reason_text, \
             outcome) VALUES ('', ?, ?, ?, 'remove', 'spam', 'spam', ?)",
        )
        .bind(action.at_unix)
        .bind(&action.actor)
        .bind(&action.target)
        .bind(action.outcome)
        .execute(db)
        .await
        .expect("insert action");
    }
}

/// Every number of the daily report, computed from the definitions.
#[derive(Debug, Default)]
struct Expected {
    per_day: BTreeMap<&'static str, Vec<Option<f64>>>,
    moderators: Vec<(String, f64)>,
    communities: Vec<(String, f64)>,
    users: Vec<(String, f64)>,
}

fn brute_force(events: &[Event], actions: &[Action], from: i64, to: i64) -> Expected {
    let days: Vec<i64> = (from..=to).collect();
    let day_of = |e: &Event| day::of_unix_ms(e.at);
    let count_named = |d: i64, test: &dyn Fn(&str) -> bool| {
        Some(events.iter().filter(|e| day_of(e) == d && test(e.name)).count() as f64)
    };
    let active = |d: i64, width: i64| {
        let users: BTreeSet<&String> = events
            .iter()
            .filter(|e| day_of(e) > d - width && day_of(e) <= d)
            .filter_map(|e| e.actor.as_ref())
            .collect();
        Some(users.len() as f64)
    };
    let applied = |a: &&Action| a.outcome == "applied" || a.outcome == "partial";
    // Cases: first flag, then the first resolution at or after it.
    let mut cases: BTreeMap<String, (i64, Option<i64>)> = BTreeMap::new();
    for e in events.iter().filter(|e| e.name.ends_with(".didFlag")) {
        if let Some((kind, id)) = &e.object {
            let first = cases.entry(format!("{kind}:{id}")).or_insert((e.at, None));
            first.0 = first.0.min(e.at);
        }
    }
    for (key, (first, resolved)) in &mut cases {
        let from_events = events
            .iter()
            .filter(|e| names::is_resolution(e.name) && e.at >= *first)
            .filter(|e| e.object.as_ref().is_some_and(|(kind, id)| format!("{kind}:{id}") == *key))
            .map(|e| e.at);
        let from_actions = actions
            .iter()
            .filter(applied)
            .filter(|a| a.target == *key && a.at_unix * 1000 >= *first)
            .map(|a| a.at_unix * 1000);
        *resolved = from_events.chain(from_actions).min();
    }
    let backlog = |d: i64| {
        let open = cases
            .values()
            .filter(|(first, resolved)| {
                day::of_unix_ms(*first) <= d && resolved.is_none_or(|r| day::of_unix_ms(r) > d)
            })
            .count();
        Some(open as f64)
    };
    let median = |d: i64| {
        let mut waits: Vec<i64> = cases
            .values()
            .filter_map(|(first, resolved)| resolved.filter(|r| day::of_unix_ms(*r) == d).map(|r| r - first))
            .collect();
        super::report::median(&mut waits).map(|ms| (ms / HOUR_MS as f64 * 10.0).round() / 10.0)
    };
    let mut per_day = BTreeMap::new();
    let series = |f: &dyn Fn(i64) -> Option<f64>| days.iter().map(|d| f(*d)).collect::<Vec<_>>();
    per_day.insert("DAU", series(&|d| active(d, 1)));
    per_day.insert("WAU", series(&|d| active(d, 7)));
    per_day.insert("MAU", series(&|d| active(d, 30)));
    per_day.insert("New users", series(&|d| count_named(d, &|n| n == "v3.user.didCreate")));
    per_day.insert("Posts", series(&|d| count_named(d, &|n| n == "v3.post.didCreate")));
    per_day.insert("Comments", series(&|d| count_named(d, &|n| n == "v3.comment.didCreate")));
    per_day.insert("Messages", series(&|d| count_named(d, &|n| n == "v5.message.didCreate")));
    per_day.insert("Reactions", series(&|d| count_named(d, &|n| n.ends_with(".didAddReaction"))));
    per_day.insert("Flags", series(&|d| count_named(d, &|n| n.ends_with(".didFlag"))));
    per_day.insert(
        "Actions",
        series(&|d| {
            Some(actions.iter().filter(applied).filter(|a| a.at_unix.div_euclid(86_400) == d).count() as f64)
        }),
    );
    per_day.insert("Open cases", series(&backlog));
    per_day.insert("Median hours", series(&median));

    let top = |keys: Vec<String>| {
        let mut counts: BTreeMap<String, f64> = BTreeMap::new();
        for key in keys {
            *counts.entry(key).or_default() += 1.0;
        }
        let mut rows: Vec<(String, f64)> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        rows.truncate(10);
        rows
    };
    let in_range = |e: &&Event| (from..=to).contains(&day_of(e));
    let flags = || events.iter().filter(in_range).filter(|e| e.name.ends_with(".didFlag"));
    Expected {
        per_day,
        moderators: top(actions
            .iter()
            .filter(applied)
            .filter(|a| (from..=to).contains(&a.at_unix.div_euclid(86_400)))
            .map(|a| a.actor.clone())
            .collect()),
        communities: top(flags().filter_map(|e| e.community.clone()).collect()),
        users: top(flags().filter_map(|e| e.subject.clone()).collect()),
    }
}

fn daily_query(from: i64, to: i64) -> AnalyticsQuery {
    AnalyticsQuery { from: day::format(from), to: day::format(to), granularity: Granularity::Daily }
}

fn assert_matches(view: &AnalyticsView, expected: &Expected) {
    for chart in view.charts.iter().filter(|c| c.kind == types::analytics::ChartKind::Time) {
        for series in &chart.series {
            let want = expected.per_day.get(series.name.as_str()).expect("a brute-force series for each");
            for (row, (got, want)) in series.values.iter().zip(want).enumerate() {
                assert_eq!(got, want, "{} / {} on {}", chart.id, series.name, chart.labels[row]);
            }
            assert_eq!(series.values.len(), want.len());
        }
    }
    let ranking = |id: &str| {
        let chart = view.charts.iter().find(|c| c.id == id).expect("ranking chart");
        chart
            .labels
            .iter()
            .cloned()
            .zip(chart.series[0].values.iter().map(|v| v.unwrap_or(-1.0)))
            .collect::<Vec<_>>()
    };
    assert_eq!(ranking("moderators"), expected.moderators);
    assert_eq!(ranking("flagged_communities"), expected.communities);
    assert_eq!(ranking("flagged_users"), expected.users);
}

#[tokio::test]
async fn incremental_rollups_match_a_brute_force_count_and_a_rebuild() {
    let (db, _dir) = database().await;
    let mut rng = fastrand::Rng::with_seed(42);
    let now = (BASE + DAYS + 2) * day::DAY_MS;
    let (from, to) = (BASE - 3, BASE + DAYS + 2);
    let mut events: Vec<Event> = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    for batch in 0..4 {
        let new_events: Vec<Event> = (0..600).map(|_| random_event(&mut rng)).collect();
        let new_actions: Vec<Action> = (0..40).map(|_| random_action(&mut rng)).collect();
        insert_events(&db, &new_events, events.len()).await;
        insert_actions(&db, &new_actions).await;
        events.extend(new_events);
        actions.extend(new_actions);
        if batch == 2 {
            // Actions that were running finish: the next refresh must pick them up.
            sqlx::query("UPDATE moderation_actions SET outcome = 'applied' WHERE outcome = 'running'")
                .execute(&db)
                .await
                .expect("finish running actions");
            for action in actions.iter_mut().filter(|a| a.outcome == "running") {
                action.outcome = "applied";
            }
        }
        refresh(&db, &Default::default(), now).await.expect("refresh");
        let view = report(&db, &daily_query(from, to), BASE).await.expect("report");
        assert_matches(&view, &brute_force(&events, &actions, from, to));
    }
    let incremental = report(&db, &daily_query(from, to), BASE).await.expect("report");
    let again = refresh(&db, &Default::default(), now).await.expect("refresh with nothing new");
    assert_eq!(again.events, 0);
    assert_eq!(again.days_recounted, 0);

    rebuild(&db, &Default::default(), now).await.expect("rebuild");
    let rebuilt = report(&db, &daily_query(from, to), BASE).await.expect("report");
    assert_eq!(rebuilt.charts, incremental.charts);
    assert!(incremental.charts.iter().any(|c| c.id == "backlog" && c.max_value() > 1.0), "cases were opened");
}

#[tokio::test]
async fn weekly_buckets_sum_counts_and_take_windows_at_the_week_end() {
    let (db, _dir) = database().await;
    let mut rng = fastrand::Rng::with_seed(9);
    let events: Vec<Event> = (0..800).map(|_| random_event(&mut rng)).collect();
    insert_events(&db, &events, 0).await;
    let now = (BASE + DAYS) * day::DAY_MS;
    refresh(&db, &Default::default(), now).await.expect("refresh");
    // 2024-10-06 (day 20 002) is a Sunday: the first bucket is that one day.
    let (from, to) = (BASE + 2, BASE + 30);
    let daily = report(&db, &daily_query(from, to), BASE).await.expect("daily");
    let query = AnalyticsQuery { granularity: Granularity::Weekly, ..daily_query(from, to) };
    let weekly = report(&db, &query, BASE).await.expect("weekly");
    let series = |view: &AnalyticsView, chart: &str, name: &str| -> Vec<f64> {
        let chart = view.charts.iter().find(|c| c.id == chart).expect("chart");
        chart
            .series
            .iter()
            .find(|s| s.name == name)
            .expect("series")
            .values
            .iter()
            .map(|v| v.unwrap_or(0.0))
            .collect()
    };
    let weeks = super::report::buckets(from, to, Granularity::Weekly);
    assert_eq!(weeks.first(), Some(&(BASE + 2, BASE + 2)));
    assert_eq!(weeks.last(), Some(&(BASE + 24, BASE + 30)));
    let posts = series(&daily, "content", "Posts");
    let mau = series(&daily, "active_users", "MAU");
    let at = |d: i64| usize::try_from(d - from).expect("in range");
    for (week, (a, b)) in weeks.iter().enumerate() {
        let summed: f64 = (*a..=*b).map(|d| posts[at(d)]).sum();
        assert_eq!(series(&weekly, "content", "Posts")[week], summed);
        assert_eq!(series(&weekly, "active_users", "MAU")[week], mau[at(*b)]);
    }
    assert_eq!(weekly.charts[0].labels[1], day::format(BASE + 3));
}

#[tokio::test]
async fn ranges_are_checked_and_default_to_the_last_thirty_days() {
    let (db, _dir) = database().await;
    let view = report(&db, &AnalyticsQuery::default(), BASE).await.expect("default range");
    assert_eq!((view.from.as_str(), view.to.clone()), (day::format(BASE - 29).as_str(), day::format(BASE)));
    assert_eq!(view.charts[0].labels.len(), 30);
    let backwards =
        AnalyticsQuery { from: "2026-02-01".into(), to: "2026-01-01".into(), ..Default::default() };
    assert!(matches!(
        report(&db, &backwards, BASE).await,
        Err(super::ReportError::Invalid { field: "from", .. })
    ));
    let too_long =
        AnalyticsQuery { from: "2024-01-01".into(), to: "2026-01-01".into(), ..Default::default() };
    assert!(matches!(report(&db, &too_long, BASE).await, Err(super::ReportError::Invalid { .. })));
    let garbage = AnalyticsQuery { to: "soon".into(), ..Default::default() };
    assert!(matches!(
        report(&db, &garbage, BASE).await,
        Err(super::ReportError::Invalid { field: "to", .. })
    ));
}

#[tokio::test]
async fn small_chunks_give_the_same_rollups_and_each_chunk_folds_at_most_its_size() {
    let (db, _dir) = database().await;
    let mut rng = fastrand::Rng::with_seed(7);
    let events: Vec<Event> = (0..1_000).map(|_| random_event(&mut rng)).collect();
    let actions: Vec<Action> = (0..60).map(|_| random_action(&mut rng)).collect();
    insert_events(&db, &events, 0).await;
    insert_actions(&db, &actions).await;
    let now = (BASE + DAYS + 2) * day::DAY_MS;
    let (from, to) = (BASE - 3, BASE + DAYS + 2);
    let gate = crate::events::WriteGate::default();
    // 1,000 events in chunks of 97: eleven write transactions.
    let refreshed = rollup::refresh_in_chunks(&db, &gate, now, 97).await.expect("refresh");
    assert_eq!((refreshed.events, refreshed.chunks), (1_000, 11));
    let view = report(&db, &daily_query(from, to), BASE).await.expect("report");
    assert_matches(&view, &brute_force(&events, &actions, from, to));
}

#[tokio::test]
async fn a_refresh_cut_off_after_the_fold_is_finished_by_the_next_one() {
    let (db, _dir) = database().await;
    let mut rng = fastrand::Rng::with_seed(11);
    let first: Vec<Event> = (0..400).map(|_| random_event(&mut rng)).collect();
    insert_events(&db, &first, 0).await;
    let now = (BASE + DAYS + 2) * day::DAY_MS;
    let gate = crate::events::WriteGate::default();
    refresh(&db, &gate, now).await.expect("first refresh");
    // Late events for early days are folded in; the process dies before the windows are written.
    let late: Vec<Event> = (0..300).map(|_| random_event(&mut rng)).collect();
    insert_events(&db, &late, first.len()).await;
    rollup::fold(&db, &gate, 50).await.expect("fold only");
    let stale: Option<i64> = sqlx::query_scalar("SELECT stale_from FROM analytics_state WHERE id = 1")
        .fetch_one(&db)
        .await
        .expect("state");
    assert!(stale.is_some(), "the fold remembers which days' windows are stale");
    let next = refresh(&db, &gate, now).await.expect("next refresh");
    assert_eq!(next.events, 0, "nothing is folded twice");
    assert!(next.days_windowed > 0, "the stale windows are written");
    let all: Vec<Event> = first.into_iter().chain(late).collect();
    let (from, to) = (BASE - 3, BASE + DAYS + 2);
    let view = report(&db, &daily_query(from, to), BASE).await.expect("report");
    assert_matches(&view, &brute_force(&all, &[], from, to));
}

#[tokio::test]
async fn a_rebuild_is_requested_once_shown_while_under_way_and_gives_the_same_rollups() {
    let (db, _dir) = database().await;
    let mut rng = fastrand::Rng::with_seed(5);
    let events: Vec<Event> = (0..500).map(|_| random_event(&mut rng)).collect();
    insert_events(&db, &events, 0).await;
    let now = (BASE + DAYS + 2) * day::DAY_MS;
    let gate = crate::events::WriteGate::default();
    refresh(&db, &gate, now).await.expect("refresh");
    let (from, to) = (BASE - 3, BASE + DAYS + 2);
    let before = report(&db, &daily_query(from, to), BASE).await.expect("report");
    // A wrong rollup (as after a change in how events count) is what a rebuild repairs.
    sqlx::query("UPDATE analytics_daily SET posts = posts + 1000").execute(&db).await.expect("corrupt");

    request_rebuild(&db, now).await.expect("first request");
    assert!(matches!(request_rebuild(&db, now).await, Err(super::RebuildError::AlreadyUnderWay)));
    let requested = report(&db, &daily_query(from, to), BASE).await.expect("report");
    assert!(requested.rebuild.is_some(), "the page says a rebuild is coming");

    // The rebuild starts by emptying the rollups; until it has read every event the page says
    // how far it got, and no second one can be asked for.
    assert!(rollup::start_requested_rebuild(&db, &gate).await.expect("start"));
    let progress = report(&db, &daily_query(from, to), BASE).await.expect("report").rebuild.expect("running");
    assert_eq!((progress.read, progress.of), (0, 500));
    assert!(matches!(request_rebuild(&db, now).await, Err(super::RebuildError::AlreadyUnderWay)));

    let rebuilt = refresh(&db, &gate, now).await.expect("the rebuild runs to the end");
    assert_eq!(rebuilt.events, 500);
    let after = report(&db, &daily_query(from, to), BASE).await.expect("report");
    assert_eq!(after.charts, before.charts, "the corrupted counters are computed again");
    assert!(after.rebuild.is_none());
    assert!(rebuild(&db, &gate, now).await.expect("a second rebuild, later").rebuilt);
}
