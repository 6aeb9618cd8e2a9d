//! Requests as values: each endpoint is a function that builds a [`Request`], and
//! [`crate::Client::send`] is the one path that performs any of them.

pub mod admin_token;
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
