//! Sign-in with the bootstrap admin, the session gate, sign-out, cross-site defence, audit.

use crate::helpers::{PASSWORD, location, spawn_app, spawn_app_with};
use reqwest::header;
use secrecy::SecretString;
use serde_json::Value;
use server::config::UpstreamMode;
use types::users::UserListQuery;

#[tokio::test]
async fn pages_redirect_to_sign_in_and_remember_where_you_were() {
    let app = spawn_app().await;
    let response = app.get("/users?q=ann").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?next=%2Fusers%3Fq%3Dann");
    let login = app.get("/login").await;
    assert_eq!(login.status(), 200);
    let html = login.text().await.expect("html");
    assert!(html.contains("name=\"password\""), "the sign-in form is rendered");
}

#[tokio::test]
async fn server_functions_refuse_anonymous_callers_with_401() {
    let app = spawn_app().await;
    let response = app.list_users(&UserListQuery::default()).await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("error body");
    assert_eq!(body["code"], "unauthenticated");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited() {
    let app = spawn_app().await;
    let response = app.sign_in_as("admin", "not-the-password").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login?error=invalid"), "{}", location(&response));
    assert_eq!(app.get("/users").await.status(), 303, "still signed out");

    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let entries = backend::audit::recent(&db, 10).await.expect("audit");
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].action.as_str(), entries[0].outcome.as_str()), ("sign_in", "failed"));
    assert_eq!(entries[0].actor_id, "attempt:admin", "a tried name is never a bare actor");
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_each_time() {
    let app = spawn_app().await;
    let first = app.sign_in_as("admin", PASSWORD).await;
    let first_cookie = app.session_cookie(&first).expect("a session cookie");
    let second = app.sign_in_as("admin", PASSWORD).await;
    let second_cookie = app.session_cookie(&second).expect("a new session cookie");
    assert_ne!(first_cookie, second_cookie, "the session id is cycled at sign-in");
    let set_cookie =
        first.headers().get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    let signed_in = app.sign_in_as("admin", PASSWORD).await;
    let cookie = app.session_cookie(&signed_in).expect("cookie");
    assert_eq!(app.get("/users").await.status(), 200);

    let out = app.sign_out().await;
    assert_eq!(location(&out), "/login?signed_out=1");
    assert_eq!(app.get("/users").await.status(), 303);

    let replay =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let response = replay
        .get(format!("{}/users", app.address))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 303, "a replayed cookie is not a session");

    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let actions: Vec<String> =
        backend::audit::recent(&db, 10).await.expect("audit").into_iter().map(|e| e.action).collect();
    assert_eq!(actions, vec!["sign_out", "sign_in"]);
}

#[tokio::test]
async fn only_local_next_paths_are_followed_after_sign_in() {
    let app = spawn_app().await;
    let response = app
        .post_login(
            &[("username", "admin"), ("password", PASSWORD), ("next", "//evil.example/x")],
            "same-origin",
        )
        .await;
    assert_eq!(location(&response), "/users");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let forged = app.post_login(&[("username", "admin"), ("password", PASSWORD)], "cross-site").await;
    assert_eq!(forged.status(), 403);

    app.sign_in().await;
    let forged_call = app
        .client
        .post(format!("{}/api/list_users", app.address))
        .header(header::ORIGIN, "https://evil.example")
        .json(&serde_json::json!({ "query": UserListQuery::default() }))
        .send()
        .await
        .expect("request");
    assert_eq!(forged_call.status(), 403);
}

#[tokio::test]
async fn the_bootstrap_admin_is_refused_in_region_mode_unless_allowed() {
    let app = spawn_app_with(|s| {
        s.upstream.mode = UpstreamMode::Region;
        s.upstream.base_url = Some("http://127.0.0.1:9".into());
        s.upstream.admin_token = Some(SecretString::from("x"));
    })
    .await;
    let login = app.get("/login").await.text().await.expect("html");
    assert!(login.contains("CONSOLE_BOOTSTRAP_BREAK_GLASS"), "the page explains how to get in");
    let response = app.sign_in_as("admin", PASSWORD).await;
    assert!(location(&response).starts_with("/login?error=disabled"));
}
