//! The API's routes. Each resource has its own module with a `routes()` function.

mod comments;
mod communities;
mod messages;
mod moderation;
mod posts;
mod review;
mod sideload;
mod stories;
mod users;

use crate::{State, auth, error::ApiError};
use axum::{Router, middleware};

/// Every route, behind the admin-token check; unknown paths answer 404 / 400400.
pub fn routes(state: State) -> Router {
    Router::new()
        .merge(users::routes())
        .merge(posts::routes())
        .merge(comments::routes())
        .merge(moderation::routes())
        .merge(communities::routes())
        .merge(messages::routes())
        .merge(stories::routes())
        .fallback(|| async { ApiError::not_found("Resource") })
        .layer(middleware::from_fn_with_state(state.clone(), auth::require_admin_token))
        .with_state(state)
}
