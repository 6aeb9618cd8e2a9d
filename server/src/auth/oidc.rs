//! OpenID Connect sign-in: authorization code flow with PKCE, `state` and `nonce`.
//!
//! `GET /auth/oidc/login?next=…` stores a one-time pending flow in the session and sends
//! the browser to the provider; `GET /auth/oidc/callback` takes that pending flow out of the
//! session (so a code, state or nonce can be used once only), exchanges the code with the
//! PKCE verifier, verifies the ID token (signature against the provider's JWKS, `iss`, `aud`,
//! `exp`, `nonce`), maps the groups claim to a role and signs the person in with a new
//! session id. Provider metadata is discovered from the issuer URL on first use and
//! refreshed hourly (which also picks up rotated signing keys). The refresh token, when the
//! provider gives one, stays in the (server-side) session so the role can be re-read later
//! (`recheck.rs`).

use super::{
    attempts::Refused, audit_trail::Attempt, context::SignInContext, oidc_http, safe_next,
    session::ConsoleSession, settings::OidcConfig,
};
use axum::{
    Extension,
    extract::{ConnectInfo, Query},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use backend::audit::Outcome;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RefreshToken, Scope, TokenResponse,
    core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm},
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::{
    net::SocketAddr,
    str::FromStr,
    sync::Arc,
    time::{Duration, Instant},
};
use time::OffsetDateTime;
use tokio::sync::RwLock;
use tower_sessions::Session;
use types::{CurrentUser, access::SignInMethod};

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

const PENDING: &str = "oidc_pending";
/// How long a started sign-in may take at the provider.
const PENDING_SECS: i64 = 600;
const REDISCOVER_AFTER: Duration = Duration::from_secs(3600);

/// What the session remembers between the redirect to the provider and the callback.
#[derive(Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started_at: i64,
}

struct Discovered {
    client: Client,
    end_session: Option<EndSessionUrl>,
    at: Instant,
}

/// The configured provider and its discovered metadata.
pub struct OidcProvider {
    config: OidcConfig,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

impl OidcProvider {
    /// A provider that discovers its metadata on first use.
    pub fn new(config: OidcConfig) -> anyhow::Result<Self> {
        Ok(Self { config, http: oidc_http::client()?, discovered: RwLock::new(None) })
    }

    /// The name on the sign-in button.
    pub fn display_name(&self) -> &str {
        &self.config.display_name
    }

    /// Fetches the discovery document (and JWKS) now; used at start to report problems early.
    pub async fn discover(&self) -> anyhow::Result<()> {
        self.current().await.map(|_| ())
    }

    async fn current(&self) -> anyhow::Result<Arc<Discovered>> {
        if let Some(found) = self.discovered.read().await.as_ref()
            && found.at.elapsed() < REDISCOVER_AFTER
        {
            return Ok(found.clone());
        }
        let http = self.http.clone();
        let send = move |request| {
            let http = http.clone();
            async move { oidc_http::send(&http, request).await }
        };
        let issuer = IssuerUrl::new(self.config.issuer_url.clone())?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &send)
            .await
            .map_err(|e| anyhow::anyhow!("OpenID discovery at {} failed: {e}", self.config.issuer_url))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.as_ref().map(|s| ClientSecret::new(s.expose_secret().to_owned())),
        )
        .set_redirect_uri(RedirectUrl::from_url(self.config.redirect_url.clone()));
        let found = Arc::new(Discovered { client, end_session, at: Instant::now() });
        *self.discovered.write().await = Some(found.clone());
        Ok(found)
    }

    /// Where to send the browser to sign out at the provider too, when it supports
    /// RP-initiated logout.
    pub async fn logout_url(&self, id_token: Option<&str>) -> Option<String> {
        let found = self.current().await.ok()?;
        let endpoint = found.end_session.clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.config.client_id.clone()))
            .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(
                self.config.post_logout_url.clone(),
            ));
        if let Some(token) = id_token.and_then(|t| CoreIdToken::from_str(t).ok()) {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url().to_string())
    }
}

/// What a refresh at the provider says about a signed-in person now.
pub struct Refreshed {
    /// The subject of the new ID token (must be the session's).
    pub subject: String,
    /// The groups claim of the new ID token.
    pub groups: Vec<String>,
    /// The new ID token (the sign-out hint).
    pub id_token: String,
    /// A rotated refresh token, when the provider sent one.
    pub refresh_token: Option<String>,
}

impl OidcProvider {
    /// Asks the provider for new tokens with `refresh_token` and reads the new ID token
    /// (verified like at sign-in: signature, `iss`, `aud`, `exp`; a refreshed token carries
    /// no fresh nonce). An error says why in words for the log, never quoting a token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Refreshed, String> {
        let found = self.current().await.map_err(|e| e.to_string())?;
        let http = self.http.clone();
        let send = move |request| {
            let http = http.clone();
            async move { oidc_http::send(&http, request).await }
        };
        let token = found
            .client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
            .map_err(|e| e.to_string())?
            .request_async(&send)
            .await
            .map_err(|e| format!("the provider refused the refresh: {e}"))?;
        let id_token = token.id_token().ok_or("the provider sent no new ID token")?;
        let verifier = found.client.id_token_verifier().set_allowed_algs(ALLOWED_ALGS);
        let claims = id_token
            .claims(&verifier, |_: Option<&Nonce>| Ok::<(), String>(()))
            .map_err(|e| format!("the new ID token was refused: {e}"))?;
        let payload = super::claims::payload_of_verified(&id_token.to_string());
        Ok(Refreshed {
            subject: claims.subject().as_str().to_owned(),
            groups: super::claims::groups(&payload, &self.config.groups_claim),
            id_token: id_token.to_string(),
            refresh_token: token.refresh_token().map(|t| t.secret().clone()),
        })
    }
}

/// `?next=` of the start route.
#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
}

/// `GET /auth/oidc/login`: starts the flow.
pub async fn start(
    Extension(ctx): Extension<Arc<SignInContext>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = ctx.oidc.as_ref() else {
        return Redirect::to("/login?error=disabled").into_response();
    };
    let client_ip = ctx.client_ip(peer, &headers);
    if !ctx.limiter.allow_address(client_ip) {
        return super::rate_limit::too_many();
    }
    let found = match provider.current().await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "the identity provider is unreachable");
            return Redirect::to("/login?error=idp_unavailable").into_response();
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = found
        .client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scopes(provider.config.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: safe_next(&query.next),
        started_at: OffsetDateTime::now_utc().unix_timestamp(),
    };
    if let Err(error) = session.insert(PENDING, pending).await {
        tracing::error!(%error, "could not store the pending sign-in");
        return Redirect::to("/login?error=invalid").into_response();
    }
    Redirect::to(url.as_str()).into_response()
}

/// What the provider sends back.
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/oidc/callback`: finishes the flow.
pub async fn callback(
    Extension(ctx): Extension<Arc<SignInContext>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(provider) = ctx.oidc.as_ref() else {
        return Redirect::to("/login?error=disabled").into_response();
    };
    let client_ip = ctx.client_ip(peer, &headers);
    let request_id = app::ctx::request_id_of(&headers);
    let network = super::address::network_of(client_ip);
    if !ctx.limiter.allow_address(client_ip) {
        let reason = "over the sign-in attempt limit";
        let (code, name) = ("over_limit", "-");
        let refused = Refused {
            method: "oidc",
            name,
            network,
            outcome: Outcome::Denied,
            code,
            reason,
            request_id: &request_id,
        };
        let noted = ctx.attempts.note(&refused).await;
        ctx.tarpit.hold(noted.attempts).await;
        return super::rate_limit::too_many();
    }
    let attempt = Attempt { db: &ctx.db, request_id: &request_id, method: "oidc" };
    // Taken out first: whatever happens next, this pending flow cannot be used again.
    let pending = session.remove::<Pending>(PENDING).await.ok().flatten();
    match finish(provider, &ctx, pending, query).await {
        Ok(SignedIn { user, next, id_token, refresh_token }) => {
            let console = ConsoleSession(session);
            if let Err(error) = console.sign_in(&user).await {
                tracing::error!(%error, "could not start a session");
                return Redirect::to("/login?error=invalid").into_response();
            }
            console.remember_id_token(id_token).await;
            if let Some(refresh_token) = refresh_token
                && let Err(error) = console.remember_refresh_token(refresh_token).await
            {
                // Without it the session ends at its first role re-check; not worth failing now.
                tracing::warn!(%error, "could not keep the refresh token");
            }
            tracing::info!(user = %user.id, role = user.role.as_str(), "signed in with OIDC");
            attempt.record(&user.id, Some(user.role.as_str()), Outcome::Success, json!({})).await;
            // Checked when the flow started; checked again, as every path that follows `next` does.
            Redirect::to(&safe_next(&next)).into_response()
        }
        Err(Failure { code, subject, reason }) => {
            tracing::warn!(%reason, subject = subject.as_deref().unwrap_or("-"), "OIDC sign-in refused");
            let outcome = if code == "no_role" { Outcome::Denied } else { Outcome::Failed };
            // Anyone can call the callback: refusals are aggregated like bootstrap attempts.
            let name = subject.as_deref().unwrap_or("-");
            let refused = Refused {
                method: "oidc",
                name,
                network,
                outcome,
                code,
                reason: &reason,
                request_id: &request_id,
            };
            ctx.attempts.note(&refused).await;
            Redirect::to(&format!("/login?error={code}")).into_response()
        }
    }
}

/// Why a callback was refused: the code the sign-in page explains, who (when known), and
/// the reason for the log and the audit trail (never a token).
struct Failure {
    code: &'static str,
    subject: Option<String>,
    reason: String,
}

fn fail(code: &'static str, reason: impl Into<String>) -> Failure {
    Failure { code, subject: None, reason: reason.into() }
}

async fn finish(
    provider: &OidcProvider,
    ctx: &SignInContext,
    pending: Option<Pending>,
    query: CallbackQuery,
) -> Result<SignedIn, Failure> {
    let pending = pending.ok_or_else(|| fail("oidc_state", "no sign-in was started in this session"))?;
    if OffsetDateTime::now_utc().unix_timestamp() - pending.started_at > PENDING_SECS {
        return Err(fail("oidc_state", "the sign-in took too long"));
    }
    if let Some(error) = query.error {
        let error: String = error.chars().filter(char::is_ascii_graphic).take(64).collect();
        return Err(fail("oidc", format!("the provider answered with error `{error}`")));
    }
    let state = query.state.unwrap_or_default();
    if !constant_time_eq(state.as_bytes(), pending.state.as_bytes()) {
        return Err(fail("oidc_state", "state mismatch"));
    }
    let code = query.code.filter(|c| !c.is_empty()).ok_or_else(|| fail("oidc", "no code"))?;
    let found = provider.current().await.map_err(|e| fail("idp_unavailable", e.to_string()))?;
    let http = provider.http.clone();
    let send = move |request| {
        let http = http.clone();
        async move { oidc_http::send(&http, request).await }
    };
    let token = found
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| fail("oidc", e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&send)
        .await
        .map_err(|e| fail("oidc", format!("code exchange failed: {e}")))?;
    let id_token = token.id_token().ok_or_else(|| fail("oidc", "no ID token in the token response"))?;
    let verifier = found.client.id_token_verifier().set_allowed_algs(ALLOWED_ALGS);
    let nonce = Nonce::new(pending.nonce);
    let claims =
        id_token.claims(&verifier, &nonce).map_err(|e| fail("oidc", format!("ID token refused: {e}")))?;
    let subject = claims.subject().as_str().to_owned();
    let payload = super::claims::payload_of_verified(&id_token.to_string());
    let groups = super::claims::groups(&payload, &provider.config.groups_claim);
    let Some(role) = ctx.groups.role_for(&groups) else {
        return Err(Failure {
            code: "no_role",
            subject: Some(subject),
            reason: format!("no configured group among {} groups", groups.len()),
        });
    };
    let display_name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned())
        .or_else(|| claims.email().map(|e| e.as_str().to_owned()))
        .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()))
        .unwrap_or_else(|| subject.clone());
    let user = CurrentUser { id: format!("oidc:{subject}"), display_name, role, method: SignInMethod::Oidc };
    let refresh_token = token.refresh_token().map(|t| t.secret().clone());
    Ok(SignedIn { user, next: pending.next, id_token: id_token.to_string(), refresh_token })
}

/// A verified sign-in.
struct SignedIn {
    user: CurrentUser,
    next: String,
    id_token: String,
    refresh_token: Option<String>,
}

/// Compares secrets without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Signature algorithms accepted on ID tokens (never `none`, never HMAC with a public secret).
const ALLOWED_ALGS: [CoreJwsSigningAlgorithm; 7] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EdDsa,
];
