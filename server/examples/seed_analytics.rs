//! Test tool for the end-to-end suite: stores a few days of events in a console database (as
//! the webhook intake would) and brings the analytics rollups up to date, so the Analytics
//! page has known numbers to draw. Idempotent (fixed dedupe keys).
//!
//! `cargo run -p server --example seed_analytics -- <console.sqlite>`.

use backend::analytics;
use types::analytics::day;

/// `(days ago, hour, event name, actor, object kind, object id)`.
const EVENTS: [(i64, i64, &str, &str, &str, &str); 9] = [
    (0, 1, "v3.post.didCreate", "e2e-ann", "post", "e2e-p1"),
    (0, 1, "v3.post.didCreate", "e2e-ann", "post", "e2e-p2"),
    (0, 2, "v3.comment.didCreate", "e2e-bob", "comment", "e2e-c1"),
    (1, 9, "v5.message.didCreate", "e2e-cat", "message", "e2e-m1"),
    (1, 10, "v3.post.didAddReaction", "e2e-ann", "post", "e2e-p0"),
    (3, 8, "v3.post.didCreate", "e2e-dan", "post", "e2e-p0"),
    (3, 9, "v3.post.didFlag", "e2e-bob", "post", "e2e-p0"),
    (3, 9, "v3.post.didFlag", "e2e-cat", "post", "e2e-p0"),
    (9, 12, "v3.comment.didCreate", "e2e-eve", "comment", "e2e-c0"),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(database) = std::env::args().nth(1) else {
        anyhow::bail!("usage: seed_analytics <console.sqlite>");
    };
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{database}")).await?;
    let now = analytics::now_ms();
    let today = day::of_unix_ms(now);
    for (n, (days_ago, hour, name, actor, kind, id)) in EVENTS.iter().enumerate() {
        let at = (today - days_ago) * day::DAY_MS + hour * 3_600_000;
        sqlx::query(
            "INSERT OR IGNORE INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, \
             subject_user_id, community_id, object_kind, object_id, data) \
             VALUES (?, ?, ?, 'webhook', ?, ?, ?, 'e2e-community', ?, ?, '{}')",
        )
        .bind(name)
        .bind(at)
        .bind(day::of_unix_ms(at))
        .bind(format!("e2e-analytics-{n}"))
        .bind(actor)
        .bind(name.ends_with(".didFlag").then_some("e2e-dan"))
        .bind(kind)
        .bind(id)
        .execute(&pool)
        .await?;
    }
    // The console's own refresher may be writing at the same moment: try again briefly.
    let mut attempts = 0;
    loop {
        match analytics::refresh(&pool, &Default::default(), now).await {
            Ok(_) => break,
            Err(error) if attempts < 10 => {
                attempts += 1;
                eprintln!("seed_analytics: refresh failed ({error}); retrying");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
