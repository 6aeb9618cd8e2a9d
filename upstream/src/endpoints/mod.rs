//! Requests as values: each endpoint is a type implementing [`Endpoint`] (its fields are the
//! call's parameters; it builds a [`Request`] and names what a success decodes into), and
//! [`crate::Client::send`] is the one path that performs any of them.
//!
//! Every endpoint type's doc comment starts with `` `METHOD /spec/path` ``: `cargo xtask
//! contract` reads those lines to report which endpoints the spec declares, the stand-in
//! serves and a test covers.

pub mod admin_token;
pub mod blocklist;
pub mod comments;
pub mod communities;
pub mod files;
pub mod messages;
pub mod moderation;
pub mod moderation_settings;
pub mod network_settings;
pub mod posts;
pub mod reports;
pub mod roles;
pub mod sessions;
pub mod stories;
pub mod users;

use crate::decode::Decode;
use secrecy::{ExposeSecret, SecretString};

/// One Social+ operation, as a value: `client.send(&users::GetUser { user_id })`.
pub trait Endpoint {
    /// What a successful answer decodes into; the type decides how (JSON, text, no body).
    type Response: Decode;

    /// The request to send; retries send the same one again.
    fn request(&self) -> Request;
}

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

/// One API call, before it is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path segments after the base URL, unencoded (`["api","v3","users", user_id]`).
    pub segments: Vec<String>,
    /// Query pairs, already in bracket style.
    pub query: Vec<(String, String)>,
    /// JSON body.
    pub body: Option<serde_json::Value>,
    /// Whether sending it twice has the same effect as once (decides retries).
    pub idempotent: bool,
    /// A network key sent instead of the admin token (`x-api-key`, `x-server-key`).
    pub key_header: Option<KeyHeader>,
    /// The answer is a file, not JSON (sent with `Accept: */*`).
    pub binary: bool,
}

/// A network key header (`x-api-key` for sessions, `x-server-key` for auth tokens). Sent
/// instead of `Authorization`; never printed.
#[derive(Clone)]
pub struct KeyHeader {
    /// Header name.
    pub name: &'static str,
    /// The key.
    pub value: SecretString,
}

impl std::fmt::Debug for KeyHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyHeader({}: …)", self.name)
    }
}

impl PartialEq for KeyHeader {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value.expose_secret() == other.value.expose_secret()
    }
}

impl Request {
    /// A GET of these segments.
    pub fn get(segments: &[&str]) -> Self {
        Self::new(Method::Get, segments)
    }

    /// A POST of these segments; not idempotent unless marked so with [`Self::idempotent`].
    pub fn post(segments: &[&str]) -> Self {
        Self { idempotent: false, ..Self::new(Method::Post, segments) }
    }

    /// A PUT of these segments (idempotent unless marked otherwise).
    pub fn put(segments: &[&str]) -> Self {
        Self::new(Method::Put, segments)
    }

    /// A DELETE of these segments (idempotent).
    pub fn delete(segments: &[&str]) -> Self {
        Self::new(Method::Delete, segments)
    }

    fn new(method: Method, segments: &[&str]) -> Self {
        Self {
            method,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            body: None,
            idempotent: true,
            key_header: None,
            binary: false,
        }
    }

    /// The same request, expecting a file rather than JSON.
    pub fn expecting_file(mut self) -> Self {
        self.binary = true;
        self
    }

    /// The same request with this JSON body.
    pub fn with_body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The same request, marked as safe (or not) to send twice.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The same request, authenticated with a network key header instead of the admin token.
    pub fn with_key_header(mut self, name: &'static str, value: SecretString) -> Self {
        self.key_header = Some(KeyHeader { name, value });
        self
    }

    /// The same request with these query pairs.
    pub fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }

    /// The same request with `name` set to `value`: earlier pairs of that name are dropped,
    /// and so is `options[limit]` when a cursor (`options[token]`) is set, since the cursor
    /// already carries the page size.
    pub fn replace_query(mut self, name: &str, value: &str) -> Self {
        let drops_limit = name == "options[token]";
        self.query.retain(|(key, _)| key != name && !(drops_limit && key == "options[limit]"));
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `/api/v3/users/{id}` with placeholders for path parameters, for logs.
    pub fn path_for_logs(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}
