//! The audit trail through the console: sign-ins and sign-outs recorded, the Audit page's
//! server function filters, the CSV and JSON exports and who may download them.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;
use types::Role;

/// The JSON export of the entries matching `query` (a URL query string).
pub async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    let response = app.get(&format!("/audit/export.json?{query}")).await;
    assert_eq!(response.status(), 200, "export as an admin");
    response.json().await.expect("a JSON array")
}

/// Like [`entries`], waiting up to two seconds for at least one (some are written in the
/// background).
pub async fn eventually(app: &TestApp, query: &str) -> Vec<Value> {
    for _ in 0..20 {
        let found = entries(app, query).await;
        if !found.is_empty() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Vec::new()
}

#[tokio::test]
async fn sign_ins_and_sign_outs_are_listed_with_actor_role_and_request_id() {
    let app = spawn_app().await;
    app.sign_in().await;
    app.sign_out().await;
    app.sign_in().await;
    let trail = entries(&app, "actor=bootstrap:admin").await;
    let actions: Vec<&str> = trail.iter().map(|e| e["action"].as_str().unwrap_or_default()).collect();
    assert_eq!(actions, ["sign_in", "sign_out", "sign_in"], "newest first");
    for entry in &trail {
        assert_eq!(entry["actor_role"], "admin");
        assert_eq!(entry["outcome"], "success");
        assert!(entry["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{entry}");
    }
}

#[tokio::test]
async fn the_audit_page_filters_by_action_and_offers_the_recorded_actions() {
    let app = spawn_app().await;
    app.sign_in().await;
    let failed = app.sign_in_as("mallory", "wrong-password-123").await;
    assert_eq!(failed.status(), 303);
    // A tried name is recorded as `attempt:<name>`, never as a bare actor.
    let response =
        app.call("list_audit", json!({ "query": { "filter": { "actor": "attempt:mallory" } } })).await;
    assert_eq!(response.status(), 200);
    let view: Value = response.json().await.expect("an audit view");
    let items = view["entries"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["action"].as_str(), items[0]["outcome"].as_str()),
        (Some("sign_in"), Some("failed"))
    );
    assert!(view["actions"].as_array().expect("actions").contains(&json!("sign_in")));
}

#[tokio::test]
async fn a_malformed_date_filter_is_a_readable_422() {
    let app = spawn_app().await;
    app.sign_in().await;
    let response = app.call("list_audit", json!({ "query": { "filter": { "from": "last week" } } })).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("an AppError");
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("invalid_input"), Some("from")));
}

#[tokio::test]
async fn the_csv_export_holds_the_filtered_entries_and_is_itself_audited() {
    let app = spawn_app().await;
    app.sign_in().await;
    let response = app.get("/audit/export.csv?action=sign_in").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").contains("audit.csv"));
    let csv = response.text().await.expect("text");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with(r#""id","at","actor_id","actor_role","action","target","outcome","reason""#)
    );
    assert_eq!(lines.len(), 2, "the header and the one sign-in: {csv}");
    assert!(lines[1].contains(r#","bootstrap:admin","admin","sign_in","#), "{}", lines[1]);

    let exports = entries(&app, "action=export_audit").await;
    assert_eq!(exports[0]["outcome"], "success");
    assert!(exports[0]["details"].as_str().unwrap_or_default().contains("csv"));
}

#[tokio::test]
async fn only_admins_may_export_and_a_refusal_is_audited() {
    let app = spawn_app().await;
    for role in [Role::Viewer, Role::Moderator, Role::SeniorModerator] {
        app.sign_in_with_role(role).await;
        for path in ["/audit/export.csv", "/audit/export.json"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 403, "{role:?} {path}");
            let error: Value = response.json().await.expect("an AppError");
            assert_eq!(error["code"], "forbidden");
        }
    }
    app.sign_in_with_role(Role::Admin).await;
    let denied = entries(&app, "action=export_audit").await;
    assert_eq!(denied.iter().filter(|e| e["outcome"] == "denied").count(), 6);
}

#[tokio::test]
async fn exports_need_a_session() {
    let app = spawn_app().await;
    let response = app.get("/audit/export.csv").await;
    assert_eq!(response.status(), 303);
    assert!(crate::helpers::location(&response).starts_with("/login?next="));
}
