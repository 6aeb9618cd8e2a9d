//! Errors as the real API sends them: an HTTP status and the `{status, code, message, data}`
//! envelope with a six-digit code.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use upstream::wire::{ErrorBody, code};

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    /// 400 / 400000 with `data.detail` listing each problem.
    pub fn bad_request(detail: Vec<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody::new(code::BAD_REQUEST, "Bad Request.").with_detail(detail),
        }
    }

    /// 401 / 400100: missing or wrong token.
    pub fn unauthorized() -> Self {
        Self { status: StatusCode::UNAUTHORIZED, body: ErrorBody::new(code::UNAUTHORIZED, "Unauthorized.") }
    }

    /// 403 / 400301: the caller may not do this (a user token on an admin route).
    pub fn permission_denied() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            body: ErrorBody::new(code::PERMISSION_DENIED, "Permission denied."),
        }
    }

    /// 403 / 400312: the user is globally banned.
    pub fn global_ban() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            body: ErrorBody::new(code::GLOBAL_BAN, "User is global banned."),
        }
    }

    /// `status` with any official code and message.
    pub fn with_code(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self { status, body: ErrorBody::new(code, message) }
    }

    /// 404 / 400400.
    pub fn not_found(what: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: ErrorBody::new(code::NOT_FOUND, format!("{what} not found.")),
        }
    }

    /// 500 / 500000; the cause is logged, not sent.
    pub fn unexpected(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "stand-in internal error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: ErrorBody::new(code::UNEXPECTED, "Unexpected error"),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::unexpected(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
