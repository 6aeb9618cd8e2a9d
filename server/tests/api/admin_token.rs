//! The admin token: fingerprint and expiry on the Settings page, regeneration through
//! `POST /api/v1/admin-token` into the secret file, rotation of the file without a restart,
//! and refusal when the token comes from the environment.

use crate::helpers::{CountingUpstream, TestApp, spawn_app_against, spawn_app_in, spawn_standin};
use serde_json::Value;
use server::config::UpstreamMode;
use std::{path::PathBuf, time::Duration};
use types::users::UserListQuery;

const FIRST: &str = "first-admin-token-0123456789";

/// A console in region mode whose token lives in `<dir>/admin-token`, against `base_url`.
pub async fn spawn_with_token_file(base_url: &str, token: &str) -> (TestApp, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("admin-token");
    std::fs::write(&file, format!("{token}\n")).expect("token file");
    let (base_url, path) = (base_url.to_owned(), file.clone());
    let app = spawn_app_in(dir, move |s| {
        s.upstream.mode = UpstreamMode::Region;
        s.upstream.base_url = Some(base_url);
        s.upstream.admin_token_file = Some(path);
        s.bootstrap.allow_in_region_mode = true;
    })
    .await;
    (app, file)
}

async fn standin_accepts(base_url: &str, token: &str) -> bool {
    let response = reqwest::Client::new()
        .get(format!("{base_url}/api/v3/users"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    response.status() == 200
}

async fn regenerate(app: &TestApp, confirmation: &str) -> reqwest::Response {
    app.call_form(
        "regenerate_admin_token",
        &[("confirmation", confirmation), ("reason", "quarterly rotation")],
    )
    .await
}

#[tokio::test]
async fn the_settings_show_a_fingerprint_and_where_the_token_is_kept_never_the_token() {
    let standin = spawn_standin(FIRST).await;
    let (app, file) = spawn_with_token_file(&standin.base_url(), FIRST).await;
    app.sign_in().await;
    let info: Value = app.call_form("get_admin_token_info", &[]).await.json().await.expect("info");
    assert_eq!(info["fingerprint"], backend::admin_token::fingerprint(FIRST));
    assert!(info["source"].as_str().unwrap_or_default().contains(&file.display().to_string()));
    assert_eq!(info["expires_at"], Value::Null, "not a JWT and never regenerated: unknown");
    assert_eq!(info["regenerate_refused"], Value::Null);
    let html = app.get("/settings").await.text().await.expect("html");
    assert!(html.contains(&backend::admin_token::fingerprint(FIRST)));
    assert!(!html.contains(FIRST));
}

#[tokio::test]
async fn regenerating_stores_the_new_token_kills_the_old_one_and_is_audited() {
    let standin = spawn_standin(FIRST).await;
    let (app, file) = spawn_with_token_file(&standin.base_url(), FIRST).await;
    app.sign_in().await;

    let response = regenerate(&app, "regenerate").await;
    assert_eq!(response.status(), 200);
    let info: Value = response.json().await.expect("info");
    let stored = std::fs::read_to_string(&file).expect("token file").trim().to_owned();
    assert_ne!(stored, FIRST);
    assert_eq!(info["fingerprint"], backend::admin_token::fingerprint(&stored));
    assert!(info["expires_at"].as_str().is_some_and(|at| at > "2026"), "expiry from the answer: {info}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!standin_accepts(&standin.base_url(), FIRST).await, "the old token is dead");
    assert!(standin_accepts(&standin.base_url(), &stored).await);
    assert_eq!(app.list_users(&UserListQuery::default()).await.status(), 200, "the console uses the new one");

    let trail = crate::audit::entries(&app, "action=regenerate_admin_token").await;
    let entry = &trail[0];
    assert_eq!(
        (entry["outcome"].as_str(), entry["reason"].as_str()),
        (Some("success"), Some("quarterly rotation"))
    );
    assert_eq!(entry["upstream_status"], 200);
    assert!(entry["before"].as_str().unwrap_or_default().contains(&backend::admin_token::fingerprint(FIRST)));
    assert!(
        entry["after"].as_str().unwrap_or_default().contains(&backend::admin_token::fingerprint(&stored))
    );
}

#[tokio::test]
async fn a_wrong_confirmation_changes_nothing() {
    let standin = spawn_standin(FIRST).await;
    let (app, file) = spawn_with_token_file(&standin.base_url(), FIRST).await;
    app.sign_in().await;
    let response = regenerate(&app, "yes").await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("an AppError");
    assert_eq!(error["field"], "confirmation");
    assert!(standin_accepts(&standin.base_url(), FIRST).await);
    assert_eq!(std::fs::read_to_string(&file).expect("file").trim(), FIRST);
}

#[tokio::test]
async fn a_token_from_the_environment_is_never_regenerated_and_upstream_is_not_called() {
    let upstream = CountingUpstream::start().await;
    let app = spawn_app_against(&upstream.base_url, FIRST).await;
    app.sign_in().await;
    let info: Value = app.call_form("get_admin_token_info", &[]).await.json().await.expect("info");
    assert!(
        info["regenerate_refused"].as_str().unwrap_or_default().contains("CONSOLE_UPSTREAM_ADMIN_TOKEN_FILE")
    );
    let response = regenerate(&app, "regenerate").await;
    assert_eq!(response.status(), 422);
    let text = response.text().await.expect("text");
    assert!(text.contains("cannot store a new one"), "{text}");
    assert_eq!(upstream.hits(), 0);
    let trail = crate::audit::entries(&app, "action=regenerate_admin_token").await;
    assert_eq!(trail[0]["outcome"], "denied");
}

#[tokio::test]
async fn a_rotated_token_file_is_used_without_a_restart_and_audited() {
    let standin = spawn_standin(FIRST).await;
    let (app, file) = spawn_with_token_file(&standin.base_url(), FIRST).await;
    app.sign_in().await;
    // The operator rotates the token elsewhere (here: straight at the stand-in)…
    let issued: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/admin-token", standin.base_url()))
        .bearer_auth(FIRST)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let second = issued["adminToken"].as_str().expect("token").to_owned();
    assert_eq!(app.list_users(&UserListQuery::default()).await.status(), 502, "the old token is refused");
    // …and updates the secret file.
    backend::admin_token::write_atomically(&file, &second).expect("rotate the file");
    let mut status = 0;
    for _ in 0..50 {
        status = app.list_users(&UserListQuery::default()).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "the rotated token is picked up");
    let trail = crate::audit::eventually(&app, "action=admin_token_file_changed").await;
    assert_eq!(
        (trail[0]["actor_id"].as_str(), trail[0]["outcome"].as_str()),
        (Some("system"), Some("success"))
    );
}
