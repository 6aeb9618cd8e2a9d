//! The HTTP client: one `send` path does auth, budget, retry and decoding, over a
//! [`Transport`] that performs single attempts (reqwest, or a test double).

use crate::{
    Error,
    budget::{BudgetUsage, RequestBudget},
    decode::Decode,
    endpoints::{Endpoint, Request},
    retry::RetryPolicy,
    token::TokenSource,
    transport::{Auth, Reply, ReqwestTransport, Transport},
};
use secrecy::SecretString;
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

/// A Social+ API client for one network. Clones share the transport and the budget.
#[derive(Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
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

/// Why `base_url` may not be used for Social+, if it may not: it must be `https://`, except
/// on a loopback host (the embedded or a locally run stand-in), so the admin token never
/// crosses a network in the clear.
pub fn base_url_problem(base_url: &Url) -> Option<String> {
    match base_url.scheme() {
        "https" if base_url.host().is_some() => None,
        "http" if is_loopback_host(base_url) => None,
        "http" => Some(
            "must be https:// (plain http:// is accepted only for a loopback host such as 127.0.0.1, \
             where a stand-in runs): the admin token would cross the network unencrypted"
                .into(),
        ),
        "https" => Some("needs a host".into()),
        other => Some(format!("must be https://, not `{other}:`")),
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

impl Client {
    /// Builds a client; fails only on an unusable configuration (including a base URL that
    /// is not https on a host other than loopback: see [`base_url_problem`]). Redirects are
    /// never followed: a 3xx is an error, so the admin token is sent to the base URL's host
    /// only.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        if let Some(problem) = base_url_problem(&config.base_url) {
            return Err(Error::Config(format!("base URL `{}` {problem}", config.base_url)));
        }
        ensure_tls_provider();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("social-plus-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        let transport = Arc::new(ReqwestTransport { http, timeout: config.timeout });
        Ok(Self::with_transport(config, transport))
    }

    /// A client that performs its attempts through `transport` (a test double such as
    /// [`crate::testing::ScriptedTransport`]); budget, retry and decoding work as in [`Self::new`].
    pub fn with_transport(config: ClientConfig, transport: Arc<dyn Transport>) -> Self {
        let budget = Arc::new(RequestBudget::new(config.budget_per_second));
        Self { transport, config, budget }
    }

    /// The base URL this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.config.base_url
    }

    /// What the request budget has done so far.
    pub fn budget_usage(&self) -> BudgetUsage {
        self.budget.usage()
    }

    /// Sends `endpoint`, retrying per the policy, and decodes the answer into its response
    /// type. Every attempt first waits for room in the request budget. The request is built
    /// at once, so the future does not borrow `endpoint`.
    pub fn send<'c, E: Endpoint + ?Sized>(
        &'c self,
        endpoint: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> + use<'c, E> {
        let request = endpoint.request();
        async move { self.send_request(&request).await }
    }

    /// [`Self::send`] for a request already built (the pages after the first).
    pub(crate) async fn send_request<T: Decode>(&self, request: &Request) -> Result<T, Error> {
        let reply = self.send_raw(request).await?;
        T::decode_typed(&reply.body, reply.content_type.as_deref())
    }

    /// The one send path: auth, timeout and retry; returns the reply of a success.
    async fn send_raw(&self, request: &Request) -> Result<Reply, Error> {
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

    /// One attempt: the transport answers, this judges the status.
    async fn send_once(&self, request: &Request) -> Result<Reply, Error> {
        let url = self.url_for(request)?;
        let token;
        let auth = match &request.key_header {
            Some(key) => Auth::Key(key),
            None => {
                token = self.config.admin_token.current();
                Auth::Bearer(&token)
            }
        };
        let reply = self.transport.perform(url, request, auth).await?;
        if reply.status == 429 {
            return Err(Error::RateLimited { retry_after: retry_after(reply.retry_after.as_deref()) });
        }
        if !(200..300).contains(&reply.status) {
            return Err(Error::from_status(reply.status, &reply.body));
        }
        Ok(reply)
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
}

/// `Retry-After` in seconds (the form Social+ sends); an HTTP date or garbage reads as none.
fn retry_after(value: Option<&str>) -> Option<Duration> {
    value.and_then(|v| v.trim().parse::<u64>().ok()).map(Duration::from_secs)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        endpoints::Method,
        testing::{Canned, ScriptedTransport},
        wire::UserEnvelope,
    };

    /// `GET /api/v3/users`, as a test endpoint of its own.
    struct Users;

    impl Endpoint for Users {
        type Response = UserEnvelope;
        fn request(&self) -> Request {
            Request::get(&["api", "v3", "users"])
        }
    }

    /// `POST /api/v2/users/ban`, whose answer has no body.
    struct Ban(Option<&'static str>);

    impl Endpoint for Ban {
        type Response = ();
        fn request(&self) -> Request {
            let request = Request::post(&["api", "v2", "users", "ban"]).idempotent(true);
            match self.0 {
                Some(key) => request.with_key_header("x-api-key", SecretString::from(key)),
                None => request,
            }
        }
    }

    const USERS: &str = r#"{"users":[{"userId":"u1","createdAt":"x","updatedAt":"y"}],"files":[]}"#;

    #[tokio::test]
    async fn a_429_with_retry_after_is_waited_out_and_retried() {
        let mut config = ClientConfig::new("http://scripted.invalid".parse().expect("url"), "t".into());
        config.budget_per_second = None;
        let (client, script) = ScriptedTransport::client_with(config);
        script.answer(Method::Get, "/api/v3/users", Canned::raw(429, "{}").retry_after("1"));
        script.answer(Method::Get, "/api/v3/users", Canned::raw(200, USERS));
        let started = Instant::now();
        let page = client.send(&Users).await.expect("the retry succeeds");
        assert_eq!(page.users[0].user_id, "u1");
        assert_eq!(script.requests().len(), 2);
        assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
    }

    #[tokio::test]
    async fn a_retry_after_longer_than_the_policy_allows_fails_at_once_with_the_wait() {
        let config = ClientConfig::new("http://s.invalid".parse().expect("url"), "t".into());
        let (client, script) = ScriptedTransport::client_with(config);
        script.answer(Method::Get, "/api/v3/users", Canned::raw(429, "{}").retry_after("60"));
        let err = client.send(&Users).await.expect_err("rate limited");
        assert!(matches!(err, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(60)));
        assert_eq!(script.requests().len(), 1);
    }

    #[tokio::test]
    async fn an_empty_success_is_the_answer_of_an_endpoint_without_a_body() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Post, "/api/v2/users/ban", Canned::empty(200));
        client.send(&Ban(None)).await.expect("an empty 200 is success");
    }

    #[tokio::test]
    async fn an_unexpected_shape_is_a_decode_error_with_its_path() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Get, "/api/v3/users", Canned::raw(200, r#"{"users":[{"userId":42}]}"#));
        let err = client.send(&Users).await.expect_err("fails");
        let Error::Decode { path, .. } = err else { panic!("expected a decode error, got {err:?}") };
        assert_eq!(path, "users[0].userId");
    }

    #[tokio::test]
    async fn an_error_envelope_is_a_status_error_and_a_4xx_is_not_retried() {
        let config = ClientConfig::new("http://s.invalid".parse().expect("url"), "t".into());
        let (client, script) = ScriptedTransport::client_with(config);
        let body = serde_json::json!({"status": "error", "code": 400400, "message": "User not found."});
        script.answer(Method::Get, "/api/v3/users", Canned::json(404, body));
        let err = client.send(&Users).await.expect_err("fails");
        assert!(err.is_not_found(), "{err:?}");
        assert_eq!(script.requests().len(), 1);
    }

    #[tokio::test]
    async fn the_admin_token_is_the_credential_unless_the_request_names_a_key() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Post, "/api/v2/users/ban", Canned::empty(200));
        client.send(&Ban(None)).await.expect("ok");
        client.send(&Ban(Some("api-key"))).await.expect("ok");
        let sent: Vec<_> = script.requests().iter().map(|r| r.credential).collect();
        assert_eq!(sent, vec!["bearer", "x-api-key"]);
        assert_eq!(script.requests()[0].url.as_str(), "http://scripted.invalid/api/v2/users/ban");
    }

    #[test]
    fn finding_14_upstream_base_url_must_be_https_except_on_loopback() {
        let problem = |raw: &str| base_url_problem(&Url::parse(raw).expect("url"));
        assert_eq!(problem("https://apix.eu.amity.co"), None);
        assert_eq!(problem("http://127.0.0.1:4010"), None);
        assert_eq!(problem("http://[::1]:4010"), None);
        assert_eq!(problem("http://localhost:4010"), None);
        assert!(problem("http://apix.eu.amity.co").is_some_and(|p| p.contains("https")));
        assert!(problem("http://10.0.0.5:4010").is_some());
        assert!(problem("http://localhost.evil.example").is_some());
        assert!(problem("ftp://apix.eu.amity.co").is_some());
        let config = ClientConfig::new(
            Url::parse("http://apix.eu.amity.co").expect("url"),
            SecretString::from("token"),
        );
        assert!(matches!(Client::new(config), Err(Error::Config(_))), "the builder refuses it too");
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_anything_else_is_ignored() {
        assert_eq!(retry_after(Some(" 3 ")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after(None), None);
    }
}
