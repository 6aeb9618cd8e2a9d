//! `Authorization: Bearer <admin token>` on every API route.

use crate::{State, error::ApiError};
use axum::{
    extract::{Request, State as AxumState},
    http::header::AUTHORIZATION,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Rejects requests without the admin token with 401 / code 400100.
pub async fn require_admin_token(
    AxumState(state): AxumState<State>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if state.admin_token.matches(token) => next.run(request).await,
        _ => ApiError::unauthorized().into_response(),
    }
}
