//! `Authorization: Bearer <token>` on every API route. The admin token may call everything;
//! a user access token (from `POST /api/v4/sessions`) only the routes in [`USER_ROUTES`], and
//! not at all while its user is globally banned (403 / 400312) or after it was revoked (401).
//! Handlers read who called from the [`Caller`] request extension.

use crate::{State, error::ApiError, sessions};
use axum::{
    extract::{Request, State as AxumState},
    http::{Method, header::AUTHORIZATION},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The network's admin token.
    Admin,
    /// A user's access token.
    User(sessions::SessionUser),
}

/// Routes a user token may call (method, path; a trailing `/*` matches anything below), as
/// the spec allows user auth there. Everything else needs the admin token. Content routes
/// join this list as they are built.
pub const USER_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v3/users"),
    ("GET", "/api/v3/users/*"),
    ("GET", "/api/v3/sessions"),
    ("DELETE", "/api/v4/sessions"),
    ("POST", "/api/v4/me/flags/*"),
    ("DELETE", "/api/v4/me/flags/*"),
];

fn user_may_call(method: &Method, path: &str) -> bool {
    USER_ROUTES.iter().any(|(m, pattern)| {
        *m == method.as_str()
            && match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix) && path.len() > prefix.len(),
                None => path == *pattern,
            }
    })
}

/// Admits the admin token everywhere and live, unbanned user tokens on [`USER_ROUTES`];
/// answers 401 / 400100 otherwise (403 / 400301 for a user token on an admin route).
pub async fn authenticate(AxumState(state): AxumState<State>, mut request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let Some(token) = presented else {
        return ApiError::unauthorized().into_response();
    };
    if state.admin_token.matches(&token) {
        request.extensions_mut().insert(Caller::Admin);
        return next.run(request).await;
    }
    let user = match sessions::resolve(&state.db, &token).await {
        Ok(Some(user)) => user,
        Ok(None) => return ApiError::unauthorized().into_response(),
        Err(error) => return error.into_response(),
    };
    if !user_may_call(request.method(), request.uri().path()) {
        return ApiError::permission_denied().into_response();
    }
    if user.is_global_ban {
        return ApiError::global_ban().into_response();
    }
    tracing::debug!(user = %user.user_id, "user token");
    if let Err(error) = sessions::touch(&state.db, &user.internal_id).await {
        return error.into_response();
    }
    request.extensions_mut().insert(Caller::User(user));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_tokens_reach_only_the_listed_routes() {
        assert!(user_may_call(&Method::GET, "/api/v3/users"));
        assert!(user_may_call(&Method::GET, "/api/v3/users/abc"));
        assert!(!user_may_call(&Method::GET, "/api/v3/usersx"));
        assert!(!user_may_call(&Method::PUT, "/api/v3/users"));
        assert!(user_may_call(&Method::POST, "/api/v4/me/flags/bob"));
        assert!(!user_may_call(&Method::DELETE, "/api/v4/sessions/users/bob"));
        assert!(!user_may_call(&Method::GET, "/api/v3/network-settings/prehook"));
    }
}
