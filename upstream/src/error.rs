//! What can go wrong talking to Social+, sorted by what the caller can do about it.
//!
//! Policy: the client never puts the admin token in an error (reqwest marks the
//! `Authorization` header sensitive and we never format headers), and decode errors carry
//! the JSON path that failed so a contract drift is easy to find in the logs.

use crate::wire::{ErrorBody, code};
use std::time::Duration;

/// A failed call to the Social+ API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with an error status and (usually) its error envelope.
    #[error("Social+ answered HTTP {status}: {message} (code {code:?})")]
    Status {
        /// HTTP status.
        status: u16,
        /// Six-digit Social+ code, when the body was an error envelope.
        code: Option<u32>,
        /// The API's message, or the start of a non-JSON body.
        message: String,
    },
    /// HTTP 429 (code 400311): too many requests.
    #[error("Social+ rate limit reached (retry after {retry_after:?})")]
    RateLimited {
        /// `Retry-After`, when the API sent one.
        retry_after: Option<Duration>,
    },
    /// No answer within the configured timeout.
    #[error("Social+ did not answer within {0:?}")]
    Timeout(Duration),
    /// Connection refused, reset, DNS, TLS…
    #[error("could not reach Social+: {0}")]
    Transport(String),
    /// The answer was not the JSON the contract describes.
    #[error("unexpected answer from Social+ at `{path}`: {message}")]
    Decode {
        /// JSON path of the offending value (`users[3].createdAt`).
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The client could not be built (bad base URL, TLS setup).
    #[error("invalid Social+ client configuration: {0}")]
    Config(String),
}

impl Error {
    /// Builds a status error from the response body, reading the error envelope when present.
    pub fn from_status(status: u16, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(envelope) => Error::Status { status, code: Some(envelope.code), message: envelope.message },
            Err(_) => {
                let text = String::from_utf8_lossy(body);
                let snippet: String = text.trim().chars().take(200).collect();
                Error::Status { status, code: None, message: snippet }
            }
        }
    }

    /// The Social+ error code, when known.
    pub fn code(&self) -> Option<u32> {
        match self {
            Error::Status { code, .. } => *code,
            Error::RateLimited { .. } => Some(code::RATE_LIMITED),
            _ => None,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether the admin token was refused (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Whether the object does not exist (HTTP 404 / code 400400).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404) || self.code() == Some(code::NOT_FOUND)
    }

    /// Whether trying again later may succeed: 429, 5xx, timeouts and transport failures.
    /// A 4xx other than 429 never is.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout(_) | Error::Transport(_) => true,
            Error::Status { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Error::Decode { .. } | Error::Config(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_envelope_is_decoded_into_code_and_message() {
        let body = br#"{"status":"error","code":400400,"message":"User not found.","data":{}}"#;
        let err = Error::from_status(404, body);
        assert_eq!(err.code(), Some(400_400));
        assert!(err.is_not_found());
        assert!(err.to_string().contains("User not found."));
    }

    #[test]
    fn a_non_json_error_body_keeps_a_short_snippet() {
        let body = format!("<html>{}</html>", "x".repeat(1000));
        let err = Error::from_status(502, body.as_bytes());
        let Error::Status { code, message, .. } = &err else {
            panic!("expected a status error, got {err:?}");
        };
        assert_eq!(*code, None);
        assert_eq!(message.chars().count(), 200);
        assert!(err.is_retryable());
    }

    #[test]
    fn client_errors_other_than_429_are_not_retryable() {
        assert!(!Error::from_status(400, b"{}").is_retryable());
        assert!(!Error::from_status(401, b"{}").is_retryable());
        assert!(!Error::from_status(404, b"{}").is_retryable());
        assert!(Error::RateLimited { retry_after: None }.is_retryable());
    }
}
