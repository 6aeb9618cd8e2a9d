//! The HTTP client `openidconnect` uses (discovery, JWKS, token exchange), over the
//! workspace's reqwest: redirects are not followed (a provider never needs them for these
//! calls, and following them would let a redirect point the console anywhere), and every
//! call has a timeout.

use openidconnect::{HttpRequest, HttpResponse};
use std::time::Duration;

/// Why a call to the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Transport failure.
    #[error("request to the identity provider failed: {0}")]
    Transport(#[from] reqwest::Error),
    /// A response that could not be rebuilt.
    #[error("unexpected response from the identity provider: {0}")]
    Response(#[from] http::Error),
}

/// Builds the client: no redirects, short timeouts.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
}

/// Sends one `openidconnect` request.
pub async fn send(client: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let response = client.execute(reqwest::Request::try_from(request)?).await?;
    let mut builder = http::Response::builder().status(response.status()).version(response.version());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder.body(body)?)
}
