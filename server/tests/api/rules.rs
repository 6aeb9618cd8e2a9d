//! Automation rules: dry run before enabling, exactly once per rule per event, actions audited
//! with the rule as the actor (open a case, ban for a while through the stand-in, notify).

use crate::{
    events_page::{NewEvent, database, insert_event},
    helpers::{TestApp, expected_users, spawn_app},
};
use serde_json::Value;
use sqlx::SqlitePool;
use std::time::Duration;
use types::Role;

pub async fn create_rule(app: &TestApp, fields: &[(&str, &str)]) -> i64 {
    let response = app.call_form("create_rule", fields).await;
    let text = response.text().await.expect("body");
    text.trim().parse().unwrap_or_else(|_| panic!("a rule id, got {text}"))
}

pub async fn count(db: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.expect("count")
}

/// Waits until `sql` counts `expected` (the worker ticks every 500 ms).
pub async fn eventually(db: &SqlitePool, sql: &str, expected: i64) {
    for _ in 0..60 {
        if count(db, sql).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{sql} never reached {expected} (now {})", count(db, sql).await);
}

#[tokio::test]
async fn a_dry_run_says_what_a_rule_would_do_and_does_nothing() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    insert_event(&db, &NewEvent::post("p2", "bob", "c2")).await;
    let matching = insert_event(&db, &NewEvent::post("p3", "cat", "c1")).await;
    insert_event(&db, &NewEvent::comment("k1", "ann", "c1")).await;
    let id = create_rule(
        &app,
        &[
            ("name", "watch c1"),
            ("event_name", "v3.post.*"),
            ("conditions", "community is c1"),
            ("action", "open_case"),
        ],
    )
    .await;

    let refused = app.call_form("set_rule_enabled", &[("id", &id.to_string()), ("change", "enable")]).await;
    assert_eq!(refused.status(), 422, "no enabling before a dry run");

    let report: Value =
        app.call_form("dry_run_rule", &[("id", &id.to_string())]).await.json().await.expect("report");
    assert_eq!(report["scanned"], 4);
    assert_eq!(report["matched"], 2);
    assert_eq!(report["hits"][0]["event_id"], matching, "newest first");
    assert_eq!(report["hits"][0]["would"], "open a case for post p3");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rule_cases").await, 0, "a dry run acts on nothing");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM event_rule_runs").await, 0);

    let enabled = app.call_form("set_rule_enabled", &[("id", &id.to_string()), ("change", "enable")]).await;
    assert_eq!(enabled.status(), 200);
    let page = app.get("/rules").await.text().await.expect("html");
    assert!(page.contains("When v3.post.* where community is c1, open a case in the queue."));
    assert!(page.contains(r#"data-rule-state="enabled""#));
}

#[tokio::test]
async fn an_enabled_rule_acts_exactly_once_per_new_matching_event_as_the_rule() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let before_enabling = insert_event(&db, &NewEvent::post("old", "ann", "c1")).await;
    let id =
        create_rule(&app, &[("name", "cases"), ("event_name", "v3.post.didCreate"), ("action", "open_case")])
            .await;
    app.call_form("dry_run_rule", &[("id", &id.to_string())]).await;
    app.call_form("set_rule_enabled", &[("id", &id.to_string()), ("change", "enable")]).await;

    insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    insert_event(&db, &NewEvent::comment("k1", "ann", "c1")).await;
    insert_event(&db, &NewEvent::post("p2", "bob", "c1")).await;
    eventually(&db, "SELECT COUNT(*) FROM event_rule_runs WHERE state = 'done'", 2).await;
    // Several more ticks: nothing runs twice.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM event_rule_runs").await, 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rule_cases WHERE status = 'open'").await, 2);
    assert_eq!(
        count(&db, &format!("SELECT COUNT(*) FROM event_rule_runs WHERE event_id = {before_enabling}")).await,
        0,
        "events stored before enabling are for the dry run, not acted on"
    );
    let audited = count(
        &db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE actor_id = 'rule:{id}' AND action = 'rule_open_case'"),
    )
    .await;
    assert_eq!(audited, 2, "audited with the rule as the actor");

    // A second claim of a run already made is refused (another instance, a retry).
    let event: i64 =
        sqlx::query_scalar("SELECT event_id FROM event_rule_runs LIMIT 1").fetch_one(&db).await.expect("run");
    assert!(!backend::rules::worker::claim(&db, id, event).await.expect("claim"));

    let cases = backend::rules::cases::open_cases(&db, 10).await.expect("cases");
    let mut objects: Vec<_> = cases.iter().map(|c| (c.kind.as_str(), c.object_id.as_str())).collect();
    objects.sort();
    assert_eq!(objects, [("post", "p1"), ("post", "p2")]);
}

#[tokio::test]
async fn a_ban_rule_bans_the_author_for_its_duration_through_the_moderation_path() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let user = expected_users().into_iter().find(|u| !u.is_global_ban).expect("a seeded user");
    let id = create_rule(
        &app,
        &[
            ("name", "spam ban"),
            ("event_name", "v3.comment.didCreate"),
            ("conditions", "data.comments.0.userId exists"),
            ("action", "ban"),
            ("minutes", "60"),
        ],
    )
    .await;
    app.call_form("dry_run_rule", &[("id", &id.to_string())]).await;
    app.call_form("set_rule_enabled", &[("id", &id.to_string()), ("change", "enable")]).await;
    insert_event(&db, &NewEvent::comment("k1", &user.user_id, "c1")).await;

    eventually(&db, "SELECT COUNT(*) FROM event_rule_runs WHERE state != 'running'", 1).await;
    let (state, detail): (String, String) =
        sqlx::query_as("SELECT state, detail FROM event_rule_runs").fetch_one(&db).await.expect("run");
    assert_eq!(state, "done", "{detail}");
    let pending = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM moderation_timed_bans WHERE user_id = '{}' AND status = 'pending'",
            user.user_id
        ),
    )
    .await;
    assert_eq!(pending, 1, "the console will lift the ban when it ends");
    let by_rule = count(&db, &format!("SELECT COUNT(*) FROM audit_log WHERE actor_id = 'rule:{id}'")).await;
    assert!(by_rule >= 1, "the ban is audited with the rule as the actor");
}

#[tokio::test]
async fn rules_are_for_settings_managers_only() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::SeniorModerator).await;
    let response = app.call_form("list_rules", &[]).await;
    assert_eq!(response.status(), 403);
    let page = app.get("/rules").await.text().await.expect("html");
    assert!(!page.contains("New rule"));
}
