//! A tiny in-test identity provider that hands out whatever ID token a test crafted, for the
//! cases a well-behaved provider never produces: forged signatures, expired tokens, a wrong
//! audience or issuer, a nonce from an earlier flow. It also serves a JWKS for proxy
//! assertions. Tokens are signed with the fixture RSA keys in `fixtures/`.

use crate::helpers::location;
use axum::{Form, Json, Router, extract::State, routing::get, routing::post};
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

/// What the fake provider's token endpoint answers.
#[derive(Default)]
struct Issuing {
    /// The ID token of the next code exchange.
    id_token: String,
    /// The refresh token a code exchange hands out, if any.
    refresh_token: Option<String>,
    /// The ID token a refresh answers with; `None` refuses refreshes (`invalid_grant`).
    on_refresh: Option<String>,
    /// Refreshes asked for so far, with the refresh token each presented.
    refreshed_with: Vec<String>,
}

/// A running fake provider.
pub struct FakeIdp {
    /// Its issuer URL (`http://127.0.0.1:<port>`).
    pub issuer: String,
    issuing: Arc<Mutex<Issuing>>,
}

/// The token endpoint: the code exchange answers the crafted ID token (and a refresh token
/// when one is set); a refresh answers `on_refresh` with a rotated refresh token, or refuses.
async fn token_endpoint(
    State(issuing): State<Arc<Mutex<Issuing>>>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut issuing = issuing.lock().expect("lock");
    if form.get("grant_type").map(String::as_str) == Some("refresh_token") {
        let presented = form.get("refresh_token").cloned().unwrap_or_default();
        issuing.refreshed_with.push(presented);
        let rotated = format!("rt-{}", issuing.refreshed_with.len() + 1);
        return match issuing.on_refresh.clone() {
            Some(id_token) => Json(json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300,
                "id_token": id_token, "refresh_token": rotated}))
            .into_response(),
            None => {
                (axum::http::StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant"}))).into_response()
            }
        };
    }
    let mut answer = json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": issuing.id_token});
    if let Some(refresh_token) = &issuing.refresh_token {
        answer["refresh_token"] = json!(refresh_token);
    }
    Json(answer).into_response()
}

impl FakeIdp {
    /// Starts it on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let issuing = Arc::new(Mutex::new(Issuing::default()));
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
            .route("/token", post(token_endpoint))
            .with_state(issuing.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { issuer, issuing }
    }

    /// The token the next code exchange returns.
    pub fn will_issue(&self, id_token: String) {
        self.issuing.lock().expect("lock").id_token = id_token;
    }

    /// The refresh token the next code exchange hands out.
    pub fn will_hand_out_refresh_token(&self, refresh_token: &str) {
        self.issuing.lock().expect("lock").refresh_token = Some(refresh_token.to_owned());
    }

    /// The ID token refreshes answer with (`None`: refreshes are refused).
    pub fn on_refresh(&self, id_token: Option<String>) {
        self.issuing.lock().expect("lock").on_refresh = id_token;
    }

    /// The refresh tokens presented so far, in order.
    pub fn refreshed_with(&self) -> Vec<String> {
        self.issuing.lock().expect("lock").refreshed_with.clone()
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
