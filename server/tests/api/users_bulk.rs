//! Bulk actions from the Users table over HTTP: the preview names each change and the
//! upstream calls, the job reaches every selected user on the stand-in, each user's change is
//! audited with the state before and after, and what cannot run is refused.

use crate::helpers::{TestApp, expected_users, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;
use types::Role;

fn request(users: &[&str], action: &str, role: &str) -> Value {
    json!({ "request": {
        "user_ids": users, "action": action, "role": role,
        "reason": { "code": "other", "text": "integration test" },
    }})
}

/// The job's final view (the undo window is 5 s).
async fn finished(app: &TestApp, job_id: &str) -> Value {
    for _ in 0..80 {
        let job: Value = app.call("get_job", json!({ "job_id": job_id })).await.json().await.expect("job");
        if matches!(job["state"].as_str(), Some("done" | "failed" | "cancelled")) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("job {job_id} did not finish");
}

async fn user(app: &TestApp, user_id: &str) -> Value {
    let response = app.get_user(user_id).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a user")
}

fn roles(user: &Value) -> Vec<String> {
    serde_json::from_value(user["row"]["roles"].clone()).expect("roles")
}

async fn create_role(app: &TestApp, role_id: &str) {
    let form =
        [("mode", "create"), ("role_id", role_id), ("display_name", ""), ("permissions[]", "BAN_USER")];
    let created = app.call_form("save_role", &form).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
}

#[tokio::test]
async fn a_role_added_in_bulk_reaches_every_selected_user_and_each_change_is_audited() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    create_role(&app, "it-bulk").await;
    let seeded = expected_users();
    let ids: Vec<&str> = seeded.iter().take(3).map(|u| u.user_id.as_str()).collect();
    let before: Vec<Vec<String>> = {
        let mut all = Vec::new();
        for id in &ids {
            all.push(roles(&user(&app, id).await));
        }
        all
    };

    let preview: Value = app
        .call("preview_user_bulk", request(&ids, "add_role", "it-bulk"))
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!((preview["total"].as_u64(), preview["problems"].as_u64()), (Some(3), Some(0)), "{preview}");
    assert_eq!(preview["upstream_calls"], 6, "a look-up and an update per user");
    let change = preview["items"][0]["change"].as_str().unwrap_or_default();
    assert!(change.starts_with("roles: ") && change.ends_with("it-bulk"), "{change}");

    let submitted = app.call("submit_user_bulk", request(&ids, "add_role", "it-bulk")).await;
    assert_eq!(submitted.status(), 200, "{}", submitted.text().await.unwrap_or_default());
    let submitted: Value = submitted.json().await.expect("submitted");
    assert_eq!(submitted["total"], 3);
    let job_id = submitted["job_id"].as_str().expect("job id").to_owned();
    let job = finished(&app, &job_id).await;
    assert_eq!((job["state"].as_str(), job["counts"]["done"].as_u64()), (Some("done"), Some(3)), "{job}");
    assert_eq!(job["permission"], "manage_roles");

    for (id, before) in ids.iter().zip(&before) {
        let after = roles(&user(&app, id).await);
        let mut expected = before.clone();
        expected.push("it-bulk".into());
        assert_eq!(after, expected, "{id} keeps their roles and gains it-bulk");
    }
    let items: Value = app
        .call(
            "list_job_items",
            json!({ "job_id": job_id, "query": { "status": null, "offset": 0, "limit": 10 } }),
        )
        .await
        .json()
        .await
        .expect("items");
    let keys: Vec<&str> = items.as_array().expect("items").iter().filter_map(|i| i["key"].as_str()).collect();
    assert_eq!(keys, ids.iter().map(|id| format!("user:{id}")).collect::<Vec<_>>());

    let trail = crate::audit::eventually(&app, "action=user_roles_add").await;
    assert_eq!(trail.len(), 3, "one entry per user");
    for entry in &trail {
        assert_eq!(
            (entry["outcome"].as_str(), entry["actor_id"].as_str()),
            (Some("success"), Some("test-admin"))
        );
        assert!(entry["after"].as_str().unwrap_or_default().contains("it-bulk"), "{entry}");
        assert!(!entry["before"].as_str().unwrap_or_default().contains("it-bulk"), "{entry}");
        assert_eq!(entry["reason"], "Other (explain) — integration test");
    }
    assert_eq!(crate::audit::eventually(&app, "action=submit_user_bulk").await.len(), 1);

    // Adding it again changes nothing and says so; removing takes it away again.
    let again: Value = app
        .call("preview_user_bulk", request(&ids[..1], "add_role", "it-bulk"))
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!(again["items"][0]["change"], "already has it-bulk: no change");
    assert_eq!(again["upstream_calls"], 1);
    let removed: Value = app
        .call("submit_user_bulk", request(&ids[..1], "remove_role", "it-bulk"))
        .await
        .json()
        .await
        .expect("ok");
    finished(&app, removed["job_id"].as_str().expect("job id")).await;
    assert_eq!(roles(&user(&app, ids[0]).await), before[0]);
}

#[tokio::test]
async fn what_cannot_run_is_shown_in_the_preview_and_refused_at_submission() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let seeded = expected_users();
    let known = seeded[0].user_id.as_str();

    let preview: Value = app
        .call("preview_user_bulk", request(&[known, "no-such-user-xyz"], "ban", ""))
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!(preview["problems"], 1, "{preview}");
    assert_eq!(preview["items"][1]["problem"], "No user with this id.");
    assert_eq!(preview["upstream_calls"], 2, "only the user who can be banned costs calls");

    let unknown_role = app.call("submit_user_bulk", request(&[known], "add_role", "no-such-role")).await;
    assert_eq!(unknown_role.status(), 422);
    let body: Value = unknown_role.json().await.expect("error");
    assert_eq!(body["field"], "role", "{body}");

    let nobody = app.call("submit_user_bulk", request(&[], "ban", "")).await;
    assert_eq!(nobody.status(), 422);
}

#[tokio::test]
async fn a_moderator_bans_selected_users_in_bulk_but_may_not_change_their_roles() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let seeded = expected_users();
    let ids: Vec<&str> =
        seeded.iter().filter(|u| !u.is_global_ban).take(2).map(|u| u.user_id.as_str()).collect();

    let submitted: Value =
        app.call("submit_user_bulk", request(&ids, "ban", "")).await.json().await.expect("ok");
    let job = finished(&app, submitted["job_id"].as_str().expect("job id")).await;
    assert_eq!(job["counts"]["done"], 2, "{job}");
    for id in &ids {
        assert_eq!(user(&app, id).await["row"]["is_global_ban"], true, "{id} is banned on the stand-in");
    }

    let roles = app.call("submit_user_bulk", request(&ids, "add_role", "moderator")).await;
    assert_eq!(roles.status(), 403, "adding roles needs ManageRoles");
}
