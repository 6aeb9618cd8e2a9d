//! The API's routes. Each resource has its own module with a `routes()` function.

mod admin_token;
mod blocklist;
pub(crate) mod comments;
mod communities;
mod control;
mod files;
mod messages;
mod moderation;
mod moderation_settings;
mod network_settings;
pub(crate) mod posts;
mod reports;
pub(crate) mod review;
mod roles;
mod sessions;
pub(crate) mod sideload;
mod stories;
mod user_admin;
mod users;

use crate::{State, auth, budget, error::ApiError, faults};
use axum::{Router, middleware};

/// Every route behind the bearer check (admin token, or a user token where allowed), plus the
/// key-authenticated session routes; unknown paths answer 404 / 400400. API routes then pass
/// the request budget and fault injection (in that order); the stand-in's own `/_standin/*`
/// control routes skip both.
pub fn routes(state: State) -> Router {
    Router::new()
        .merge(users::routes())
        .merge(user_admin::routes())
        .merge(sessions::routes())
        .merge(roles::routes())
        .merge(blocklist::routes())
        .merge(network_settings::routes())
        .merge(moderation_settings::routes())
        .merge(reports::routes())
        .merge(admin_token::routes())
        .merge(posts::routes())
        .merge(comments::routes())
        .merge(moderation::routes())
        .merge(communities::routes())
        .merge(messages::routes())
        .merge(stories::routes())
        .merge(files::routes())
        .fallback(|| async { ApiError::not_found("Resource") })
        .layer(middleware::from_fn_with_state(state.clone(), faults::inject))
        .layer(middleware::from_fn_with_state(state.clone(), budget::enforce))
        .merge(control::routes())
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
        // Authenticated by a network key (`x-api-key`, `x-server-key`), not a bearer token;
        // still subject to the budget and to faults like any API route.
        .merge(
            sessions::key_routes()
                .layer(middleware::from_fn_with_state(state.clone(), faults::inject))
                .layer(middleware::from_fn_with_state(state.clone(), budget::enforce)),
        )
        .with_state(state)
}
