//! OIDC sign-in against a real OpenID provider (PyPI `oidc-provider-mock`): the code flow
//! with PKCE, state and nonce, group → role mapping, session fixation, replay and state
//! mismatch, open redirects, and RP-initiated logout.

use crate::{
    helpers::{TestApp, location, spawn_app_with_public_url},
    oidc_provider::{self, MockProvider},
};
use secrecy::SecretString;
use serde_json::{Value, json};

/// A console that signs in with `issuer`.
pub async fn sso_app(issuer: &str) -> TestApp {
    let issuer = issuer.to_owned();
    spawn_app_with_public_url(move |s| {
        s.oidc.enabled = true;
        s.oidc.issuer_url = Some(issuer);
        s.oidc.client_id = Some("social-plus-console".into());
        s.oidc.client_secret = Some(SecretString::from("client-secret-for-tests"));
        s.oidc.display_name = "Test IdP".into();
        s.access.groups.admin = vec!["console-admins".into()];
        s.access.groups.moderator = vec!["mods".into()];
    })
    .await
}

/// A client of the provider's own pages (no cookies of the console, no redirects followed).
fn browser_at_provider() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Starts sign-in at the console and returns the provider's authorization URL.
pub async fn start_sign_in(app: &TestApp, next: &str) -> String {
    let response = app.get(&format!("/auth/oidc/login?next={}", types::url::encode_component(next))).await;
    assert_eq!(response.status(), 303, "the console redirects to the provider");
    location(&response)
}

/// Authorizes `sub` at the provider and returns the console callback URL it redirects to.
async fn authorize(authorization_url: &str, sub: &str) -> String {
    let response = browser_at_provider()
        .post(authorization_url)
        .form(&[("sub", sub)])
        .send()
        .await
        .expect("the provider answers");
    assert_eq!(response.status(), 302, "the provider redirects back");
    location(&response)
}

/// The whole flow; returns the callback's response.
async fn sign_in(app: &TestApp, sub: &str, next: &str) -> reqwest::Response {
    let callback = authorize(&start_sign_in(app, next).await, sub).await;
    assert!(callback.starts_with(&format!("{}/auth/oidc/callback?", app.address)), "{callback}");
    app.client.get(&callback).send().await.expect("callback")
}

async fn current_user(app: &TestApp) -> Value {
    let response = app.call("get_current_user", json!({})).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

async fn provider_and_app() -> (MockProvider, TestApp) {
    let provider = oidc_provider::start().await;
    let app = sso_app(&provider.issuer).await;
    (provider, app)
}

#[tokio::test]
async fn the_code_flow_signs_in_with_the_role_of_the_group_and_a_new_session_id() {
    let (_provider, app) = provider_and_app().await;
    let start = app.get("/auth/oidc/login?next=%2Fusers%3Fq%3Dann").await;
    let cookie_before = app.session_cookie(&start).expect("the pending flow lives in a session");
    let authorization_url = location(&start);
    let url = url::Url::parse(&authorization_url).expect("url");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query.get("code_challenge_method").map(String::as_str), Some("S256"), "PKCE");
    assert!(query.contains_key("state") && query.contains_key("nonce"), "{query:?}");
    assert!(query["scope"].contains("openid") && query["scope"].contains("groups"), "{query:?}");

    let callback = authorize(&authorization_url, "alice").await;
    let response = app.client.get(&callback).send().await.expect("callback");
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/users?q=ann", "back where sign-in started");
    let cookie_after = app.session_cookie(&response).expect("a session cookie at sign-in");
    assert_ne!(cookie_after, cookie_before, "the session id changes at sign-in");

    assert_eq!(app.get("/users").await.status(), 200);
    let user = current_user(&app).await;
    assert_eq!(user["id"], "oidc:alice");
    assert_eq!(user["role"], "admin", "console-admins maps to admin");
    assert_eq!(user["method"], "oidc");
    assert_eq!(user["display_name"], "Alice Admin");
}

#[tokio::test]
async fn groups_map_to_roles_and_no_matching_group_is_denied_and_audited() {
    let (_provider, app) = provider_and_app().await;
    let response = sign_in(&app, "mo", "/users").await;
    assert_eq!(location(&response), "/users");
    assert_eq!(current_user(&app).await["role"], "moderator");

    let other = sso_app(&_provider.issuer).await;
    let response = sign_in(&other, "nobody", "/users").await;
    assert_eq!(location(&response), "/login?error=no_role");
    assert_eq!(other.get("/users").await.status(), 303, "not signed in");
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", other.database.display())).await.expect("db");
    let entries = backend::audit::recent(&db, 10).await.expect("audit");
    assert!(
        entries.iter().any(|e| e.action == "sign_in"
            && e.outcome.as_str() == "denied"
            && e.actor_id == "attempt:nobody"),
        "{entries:?}"
    );
}

#[tokio::test]
async fn a_callback_cannot_be_replayed_and_a_used_code_is_refused() {
    let (_provider, app) = provider_and_app().await;
    let first_callback = authorize(&start_sign_in(&app, "/users").await, "alice").await;
    let response = app.client.get(&first_callback).send().await.expect("callback");
    assert_eq!(location(&response), "/users");
    app.sign_out().await;

    // The same callback again: the pending flow is gone.
    let replay = app.client.get(&first_callback).send().await.expect("replay");
    assert_eq!(location(&replay), "/login?error=oidc_state");

    // The used code with a fresh flow's state: the provider refuses it (and PKCE would too).
    let fresh = url::Url::parse(&start_sign_in(&app, "/users").await).expect("url");
    let state = fresh.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
    let old = url::Url::parse(&first_callback).expect("url");
    let code = old.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).expect("code");
    let replay = app
        .client
        .get(format!("{}/auth/oidc/callback", app.address))
        .query(&[("code", code.as_str()), ("state", state.as_str())])
        .send()
        .await
        .expect("replay");
    assert_eq!(location(&replay), "/login?error=oidc");
    assert_eq!(app.get("/users").await.status(), 303, "still signed out");
}

#[tokio::test]
async fn a_state_mismatch_is_refused_and_burns_the_pending_flow() {
    let (_provider, app) = provider_and_app().await;
    let callback = authorize(&start_sign_in(&app, "/users").await, "alice").await;
    let mut forged = url::Url::parse(&callback).expect("url");
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .map(|(k, v)| {
            let value = if k == "state" { "attacker-state".to_owned() } else { v.into_owned() };
            (k.into_owned(), value)
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let response = app.client.get(forged.as_str()).send().await.expect("callback");
    assert_eq!(location(&response), "/login?error=oidc_state");
    let genuine = app.client.get(&callback).send().await.expect("callback");
    assert_eq!(location(&genuine), "/login?error=oidc_state", "one try per flow");
    assert_eq!(app.get("/users").await.status(), 303);
}

#[tokio::test]
async fn next_may_only_be_a_local_path() {
    let (_provider, app) = provider_and_app().await;
    for evil in ["//evil.example", "https://evil.example/", "/\\evil.example"] {
        let response = sign_in(&app, "alice", evil).await;
        assert_eq!(location(&response), "/users", "{evil}");
    }
}

#[tokio::test]
async fn a_callback_without_a_started_flow_is_refused() {
    let (_provider, app) = provider_and_app().await;
    let response = app.get("/auth/oidc/callback?code=abc&state=def").await;
    assert_eq!(location(&response), "/login?error=oidc_state");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_the_provider_session() {
    let (provider, app) = provider_and_app().await;
    sign_in(&app, "alice", "/users").await;
    let response = app.sign_out().await;
    assert_eq!(response.status(), 200, "a page that moves on to the provider");
    let page = response.text().await.expect("html");
    let href = page
        .split("id=\"idp-logout\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the provider")
        .replace("&amp;", "&");
    assert!(page.contains(&format!("content=\"0;url={}", href.replace('&', "&amp;"))), "{page}");
    let target = url::Url::parse(&href).expect("absolute URL of the provider");
    assert!(target.as_str().starts_with(&format!("{}/oauth2/end_session", provider.issuer)), "{target}");
    let query: std::collections::HashMap<_, _> = target.query_pairs().into_owned().collect();
    assert!(query.contains_key("id_token_hint"), "{query:?}");
    assert_eq!(
        query.get("post_logout_redirect_uri").map(String::as_str),
        Some(format!("{}/login?signed_out=1", app.address).as_str())
    );
    assert_eq!(app.get("/users").await.status(), 303, "signed out at the console");
}

#[tokio::test]
async fn the_sign_in_page_offers_the_provider() {
    let (_provider, app) = provider_and_app().await;
    let html = app.get("/login?next=%2Fusers").await.text().await.expect("html");
    assert!(html.contains("Sign in with Test IdP"), "{html}");
    assert!(html.contains("href=\"/auth/oidc/login?next=%2Fusers\""), "{html}");
}

mod crafted_tokens {
    //! ID tokens a real provider would not issue, from the in-test fake provider.

    use super::sso_app;
    use crate::fake_idp::{Claims, FakeIdp, callback, state_and_nonce, token};

    /// Starts a flow, lets the provider issue `craft(idp, nonce)`, and returns where the
    /// callback leads.
    async fn outcome(craft: impl FnOnce(&FakeIdp, &str) -> Claims) -> (String, u16) {
        let idp = FakeIdp::start().await;
        let app = sso_app(&idp.issuer).await;
        let (state, nonce) = state_and_nonce(&super::start_sign_in(&app, "/users").await);
        idp.will_issue(token(&craft(&idp, &nonce)));
        let target = callback(&app, &state).await;
        let users = app.get("/users").await.status().as_u16();
        (target, users)
    }

    #[tokio::test]
    async fn a_genuine_token_is_accepted() {
        let (target, users) = outcome(|idp, nonce| idp.genuine(nonce)).await;
        assert_eq!((target.as_str(), users), ("/users", 200));
    }

    #[tokio::test]
    async fn a_forged_signature_is_refused() {
        let (target, users) = outcome(|idp, nonce| Claims { forged: true, ..idp.genuine(nonce) }).await;
        assert_eq!((target.as_str(), users), ("/login?error=oidc", 303));
    }

    #[tokio::test]
    async fn an_expired_token_is_refused() {
        let (target, users) = outcome(|idp, nonce| Claims { expires_in: -600, ..idp.genuine(nonce) }).await;
        assert_eq!((target.as_str(), users), ("/login?error=oidc", 303));
    }

    #[tokio::test]
    async fn a_token_for_another_client_is_refused() {
        let (target, users) =
            outcome(|idp, nonce| Claims { audience: "another-app".into(), ..idp.genuine(nonce) }).await;
        assert_eq!((target.as_str(), users), ("/login?error=oidc", 303));
    }

    #[tokio::test]
    async fn a_token_from_another_issuer_is_refused() {
        let (target, users) =
            outcome(|idp, nonce| Claims { issuer: "https://evil.example".into(), ..idp.genuine(nonce) })
                .await;
        assert_eq!((target.as_str(), users), ("/login?error=oidc", 303));
    }

    #[tokio::test]
    async fn a_token_without_the_flows_nonce_is_refused() {
        let (target, _) = outcome(|idp, nonce| Claims { nonce: None, ..idp.genuine(nonce) }).await;
        assert_eq!(target, "/login?error=oidc");
    }

    #[tokio::test]
    async fn a_nonce_from_an_earlier_flow_is_refused() {
        let idp = FakeIdp::start().await;
        let app = sso_app(&idp.issuer).await;
        let (first_state, first_nonce) = state_and_nonce(&super::start_sign_in(&app, "/users").await);
        idp.will_issue(token(&idp.genuine(&first_nonce)));
        assert_eq!(callback(&app, &first_state).await, "/users");
        app.sign_out().await;
        // A token captured from the first flow, replayed into a second one.
        let (second_state, _) = state_and_nonce(&super::start_sign_in(&app, "/users").await);
        assert_eq!(callback(&app, &second_state).await, "/login?error=oidc");
        assert_eq!(app.get("/users").await.status(), 303);
    }
}
