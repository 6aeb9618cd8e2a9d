//! The user last-activity report: fetched on demand, stored with history, imported into
//! `events` as `source = 'report'` once per user and time, downloadable as defused CSV.

use crate::helpers::{TestApp, spawn_app_with};
use serde_json::Value;
use sqlx::SqlitePool;

async fn database(app: &TestApp) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("the console database")
}

async fn fetch(app: &TestApp) -> Value {
    let response = app
        .client
        .post(format!("{}/reports/last-activity", app.address))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_fetched_report_is_kept_with_history_imported_once_and_downloadable() {
    let app = spawn_app_with(|s| {
        s.webhooks.embedded_delivery = false;
        s.limits.report_fetch_cooldown_minutes = 0;
    })
    .await;
    let db = database(&app).await;
    app.sign_in().await;

    let first = fetch(&app).await;
    assert_eq!(first["rows"], crate::helpers::USERS);
    let active = first["activeRows"].as_i64().expect("active rows");
    assert!(active > 0, "{first}");
    assert_eq!(first["imported"].as_i64(), Some(active));
    let from_report: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT actor_user_id) FROM events WHERE source = 'report' AND name = 'report.userLastActivity'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(from_report, active);

    let second = fetch(&app).await;
    assert_eq!(second["imported"], 0, "the same last-activity times add nothing");
    let listed: Vec<Value> = app.get("/reports/last-activity").await.json().await.expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["id"], second["id"], "newest first");

    let response = app.get(&format!("/reports/last-activity/{}", first["id"])).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let csv = response.text().await.expect("text");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(r#""user_id","user_public_id","display_name","last_active_utc""#));
    assert_eq!(lines.count(), crate::helpers::USERS as usize);
    assert_eq!(app.get("/reports/last-activity/999999").await.status(), 404);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('fetch_activity_report', 'download_activity_report')",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn without_a_session_no_report_is_listed_or_served() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    for path in ["/reports/last-activity", "/reports/last-activity/1"] {
        let status = app.get(path).await.status();
        assert!(status == 303 || status == 401, "{path}: {status}");
    }
}

#[tokio::test]
async fn the_reports_page_fetches_through_its_form_and_lists_each_copy_with_its_download() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    app.sign_in().await;
    let fetched: Value = app.call_form("fetch_activity_report", &[]).await.json().await.expect("a report");
    assert_eq!(fetched["rows"], crate::helpers::USERS);
    let id = fetched["id"].as_i64().expect("id");
    let listed: Vec<Value> =
        app.call("list_activity_reports", serde_json::json!({})).await.json().await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id);

    let page = app.get("/reports").await.text().await.expect("html");
    assert!(page.contains(&format!(r#"href="/reports/last-activity/{id}""#)), "the copy's download link");
    assert!(page.contains("Fetch the report now"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'fetch_activity_report' AND outcome = 'success'",
    )
    .fetch_one(&database(&app).await)
    .await
    .expect("count");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn finding_6_a_viewer_fetches_the_report_once_per_cooldown_and_is_told_when_to_retry() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    app.sign_in_with_role(types::Role::Viewer).await;
    assert_eq!(app.call_form("fetch_activity_report", &[]).await.status(), 200, "a viewer may fetch");

    let again = app
        .client
        .post(format!("{}/reports/last-activity", app.address))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 429, "the route shares the server function's cooldown");
    let retry_after: u64 = again.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((590..=600).contains(&retry_after), "about ten minutes: {retry_after}");
    let error: Value = again.json().await.expect("an AppError");
    assert_eq!(error["code"], "too_many_requests");
    assert!(error["message"].as_str().unwrap_or_default().contains("start another in"), "{error}");
    let refused = app.call_form("fetch_activity_report", &[]).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));

    let db = database(&app).await;
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM activity_reports").fetch_one(&db).await.expect("n");
    assert_eq!(stored, 1, "only the first fetch reached Social+ and stored a report");

    app.sign_in_with_role(types::Role::Moderator).await;
    assert_eq!(app.call_form("fetch_activity_report", &[]).await.status(), 200, "the cooldown is per person");
}

#[tokio::test]
async fn finding_6_metrics_exports_on_demand_wait_a_cooldown_per_person() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    app.sign_in_with_role(types::Role::Viewer).await;
    assert_eq!(app.call_form("export_metrics_now", &[]).await.status(), 200);
    let again = app.call_form("export_metrics_now", &[]).await;
    assert_eq!(again.status(), 429);
    let exports: Vec<Value> =
        app.call("list_metric_exports", serde_json::json!({})).await.json().await.expect("list");
    assert_eq!(exports.len(), 1, "the refused one stored nothing");
}
