//! Sign-in hardening: attempt limits, the IP allowlist, the body size limit, and the
//! break-glass bootstrap admin.

use crate::helpers::{PASSWORD, location, spawn_app_against, spawn_app_with, spawn_standin};

#[tokio::test]
async fn sign_in_attempts_are_limited() {
    let app = spawn_app_with(|s| s.access.sign_in_attempts_per_minute = 3).await;
    for _ in 0..3 {
        let response = app.sign_in_as("admin", "wrong-password-x").await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).contains("error=invalid"));
    }
    let response = app.sign_in_as("admin", PASSWORD).await;
    assert_eq!(response.status(), 429, "even the right password waits once over the limit");
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(app.get("/users").await.status(), 303);
}

#[tokio::test]
async fn addresses_outside_the_allowlist_are_refused_but_health_checks_answer() {
    let app = spawn_app_with(|s| s.access.allowed_ips = vec!["10.0.0.0/8".into()]).await;
    assert_eq!(app.get("/login").await.status(), 403);
    assert_eq!(app.sign_in_as("admin", PASSWORD).await.status(), 403);
    assert_eq!(app.get("/healthz").await.status(), 200);

    let allowed = spawn_app_with(|s| s.access.allowed_ips = vec!["127.0.0.1".into()]).await;
    assert_eq!(allowed.get("/login").await.status(), 200);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app_with(|s| s.access.max_body_bytes = 4096).await;
    let big = "x".repeat(10_000);
    let response = app.post_login(&[("username", "admin"), ("password", &big)], "same-origin").await;
    assert_eq!(response.status(), 413);
    app.sign_in().await;
}

#[tokio::test]
async fn a_break_glass_sign_in_is_audited_as_such() {
    let standin = spawn_standin("break-glass-token").await;
    let app = spawn_app_against(&standin.base_url(), "break-glass-token").await;
    app.sign_in().await;
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT action, details FROM audit_log ORDER BY id")
        .fetch_all(&db)
        .await
        .expect("audit");
    assert_eq!(rows.first().map(|r| r.0.as_str()), Some("break_glass_enabled"), "{rows:?}");
    let sign_in = rows.iter().find(|r| r.0 == "sign_in").expect("a sign-in entry");
    assert!(sign_in.1.contains("\"break_glass\":true"), "{sign_in:?}");
}
