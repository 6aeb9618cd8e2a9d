//! A proxy's signed identity assertion (Pomerium `x-pomerium-jwt-assertion`, Cloudflare
//! Access `cf-access-jwt-assertion`): a JWT whose signature is checked against the JWKS at
//! `proxy.jwks_url`, with `iss`, `aud` and `exp` checked. The keys are fetched on first use
//! and again when a token names a key the console does not have (rotation), at most once a
//! minute.

use super::{claims, oidc_http, settings::AssertionConfig};
use openidconnect::{
    ClientId, IssuerUrl, JsonWebKeySetUrl, Nonce,
    core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet, CoreJwsSigningAlgorithm},
};
use std::{
    str::FromStr,
    time::{Duration, Instant},
};
use tokio::sync::RwLock;

const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(60);

/// Who a verified assertion says the person is.
#[derive(Debug, PartialEq, Eq)]
pub struct AssertedIdentity {
    /// `sub`.
    pub subject: String,
    /// `email`, when present.
    pub email: Option<String>,
    /// The groups claim.
    pub groups: Vec<String>,
}

/// Verifies assertions.
pub struct AssertionVerifier {
    config: AssertionConfig,
    http: reqwest::Client,
    keys: RwLock<Option<(CoreJsonWebKeySet, Instant)>>,
}

impl AssertionVerifier {
    /// A verifier that fetches its keys on first use.
    pub fn new(config: AssertionConfig) -> anyhow::Result<Self> {
        Ok(Self { config, http: oidc_http::client()?, keys: RwLock::new(None) })
    }

    /// The header carrying the assertion.
    pub fn header(&self) -> &str {
        &self.config.header
    }

    /// Verifies `jwt`; the error says why not (never quoting the token).
    pub async fn verify(&self, jwt: &str) -> Result<AssertedIdentity, String> {
        let token = CoreIdToken::from_str(jwt).map_err(|e| format!("not a JWT: {e}"))?;
        let keys = self.keys(false).await?;
        let identity = match self.check(&token, jwt, keys) {
            Err(why) if self.may_refetch().await => {
                tracing::info!(%why, "assertion refused; fetching the proxy's keys again");
                let keys = self.keys(true).await?;
                self.check(&token, jwt, keys)?
            }
            other => other?,
        };
        Ok(identity)
    }

    fn check(
        &self,
        token: &CoreIdToken,
        jwt: &str,
        keys: CoreJsonWebKeySet,
    ) -> Result<AssertedIdentity, String> {
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| e.to_string())?;
        let verifier =
            CoreIdTokenVerifier::new_public_client(ClientId::new(self.config.audience.clone()), issuer, keys)
                .set_allowed_algs([
                    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
                    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
                    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
                    CoreJwsSigningAlgorithm::EdDsa,
                ]);
        // Assertions carry no nonce: the proxy made them for this request, not for a flow of ours.
        let claims = token
            .claims(&verifier, |_: Option<&Nonce>| Ok::<(), String>(()))
            .map_err(|e| format!("assertion refused: {e}"))?;
        let payload = claims::payload_of_verified(jwt);
        Ok(AssertedIdentity {
            subject: claims.subject().as_str().to_owned(),
            email: claims
                .email()
                .map(|e| e.as_str().to_owned())
                .or_else(|| claims::string(&payload, "email")),
            groups: claims::groups(&payload, &self.config.groups_claim),
        })
    }

    async fn may_refetch(&self) -> bool {
        self.keys.read().await.as_ref().is_none_or(|(_, at)| at.elapsed() >= REFETCH_AT_MOST_EVERY)
    }

    async fn keys(&self, refresh: bool) -> Result<CoreJsonWebKeySet, String> {
        if !refresh && let Some((keys, _)) = self.keys.read().await.as_ref() {
            return Ok(keys.clone());
        }
        let http = self.http.clone();
        let send = move |request| {
            let http = http.clone();
            async move { oidc_http::send(&http, request).await }
        };
        let url = JsonWebKeySetUrl::from_url(self.config.jwks_url.clone());
        let keys = CoreJsonWebKeySet::fetch_async(&url, &send).await.map_err(|e| {
            tracing::error!(error = %e, url = %self.config.jwks_url, "could not fetch the proxy's signing keys");
            "the proxy's signing keys are unavailable".to_owned()
        })?;
        *self.keys.write().await = Some((keys.clone(), Instant::now()));
        Ok(keys)
    }
}
