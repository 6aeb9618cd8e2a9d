//! The job server functions over HTTP: progress, items and cancel, each refused to a role
//! without the permission the job's creator needed. The job's kind has no handler in the
//! console, so it stays in its undo window until the test cancels it.

use crate::helpers::{TestApp, spawn_app};
use backend::jobs::{NewItem, NewJob};
use serde_json::{Value, json};
use std::time::Duration;
use types::{CurrentUser, Permission, Role, access::SignInMethod};

async fn submit_waiting_job(app: &TestApp, permission: Permission) -> String {
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display()))
        .await
        .expect("the console database opens");
    let job = NewJob {
        kind: "kind_without_handler",
        created_by: "test-moderator".into(),
        permission,
        payload: json!({}),
        items: (0..3).map(|i| NewItem { key: format!("user-{i}"), input: json!({}) }).collect(),
        delay: Duration::from_secs(3600),
    };
    backend::jobs::submit(&db, &job).await.expect("submitted")
}

#[tokio::test]
async fn a_job_is_read_and_cancelled_in_its_undo_window_by_roles_with_its_permission() {
    let app = spawn_app().await;
    let id = submit_waiting_job(&app, Permission::BanUsers).await;

    app.sign_in_with_role(Role::Viewer).await;
    let denied = app.call("get_job", json!({ "job_id": id })).await;
    assert_eq!(denied.status(), 403, "a viewer cannot follow a bulk ban");
    assert_eq!(app.call_form("cancel_job", &[("job_id", &id)]).await.status(), 403);

    app.sign_in_with_role(Role::Moderator).await;
    let view: Value = app.call("get_job", json!({ "job_id": id })).await.json().await.expect("a job");
    assert_eq!(view["state"], "waiting");
    assert_eq!(view["counts"]["total"], 3);
    assert_eq!(view["permission"], "ban_users");

    let cancelled = app.call_form("cancel_job", &[("job_id", &id)]).await;
    assert_eq!(cancelled.status(), 200);
    let view: Value = cancelled.json().await.expect("a job");
    assert_eq!(
        (view["state"].as_str(), view["cancelled_by"].as_str()),
        (Some("cancelled"), Some("test-moderator"))
    );
    assert_eq!(view["counts"]["skipped"], 3);

    let items: Value = app
        .call(
            "list_job_items",
            json!({ "job_id": id, "query": { "status": "skipped", "offset": 0, "limit": 2 } }),
        )
        .await
        .json()
        .await
        .expect("items");
    assert_eq!(items.as_array().map(Vec::len), Some(2), "paged");
    assert_eq!(items[0]["key"], "user-0");

    let again = app.call_form("cancel_job", &[("job_id", &id)]).await;
    assert_eq!(again.status(), 422, "a finished job cannot be cancelled again");

    app.sign_in_with_role(Role::Admin).await;
    let trail = crate::audit::eventually(&app, "action=cancel_job").await;
    let success = trail.iter().find(|e| e["outcome"] == "success").expect("the cancel is audited");
    assert_eq!(success["actor_id"], "test-moderator");
    assert!(success["before"].as_str().unwrap_or_default().contains("waiting"), "{success}");
    assert!(success["after"].as_str().unwrap_or_default().contains("cancelled"), "{success}");
}

#[tokio::test]
async fn finding_15_only_the_jobs_creator_or_a_senior_role_cancels_it() {
    let app = spawn_app().await;
    // Started by `test-moderator`; another moderator holds the job's permission too.
    let id = submit_waiting_job(&app, Permission::BanUsers).await;
    let other = CurrentUser {
        id: "test-other-moderator".into(),
        display_name: "Another moderator".into(),
        role: Role::Moderator,
        method: SignInMethod::Bootstrap,
    };
    app.sign_in_person(&other, &[]).await;
    let refused = app.call_form("cancel_job", &[("job_id", &id)]).await;
    assert_eq!(refused.status(), 422, "another moderator cannot cancel it");
    let error: Value = refused.json().await.expect("an AppError");
    assert!(error["message"].as_str().unwrap_or_default().contains("test-moderator"), "{error}");
    let view: Value = app.call("get_job", json!({ "job_id": id })).await.json().await.expect("a job");
    assert_eq!(view["state"], "waiting", "nothing changed, and they may still follow it");

    app.sign_in_with_role(Role::SeniorModerator).await;
    let cancelled = app.call_form("cancel_job", &[("job_id", &id)]).await;
    assert_eq!(cancelled.status(), 200, "a senior moderator may");
    let view: Value = cancelled.json().await.expect("a job");
    assert_eq!(view["cancelled_by"], "test-senior_moderator");

    app.sign_in_with_role(Role::Admin).await;
    let trail = crate::audit::eventually(&app, "action=cancel_job").await;
    assert!(
        trail.iter().any(|e| e["outcome"] == "denied" && e["actor_id"] == "test-other-moderator"),
        "the refused attempt is audited: {trail:?}"
    );
}

#[tokio::test]
async fn an_unknown_job_is_not_found() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    assert_eq!(app.call("get_job", json!({ "job_id": "nope" })).await.status(), 404);
}
