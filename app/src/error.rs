//! `AppError`: what a server function can fail with, as the browser sees it.
//!
//! Policy: messages are written for the person at the screen. Internal causes never cross
//! the wire — they are logged with the request id, and the client gets
//! `Internal { incident }` with that id to quote. Codes are stable snake_case.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A failure a page can show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// No session, or it expired.
    #[error("Your session has ended. Please sign in again.")]
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    #[error("Your role does not allow this.")]
    Forbidden,
    /// The thing asked for does not exist.
    #[error("{what} was not found.")]
    NotFound {
        /// What was looked for, e.g. "User ann-01".
        what: String,
    },
    /// The request conflicts with the current state (it changed meanwhile, it exists
    /// already, someone else holds it); `message` says what to do.
    #[error("{message}")]
    Conflict {
        /// What conflicts, and what to do.
        message: String,
    },
    /// Social+ refused or failed; `message` says what to do.
    #[error("{message}")]
    Upstream {
        /// Plain-language explanation.
        message: String,
        /// The six-digit Social+ code, when there was one.
        upstream_code: Option<u32>,
    },
    /// A field of the request is invalid.
    #[error("{field}: {message}")]
    InvalidInput {
        /// Which field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Started too soon after the last one, or too many at once; `message` says when to
    /// try again (also in the `Retry-After` header).
    #[error("{message}")]
    TooManyRequests {
        /// Why, and when to try again.
        message: String,
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// A bug or outage on our side; details are in the server log under `incident`.
    #[error("Something went wrong on the console server. Incident {incident} has been logged.")]
    Internal {
        /// The request id to look up in the logs.
        incident: String,
    },
    /// The request did not reach the server function or its answer could not be read.
    #[error("The console could not complete the request: {message}")]
    Transport {
        /// What the server-function layer reported.
        message: String,
    },
}

impl AppError {
    /// The HTTP status that goes with the error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound { .. } => 404,
            AppError::Conflict { .. } => 409,
            AppError::InvalidInput { .. } => 422,
            AppError::TooManyRequests { .. } => 429,
            AppError::Upstream { .. } => 502,
            AppError::Internal { .. } | AppError::Transport { .. } => 500,
        }
    }
}

/// A plain route's answer: the status that goes with the error, `Retry-After` when throttled,
/// and the error as JSON (the shape server functions answer with).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status =
            http::StatusCode::from_u16(self.status_code()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        if let AppError::TooManyRequests { retry_after_secs, .. } = &self
            && let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport { message: value.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialize_with_a_stable_code() {
        let json = serde_json::to_value(AppError::NotFound { what: "User x".into() }).expect("serialize");
        assert_eq!(json["code"], "not_found");
        let json = serde_json::to_value(AppError::Unauthenticated).expect("serialize");
        assert_eq!(json["code"], "unauthenticated");
    }
}
