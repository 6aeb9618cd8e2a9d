//! The API's routes. Each resource has its own module.

mod users;

use crate::{State, auth, error::ApiError};
use axum::{Router, middleware, routing::get};

/// Every route, behind the admin-token check; unknown paths answer 404 / 400400.
pub fn routes(state: State) -> Router {
    Router::new()
        .route("/api/v3/users", get(users::query_users))
        .route("/api/v3/users/list", get(users::list_users_by_ids))
        .route("/api/v3/users/{user_id}", get(users::get_user))
        .fallback(|| async { ApiError::not_found("Resource") })
        .layer(middleware::from_fn_with_state(state.clone(), auth::require_admin_token))
        .with_state(state)
}
