//! The HTTP client: one `send` path does auth, timeout, retry and decoding.

use crate::{
    Error,
    budget::{BudgetUsage, RequestBudget},
    endpoints::{Method, Request},
    retry::RetryPolicy,
    token::TokenSource,
};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::{
    num::NonZeroU32,
    sync::Arc,
    time::{Duration, Instant},
};
use url::Url;

/// How to reach Social+.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// `https://apix.<region>.amity.co`, or the stand-in's loopback URL.
    pub base_url: Url,
    /// The network's admin token, sent as `Authorization: Bearer`; read on every request,
    /// so a rotated token is used without a restart.
    pub admin_token: TokenSource,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// When to retry.
    pub retry: RetryPolicy,
    /// Requests per second this client may send (every attempt counts); `None` = unlimited.
    pub budget_per_second: Option<NonZeroU32>,
}

/// The default request budget: half the documented limit of 100 requests per 5 s, leaving
/// room for the network's own apps.
pub const DEFAULT_BUDGET_PER_SECOND: NonZeroU32 = NonZeroU32::MIN.saturating_add(9);

impl ClientConfig {
    /// Defaults for everything but the base URL and token.
    pub fn new(base_url: Url, admin_token: SecretString) -> Self {
        Self {
            base_url,
            admin_token: TokenSource::from(admin_token),
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            retry: RetryPolicy::default(),
            budget_per_second: Some(DEFAULT_BUDGET_PER_SECOND),
        }
    }
}

/// A Social+ API client for one network.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    // Shared by clones: the budget belongs to the network, not to one handle.
    budget: Arc<RequestBudget>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.config.base_url.as_str()).finish()
    }
}

/// Installs the TLS crypto provider (ring) once per process. Every reqwest client in the
/// workspace needs it, so tests that build their own clients call it too.
pub fn ensure_tls_provider() {
    // Err means another provider is already installed, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Client {
    /// Builds a client; fails only on an unusable configuration.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        if !matches!(config.base_url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL must be http or https, not `{}`",
                config.base_url.scheme()
            )));
        }
        ensure_tls_provider();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("social-plus-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        let budget = Arc::new(RequestBudget::new(config.budget_per_second));
        Ok(Self { http, config, budget })
    }

    /// The base URL this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.config.base_url
    }

    /// What the request budget has done so far.
    pub fn budget_usage(&self) -> BudgetUsage {
        self.budget.usage()
    }

    /// Sends `request`, retrying per the policy, and decodes the JSON answer. Every attempt
    /// first waits for room in the request budget.
    pub async fn send<T: DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        decode(&self.send_raw(request).await?)
    }

    /// Sends `request` like [`Self::send`] and returns the answer as text (CSV reports,
    /// `text/plain` tokens, bodies the spec leaves undefined).
    pub async fn send_text(&self, request: &Request) -> Result<String, Error> {
        let body = self.send_raw(request).await?;
        String::from_utf8(body)
            .map_err(|e| Error::Decode { path: String::new(), message: format!("not UTF-8 text: {e}") })
    }

    /// The one send path: auth, timeout and retry; returns the body of a success.
    async fn send_raw(&self, request: &Request) -> Result<Vec<u8>, Error> {
        let mut retries_done = 0;
        loop {
            self.budget.acquire().await;
            let started = Instant::now();
            let result = self.send_once(request).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match result {
                Ok(value) => {
                    tracing::debug!(path = %request.path_for_logs(), elapsed_ms, "upstream ok");
                    return Ok(value);
                }
                Err(error) => {
                    let delay =
                        self.config.retry.delay(retries_done, &error, request.idempotent, fastrand::f64());
                    tracing::warn!(
                        path = %request.path_for_logs(), elapsed_ms, retries_done,
                        retry_in_ms = delay.map(|d| d.as_millis() as u64),
                        error = %error, "upstream call failed"
                    );
                    let Some(delay) = delay else {
                        return Err(error);
                    };
                    tokio::time::sleep(delay).await;
                    retries_done += 1;
                }
            }
        }
    }

    async fn send_once(&self, request: &Request) -> Result<Vec<u8>, Error> {
        let url = self.url_for(request)?;
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, url).header(reqwest::header::ACCEPT, "application/json");
        builder = match &request.key_header {
            Some(key) => builder.header(key.name, key.value.expose_secret()),
            None => builder.bearer_auth(self.config.admin_token.current().expose_secret()),
        };
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.bytes().await.map_err(|e| self.transport_error(e))?;
        if status.as_u16() == 429 {
            return Err(Error::RateLimited { retry_after });
        }
        if !status.is_success() {
            return Err(Error::from_status(status.as_u16(), &body));
        }
        Ok(body.to_vec())
    }

    fn url_for(&self, request: &Request) -> Result<Url, Error> {
        // An empty, `.` or `..` id would be resolved away and the request would reach another
        // endpoint (`GET /api/v3/users/..` and `/api/v3/users/` are the user list,
        // `DELETE /api/v4/users/..` the collection). No resource has such an id, so it is
        // answered as the API answers an unknown one, without sending anything.
        if request.segments.iter().any(|s| s.is_empty() || s == "." || s == "..") {
            return Err(Error::Status {
                status: 404,
                code: Some(crate::wire::code::NOT_FOUND),
                message: "not sent: an id cannot be empty, `.` or `..`".into(),
            });
        }
        let mut url = self.config.base_url.clone();
        if url.cannot_be_a_base() {
            return Err(Error::Config("base URL cannot have a path".into()));
        }
        // Each segment percent-encoded in full here: the URL parser would drop a tab or line
        // break inside an id (`ad\tmin` would address `admin`) instead of encoding it.
        let mut path = url.path().trim_end_matches('/').to_owned();
        for segment in &request.segments {
            path.push('/');
            path.push_str(&encode_segment(segment));
        }
        url.set_path(&path);
        Ok(url)
    }

    fn transport_error(&self, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(self.config.timeout)
        } else {
            // Without the URL: it is already in the log span and may be long.
            Error::Transport(error.without_url().to_string())
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a segment stays one
/// segment with exactly its bytes.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes JSON, reporting the path of the first value that does not fit.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|e| Error::Decode { path: e.path().to_string(), message: e.inner().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::UserEnvelope;

    #[test]
    fn decode_errors_name_the_json_path() {
        let body = br#"{"users":[{"userId":"a","createdAt":"x","updatedAt":"y"},{"userId":5}]}"#;
        let err = decode::<UserEnvelope>(body).expect_err("must fail");
        let Error::Decode { path, .. } = err else { panic!("expected a decode error") };
        assert_eq!(path, "users[1].userId");
    }
}
