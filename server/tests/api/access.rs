//! The role table test: every registered server function must be listed here with the
//! permission it requires, and is called with every role (and without a session). A new
//! server function without an entry fails this test, and so does one that forgets its check.

use crate::helpers::{TestApp, spawn_app};
use leptos::server_fn::axum::server_fn_paths;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use types::{Permission, Role, users::UserListQuery};

/// How a server function's arguments are encoded.
enum Body {
    Json(Value),
    Form(&'static [(&'static str, &'static str)]),
}

/// Who may call a server function.
enum Access {
    /// Anyone signed in (they reveal nothing about anyone else).
    AnySignedIn,
    /// A signed-in person whose role grants the permission.
    Requires(Permission),
}

/// Every server function: endpoint, access, and arguments that pass decoding but cause no
/// change (e.g. a wrong confirmation word), so "allowed" means "got past the permission check".
fn expected() -> Vec<(&'static str, Access, Body)> {
    vec![
        ("get_current_user", Access::AnySignedIn, Body::Form(&[])),
        ("get_sign_in_options", Access::AnySignedIn, Body::Form(&[])),
        (
            "list_users",
            Access::Requires(Permission::ViewUsers),
            Body::Json(json!({ "query": UserListQuery::default() })),
        ),
        ("get_user", Access::Requires(Permission::ViewUsers), Body::Json(json!({ "user_id": "nobody-xyz" }))),
        ("list_queue", Access::Requires(Permission::ViewQueue), Body::Json(json!({ "query": {} }))),
        (
            "get_case",
            Access::Requires(Permission::ViewQueue),
            Body::Json(json!({ "kind": "user", "id": "nobody-xyz", "feed": null })),
        ),
        (
            "user_create",
            Access::Requires(Permission::EditUsers),
            Body::Form(&[("user_id", ""), ("display_name", ""), ("description", ""), ("metadata", "")]),
        ),
        (
            "user_update_profile",
            Access::Requires(Permission::EditUsers),
            Body::Form(&[
                ("user_id", "nobody-xyz"),
                ("display_name", ""),
                ("description", ""),
                ("avatar_custom_url", ""),
                ("roles", ""),
                ("metadata", "{"),
            ]),
        ),
        (
            "user_clear_flags",
            Access::Requires(Permission::EditUsers),
            Body::Form(&[("user_id", "nobody-xyz")]),
        ),
        (
            "user_sanction",
            Access::Requires(Permission::BanUsers),
            Body::Form(&[("user_id", "nobody-xyz"), ("action", "bogus"), ("reason_code", "spam")]),
        ),
        (
            "user_delete",
            Access::Requires(Permission::DeleteUsers),
            Body::Form(&[("user_id", "nobody-xyz"), ("confirmation", "no")]),
        ),
        ("list_audit", Access::Requires(Permission::ViewAudit), Body::Json(json!({ "query": {} }))),
        ("analytics_report", Access::Requires(Permission::ViewAnalytics), Body::Json(json!({ "query": {} }))),
        ("get_job", Access::Requires(Permission::ViewUsers), Body::Json(json!({ "job_id": "no-such-job" }))),
        (
            "list_job_items",
            Access::Requires(Permission::ViewUsers),
            Body::Json(
                json!({ "job_id": "no-such-job", "query": { "status": null, "offset": 0, "limit": 10 } }),
            ),
        ),
        ("cancel_job", Access::Requires(Permission::ViewUsers), Body::Form(&[("job_id", "no-such-job")])),
        ("list_roles", Access::Requires(Permission::ManageRoles), Body::Form(&[])),
        (
            "save_role",
            Access::Requires(Permission::ManageRoles),
            Body::Form(&[("mode", "neither"), ("role_id", "access-test"), ("display_name", "")]),
        ),
        (
            "delete_role",
            Access::Requires(Permission::ManageRoles),
            Body::Form(&[("role_id", "access-test"), ("confirmation", "no")]),
        ),
        (
            "set_user_roles",
            Access::Requires(Permission::ManageRoles),
            Body::Form(&[("user_id", ""), ("roles", "")]),
        ),
        (
            "change_community_roles",
            Access::Requires(Permission::ManageRoles),
            Body::Form(&[("community_id", ""), ("user_id", ""), ("roles", ""), ("change", "grant")]),
        ),
        (
            "preview_import",
            Access::Requires(Permission::EditUsers),
            Body::Form(&[("file_name", "x"), ("csv", "")]),
        ),
        (
            "start_import",
            Access::Requires(Permission::EditUsers),
            Body::Form(&[("file_name", "x"), ("csv", "")]),
        ),
        ("list_imports", Access::Requires(Permission::EditUsers), Body::Form(&[])),
        (
            "preview_upload",
            Access::Requires(Permission::EditUsers),
            Body::Json(json!({ "upload_id": "nobody-xyz" })),
        ),
        ("get_admin_token_info", Access::Requires(Permission::ManageAdminToken), Body::Form(&[])),
        // Moderation actions on things that do not exist: allowed roles get a report whose
        // look-up failed, and nothing changes.
        (
            "apply_action",
            Access::Requires(Permission::ModerateContent),
            Body::Json(json!({ "request": {
                "target": { "type": "content", "kind": "post", "id": "nobody-xyz" },
                "actions": [{ "type": "clear_flags" }],
                "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "apply_action",
            Access::Requires(Permission::BanUsers),
            Body::Json(json!({ "request": {
                "target": { "type": "user", "id": "nobody-xyz" },
                "actions": [{ "type": "revoke_sessions" }],
                "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "apply_action",
            Access::Requires(Permission::DeletePermanently),
            Body::Json(json!({ "request": {
                "target": { "type": "content", "kind": "comment", "id": "nobody-xyz" },
                "actions": [{ "type": "delete", "permanent": true }],
                "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "preview_bulk",
            Access::Requires(Permission::ModerateContent),
            Body::Json(json!({ "request": {
                "selection": { "type": "targets", "targets": [] },
                "actions": [{ "type": "clear_flags" }],
                "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "submit_bulk",
            Access::Requires(Permission::BanUsers),
            Body::Json(json!({ "request": {
                "selection": { "type": "targets", "targets": [] },
                "actions": [{ "type": "revoke_sessions" }],
                "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "preview_user_bulk",
            Access::Requires(Permission::ManageRoles),
            Body::Json(json!({ "request": {
                "user_ids": [], "action": "add_role", "role": "vip", "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "submit_user_bulk",
            Access::Requires(Permission::BanUsers),
            Body::Json(json!({ "request": {
                "user_ids": [], "action": "ban", "role": "", "reason": { "code": "spam", "text": "" },
            }})),
        ),
        (
            "claim_case",
            Access::Requires(Permission::ModerateContent),
            Body::Json(json!({ "case_key": "not-a-case", "takeover": false })),
        ),
        (
            "release_case",
            Access::Requires(Permission::ModerateContent),
            Body::Json(json!({ "case_key": "post:nobody-xyz" })),
        ),
        (
            "list_claims",
            Access::Requires(Permission::ViewQueue),
            Body::Json(json!({ "case_keys": ["post:x"] })),
        ),
        (
            "add_note",
            Access::Requires(Permission::ModerateContent),
            Body::Form(&[("subject", "post:nobody-xyz"), ("body", "  ")]),
        ),
        ("list_notes", Access::Requires(Permission::ViewQueue), Body::Json(json!({ "subject": "post:x" }))),
        (
            "escalate_case",
            Access::Requires(Permission::ModerateContent),
            Body::Json(json!({ "case_key": "not-a-case", "note": "x" })),
        ),
        (
            "list_escalations",
            Access::Requires(Permission::ViewQueue),
            Body::Json(json!({ "open_only": true })),
        ),
        (
            "decide_escalation",
            Access::Requires(Permission::DecideEscalations),
            Body::Json(json!({ "id": 0, "decision": "nothing to decide" })),
        ),
        (
            "file_appeal",
            Access::Requires(Permission::BanUsers),
            Body::Form(&[("user_id", ""), ("message", "role table test")]),
        ),
        ("list_appeals", Access::Requires(Permission::DecideAppeals), Body::Json(json!({ "status": "" }))),
        ("list_activity_reports", Access::Requires(Permission::ViewAnalytics), Body::Json(json!({}))),
        ("fetch_activity_report", Access::Requires(Permission::ViewAnalytics), Body::Form(&[])),
        ("list_metric_exports", Access::Requires(Permission::ViewAnalytics), Body::Json(json!({}))),
        ("export_metrics_now", Access::Requires(Permission::ViewAnalytics), Body::Form(&[])),
        ("rebuild_analytics", Access::Requires(Permission::ManageSettings), Body::Form(&[])),
        (
            "decide_appeal",
            Access::Requires(Permission::DecideAppeals),
            Body::Form(&[("id", "0"), ("decision", "reject"), ("note", "role table test")]),
        ),
        (
            "get_user_sanctions",
            Access::Requires(Permission::ViewUsers),
            Body::Json(json!({ "user_id": "nobody-xyz" })),
        ),
        ("list_reviewed", Access::Requires(Permission::ViewQueue), Body::Json(json!({ "query": {} }))),
        ("list_events", Access::Requires(Permission::ViewEvents), Body::Json(json!({ "query": {} }))),
        ("list_deliveries", Access::Requires(Permission::ViewEvents), Body::Json(json!({ "before": null }))),
        ("list_forward_targets", Access::Requires(Permission::ManageSettings), Body::Form(&[])),
        (
            "save_forward_target",
            Access::Requires(Permission::ManageSettings),
            Body::Form(&[("name", ""), ("url", ""), ("secret", "")]),
        ),
        ("delete_forward_target", Access::Requires(Permission::ManageSettings), Body::Form(&[("id", "0")])),
        (
            "forward_events",
            Access::Requires(Permission::ManageSettings),
            Body::Form(&[("target_id", "0"), ("event_ids", "")]),
        ),
        ("list_rules", Access::Requires(Permission::ManageSettings), Body::Form(&[])),
        (
            "create_rule",
            Access::Requires(Permission::ManageSettings),
            Body::Form(&[("name", ""), ("event_name", ""), ("action", "open_case")]),
        ),
        ("dry_run_rule", Access::Requires(Permission::ManageSettings), Body::Form(&[("id", "0")])),
        (
            "set_rule_enabled",
            Access::Requires(Permission::ManageSettings),
            Body::Form(&[("id", "0"), ("change", "neither")]),
        ),
        ("delete_rule", Access::Requires(Permission::ManageSettings), Body::Form(&[("id", "0")])),
        ("get_rule", Access::Requires(Permission::ManageSettings), Body::Form(&[("id", "0")])),
        ("list_rule_runs", Access::Requires(Permission::ManageSettings), Body::Form(&[("id", "0")])),
        (
            "update_rule",
            Access::Requires(Permission::ManageSettings),
            Body::Form(&[("id", "0"), ("name", ""), ("event_name", ""), ("action", "open_case")]),
        ),
        (
            "regenerate_admin_token",
            Access::Requires(Permission::ManageAdminToken),
            Body::Form(&[("confirmation", "no"), ("reason", "role table test")]),
        ),
    ]
}

async fn call(app: &TestApp, endpoint: &str, body: &Body) -> reqwest::Response {
    match body {
        Body::Json(value) => app.call(endpoint, value.clone()).await,
        Body::Form(pairs) => app.call_form(endpoint, pairs).await,
    }
}

#[test]
fn every_registered_server_function_is_in_the_expected_permission_table() {
    let registered: BTreeSet<String> =
        server_fn_paths().map(|(path, _)| path.trim_start_matches("/api/").to_owned()).collect();
    let listed: BTreeSet<String> = expected().into_iter().map(|(name, ..)| name.to_owned()).collect();
    assert!(registered.len() >= 7, "the registry is populated: {registered:?}");
    assert_eq!(
        registered, listed,
        "every server function needs an entry in access.rs (and every entry a server function)"
    );
}

#[tokio::test]
async fn every_server_function_allows_exactly_the_roles_of_its_permission() {
    let app = spawn_app().await;
    for role in Role::ALL {
        app.sign_in_with_role(role).await;
        for (endpoint, access, body) in expected() {
            let response = call(&app, endpoint, &body).await;
            let status = response.status().as_u16();
            let text = response.text().await.expect("body");
            let allowed = match access {
                Access::AnySignedIn => true,
                Access::Requires(permission) => role.allows(permission),
            };
            if allowed {
                assert!(!matches!(status, 401 | 403), "{role:?} must reach {endpoint}: {status} {text}");
                assert!(!text.contains(r#""code":"transport""#), "the test's arguments must decode: {text}");
            } else {
                assert_eq!(status, 403, "{role:?} must be refused {endpoint}: {text}");
                let error: Value = serde_json::from_str(&text).expect("an AppError");
                assert_eq!(error["code"], "forbidden", "{endpoint}");
            }
        }
    }
}

#[tokio::test]
async fn without_a_session_every_server_function_answers_401() {
    let app = spawn_app().await;
    for (endpoint, _, body) in expected() {
        let response = call(&app, endpoint, &body).await;
        assert_eq!(response.status(), 401, "{endpoint}");
        let error: Value = response.json().await.expect("an AppError");
        assert_eq!(error["code"], "unauthenticated", "{endpoint}");
    }
}

#[tokio::test]
async fn a_denied_attempt_is_written_to_the_audit_trail() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(app.call("list_audit", json!({ "query": {} })).await.status(), 403);

    app.sign_in_with_role(Role::Admin).await;
    let denied = crate::audit::eventually(&app, "action=list_audit").await;
    let entry = denied.iter().find(|e| e["outcome"] == "denied").expect("the denial is audited");
    assert_eq!(entry["actor_id"], "test-viewer");
    assert_eq!(entry["actor_role"], "viewer");
    assert!(entry["details"].as_str().unwrap_or_default().contains("view_audit"));
}

#[tokio::test]
async fn the_navigation_shows_only_the_sections_a_role_may_use() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let page = app.get("/users").await.text().await.expect("html");
    assert!(page.contains(r#"href="/users""#) && page.contains(r#"href="/queue""#));
    assert!(!page.contains(r#"href="/settings""#) && !page.contains(r#"href="/audit""#));

    let settings = app.get("/settings").await.text().await.expect("html");
    assert!(settings.contains("You do not have access"), "a forbidden page says so");

    app.sign_in_with_role(Role::Admin).await;
    let page = app.get("/users").await.text().await.expect("html");
    assert!(page.contains(r#"href="/settings""#) && page.contains(r#"href="/audit""#));
}

/// One attempt to change a network role.
enum RoleChange {
    /// A JSON server function.
    Json(&'static str, Value),
    /// A form server function.
    Form(&'static str, Vec<(&'static str, String)>),
    /// `POST /imports/upload` with this CSV.
    Upload(String),
}

impl RoleChange {
    /// Status and body (for the upload: the `Location` it sends the browser to).
    async fn send(&self, app: &TestApp) -> (u16, String) {
        let response = match self {
            RoleChange::Json(endpoint, body) => app.call(endpoint, body.clone()).await,
            RoleChange::Form(endpoint, pairs) => {
                let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call_form(endpoint, &pairs).await
            }
            RoleChange::Upload(csv) => {
                let boundary = "----role-table-boundary";
                let body = format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roles.csv\"\r\n\
                     Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
                );
                let response = app
                    .client
                    .post(format!("{}/imports/upload", app.address))
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                    .body(body)
                    .send()
                    .await
                    .expect("request");
                let status = response.status().as_u16();
                return (status, crate::helpers::location(&response));
            }
        };
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    fn name(&self) -> String {
        match self {
            RoleChange::Json(endpoint, body) => format!("{endpoint} {body}"),
            RoleChange::Form(endpoint, pairs) => format!("{endpoint} {pairs:?}"),
            RoleChange::Upload(_) => "POST /imports/upload".into(),
        }
    }
}

/// What the stand-in knows about roles: the user's roles, every role with its permissions,
/// and the community member's roles.
async fn roles_state(
    app: &TestApp,
    user: &str,
    community: &str,
    member: &str,
) -> (String, Vec<(String, String)>, String) {
    let db = crate::roles::standin_db(app).await;
    let user_roles: String = sqlx::query_scalar("SELECT roles FROM users WHERE user_id = ?")
        .bind(user)
        .fetch_one(&db)
        .await
        .expect("user");
    let roles: Vec<(String, String)> =
        sqlx::query_as("SELECT role_id, display_name || ' ' || permissions FROM roles ORDER BY role_id")
            .fetch_all(&db)
            .await
            .expect("roles");
    let member_roles: String =
        sqlx::query_scalar("SELECT roles FROM community_members WHERE community_id = ? AND user_id = ?")
            .bind(community)
            .bind(member)
            .fetch_one(&db)
            .await
            .expect("member");
    (user_roles, roles, member_roles)
}

/// Issue 13, "done when": a signed-in moderator or senior moderator cannot change any network
/// role by any path. Each path that can — the import (dry run, submission, stored upload,
/// `POST /imports/upload`), the bulk add/remove role, the profile form, the roles page — is
/// called as it would be to change one stand-in user's roles, a member's community roles or a
/// role itself. Each is refused, nothing changed on the stand-in and no job waits to run.
/// The same calls by an admin do change the roles, which shows they are real role changes.
#[tokio::test]
async fn finding_1_no_path_lets_a_moderator_change_a_network_role() {
    let app = spawn_app().await;
    let user = crate::helpers::expected_users()[0].user_id.clone();
    let db = crate::roles::standin_db(&app).await;
    let (community, member): (String, String) = sqlx::query_as(
        "SELECT community_id, user_id FROM community_members WHERE membership = 'member' ORDER BY community_id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a seeded member");
    app.sign_in_with_role(Role::Admin).await;
    for role_id in ["it-kept", "it-granted"] {
        let form =
            [("mode", "create"), ("role_id", role_id), ("display_name", ""), ("permissions[]", "BAN_USER")];
        assert_eq!(app.call_form("save_role", &form).await.status(), 200, "{role_id}");
    }
    assert_eq!(
        app.call_form("set_user_roles", &[("user_id", &user), ("roles", "it-kept")]).await.status(),
        200
    );
    let before = roles_state(&app, &user, &community, &member).await;
    assert!(before.0.contains("it-kept"), "{before:?}");

    let csv = format!("userId,roles\n{user},it-granted\n");
    let reason = json!({ "code": "other", "text": "role table test" });
    let console =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let changes = |stored_upload: &str| {
        vec![
            RoleChange::Form(
                "set_user_roles",
                vec![("user_id", user.clone()), ("roles", "it-kept it-granted".into())],
            ),
            RoleChange::Form(
                "user_update_profile",
                vec![
                    ("user_id", user.clone()),
                    ("display_name", "Role Table".into()),
                    ("description", String::new()),
                    ("avatar_custom_url", String::new()),
                    ("roles", "it-kept, it-granted".into()),
                    ("metadata", String::new()),
                ],
            ),
            RoleChange::Json(
                "submit_user_bulk",
                json!({ "request": { "user_ids": [user], "action": "add_role", "role": "it-granted", "reason": reason } }),
            ),
            RoleChange::Json(
                "submit_user_bulk",
                json!({ "request": { "user_ids": [user], "action": "remove_role", "role": "it-kept", "reason": reason } }),
            ),
            RoleChange::Form("preview_import", vec![("file_name", "roles.csv".into()), ("csv", csv.clone())]),
            RoleChange::Form("start_import", vec![("file_name", "roles.csv".into()), ("csv", csv.clone())]),
            RoleChange::Json("preview_upload", json!({ "upload_id": stored_upload })),
            RoleChange::Form(
                "start_import",
                vec![
                    ("file_name", String::new()),
                    ("csv", String::new()),
                    ("upload_id", stored_upload.to_owned()),
                ],
            ),
            RoleChange::Upload(csv.clone()),
            RoleChange::Form(
                "save_role",
                vec![("mode", "edit".into()), ("role_id", "it-kept".into()), ("display_name", "Kept".into())],
            ),
            RoleChange::Form(
                "save_role",
                vec![
                    ("mode", "create".into()),
                    ("role_id", "it-sneaky".into()),
                    ("display_name", String::new()),
                ],
            ),
            RoleChange::Form(
                "delete_role",
                vec![("role_id", "it-granted".into()), ("confirmation", "it-granted".into())],
            ),
            RoleChange::Form(
                "change_community_roles",
                vec![
                    ("community_id", community.clone()),
                    ("user_id", member.clone()),
                    ("roles", "it-granted".into()),
                    ("change", "grant".into()),
                ],
            ),
        ]
    };

    for role in [Role::Moderator, Role::SeniorModerator] {
        app.sign_in_with_role(role).await;
        // A file with a roles column stored for them before uploads were checked.
        let stored =
            backend::imports::uploads::store(&console, &format!("test-{}", role.as_str()), "old.csv", &csv)
                .await
                .expect("stored");
        for change in changes(&stored) {
            let (status, body) = change.send(&app).await;
            let refused = match &change {
                RoleChange::Upload(_) => {
                    status == 303 && body.contains("upload_error") && body.contains("manage_roles")
                }
                _ => status == 403 || (status == 422 && body.contains("role")),
            };
            assert!(refused, "{role:?} must be refused {}: {status} {body}", change.name());
        }
        let jobs: i64 =
            sqlx::query_scalar("SELECT count(*) FROM jobs").fetch_one(&console).await.expect("jobs");
        assert_eq!(jobs, 0, "{role:?}: no job waits to change roles later");
        assert_eq!(roles_state(&app, &user, &community, &member).await, before, "{role:?} changed nothing");
    }

    // The control: an admin's set_user_roles, profile form, import and community grant change them.
    app.sign_in_with_role(Role::Admin).await;
    let stored =
        backend::imports::uploads::store(&console, "test-admin", "roles.csv", &csv).await.expect("stored");
    let all = changes(&stored);
    for index in [0, 1, 12] {
        let (status, body) = all[index].send(&app).await;
        assert_eq!(status, 200, "{}: {body}", all[index].name());
    }
    let after = roles_state(&app, &user, &community, &member).await;
    assert!(after.0.contains("it-granted") && after.2.contains("it-granted"), "{after:?}");
    assert_eq!(
        app.call_form("set_user_roles", &[("user_id", &user), ("roles", "it-kept")]).await.status(),
        200
    );
    let (status, body) = all[5].send(&app).await;
    assert_eq!(status, 200, "the import: {body}");
    let job_id: String = serde_json::from_str(&body).expect("a job id");
    for _ in 0..100 {
        let job: Value = app.call("get_job", json!({ "job_id": job_id })).await.json().await.expect("job");
        if job["state"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        roles_state(&app, &user, &community, &member).await.0.contains("it-granted"),
        "the import set the role"
    );
}
