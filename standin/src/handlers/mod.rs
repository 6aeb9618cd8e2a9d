//! The API's routes. Each resource has its own module with a `routes()` function.

mod control;
mod users;

use crate::{State, auth, budget, error::ApiError, faults};
use axum::{Router, middleware};

/// Every route, behind the admin-token check; unknown paths answer 404 / 400400. API routes
/// then pass the request budget and fault injection (in that order); the stand-in's own
/// `/_standin/*` control routes skip both.
pub fn routes(state: State) -> Router {
    Router::new()
        .merge(users::routes())
        .fallback(|| async { ApiError::not_found("Resource") })
        .layer(middleware::from_fn_with_state(state.clone(), faults::inject))
        .layer(middleware::from_fn_with_state(state.clone(), budget::enforce))
        .merge(control::routes())
        .layer(middleware::from_fn_with_state(state.clone(), auth::require_admin_token))
        .with_state(state)
}
