//! Requests as values: each endpoint is a function that builds a [`Request`], and
//! [`crate::Client::send`] is the one path that performs any of them.

pub mod comments;
pub mod communities;
pub mod messages;
pub mod moderation;
pub mod posts;
pub mod stories;
pub mod users;

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl Request {
    /// A GET of these segments.
    pub fn get(segments: &[&str]) -> Self {
        Self {
            method: Method::Get,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            body: None,
            idempotent: true,
        }
    }

    /// A request with this method; `idempotent` decides whether a failure may be retried.
    pub fn new(method: Method, segments: &[&str], idempotent: bool) -> Self {
        Self { method, idempotent, ..Self::get(segments) }
    }

    /// A POST of these segments.
    pub fn post(segments: &[&str], idempotent: bool) -> Self {
        Self::new(Method::Post, segments, idempotent)
    }

    /// A PUT of these segments.
    pub fn put(segments: &[&str], idempotent: bool) -> Self {
        Self::new(Method::Put, segments, idempotent)
    }

    /// A DELETE of these segments.
    pub fn delete(segments: &[&str], idempotent: bool) -> Self {
        Self::new(Method::Delete, segments, idempotent)
    }

    /// The same request with this JSON body.
    pub fn with_body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The same request with these query pairs.
    pub fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }

    /// `/api/v3/users/{id}` with placeholders for path parameters, for logs.
    pub fn path_for_logs(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}
