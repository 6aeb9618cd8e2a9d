//! Finding 3: every route that follows a `next` parameter — the sign-in form (after success
//! and after failure), the OIDC start and callback, the theme toggle — sends the browser
//! nowhere but the console's own pages, whatever the parameter holds.

use crate::{
    fake_idp::{FakeIdp, callback, state_and_nonce, token},
    helpers::{PASSWORD, TestApp, location, spawn_app_with, spawn_app_with_public_url},
    oidc::start_sign_in,
};
use secrecy::SecretString;

/// Values of `next` as the route receives them (form and query decoding already done).
const TRICKS: [&str; 16] = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%09/evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/.//evil.example",
    "https://evil.example/",
    "https:evil.example",
    "//evil.example",
    "/\u{FF0F}evil.example",
    "\u{FF0F}\u{FF0F}evil.example",
    "/\u{2215}evil.example",
    "/\u{FF3C}evil.example",
];

#[tokio::test]
async fn finding_3_open_redirect_the_sign_in_form_goes_back_only_to_console_pages() {
    let app = spawn_app_with(|s| s.access.sign_in_attempts_per_minute = 1_000).await;
    for next in TRICKS {
        let failed = app
            .post_login(
                &[("username", "admin"), ("password", "wrong-password"), ("next", next)],
                "same-origin",
            )
            .await;
        assert_eq!(location(&failed), "/login?error=invalid&next=%2Fusers", "{next:?}");
        let signed_in = app
            .post_login(&[("username", "admin"), ("password", PASSWORD), ("next", next)], "same-origin")
            .await;
        assert_eq!(location(&signed_in), "/users", "{next:?}");
    }
}

#[tokio::test]
async fn finding_3_open_redirect_the_theme_toggle_goes_back_only_to_console_pages() {
    let app = spawn_app_with(|_| {}).await;
    for next in TRICKS {
        let response = app
            .client
            .post(format!("{}/theme", app.address))
            .header("sec-fetch-site", "same-origin")
            .form(&[("theme", "dark"), ("next", next)])
            .send()
            .await
            .expect("request");
        assert_eq!(location(&response), "/users", "{next:?}");
    }
}

/// A console signing in with `issuer`, with room for many flows a minute.
async fn sso_app(issuer: &str) -> TestApp {
    let issuer = issuer.to_owned();
    spawn_app_with_public_url(move |s| {
        s.oidc.enabled = true;
        s.oidc.issuer_url = Some(issuer);
        s.oidc.client_id = Some("social-plus-console".into());
        s.oidc.client_secret = Some(SecretString::from("client-secret-for-tests"));
        s.access.groups.admin = vec!["console-admins".into()];
        s.access.sign_in_attempts_per_minute = 1_000;
    })
    .await
}

#[tokio::test]
async fn finding_3_open_redirect_single_sign_on_returns_only_to_console_pages() {
    let idp = FakeIdp::start().await;
    let app = sso_app(&idp.issuer).await;
    for next in TRICKS {
        let (state, nonce) = state_and_nonce(&start_sign_in(&app, next).await);
        idp.will_issue(token(&idp.genuine(&nonce)));
        assert_eq!(callback(&app, &state).await, "/users", "{next:?}");
        app.sign_out().await;
    }
}

#[tokio::test]
async fn local_next_paths_still_work_on_every_route() {
    let app = spawn_app_with(|_| {}).await;
    let signed_in = app
        .post_login(
            &[("username", "admin"), ("password", PASSWORD), ("next", "/queue?tab=open")],
            "same-origin",
        )
        .await;
    assert_eq!(location(&signed_in), "/queue?tab=open");
    let theme = app
        .client
        .post(format!("{}/theme", app.address))
        .header("sec-fetch-site", "same-origin")
        .form(&[("theme", "dark"), ("next", "/users?q=ann%20lee")])
        .send()
        .await
        .expect("request");
    assert_eq!(location(&theme), "/users?q=ann%20lee");
}
