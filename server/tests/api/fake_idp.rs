//! A tiny in-test identity provider that hands out whatever ID token a test crafted, for the
//! cases a well-behaved provider never produces: forged signatures, expired tokens, a wrong
//! audience or issuer, a nonce from an earlier flow. It also serves a JWKS for proxy
//! assertions. Tokens are signed with the fixture RSA keys in `fixtures/`.

use crate::helpers::location;
use axum::{Json, Router, extract::State, routing::get, routing::post};
use chrono::{Duration, Utc};
use openidconnect::{
    AdditionalClaims, Audience, EndUserEmail, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
    core::{
        CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
        CoreRsaPrivateSigningKey,
    },
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

const IDP_KEY: &str = include_str!("fixtures/idp-key.pem");
const FORGER_KEY: &str = include_str!("fixtures/forger-key.pem");
const KID: &str = "test-key-1";

/// The groups claim the console reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Groups {
    groups: Vec<String>,
}
impl AdditionalClaims for Groups {}

type GroupsIdToken =
    IdToken<Groups, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// What goes into a crafted token.
#[derive(Clone, Debug)]
pub struct Claims {
    /// `iss`.
    pub issuer: String,
    /// `aud`.
    pub audience: String,
    /// `sub`.
    pub subject: String,
    /// `nonce`.
    pub nonce: Option<String>,
    /// Seconds from now until `exp` (negative: already expired).
    pub expires_in: i64,
    /// `groups`.
    pub groups: Vec<String>,
    /// Sign with a key the provider never published, under the provider's key id.
    pub forged: bool,
}

/// Signs `claims` into a compact JWT.
pub fn token(claims: &Claims) -> String {
    let key = CoreRsaPrivateSigningKey::from_pem(
        if claims.forged { FORGER_KEY } else { IDP_KEY },
        Some(JsonWebKeyId::new(KID.into())),
    )
    .expect("fixture key");
    let now = Utc::now();
    let id_claims = IdTokenClaims::new(
        IssuerUrl::new(claims.issuer.clone()).expect("issuer"),
        vec![Audience::new(claims.audience.clone())],
        now + Duration::seconds(claims.expires_in),
        now - Duration::seconds(120),
        StandardClaims::new(SubjectIdentifier::new(claims.subject.clone()))
            .set_email(Some(EndUserEmail::new(format!("{}@example.com", claims.subject)))),
        Groups { groups: claims.groups.clone() },
    )
    .set_nonce(claims.nonce.clone().map(Nonce::new));
    GroupsIdToken::new(id_claims, &key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
        .expect("signed")
        .to_string()
}

/// The published key set (the genuine key only).
fn jwks() -> Value {
    let key = CoreRsaPrivateSigningKey::from_pem(IDP_KEY, Some(JsonWebKeyId::new(KID.into()))).expect("key");
    serde_json::to_value(CoreJsonWebKeySet::new(vec![key.as_verification_key()])).expect("jwks")
}

/// A running fake provider.
pub struct FakeIdp {
    /// Its issuer URL (`http://127.0.0.1:<port>`).
    pub issuer: String,
    next_id_token: Arc<Mutex<String>>,
}

impl FakeIdp {
    /// Starts it on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let next_id_token = Arc::new(Mutex::new(String::new()));
        let metadata = json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(move || async move { Json(metadata) }))
            .route("/jwks", get(|| async { Json(jwks()) }))
            .route(
                "/token",
                post(|State(next): State<Arc<Mutex<String>>>| async move {
                    let id_token = next.lock().expect("lock").clone();
                    Json(json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token}))
                }),
            )
            .with_state(next_id_token.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { issuer, next_id_token }
    }

    /// The token the next code exchange returns.
    pub fn will_issue(&self, id_token: String) {
        *self.next_id_token.lock().expect("lock") = id_token;
    }

    /// Claims a genuine provider would issue for a flow with `nonce`.
    pub fn genuine(&self, nonce: &str) -> Claims {
        Claims {
            issuer: self.issuer.clone(),
            audience: "social-plus-console".into(),
            subject: "carol".into(),
            nonce: Some(nonce.into()),
            expires_in: 300,
            groups: vec!["console-admins".into()],
            forged: false,
        }
    }
}

/// The `state` and `nonce` of an authorization URL.
pub fn state_and_nonce(authorization_url: &str) -> (String, String) {
    let url = url::Url::parse(authorization_url).expect("url");
    let get = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    (get("state").expect("state"), get("nonce").expect("nonce"))
}

/// Where a callback with `state` leads, as a `Location`.
pub async fn callback(app: &crate::helpers::TestApp, state: &str) -> String {
    let response = app
        .client
        .get(format!("{}/auth/oidc/callback", app.address))
        .query(&[("code", "any-code"), ("state", state)])
        .send()
        .await
        .expect("callback");
    location(&response)
}
