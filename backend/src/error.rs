//! Errors of the use-cases, sorted by what the caller does about them.
//!
//! Policy: upstream errors keep their type so the UI can explain them (token refused,
//! rate limited, unreachable); database errors are internal and are logged, never shown.

/// A failed use-case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Social+ refused or failed the call.
    #[error(transparent)]
    Upstream(#[from] upstream::Error),
    /// The console database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Anything else internal (hashing, blocking task).
    #[error("internal error: {0}")]
    Internal(String),
}
