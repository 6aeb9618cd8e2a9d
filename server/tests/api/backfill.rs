//! Gap repair: `POST /backfill` reads recent users, posts, comments and flags from the
//! network into `events` (`source = 'backfill'`), adds nothing twice, and never duplicates a
//! happening a webhook already reported.

use crate::helpers::{TestApp, spawn_app_with};
use serde_json::Value;
use sqlx::SqlitePool;
use std::time::Duration;
use types::Role;

async fn database(app: &TestApp) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("the console database")
}

async fn backfill(app: &TestApp) -> reqwest::Response {
    app.client
        .post(format!("{}/backfill", app.address))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request")
}

async fn count(db: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.expect("count")
}

#[tokio::test]
async fn activity_whose_webhooks_were_lost_is_backfilled_once() {
    // Simulated members act, but no webhook reaches the console: everything is a gap.
    let app = spawn_app_with(|s| {
        s.standin.simulate_per_second = 40.0;
        s.webhooks.embedded_delivery = false;
    })
    .await;
    let db = database(&app).await;
    app.sign_in().await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let response = backfill(&app).await;
    assert_eq!(response.status(), 200);
    let first: Value = response.json().await.expect("json");
    assert!(first["added"].as_i64().unwrap_or(0) > 0, "{first}");
    let posts = count(
        &db,
        "SELECT count(*) FROM events WHERE source = 'backfill' AND name = 'v3.post.didCreate' \
        AND actor_user_id IS NOT NULL AND community_id IS NOT NULL",
    )
    .await;
    assert!(posts > 0, "simulated posts are backfilled with author and community");
    assert_eq!(count(&db, "SELECT count(*) FROM events WHERE source <> 'backfill'").await, 0);

    // Nothing new since: a second run adds only what the simulator did in between.
    let before = count(&db, "SELECT count(*) FROM events").await;
    let second: Value = backfill(&app).await.json().await.expect("json");
    let after = count(&db, "SELECT count(*) FROM events").await;
    assert_eq!(after - before, second["added"].as_i64().expect("added"));
    assert!(second["added"].as_i64().expect("added") < first["added"].as_i64().expect("added"));
    let audited = count(&db, "SELECT count(*) FROM audit_log WHERE action = 'backfill_events'").await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn a_post_reported_by_webhook_is_not_added_again_by_the_backfill() {
    let app = spawn_app_with(|s| s.standin.simulate_per_second = 40.0).await;
    let db = database(&app).await;
    app.sign_in().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while count(&db, "SELECT count(*) FROM events WHERE source = 'webhook' AND name = 'v3.post.didCreate'")
        .await
        < 5
    {
        assert!(tokio::time::Instant::now() < deadline, "no webhook posts in 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(backfill(&app).await.status(), 200);
    for name in ["v3.post.didCreate", "v3.comment.didCreate"] {
        let twice = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM (SELECT object_id FROM events WHERE name = ? GROUP BY object_id HAVING count(*) > 1)",
        )
        .bind(name)
        .fetch_one(&db)
        .await
        .expect("count");
        assert_eq!(twice, 0, "{name}: an object has two rows");
    }
}

#[tokio::test]
async fn only_settings_managers_may_run_the_backfill() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    app.sign_in_with_role(Role::SeniorModerator).await;
    assert_eq!(backfill(&app).await.status(), 403);
    let db = database(&app).await;
    assert_eq!(count(&db, "SELECT count(*) FROM events").await, 0);
}
