//! The user forms' server functions against the embedded stand-in: each operation's effect
//! is read back from the stand-in's own database, and its audit entry (with the state
//! before and after) from the console's.

use crate::helpers::{TestApp, expected_users, spawn_app};
use reqwest::header;
use serde_json::Value;
use sqlx::{Row, SqlitePool};
use types::{
    Role,
    users::{UserFilter, UserListQuery},
};

/// The stand-in's database (it lives next to the console's in the test app's directory).
async fn standin_db(app: &TestApp) -> SqlitePool {
    let path = app.database.with_file_name("standin.sqlite");
    SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("the stand-in database opens")
}

/// A user row as the stand-in stores it.
async fn stored(app: &TestApp, user_id: &str) -> Option<sqlx::sqlite::SqliteRow> {
    sqlx::query(
        "SELECT internal_id, display_name, description, avatar_custom_url, roles, metadata, flag_count, \
         is_global_ban, is_deleted FROM users WHERE user_id = ?",
    )
    .bind(user_id)
    .fetch_optional(&standin_db(app).await)
    .await
    .expect("query")
}

/// The newest audit entry with `action` on `user_id`: (outcome, before, after, reason).
async fn last_audit(
    app: &TestApp,
    action: &str,
    user_id: &str,
) -> Option<(String, Option<Value>, Option<Value>, Option<String>)> {
    let db = SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("console db");
    let row = sqlx::query(
        "SELECT outcome, before_json, after_json, reason FROM audit_log WHERE action = ? AND target = ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(action)
    .bind(format!("user:{user_id}"))
    .fetch_optional(&db)
    .await
    .expect("audit query")?;
    let json =
        |column: &str| row.get::<Option<String>, _>(column).map(|t| serde_json::from_str(&t).expect("JSON"));
    Some((row.get("outcome"), json("before_json"), json("after_json"), row.get("reason")))
}

async fn post(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app.call_form(endpoint, form).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn a_live_user(pick: impl Fn(&standin::seed::SeedUser) -> bool) -> standin::seed::SeedUser {
    expected_users().into_iter().find(|u| !u.is_global_ban && pick(u)).expect("the seed has such a user")
}

#[tokio::test]
async fn creating_a_user_registers_them_with_profile_and_metadata_and_leaves_no_session() {
    let app = spawn_app().await;
    app.sign_in().await;
    let (status, body) = post(
        &app,
        "user_create",
        &[
            ("user_id", "new-member-01"),
            ("display_name", "New Member"),
            ("description", "Joined through the console"),
            ("metadata", r#"{"tier": "gold", "score": 3}"#),
        ],
    )
    .await;
    assert!(matches!(status, 200 | 302), "{status} {body}");

    let row = stored(&app, "new-member-01").await.expect("the stand-in has the user");
    assert_eq!(row.get::<String, _>("display_name"), "New Member");
    assert_eq!(row.get::<String, _>("description"), "Joined through the console");
    let metadata: Value = serde_json::from_str(&row.get::<String, _>("metadata")).expect("metadata");
    assert_eq!(metadata, serde_json::json!({"tier": "gold", "score": 3}));
    let internal_id: String = row.get("internal_id");
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sessions WHERE user_internal_id = ? AND revoked_at IS NULL")
            .bind(&internal_id)
            .fetch_one(&standin_db(&app).await)
            .await
            .expect("sessions");
    assert_eq!(live, 0, "the registration session is revoked");

    let (outcome, before, after, _) =
        last_audit(&app, "create_user", "new-member-01").await.expect("audited");
    assert_eq!(outcome, "success");
    assert_eq!(before, None);
    assert_eq!(after.expect("after")["displayName"], "New Member");
}

#[tokio::test]
async fn creating_an_existing_id_is_refused_without_renaming_anyone() {
    let app = spawn_app().await;
    app.sign_in().await;
    let existing = a_live_user(|_| true);
    let (status, body) = post(
        &app,
        "user_create",
        &[
            ("user_id", &existing.user_id),
            ("display_name", "Impostor"),
            ("description", ""),
            ("metadata", ""),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "user_id");
    assert!(body["message"].as_str().unwrap_or_default().contains("already exists"));
    let row = stored(&app, &existing.user_id).await.expect("still there");
    assert_eq!(row.get::<String, _>("display_name"), existing.display_name);
    assert_eq!(last_audit(&app, "create_user", &existing.user_id).await.expect("audited").0, "failed");
}

#[tokio::test]
async fn invalid_fields_are_refused_per_field_before_anything_is_sent() {
    let app = spawn_app().await;
    app.sign_in().await;
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("user_id", "has space"), ("display_name", "X"), ("description", ""), ("metadata", "")],
            "user_id",
        ),
        (
            &[("user_id", "ok-id-1"), ("display_name", "X"), ("description", ""), ("metadata", "{\"a\":")],
            "metadata",
        ),
        (
            &[("user_id", "ok-id-2"), ("display_name", "X"), ("description", ""), ("metadata", "[1]")],
            "metadata",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = post(&app, "user_create", form).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["field"], field, "{body}");
    }
    let big = format!(r#"{{"blob":"{}"}}"#, "x".repeat(5_000));
    let user = a_live_user(|_| true);
    let (status, body) = post(
        &app,
        "user_update_profile",
        &[
            ("user_id", &user.user_id),
            ("display_name", "Changed"),
            ("description", ""),
            ("avatar_custom_url", ""),
            ("roles", &user.roles.join(",")),
            ("metadata", &big),
        ],
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("metadata")), "{body}");
    assert!(body["message"].as_str().unwrap_or_default().contains("at most 5000"));
    assert!(stored(&app, "ok-id-1").await.is_none());
    let row = stored(&app, &user.user_id).await.expect("user");
    assert_eq!(row.get::<String, _>("display_name"), user.display_name, "nothing half-applied");
}

#[tokio::test]
async fn the_profile_form_changes_every_field_at_once_and_audits_before_and_after() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|_| true);
    let (status, body) = post(
        &app,
        "user_update_profile",
        &[
            ("user_id", &user.user_id),
            ("display_name", "Renamed Person"),
            ("description", "New bio"),
            ("avatar_custom_url", "https://img.example/a.png"),
            ("roles", "vip, moderator"),
            ("metadata", r#"{"plan":"pro"}"#),
            ("reason", "support ticket 42"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let row = stored(&app, &user.user_id).await.expect("user");
    assert_eq!(row.get::<String, _>("display_name"), "Renamed Person");
    assert_eq!(row.get::<String, _>("description"), "New bio");
    assert_eq!(
        row.get::<Option<String>, _>("avatar_custom_url").as_deref(),
        Some("https://img.example/a.png")
    );
    assert_eq!(
        serde_json::from_str::<Vec<String>>(&row.get::<String, _>("roles")).expect("roles"),
        ["vip", "moderator"]
    );
    assert_eq!(row.get::<String, _>("metadata"), r#"{"plan":"pro"}"#);

    let (outcome, before, after, reason) =
        last_audit(&app, "update_user", &user.user_id).await.expect("audited");
    assert_eq!(outcome, "success");
    assert_eq!(before.expect("before")["displayName"], user.display_name.as_str());
    assert_eq!(after.expect("after")["displayName"], "Renamed Person");
    assert_eq!(reason.as_deref(), Some("support ticket 42"));
}

#[tokio::test]
async fn a_moderator_may_edit_a_profile_but_not_change_roles() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let user = a_live_user(|_| true);
    let roles = user.roles.join(",");
    let form = |name: &'static str, roles: &str| {
        [
            ("user_id", user.user_id.clone()),
            ("display_name", name.to_owned()),
            ("description", String::new()),
            ("avatar_custom_url", String::new()),
            ("roles", roles.to_owned()),
            ("metadata", String::new()),
        ]
    };
    let pairs = form("Mod Renamed", &format!("{roles},admin"));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "user_update_profile", &refs).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("roles")), "{body}");
    let row = stored(&app, &user.user_id).await.expect("user");
    assert_eq!(row.get::<String, _>("display_name"), user.display_name, "nothing applied");

    let pairs = form("Mod Renamed", &roles);
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "user_update_profile", &refs).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stored(&app, &user.user_id).await.expect("user").get::<String, _>("display_name"),
        "Mod Renamed"
    );
}

#[tokio::test]
async fn clearing_flags_sets_the_count_to_zero() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|u| u.flag_count > 0);
    let (status, body) = post(&app, "user_clear_flags", &[("user_id", &user.user_id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stored(&app, &user.user_id).await.expect("user").get::<i64, _>("flag_count"), 0);
    let (_, before, after, _) = last_audit(&app, "clear_user_flags", &user.user_id).await.expect("audited");
    assert_eq!(before.expect("before")["flagCount"], user.flag_count);
    assert_eq!(after.expect("after")["flagCount"], 0);
}

#[tokio::test]
async fn delete_needs_the_typed_user_id_and_a_second_delete_says_the_user_is_gone() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|_| true);
    let (status, body) =
        post(&app, "user_delete", &[("user_id", &user.user_id), ("confirmation", "yes")]).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("confirmation")), "{body}");
    assert!(!stored(&app, &user.user_id).await.expect("user").get::<bool, _>("is_deleted"));

    let form = [
        ("user_id", user.user_id.as_str()),
        ("confirmation", user.user_id.as_str()),
        ("hard_delete_post", "true"),
    ];
    let (status, body) = post(&app, "user_delete", &form).await;
    assert_eq!(status, 200, "{body}");
    let row = stored(&app, &user.user_id).await.expect("tombstone");
    assert!(row.get::<bool, _>("is_deleted"));
    let (_, before, after, _) = last_audit(&app, "delete_user", &user.user_id).await.expect("audited");
    assert_eq!(before.expect("before")["isDeleted"], false);
    assert_eq!(after.expect("after")["isDeleted"], true);

    let (status, body) = post(&app, "user_delete", &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["message"], "This user no longer exists (deleted).");
    let (status, body) = post(&app, "user_clear_flags", &[("user_id", "nobody-at-all")]).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")), "{body}");
}

#[tokio::test]
async fn a_failed_plain_form_post_redirects_back_with_the_error_for_the_page() {
    let app = spawn_app().await;
    app.sign_in().await;
    let referer = format!("{}/users/someone", app.address);
    let response = app
        .client
        .post(format!("{}/api/user_delete", app.address))
        .header("sec-fetch-site", "same-origin")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, &referer)
        .form(&[("user_id", "someone"), ("confirmation", "wrong")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 302);
    let location = crate::helpers::location(&response);
    assert!(location.starts_with(&referer) && location.contains("__err="), "{location}");
}

#[tokio::test]
async fn a_viewer_is_refused_every_form_and_nothing_changes() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let user = a_live_user(|u| u.flag_count > 0);
    let (status, _) = post(&app, "user_clear_flags", &[("user_id", &user.user_id)]).await;
    assert_eq!(status, 403);
    let (status, _) =
        post(&app, "user_delete", &[("user_id", &user.user_id), ("confirmation", &user.user_id)]).await;
    assert_eq!(status, 403);
    let row = stored(&app, &user.user_id).await.expect("user");
    assert_eq!(row.get::<i64, _>("flag_count"), i64::from(user.flag_count));
    assert!(!row.get::<bool, _>("is_deleted"));
}

#[tokio::test]
async fn the_banned_deleted_and_role_filters_list_exactly_those_users() {
    let app = spawn_app().await;
    app.sign_in().await;
    let all = |filter: UserFilter, role: &str| {
        let app = &app;
        let role = role.to_owned();
        async move {
            let mut query = UserListQuery { filter, role, ..Default::default() };
            let mut seen = Vec::new();
            loop {
                let response = app.list_users(&query).await;
                assert_eq!(response.status(), 200);
                let page: types::Page<types::users::UserRow> = response.json().await.expect("page");
                seen.extend(page.items.into_iter().map(|u| u.user_id));
                match page.next {
                    Some(next) => query = query.at(Some(next)),
                    None => break seen,
                }
            }
        }
    };
    let banned: Vec<String> =
        expected_users().into_iter().filter(|u| u.is_global_ban).map(|u| u.user_id).collect();
    assert!(!banned.is_empty());
    assert_eq!(all(UserFilter::Banned, "").await, banned);

    let mut deleted: Vec<_> = (0..crate::helpers::USERS)
        .map(|i| standin::seed::user(crate::helpers::SEED, i))
        .filter(|u| u.is_deleted)
        .map(|u| u.user_id)
        .collect();
    deleted.sort();
    let mut listed = all(UserFilter::Deleted, "").await;
    listed.sort();
    assert_eq!(listed, deleted);

    let role =
        expected_users().into_iter().find_map(|u| u.roles.first().cloned()).expect("a role in the seed");
    let holders: Vec<String> =
        expected_users().into_iter().filter(|u| u.roles.contains(&role)).map(|u| u.user_id).collect();
    assert_eq!(all(UserFilter::All, &role).await, holders);
}

async fn sanction(app: &TestApp, user_id: &str, action: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![("user_id", user_id), ("action", action), ("reason_code", "spam")];
    form.extend_from_slice(extra);
    post(app, "user_sanction", &form).await
}

fn banned(row: &sqlx::sqlite::SqliteRow) -> bool {
    row.get::<bool, _>("is_global_ban")
}

#[tokio::test]
async fn ban_and_unban_through_the_user_form_change_the_ban_on_the_stand_in() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|_| true);
    let (status, body) = sanction(&app, &user.user_id, "ban", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(banned(&stored(&app, &user.user_id).await.expect("user")));
    let (status, body) = sanction(&app, &user.user_id, "unban", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(!banned(&stored(&app, &user.user_id).await.expect("user")));

    let (status, body) =
        post(&app, "user_sanction", &[("user_id", &user.user_id), ("action", "ban"), ("reason_code", "")])
            .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("reason")), "a reason is required: {body}");
    assert!(!banned(&stored(&app, &user.user_id).await.expect("user")));
}

#[tokio::test]
async fn a_timed_ban_is_lifted_when_it_ends() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|_| true);
    let (status, body) =
        sanction(&app, &user.user_id, "timed_ban", &[("amount", "5"), ("unit", "seconds")]).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("amount")),
        "under 10 seconds is refused: {body}"
    );
    let (status, body) =
        sanction(&app, &user.user_id, "timed_ban", &[("amount", "10"), ("unit", "seconds")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(banned(&stored(&app, &user.user_id).await.expect("user")));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while banned(&stored(&app, &user.user_id).await.expect("user")) {
        assert!(std::time::Instant::now() < deadline, "the scheduler lifts the ban");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn revoking_sessions_ends_every_session_of_the_user() {
    let app = spawn_app().await;
    app.sign_in().await;
    let user = a_live_user(|_| true);
    let db = standin_db(&app).await;
    for token in ["t-1", "t-2"] {
        sqlx::query(
            "INSERT INTO sessions (token_id, secret, refresh_token, user_internal_id, device_id, issued_at, expires_at) \
             VALUES (?, 's', 'r', ?, 'phone', '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z')",
        )
        .bind(token)
        .bind(&user.internal_id)
        .execute(&db)
        .await
        .expect("a session");
    }
    let (status, body) = sanction(&app, &user.user_id, "revoke_sessions", &[]).await;
    assert_eq!(status, 200, "{body}");
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sessions WHERE user_internal_id = ? AND revoked_at IS NULL")
            .bind(&user.internal_id)
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(live, 0);
}
