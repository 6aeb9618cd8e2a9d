//! Every page and server function requires a session; only the sign-in flow, health checks
//! and static files are public. Pages redirect to `/login?next=…`; server functions answer
//! 401 with an `AppError`. The signed-in user is put in the request for server functions.

use super::session::{ConsoleSession, SessionState};
use app::AppError;
use axum::{
    Json,
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

/// What the gate needs to know.
#[derive(Clone, Copy, Debug)]
pub struct GateConfig {
    /// Absolute session lifetime in seconds.
    pub absolute_secs: i64,
}

/// Paths anyone may reach.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/auth/login"
            | "/auth/logout"
            | "/auth/oidc/login"
            | "/auth/oidc/callback"
            | "/healthz"
            | "/readyz"
            | "/favicon.svg"
            | "/theme"
            // Authenticated by its own signature (server/src/appeals.rs), not a session.
            | "/intake/appeals"
    ) || path.starts_with("/pkg/")
}

/// The session gate (an axum middleware).
pub async fn require_session(
    State(config): State<GateConfig>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let state = match ConsoleSession(session).state(config.absolute_secs).await {
        Ok(state) => state,
        Err(error) => {
            tracing::error!(%error, "session store failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "session store unavailable").into_response();
        }
    };
    match state {
        SessionState::SignedIn(user) => {
            if path == "/login" {
                return Redirect::to("/users").into_response();
            }
            request.extensions_mut().insert(user);
            next.run(request).await
        }
        _ if is_public(&path) => next.run(request).await,
        other => deny(&request, other == SessionState::Expired),
    }
}

fn deny(request: &Request, expired: bool) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") {
        return (StatusCode::UNAUTHORIZED, Json(AppError::Unauthenticated)).into_response();
    }
    let next = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or("/users");
    let mut target = format!("/login?next={}", types::url::encode_component(next));
    if expired {
        target.push_str("&error=expired");
    }
    Redirect::to(&target).into_response()
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn only_the_sign_in_flow_health_and_static_files_are_public() {
        for path in
            ["/login", "/auth/login", "/auth/oidc/callback", "/healthz", "/readyz", "/pkg/console.wasm"]
        {
            assert!(is_public(path), "{path}");
        }
        for path in ["/", "/users", "/users/x", "/api/list_users", "/api/current_user", "/settings", "/pkgx"]
        {
            assert!(!is_public(path), "{path}");
        }
    }
}
