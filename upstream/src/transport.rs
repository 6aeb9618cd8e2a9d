//! The seam under the client: one attempt of one request, nothing more. The budget, the retry
//! policy, the status mapping and the decoding stay in [`crate::Client`] above it, so a test
//! double ([`crate::testing::ScriptedTransport`]) exercises the same send path as reqwest.

use crate::{
    Error,
    endpoints::{KeyHeader, Method, Request},
};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use url::Url;

/// The credential an attempt carries.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    /// `Authorization: Bearer <admin token>`.
    Bearer(&'a SecretString),
    /// A network key header (`x-api-key`, `x-server-key`) instead of the admin token.
    Key(&'a KeyHeader),
}

/// What came back from one attempt, whatever the status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` header as sent, if any.
    pub retry_after: Option<String>,
    /// The `Content-Type` header, if any (file downloads keep it).
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// Performs one attempt of a request. Fails only when no answer came (timeout, connection
/// refused, reset); an error status is an `Ok` [`Reply`] for the client to judge.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `request` to `url` (base URL and path; the query is in `request`) with `auth`.
    async fn perform(&self, url: Url, request: &Request, auth: Auth<'_>) -> Result<Reply, Error>;
}

/// The real transport: reqwest over rustls.
pub(crate) struct ReqwestTransport {
    pub(crate) http: reqwest::Client,
    /// The whole-request timeout the client was built with, for [`Error::Timeout`].
    pub(crate) timeout: Duration,
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn perform(&self, url: Url, request: &Request, auth: Auth<'_>) -> Result<Reply, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let accept = if request.binary { "*/*" } else { "application/json" };
        let mut builder = self.http.request(method, url).header(reqwest::header::ACCEPT, accept);
        builder = match auth {
            Auth::Key(key) => builder.header(key.name, key.value.expose_secret()),
            Auth::Bearer(token) => builder.bearer_auth(token.expose_secret()),
        };
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(|e| self.transport_error(e))?;
        Ok(Reply { status, retry_after, content_type, body: body.to_vec() })
    }
}

impl ReqwestTransport {
    fn transport_error(&self, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(self.timeout)
        } else {
            // Without the URL: it is already in the log span and may be long.
            Error::Transport(error.without_url().to_string())
        }
    }
}
