//! Findings 11, 12 and 13: request ids are the console's own, `/readyz` says no more than
//! ready or not, and an https console tells browsers to stay on https.

use crate::helpers::{captured_logs, spawn_app, spawn_app_against, spawn_app_with, spawn_standin};
use reqwest::header;

#[tokio::test]
async fn finding_11_a_client_request_id_is_not_taken_but_logged_beside_ours() {
    let app = spawn_app().await;
    let spoofed = format!("spoofed-{}", std::process::id());
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", &spoofed)
        .send()
        .await
        .expect("request");
    let id =
        response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_ne!(id, spoofed, "the client's id is not echoed as ours");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "a generated id: {id}");
    let logs = captured_logs();
    assert!(
        logs.contains(&format!("client_request_id=\"{spoofed}\"")),
        "the client's id is logged as its own field (quoted: it is the client's text)"
    );
    assert!(logs.contains(&format!("request_id={id}")), "under our id");
}

#[tokio::test]
async fn finding_11_a_long_or_odd_client_request_id_is_cut_and_cleaned_in_the_log() {
    let app = spawn_app().await;
    let marker = format!("marker{}", std::process::id());
    let sent = format!("{marker}\t\u{e9}x{}", "y".repeat(500));
    app.client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", header::HeaderValue::from_bytes(sent.as_bytes()).expect("header"))
        .send()
        .await
        .expect("request");
    let logs = captured_logs();
    let logged = logs
        .split("client_request_id=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|value| value.starts_with(&marker))
        .expect("the client id is logged");
    assert_eq!(
        logged,
        format!("{marker}x{}", "y".repeat(64 - marker.len() - 1)),
        "printable ASCII, 64 at most"
    );
}

#[tokio::test]
async fn finding_12_readyz_answers_the_status_without_the_reason() {
    let standin = spawn_standin("the-right-token").await;
    let app = spawn_app_against(&standin.base_url(), "the-wrong-token").await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let body = response.text().await.expect("body");
    assert_eq!(body, r#"{"status":"not_ready"}"#);
    assert!(captured_logs().contains("refused the admin token"), "the reason is in the log");
    standin.stop().await;

    let ready = spawn_app().await.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("body"), r#"{"status":"ready"}"#);
}

#[tokio::test]
async fn finding_13_hsts_is_sent_when_the_public_url_is_https_only() {
    let https = spawn_app_with(|s| s.server.public_url = Some("https://console.example.com".into())).await;
    for path in ["/healthz", "/login"] {
        let response = https.get(path).await;
        let hsts = response.headers().get(header::STRICT_TRANSPORT_SECURITY).and_then(|v| v.to_str().ok());
        assert_eq!(hsts, Some("max-age=31536000"), "{path}");
    }
    let http = spawn_app().await;
    assert!(!http.get("/healthz").await.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn finding_13_a_break_glass_password_is_written_to_a_private_file_and_never_logged() {
    use std::os::unix::fs::PermissionsExt;
    let standin = spawn_standin("break-glass-file-token").await;
    let app = spawn_app_with({
        let base_url = standin.base_url();
        move |s| {
            s.upstream.mode = server::config::UpstreamMode::Region;
            s.upstream.base_url = Some(base_url);
            s.upstream.admin_token = Some(secrecy::SecretString::from("break-glass-file-token"));
            s.bootstrap.allow_in_region_mode = true;
            s.bootstrap.password = None;
        }
    })
    .await;
    let file = app.database.parent().expect("data dir").join("bootstrap-password");
    let mode = std::fs::metadata(&file).expect("the password file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "only the console's user reads it");
    let password = std::fs::read_to_string(&file).expect("readable").trim().to_owned();
    let response = app.sign_in_as("admin", &password).await;
    assert_eq!(crate::helpers::location(&response), "/users", "the file's password signs in");
    assert!(!captured_logs().contains(&password), "never in the log");
    standin.stop().await;
}
