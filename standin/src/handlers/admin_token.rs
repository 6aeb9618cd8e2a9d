//! `POST /api/v1/admin-token`: issues a new admin token and makes it the only valid one, so
//! the token that asked stops working at once. Response `{adminToken, issuedAt, expiresAt}`
//! (CONTRACT.md §a; schema `AdminTokenResponse`); the console's tokens last one year.
//!
//! No webhook event: the official catalogue has none for admin tokens.

use crate::{State, time_fmt};
use axum::{Json, Router, extract::State as AxumState, routing::post};
use time::{Duration, OffsetDateTime};
use upstream::wire::AdminTokenResponse;

/// How long an issued token lives.
const LIFETIME: Duration = Duration::days(365);

/// The admin-token route.
pub fn routes() -> Router<State> {
    Router::new().route("/api/v1/admin-token", post(regenerate_admin_token))
}

/// `POST /api/v1/admin-token`.
pub async fn regenerate_admin_token(AxumState(state): AxumState<State>) -> Json<AdminTokenResponse> {
    let token = crate::generate_token();
    state.admin_token.replace(&token);
    let now = OffsetDateTime::now_utc();
    tracing::info!("stand-in admin token regenerated");
    Json(AdminTokenResponse::new(token, Some(time_fmt::format(now)), Some(time_fmt::format(now + LIFETIME))))
}
