//! Test doubles for the client: a [`ScriptedTransport`] answers canned replies per method and
//! path and records what was sent, so code that talks to Social+ can be tested without a
//! server, through the real send path (budget, retry, decoding).
//!
//! ```
//! # async fn example() -> Result<(), upstream::Error> {
//! use upstream::{
//!     endpoints::{Method, users::BanUser},
//!     testing::{Canned, ScriptedTransport},
//! };
//! let (client, script) = ScriptedTransport::client();
//! script.answer(Method::Post, "/api/v2/users/ban", Canned::empty(200));
//! client.send(&BanUser { user_id: "u1" }).await?;
//! assert_eq!(script.requests()[0].request.body, Some(serde_json::json!({"userId": "u1"})));
//! # Ok(())
//! # }
//! ```

use crate::{
    Client, ClientConfig, Error,
    endpoints::{Method, Request},
    retry::RetryPolicy,
    transport::{Auth, Reply, Transport},
};
use async_trait::async_trait;
use secrecy::SecretString;
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
};
use url::Url;

/// One canned reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canned(Reply);

impl Canned {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self(Reply { status, retry_after: None, content_type: None, body: body.to_string().into_bytes() })
    }

    /// `status` with this body as it is (text, CSV, malformed JSON).
    pub fn raw(status: u16, body: &str) -> Self {
        Self(Reply { status, retry_after: None, content_type: None, body: body.as_bytes().to_vec() })
    }

    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Self(Reply { status, retry_after: None, content_type: None, body: Vec::new() })
    }

    /// The same reply with a `Content-Type` header.
    pub fn content_type(mut self, value: &str) -> Self {
        self.0.content_type = Some(value.to_owned());
        self
    }

    /// The same reply with a `Retry-After` header.
    pub fn retry_after(mut self, value: &str) -> Self {
        self.0.retry_after = Some(value.to_owned());
        self
    }
}

/// A request as the transport received it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The request (its key header, if any, stays redacted in `Debug`).
    pub request: Request,
    /// The URL it went to (base URL and path).
    pub url: Url,
    /// `"bearer"` for the admin token, else the key header's name (`x-api-key`).
    pub credential: &'static str,
}

/// A transport that answers from a script: per method and path, canned replies in order, the
/// last one repeating. Anything unscripted gets a 500 naming the request, so a test that
/// forgot a reply fails loudly.
#[derive(Default)]
pub struct ScriptedTransport {
    script: Mutex<HashMap<(Method, String), VecDeque<Canned>>>,
    recorded: Mutex<Vec<Recorded>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl ScriptedTransport {
    /// A client over a fresh script, without retries or budget, and the script to fill.
    pub fn client() -> (Client, Arc<Self>) {
        let mut config = ClientConfig::new(
            Url::parse("http://scripted.invalid").expect("a literal URL parses"),
            SecretString::from("scripted-admin-token"),
        );
        config.retry = RetryPolicy::none();
        config.budget_per_second = None;
        Self::client_with(config)
    }

    /// A client with this configuration (retry policy, budget) over a fresh script.
    pub fn client_with(config: ClientConfig) -> (Client, Arc<Self>) {
        let script = Arc::new(Self::default());
        (Client::with_transport(config, script.clone()), script)
    }

    /// Adds `reply` to the answers for `method path` (path without the query, e.g.
    /// `/api/v3/users/u1`).
    pub fn answer(&self, method: Method, path: &str, reply: Canned) -> &Self {
        lock(&self.script).entry((method, path.to_owned())).or_default().push_back(reply);
        self
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.recorded).clone()
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn perform(&self, url: Url, request: &Request, auth: Auth<'_>) -> Result<Reply, Error> {
        let credential = match auth {
            Auth::Bearer(_) => "bearer",
            Auth::Key(key) => key.name,
        };
        lock(&self.recorded).push(Recorded { request: request.clone(), url, credential });
        let path = request.path_for_logs();
        let mut script = lock(&self.script);
        let reply = match script.get_mut(&(request.method, path.clone())) {
            Some(replies) if replies.len() > 1 => replies.pop_front(),
            Some(replies) => replies.front().cloned(),
            None => None,
        };
        Ok(reply.map(|c| c.0).unwrap_or_else(|| Reply {
            status: 500,
            retry_after: None,
            content_type: None,
            body: format!("unscripted: {:?} {path}", request.method).into_bytes(),
        }))
    }
}
