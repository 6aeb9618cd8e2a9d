//! Cross-site request forgery: a form another site posts to **each** server function and each
//! state-changing route is refused with 403 before anything runs — proven by an upstream
//! double that counts every request it receives, and by the token and the audit trail being
//! untouched.

use crate::helpers::{CountingUpstream, TestApp, spawn_app_against};
use leptos::server_fn::axum::server_fn_paths;
use reqwest::header;

const TOKEN: &str = "csrf-test-admin-token";

/// The console's own state-changing routes besides server functions.
const MUTATING_ROUTES: [&str; 3] = ["/auth/login", "/auth/logout", "/theme"];

async fn signed_in_app(upstream: &CountingUpstream) -> TestApp {
    let app = spawn_app_against(&upstream.base_url, TOKEN).await;
    app.sign_in().await;
    app
}

fn every_server_function() -> Vec<String> {
    let paths: Vec<String> = server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    assert!(paths.len() >= 7, "the registry is populated: {paths:?}");
    paths
}

#[tokio::test]
async fn a_cross_site_form_post_to_any_server_function_is_refused_without_calling_upstream() {
    let upstream = CountingUpstream::start().await;
    let app = signed_in_app(&upstream).await;
    for path in every_server_function() {
        // Arguments that would get through to Social+ if the request were let in.
        let form = [("confirmation", "regenerate"), ("reason", "csrf"), ("user_id", "u1"), ("query", "")];
        let response = app.post_cross_site(&path, &form).await;
        assert_eq!(response.status(), 403, "{path}");
        assert_eq!(response.text().await.expect("text"), "Cross-site requests are not allowed.");
    }
    assert_eq!(upstream.hits(), 0, "no request reached upstream");
}

#[tokio::test]
async fn an_old_browser_without_fetch_metadata_is_judged_by_its_origin() {
    let upstream = CountingUpstream::start().await;
    let app = signed_in_app(&upstream).await;
    for path in every_server_function().iter().map(String::as_str).chain(MUTATING_ROUTES) {
        let response = app
            .client
            .post(format!("{}{path}", app.address))
            .header(header::ORIGIN, "https://evil.example")
            .form(&[("confirmation", "regenerate")])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 403, "{path}");
    }
    assert_eq!(upstream.hits(), 0);
}

#[tokio::test]
async fn cross_site_posts_to_the_console_routes_change_nothing() {
    let upstream = CountingUpstream::start().await;
    let app = signed_in_app(&upstream).await;
    for path in MUTATING_ROUTES {
        let form = [("username", "admin"), ("password", crate::helpers::PASSWORD), ("theme", "dark")];
        assert_eq!(app.post_cross_site(path, &form).await.status(), 403, "{path}");
    }
    assert_eq!(app.get("/audit").await.status(), 200, "the cross-site sign-out did not end the session");
    // A console against a remote network with the bootstrap admin runs in break-glass mode,
    // which is audited once at start-up; beyond that only the real sign-in is recorded.
    let trail: Vec<_> = crate::audit::entries(&app, "")
        .await
        .into_iter()
        .filter(|entry| entry["action"] != "break_glass_enabled")
        .collect();
    assert_eq!(trail.len(), 1, "only the real sign-in is recorded: {trail:?}");
    assert_eq!(upstream.hits(), 0);
}
