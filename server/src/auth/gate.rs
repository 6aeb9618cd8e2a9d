//! Every page and server function requires a session; only the sign-in flow, health checks
//! and static files are public. Pages redirect to `/login?next=…`; server functions answer
//! 401 with an `AppError`. The signed-in user is put in the request for server functions.

use super::{
    context::SignInContext,
    session::{ConsoleSession, Lifetime, SessionState},
};
use app::AppError;
use axum::{
    Extension,
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use std::sync::Arc;
use tower_sessions::Session;
use types::access::SignInMethod;

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

/// The session gate (an axum middleware). An admin's session also ends after
/// `access.admin_session_hours`, and an OIDC session whose role is due for a re-check is
/// re-checked first (`recheck.rs`).
pub async fn require_session(
    State(config): State<GateConfig>,
    Extension(ctx): Extension<Arc<SignInContext>>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let console = ConsoleSession(session);
    let admin_absolute_secs = i64::try_from(ctx.admin_session.as_secs()).unwrap_or(i64::MAX);
    let lifetime = Lifetime { absolute_secs: config.absolute_secs, admin_absolute_secs };
    let state = match console.state(lifetime).await {
        Ok(SessionState::SignedIn(user)) if user.method == SignInMethod::Oidc && !is_public(&path) => {
            let request_id = app::ctx::request_id_of(request.headers());
            match super::recheck::oidc_still_valid(&ctx, &console, &user, &request_id).await {
                Ok(true) => Ok(SessionState::SignedIn(user)),
                Ok(false) => return deny(&request, Some("access_changed")),
                Err(error) => Err(error),
            }
        }
        other => other,
    };
    let state = match state {
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
        SessionState::Expired => deny(&request, Some("expired")),
        SessionState::Anonymous => deny(&request, None),
    }
}

/// 401 for server functions; other paths go to the sign-in page, with `error` explained there.
fn deny(request: &Request, error: Option<&str>) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") {
        return AppError::Unauthenticated.into_response();
    }
    let next = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or("/users");
    let mut target = format!("/login?next={}", types::url::encode_component(next));
    if let Some(error) = error {
        target.push_str(&format!("&error={error}"));
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
