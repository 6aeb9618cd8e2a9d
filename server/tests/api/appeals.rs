//! Appeals over HTTP: filed against the latest ban, refused to the moderator who banned,
//! accepted by another one (the ban is lifted on the stand-in), and the intake endpoint.

use crate::helpers::{TestApp, expected_users, spawn_app};
use serde_json::{Value, json};
use types::Role;

fn ordinary_user(n: usize) -> String {
    let users = expected_users();
    let mut ordinary = users.into_iter().filter(|u| !u.is_global_ban);
    ordinary.nth(n).expect("an ordinary seeded user").user_id
}

async fn is_banned(app: &TestApp, user_id: &str) -> bool {
    let user: Value = app.get_user(user_id).await.json().await.expect("user");
    user["row"]["is_global_ban"].as_bool().expect("ban state")
}

async fn ban(app: &TestApp, user_id: &str) {
    let request = json!({ "request": {
        "target": { "type": "user", "id": user_id },
        "actions": [{ "type": "ban", "scope": { "type": "global" }, "until": null }],
        "reason": { "code": "harassment", "text": "" },
    }});
    let report: Value = app.call("apply_action", request).await.json().await.expect("report");
    assert!(
        report["steps"].as_array().is_some_and(|s| s.iter().all(|s| s["outcome"]["status"] == "succeeded"))
    );
}

#[tokio::test]
async fn an_appeal_is_decided_by_another_moderator_and_accepting_it_lifts_the_ban() {
    let app = spawn_app().await;
    let user_id = ordinary_user(3);
    app.sign_in_with_role(Role::SeniorModerator).await;
    let nothing = app.call_form("file_appeal", &[("user_id", &user_id), ("message", "why?")]).await;
    assert_eq!(nothing.status(), 422, "no sanction on record yet");

    ban(&app, &user_id).await;
    assert!(is_banned(&app, &user_id).await);
    let filed: Value = app
        .call_form("file_appeal", &[("user_id", &user_id), ("message", "<i>I was hacked</i>")])
        .await
        .json()
        .await
        .expect("appeal");
    assert_eq!(
        (filed["status"].as_str(), filed["acted_by"].as_str()),
        (Some("open"), Some("test-senior_moderator"))
    );
    let id = filed["id"].as_i64().expect("id").to_string();

    let own = app.call_form("decide_appeal", &[("id", &id), ("decision", "accept"), ("note", "fine")]).await;
    assert_eq!(own.status(), 422, "the moderator who banned cannot decide");
    assert!(own.text().await.unwrap_or_default().contains("another moderator"));
    assert!(is_banned(&app, &user_id).await, "nothing changed");

    app.sign_in_with_role(Role::Admin).await;
    let decided: Value = app
        .call_form(
            "decide_appeal",
            &[("id", &id), ("decision", "accept"), ("note", "Account was compromised")],
        )
        .await
        .json()
        .await
        .expect("decided");
    assert_eq!(decided["appeal"]["status"], "accepted", "{decided}");
    assert_eq!(decided["appeal"]["decided_by"], "test-admin");
    assert!(!is_banned(&app, &user_id).await, "the ban is lifted upstream");
    let again = app.call_form("decide_appeal", &[("id", &id), ("decision", "reject"), ("note", "x")]).await;
    assert_eq!(again.status(), 422, "decided once");

    let listed: Value =
        app.call("list_appeals", json!({ "status": "accepted" })).await.json().await.expect("list");
    assert_eq!(listed[0]["message"], "<i>I was hacked</i>");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let deciders: Vec<String> =
        sqlx::query_scalar("SELECT actor_id FROM audit_log WHERE action = 'decide_appeal'")
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(deciders, ["test-admin"], "the decision is audited");
}

#[tokio::test]
async fn a_rejected_appeal_keeps_the_ban() {
    let app = spawn_app().await;
    let user_id = ordinary_user(4);
    app.sign_in_with_role(Role::Moderator).await;
    ban(&app, &user_id).await;
    let filed: Value = app
        .call_form("file_appeal", &[("user_id", &user_id), ("message", "please")])
        .await
        .json()
        .await
        .expect("appeal");
    let id = filed["id"].as_i64().expect("id").to_string();
    app.sign_in_with_role(Role::SeniorModerator).await;
    let decided: Value = app
        .call_form("decide_appeal", &[("id", &id), ("decision", "reject"), ("note", "Clear harassment")])
        .await
        .json()
        .await
        .expect("decided");
    assert_eq!(decided["appeal"]["status"], "rejected");
    assert!(decided["report"].is_null());
    assert!(is_banned(&app, &user_id).await);
}
