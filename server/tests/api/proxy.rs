//! Trusted-proxy sign-in: headers believed only from configured peers, ambiguous headers
//! refused, group → role mapping, and signed assertions verified against a JWKS.

use crate::{
    fake_idp::{Claims, FakeIdp, token},
    helpers::{TestApp, location, spawn_app_with},
};
use serde_json::{Value, json};

/// A console behind a proxy at `trusted` (the tests connect from 127.0.0.1).
pub async fn behind_proxy(trusted: &str) -> TestApp {
    let trusted = trusted.to_owned();
    spawn_app_with(move |s| {
        s.proxy.enabled = true;
        s.proxy.trusted_proxies = vec![trusted];
        s.access.groups.viewer = vec!["staff".into()];
        s.access.groups.admin = vec!["console-admins".into()];
    })
    .await
}

pub async fn get_as(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

/// The signed-in user as the proxy presents the request with `headers`, or `Null` when the
/// gate answers 401.
pub async fn current_user(app: &TestApp, headers: &[(&str, &str)]) -> Value {
    let mut request = app
        .client
        .post(format!("{}/api/get_current_user", app.address))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({}));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    if response.status() == 401 {
        return Value::Null;
    }
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn headers_from_a_trusted_proxy_sign_in_with_the_mapped_role() {
    let app = behind_proxy("127.0.0.1/32").await;
    let headers = [
        ("x-forwarded-user", "ann"),
        ("x-forwarded-email", "ann@example.com"),
        ("x-forwarded-groups", "staff, console-admins"),
    ];
    let response = get_as(&app, "/users", &headers).await;
    assert_eq!(response.status(), 200);
    assert!(app.session_cookie(&response).is_some(), "a session is started");
    let user = current_user(&app, &headers).await;
    assert_eq!((user["id"].as_str(), user["role"].as_str()), (Some("proxy:ann"), Some("admin")));
    assert_eq!(user["method"], "proxy");

    // Another person behind the same proxy (same browser) gets their own session and role.
    let vic = [("x-forwarded-user", "vic"), ("x-forwarded-groups", "staff")];
    let response = get_as(&app, "/users", &vic).await;
    assert_eq!(response.status(), 200);
    assert_eq!(current_user(&app, &vic).await["role"], "viewer");
}

#[tokio::test]
async fn headers_from_an_untrusted_peer_are_ignored() {
    let app = behind_proxy("10.0.0.0/8").await;
    let headers = [("x-forwarded-user", "mallory"), ("x-forwarded-groups", "console-admins")];
    let response = get_as(&app, "/users", &headers).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"), "treated as anonymous");
    assert_eq!(current_user(&app, &[]).await, Value::Null);
}

#[tokio::test]
async fn proxy_sign_in_is_off_unless_enabled() {
    let app = spawn_app_with(|s| s.proxy.trusted_proxies = vec!["127.0.0.1/32".into()]).await;
    let response =
        get_as(&app, "/users", &[("x-forwarded-user", "ann"), ("x-forwarded-groups", "console-admins")])
            .await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn underscore_variants_and_repeated_headers_are_refused() {
    let app = behind_proxy("127.0.0.1/32").await;
    let response =
        get_as(&app, "/users", &[("x-forwarded-user", "ann"), ("x_forwarded_groups", "console-admins")])
            .await;
    assert_eq!(response.status(), 400);
    let response = app
        .client
        .get(format!("{}/users", app.address))
        .header("x-forwarded-user", "ann")
        .header("x-forwarded-groups", "staff")
        .header("x-forwarded-groups", "console-admins")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    assert_eq!(current_user(&app, &[]).await, Value::Null, "nobody signed in");
}

#[tokio::test]
async fn a_person_without_a_mapped_group_gets_access_denied_and_it_is_audited() {
    let app = behind_proxy("127.0.0.1/32").await;
    let response =
        get_as(&app, "/users", &[("x-forwarded-user", "eve"), ("x-forwarded-groups", "marketing")]).await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.expect("page").contains("Access denied"));
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let entries = backend::audit::recent(&db, 10).await.expect("audit");
    assert!(entries.iter().any(|e| e.actor_id == "proxy:eve" && e.outcome == "denied"), "{entries:?}");
}

mod signed_assertion {
    use super::*;

    async fn behind_pomerium(idp: &FakeIdp) -> TestApp {
        let issuer = idp.issuer.clone();
        spawn_app_with(move |s| {
            s.proxy.enabled = true;
            s.proxy.trusted_proxies = vec!["127.0.0.1/32".into()];
            s.proxy.jwt_header = "x-pomerium-jwt-assertion".into();
            s.proxy.jwks_url = Some(format!("{issuer}/jwks"));
            s.proxy.jwt_issuer = Some(issuer);
            s.proxy.jwt_audience = Some("console.example".into());
            s.access.groups.admin = vec!["console-admins".into()];
        })
        .await
    }

    fn assertion(idp: &FakeIdp, change: impl FnOnce(&mut Claims)) -> String {
        let mut claims = Claims { audience: "console.example".into(), nonce: None, ..idp.genuine("") };
        change(&mut claims);
        token(&claims)
    }

    #[tokio::test]
    async fn a_verified_assertion_signs_in_and_plain_headers_are_not_enough() {
        let idp = FakeIdp::start().await;
        let app = behind_pomerium(&idp).await;
        let plain = [("x-forwarded-user", "ann"), ("x-forwarded-groups", "console-admins")];
        assert_eq!(get_as(&app, "/users", &plain).await.status(), 303, "only the assertion counts");
        let jwt = assertion(&idp, |_| {});
        let response = get_as(&app, "/users", &[("x-pomerium-jwt-assertion", &jwt)]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(current_user(&app, &[("x-pomerium-jwt-assertion", &jwt)]).await["id"], "proxy:carol");
    }

    #[tokio::test]
    async fn forged_expired_and_misaddressed_assertions_are_refused() {
        let idp = FakeIdp::start().await;
        let app = behind_pomerium(&idp).await;
        for (case, jwt) in [
            ("forged", assertion(&idp, |c| c.forged = true)),
            ("expired", assertion(&idp, |c| c.expires_in = -600)),
            ("audience", assertion(&idp, |c| c.audience = "other.example".into())),
            ("issuer", assertion(&idp, |c| c.issuer = "https://evil.example".into())),
            ("garbage", "not-a-jwt".to_owned()),
        ] {
            let response = get_as(&app, "/users", &[("x-pomerium-jwt-assertion", &jwt)]).await;
            assert_eq!(response.status(), 401, "{case}");
        }
        assert_eq!(current_user(&app, &[]).await, Value::Null);
    }
}
