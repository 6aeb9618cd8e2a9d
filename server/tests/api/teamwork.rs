//! Teamwork on cases over HTTP: two moderators claiming one case, notes, escalation to a
//! senior moderator, and the Reviewed tab's filters.

use crate::helpers::spawn_app;
use serde_json::{Value, json};
use types::Role;

#[tokio::test]
async fn a_claimed_case_shows_who_holds_it_and_taking_it_over_is_explicit() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let first: Value = app
        .call("claim_case", json!({ "case_key": "post:p1", "takeover": false }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["status"], "claimed");

    app.sign_in_with_role(Role::SeniorModerator).await;
    let second: Value = app
        .call("claim_case", json!({ "case_key": "post:p1", "takeover": false }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["status"], "held_by_other");
    assert_eq!(second["claim"]["claimed_by"], "test-moderator");
    let claims: Value = app
        .call("list_claims", json!({ "case_keys": ["post:p1", "post:p2"] }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(claims.as_array().map(Vec::len), Some(1), "{claims}");

    let taken: Value = app
        .call("claim_case", json!({ "case_key": "post:p1", "takeover": true }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (taken["status"].as_str(), taken["from"].as_str()),
        (Some("taken_over"), Some("test-moderator"))
    );
    assert_eq!(taken["claim"]["claimed_by"], "test-senior_moderator");
}

#[tokio::test]
async fn notes_and_an_escalation_decided_by_a_senior_moderator() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let note =
        app.call_form("add_note", &[("subject", "user:ann"), ("body", "<b>Repeat</b> offender")]).await;
    assert_eq!(note.status(), 200);
    let notes: Value =
        app.call("list_notes", json!({ "subject": "user:ann" })).await.json().await.expect("json");
    assert_eq!(notes[0]["body"], "<b>Repeat</b> offender", "kept as written (rendered as text)");
    assert_eq!(notes[0]["author_id"], "test-moderator");

    let escalated: Value = app
        .call("escalate_case", json!({ "case_key": "post:p9", "note": "Borderline satire?" }))
        .await
        .json()
        .await
        .expect("json");
    let id = escalated["id"].as_i64().expect("id");
    let again: Value = app
        .call("escalate_case", json!({ "case_key": "post:p9", "note": "again" }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["id"].as_i64(), Some(id), "one open escalation per case");
    let refused = app.call("decide_escalation", json!({ "id": id, "decision": "keep" })).await;
    assert_eq!(refused.status(), 403, "a moderator cannot decide escalations");

    app.sign_in_with_role(Role::SeniorModerator).await;
    let open: Value =
        app.call("list_escalations", json!({ "open_only": true })).await.json().await.expect("json");
    assert_eq!(open[0]["case_key"], "post:p9");
    let decided: Value = app
        .call("decide_escalation", json!({ "id": id, "decision": "Keep: satire" }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (decided["status"].as_str(), decided["decided_by"].as_str()),
        (Some("decided"), Some("test-senior_moderator"))
    );
    let twice = app.call("decide_escalation", json!({ "id": id, "decision": "again" })).await;
    assert_eq!(twice.status(), 404, "a decided escalation stays decided");
    let open: Value =
        app.call("list_escalations", json!({ "open_only": true })).await.json().await.expect("json");
    assert_eq!(open.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn finding_15_an_escalation_is_not_decided_by_the_person_who_raised_it() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::SeniorModerator).await;
    let escalated: Value = app
        .call("escalate_case", json!({ "case_key": "post:p7", "note": "Not sure, second opinion" }))
        .await
        .json()
        .await
        .expect("json");
    let id = escalated["id"].as_i64().expect("id");
    assert_eq!(escalated["escalated_by"], "test-senior_moderator");

    let own = app.call("decide_escalation", json!({ "id": id, "decision": "Keep it" })).await;
    assert_eq!(own.status(), 422, "the person who raised it cannot decide it");
    let error: Value = own.json().await.expect("an AppError");
    assert!(error["message"].as_str().unwrap_or_default().contains("another senior moderator"), "{error}");
    let open: Value =
        app.call("list_escalations", json!({ "open_only": true })).await.json().await.expect("json");
    assert_eq!(open[0]["id"].as_i64(), Some(id), "still open");

    app.sign_in_with_role(Role::Admin).await;
    let decided = app.call("decide_escalation", json!({ "id": id, "decision": "Keep it" })).await;
    assert_eq!(decided.status(), 200, "anyone else with the permission decides it");
    let trail = crate::audit::eventually(&app, "action=decide_escalation").await;
    assert!(
        trail.iter().any(|e| e["outcome"] == "denied" && e["actor_id"] == "test-senior_moderator"),
        "the refused attempt is audited: {trail:?}"
    );
}

#[tokio::test]
async fn the_reviewed_tab_filters_by_moderator_action_and_date() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let request = |kind: &str, id: &str, action: Value| {
        json!({ "request": {
            "target": { "type": "content", "kind": kind, "id": id },
            "actions": [action],
            "reason": { "code": "spam", "text": "" },
        }})
    };
    // Records are kept whether or not the target exists (a failed attempt is reviewed work too).
    app.call("apply_action", request("post", "p-a", json!({ "type": "clear_flags" }))).await;
    app.sign_in_with_role(Role::SeniorModerator).await;
    app.call("apply_action", request("comment", "c-b", json!({ "type": "delete", "permanent": false })))
        .await;

    let reviewed = |query: Value| {
        let app = &app;
        async move {
            app.call("list_reviewed", json!({ "query": query })).await.json::<Value>().await.expect("json")
        }
    };
    let all = reviewed(json!({})).await;
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    assert_eq!(all[0]["target"], "comment:c-b", "newest first");
    let mine = reviewed(json!({ "moderator": "test-moderator" })).await;
    assert_eq!((mine.as_array().map(Vec::len), mine[0]["target"].as_str()), (Some(1), Some("post:p-a")));
    let deletes = reviewed(json!({ "action": "delete" })).await;
    assert_eq!(deletes.as_array().map(Vec::len), Some(1));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(reviewed(json!({ "from": today, "to": today })).await.as_array().map(Vec::len), Some(2));
    assert_eq!(reviewed(json!({ "to": "2020-01-01" })).await.as_array().map(Vec::len), Some(0));
    let bad = app.call("list_reviewed", json!({ "query": { "from": "yesterday" } })).await;
    assert_eq!(bad.status(), 422);
}
