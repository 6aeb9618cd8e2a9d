//! Editing a rule (a new definition disables it until it is dry-run again, enforced by the
//! server; audited with before and after) and what a rule did (run counts in the list, a
//! paged run history with failures in plain language).

use crate::{
    events_page::{NewEvent, database, insert_event},
    helpers::{TestApp, spawn_app},
    rules::{count, create_rule, eventually},
};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use types::Role;

/// A console with an admin signed in and one rule that opens cases for `event_name` events
/// where `conditions` hold, dry-run and enabled.
async fn enabled_rule(name: &str, event_name: &str, conditions: &str) -> (TestApp, SqlitePool, i64) {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let fields =
        [("name", name), ("event_name", event_name), ("conditions", conditions), ("action", "open_case")];
    let id = create_rule(&app, &fields).await;
    dry_run_and_enable(&app, id).await;
    (app, db, id)
}

/// Dry-runs and enables rule `id`, asserting both succeed.
async fn dry_run_and_enable(app: &TestApp, id: i64) {
    let id = id.to_string();
    assert_eq!(app.call_form("dry_run_rule", &[("id", &id)]).await.status(), 200);
    let enabled = app.call_form("set_rule_enabled", &[("id", &id), ("change", "enable")]).await;
    assert_eq!(enabled.status(), 200);
}

async fn json_of(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Value {
    let response = app.call_form(endpoint, form).await;
    assert_eq!(response.status(), 200, "{endpoint}");
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_changed_definition_disables_the_rule_until_it_is_dry_run_again() {
    let (app, db, id) = enabled_rule("watch c1", "v3.post.*", "community is c1").await;
    let id_text = id.to_string();

    // A new name alone: still enabled, the dry run still counts.
    let renamed = json_of(
        &app,
        "update_rule",
        &[
            ("id", &id_text),
            ("name", "watch community 1"),
            ("event_name", "v3.post.*"),
            ("conditions", "community is c1"),
            ("action", "open_case"),
        ],
    )
    .await;
    assert_eq!(renamed["name"], "watch community 1");
    assert_eq!(renamed["enabled"], true);
    assert!(renamed["dry_run_at"].is_string());

    // A new definition: disabled, dry run forgotten, enabling refused by the server.
    let edited = json_of(
        &app,
        "update_rule",
        &[
            ("id", &id_text),
            ("name", "ban in c2"),
            ("event_name", "v3.comment.didCreate"),
            ("conditions", "community is c2"),
            ("action", "ban"),
            ("minutes", "30"),
        ],
    )
    .await;
    assert_eq!(edited["enabled"], false);
    assert!(edited["dry_run_at"].is_null());
    assert_eq!(edited["action"], json!({ "type": "ban", "minutes": 30 }));
    let detail = json_of(&app, "get_rule", &[("id", &id_text)]).await;
    assert!(detail["last_dry_run"].is_null(), "the old report is not the new definition's");
    let refused = app.call_form("set_rule_enabled", &[("id", &id_text), ("change", "enable")]).await;
    assert_eq!(refused.status(), 422, "no enabling before a dry run of the new definition");
    let refusal: Value = refused.json().await.expect("error");
    assert_eq!(refusal["field"], "enabled");
    let event = insert_event(&db, &NewEvent::comment("k1", "ann", "c2")).await;
    let claimed = backend::rules::worker::claim(&db, id, event).await.expect("claim");
    assert!(!claimed, "a disabled rule claims no run, even in a worker pass that read it enabled");
    let page = app.get(&format!("/rules/{id}")).await.text().await.expect("html");
    assert!(page.contains("When v3.comment.didCreate where community is c2, ban the author for 30 minutes."));
    assert!(page.contains(r#"data-rule-state="disabled""#));
    assert!(page.contains("Not dry-run since its definition was set"));

    // Dry-run the new definition: its report is kept, and enabling works again.
    dry_run_and_enable(&app, id).await;
    let detail = json_of(&app, "get_rule", &[("id", &id_text)]).await;
    assert_eq!(detail["rule"]["enabled"], true);
    assert_eq!(detail["last_dry_run"]["rule_id"], id);

    // The edits are audited with the rule before and after.
    let (before, after): (String, String) = sqlx::query_as(
        "SELECT before_json, after_json FROM audit_log WHERE action = 'rule_update' AND target = ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(format!("rule:{id}"))
    .fetch_one(&db)
    .await
    .expect("a rule_update entry");
    let (before, after): (Value, Value) =
        (serde_json::from_str(&before).expect("before"), serde_json::from_str(&after).expect("after"));
    assert_eq!(before["enabled"], true);
    assert_eq!(before["conditions"][0]["value"], "c1");
    assert_eq!(after["enabled"], false);
    assert_eq!(after["conditions"][0]["value"], "c2");
    let updates =
        format!("SELECT COUNT(*) FROM audit_log WHERE action = 'rule_update' AND target = 'rule:{id}'");
    assert_eq!(count(&db, &updates).await, 2, "both edits");
}

#[tokio::test]
async fn an_invalid_edit_names_its_field_and_changes_nothing() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let id = create_rule(&app, &[("name", "r"), ("event_name", "v3.post.*"), ("action", "open_case")]).await;
    let id_text = id.to_string();
    for (field, form) in [
        ("minutes", [("action", "ban"), ("minutes", "0"), ("conditions", "")]),
        ("conditions", [("action", "open_case"), ("minutes", ""), ("conditions", "colour is red")]),
        ("url", [("action", "notify"), ("minutes", ""), ("conditions", "")]),
    ] {
        let mut fields = vec![("id", id_text.as_str()), ("name", "r2"), ("event_name", "v3.post.*")];
        fields.extend(form);
        let response = app.call_form("update_rule", &fields).await;
        assert_eq!(response.status(), 422, "{field}");
        let error: Value = response.json().await.expect("error");
        assert_eq!(error["field"], field);
    }
    let missing = app
        .call_form(
            "update_rule",
            &[("id", "999999"), ("name", "r"), ("event_name", "v3.post.*"), ("action", "open_case")],
        )
        .await;
    assert_eq!(missing.status(), 404);
    let detail = json_of(&app, "get_rule", &[("id", &id_text)]).await;
    assert_eq!(detail["rule"]["name"], "r", "nothing was saved");
}

#[tokio::test]
async fn the_list_counts_a_rules_runs_and_its_page_pages_them_newest_first() {
    let (app, db, id) = enabled_rule("cases in c9", "v3.*", "community is c9").await;
    let id_text = id.to_string();

    let objects: Vec<String> = (0..26).map(|n| format!("p{n}")).collect();
    for object in &objects {
        insert_event(&db, &NewEvent::post(object, "ann", "c9")).await;
    }
    insert_event(&db, &NewEvent::post("elsewhere", "ann", "c1")).await;
    // Nothing to open a case for: the run fails, and says why.
    let nothing = NewEvent {
        name: "v3.network.didUpdate",
        actor: None,
        community: Some("c9"),
        kind: None,
        object: None,
        data: json!({}),
    };
    let failing = insert_event(&db, &nothing).await;
    let finished =
        format!("SELECT COUNT(*) FROM event_rule_runs WHERE rule_id = {id} AND state != 'running'");
    eventually(&db, &finished, 27).await;

    let rules = json_of(&app, "list_rules", &[]).await;
    let summary =
        rules.as_array().expect("a list").iter().find(|s| s["rule"]["id"] == id).expect("the rule is listed");
    assert_eq!(summary["runs"]["done"], 26);
    assert_eq!(summary["runs"]["failed"], 1);
    assert_eq!(summary["runs"]["running"], 0);
    assert!(summary["runs"]["last_run_at"].is_string());

    let first = json_of(&app, "list_rule_runs", &[("id", &id_text)]).await;
    let items = first["items"].as_array().expect("runs");
    assert_eq!(items.len(), 25, "a full page");
    assert_eq!(items[0]["event_id"], failing, "newest first");
    assert_eq!(items[0]["state"], "failed");
    assert_eq!(items[0]["detail"], "the event names no content or user to open a case for");
    assert_eq!(items[1]["state"], "done");
    assert_eq!(items[1]["detail"], "opened a case for post p25");
    let next = first["next"].as_str().expect("a next page");
    let second = json_of(&app, "list_rule_runs", &[("id", &id_text), ("before", next)]).await;
    let rest: Vec<&str> =
        second["items"].as_array().expect("runs").iter().filter_map(|r| r["detail"].as_str()).collect();
    assert_eq!(rest, ["opened a case for post p1", "opened a case for post p0"]);
    assert!(second["next"].is_null());
    let missing = app.call_form("list_rule_runs", &[("id", "999999")]).await;
    assert_eq!(missing.status(), 404, "a missing rule has no history, not an empty one");

    let page = app.get(&format!("/rules/{id}")).await.text().await.expect("html");
    assert!(page.contains("Runs: 26 done, 1 failed, 0 running; last run"), "counts on the rule's page");
    assert!(page.contains(
        "Failed: the event names no content or user to open a case for. It is not retried; act by hand if it is still needed."
    ));
    assert!(page.contains("/events?type=v3.network.didUpdate&"), "the event links to the Events page");
    assert!(page.contains(&format!("before={}", failing + 1)), "at that event");
    assert!(page.contains(&format!("/rules/{id}?before={next}")), "the pager links the next page");
    let list = app.get("/rules").await.text().await.expect("html");
    assert!(list.contains("Runs: 26 done, 1 failed, 0 running; last run"));
}
