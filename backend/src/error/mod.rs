//! The one error of the use-cases, sorted by what the caller does about it.
//!
//! Policy: a use-case says *what* went wrong in words a person can act on — which field is
//! invalid, what was not found, what conflicts, why the role may not — and the UI shows it as
//! it is. Social+ failures are explained once, by [`explain`]. Internal causes (database,
//! tasks, bugs) are logged with the request id by whoever turns the error into an answer, and
//! never shown: the person gets an incident id.

mod upstream;

pub use upstream::{TOKEN_REFUSED, UpstreamFailure, explain};

/// A failed use-case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field of the input is wrong; `message` says how to fix it.
    #[error("{field}: {message}")]
    Invalid {
        /// The form field (or argument) name.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The thing asked for does not exist.
    #[error("{what} was not found.")]
    NotFound {
        /// What was looked for, e.g. "User “ann”".
        what: String,
    },
    /// The request conflicts with the current state: it changed meanwhile, it exists already,
    /// someone else holds it.
    #[error("{message}")]
    Conflict {
        /// What conflicts, and what to do.
        message: String,
    },
    /// The caller's role may not do this with this input (the permission of the call itself
    /// is checked before the use-case runs).
    #[error("{message}")]
    Forbidden {
        /// Why not, in words.
        message: String,
    },
    /// The caller asked too often; try again after `retry_after_secs`.
    #[error("{message}")]
    Throttled {
        /// What is limited.
        message: String,
        /// When to try again.
        retry_after_secs: u64,
    },
    /// Social+ refused or failed the call.
    #[error(transparent)]
    Upstream(#[from] UpstreamFailure),
    /// A bug or an outage on the console's side; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// `field` is invalid: `message` says why.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    /// `what` (e.g. "User “ann”") does not exist.
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    /// The request conflicts with the current state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict { message: message.into() }
    }

    /// The role may not do this with this input.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden { message: message.into() }
    }

    /// An internal failure (logged, not shown).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Error::Internal(message.to_string())
    }

    /// The Social+ failure, when it was one.
    pub fn upstream(&self) -> Option<&UpstreamFailure> {
        match self {
            Error::Upstream(failure) => Some(failure),
            _ => None,
        }
    }

    /// The HTTP status Social+ answered, when the error came from an answer.
    pub fn upstream_status(&self) -> Option<u16> {
        self.upstream().and_then(UpstreamFailure::status)
    }
}

impl From<::upstream::Error> for Error {
    fn from(error: ::upstream::Error) -> Self {
        Error::Upstream(UpstreamFailure::from(error))
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Error::Internal(format!("database error: {error}"))
    }
}
