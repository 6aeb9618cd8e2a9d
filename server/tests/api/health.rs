//! Health checks and the security headers.

use crate::helpers::{spawn_app, spawn_app_against, spawn_standin};
use reqwest::header;
use serde_json::Value;

#[tokio::test]
async fn healthz_answers_without_a_session() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn readyz_checks_the_upstream_and_the_database() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn readyz_is_503_when_the_admin_token_is_refused() {
    let standin = spawn_standin("the-right-token").await;
    let app = spawn_app_against(&standin.base_url(), "the-wrong-token").await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let text = response.text().await.expect("body");
    assert!(!text.contains("the-wrong-token") && !text.contains("the-right-token"));
    standin.stop().await;
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_that_matches_their_scripts() {
    let app = spawn_app().await;
    let response = app.get("/login").await;
    assert_eq!(response.status(), 200, "the sign-in page answers");
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for header_name in ["x-content-type-options", "referrer-policy", "x-frame-options"] {
        assert!(response.headers().contains_key(header_name), "{header_name}");
    }
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce =
        csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
    let html = response.text().await.expect("html");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the header's nonce");
    let other = app.get("/login").await;
    let other_csp = other
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(!other_csp.contains(&nonce), "a fresh nonce per response");
}
