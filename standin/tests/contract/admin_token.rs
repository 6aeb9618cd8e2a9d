//! `POST /api/v1/admin-token`. The path is in CONTRACT.md §a (from the newest bundled spec,
//! not vendored); its answer is checked against the only vendored schema of it,
//! `AdminTokenResponse` in the console-admin spec (see docs/contract-notes.md).

use crate::openapi::{Spec, undeclared_fields, violations};
use secrecy::SecretString;
use serde_json::Value;
use standin::{RunningStandIn, SeedOptions, StandInConfig, Storage};
use upstream::endpoints::{admin_token::RegenerateAdminToken, users::QueryUsers};
use upstream::{Client, ClientConfig, TokenSource, query::UserQuery};

const TOKEN: &str = "contract-admin-token";

async fn standin() -> RunningStandIn {
    RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: TOKEN.into(),
        storage: Storage::Memory,
        seed: SeedOptions { users: 5, seed: 3, ..SeedOptions::default() },
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

async fn post_admin_token(base: &str, token: &str) -> (u16, Value) {
    upstream::ensure_tls_provider();
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/admin-token"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json::<Value>().await.expect("JSON body"))
}

#[tokio::test]
async fn post_api_v1_admin_token_answers_with_the_admin_token_response_schema() {
    let standin = standin().await;
    let (status, body) = post_admin_token(&standin.base_url(), TOKEN).await;
    assert_eq!(status, 200);
    let schema = Spec::console_admin()
        .schema("v1/admin/response.yaml", "/AdminTokenResponse/content/application~1json/schema");
    let errors = violations(&schema, &body);
    assert!(errors.is_empty(), "POST /api/v1/admin-token violates the spec:\n{}", errors.join("\n"));
    assert_eq!(undeclared_fields(&schema, &body, &[], ""), Vec::<String>::new());
    for field in ["adminToken", "issuedAt", "expiresAt"] {
        assert!(body[field].is_string(), "{field} missing: {body}");
    }
    assert!(body["expiresAt"].as_str() > body["issuedAt"].as_str());
}

#[tokio::test]
async fn the_old_token_is_refused_the_moment_a_new_one_is_issued() {
    let standin = standin().await;
    let (_, body) = post_admin_token(&standin.base_url(), TOKEN).await;
    let fresh = body["adminToken"].as_str().expect("a token").to_owned();
    assert_ne!(fresh, TOKEN);
    let (status, envelope) = post_admin_token(&standin.base_url(), TOKEN).await;
    assert_eq!((status, envelope["code"].as_i64()), (401, Some(400_100)));
    let (status, _) = post_admin_token(&standin.base_url(), &fresh).await;
    assert_eq!(status, 200, "the new token works");
}

#[tokio::test]
async fn the_real_client_regenerates_and_switches_to_the_new_token_through_its_source() {
    let standin = standin().await;
    let source = TokenSource::from(SecretString::from(TOKEN));
    let mut config = ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from(TOKEN));
    config.admin_token = source.clone();
    let client = Client::new(config).expect("client");

    let issued = client.send(&RegenerateAdminToken).await.expect("decoded answer");
    let stale = client.send(&QueryUsers(&UserQuery::default())).await.expect_err("old token refused");
    assert!(matches!(stale, upstream::Error::Status { status: 401, code: Some(400_100), .. }), "{stale:?}");

    source.replace(SecretString::from(issued.admin_token));
    client
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect("the rotated token is used without a new client");
}
