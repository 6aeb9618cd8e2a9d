//! The embedded stand-in's activity history reaches a new console through the signed webhook
//! intake, dated by its payloads, and its replay is recorded so it happens once.

use crate::helpers::spawn_app_with;
use sqlx::SqlitePool;
use std::time::Duration;

#[tokio::test]
async fn a_new_console_takes_in_the_stand_in_s_history_through_its_webhook_intake_dated_by_the_payloads() {
    let app = spawn_app_with(|s| s.standin.history_days = 14).await;
    let db = SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("database");
    let recorded = async {
        loop {
            let found: Option<(String, String)> = sqlx::query_as(
                "SELECT outcome, details FROM audit_log WHERE action = 'standin_history_replayed'",
            )
            .fetch_optional(&db)
            .await
            .expect("audit");
            if let Some(found) = found {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let (outcome, details) =
        tokio::time::timeout(Duration::from_secs(90), recorded).await.expect("replayed in time");
    assert_eq!(outcome, "success", "{details}");
    let details: serde_json::Value = serde_json::from_str(&details).expect("details");
    let total = details["total"].as_i64().expect("total");
    assert!(total > 300, "{details}");

    // Every delivery was stored under the embedded secret and becomes one event.
    let processed = async {
        loop {
            let (stored, pending): (i64, i64) = sqlx::query_as(
                "SELECT count(*), count(*) FILTER (WHERE state = 'pending') FROM webhook_deliveries \
                 WHERE secret_label = 'embedded'",
            )
            .fetch_one(&db)
            .await
            .expect("deliveries");
            if stored >= total && pending == 0 {
                return stored;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), processed).await.expect("processed in time");
    let now = backend::events::now_ms();
    let (events, days, oldest, newest): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT day), min(occurred_at), max(occurred_at) FROM events WHERE source = 'webhook'",
    )
    .fetch_one(&db)
    .await
    .expect("events");
    assert!(events >= total, "{events} events from {total} deliveries");
    assert!(days >= 14, "spread over the history's days, not the arrival: {days}");
    assert!(
        oldest > now - 15 * 86_400_000 && oldest < now - 12 * 86_400_000,
        "the first day is two weeks back"
    );
    assert!(newest <= now, "nothing in the future");
    let (actors, sign_ups): (i64, i64) = sqlx::query_as(
        "SELECT count(DISTINCT actor_user_id), count(*) FILTER (WHERE name = 'user.didCreate') FROM events",
    )
    .fetch_one(&db)
    .await
    .expect("actors");
    assert!(actors > 50 && sign_ups > 0, "{actors} active people, {sign_ups} sign-ups");
}
