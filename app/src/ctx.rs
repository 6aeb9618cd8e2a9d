//! The first line of every server function: who is calling, may they, and with what.
//!
//! `require(permission)` reads the signed-in user that the server's session gate put in
//! the request, checks the Role → Permission table, and returns the services. Anything
//! missing means "deny". `Ctx::fail` turns a use-case error into an [`AppError`] a person
//! can read, logs the cause under the request id, and sets the HTTP status.
//!
//! A denied call is audited (outcome `denied`, action = the server function's endpoint name)
//! so probing for permissions leaves a trace. `Ctx::record` audits the caller's mutations.

use crate::{AppError, state::AppState};
use backend::Services;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use types::{CurrentUser, Permission};

/// The caller and the services, for one server-function call.
pub struct Ctx {
    /// Who is calling.
    pub actor: CurrentUser,
    /// The use-cases' dependencies.
    pub services: Services,
    /// The request id (also the incident id of internal errors).
    pub request_id: String,
}

/// The signed-in user of the current request, if any.
pub fn current_user() -> Option<CurrentUser> {
    use_context::<http::request::Parts>()?.extensions.get::<CurrentUser>().cloned()
}

/// Checks that the caller is signed in and their role grants `permission`.
pub fn require(permission: Permission) -> Result<Ctx, AppError> {
    let request_id = request_id();
    let Some(actor) = current_user() else {
        return Err(with_status(AppError::Unauthenticated));
    };
    if !actor.can(permission) {
        tracing::warn!(actor = %actor.id, ?permission, "permission denied");
        audit_denial(&actor, permission, &request_id);
        return Err(with_status(AppError::Forbidden));
    }
    let Some(state) = use_context::<AppState>() else {
        tracing::error!(incident = %request_id, "AppState missing from the server-function context");
        return Err(with_status(AppError::Internal { incident: request_id }));
    };
    Ok(Ctx { actor, services: state.services, request_id })
}

/// The services, for the few functions that are public by design (the sign-in page).
pub fn public_services() -> Result<Services, AppError> {
    use_context::<AppState>()
        .map(|state| state.services)
        .ok_or_else(|| with_status(AppError::Internal { incident: request_id() }))
}

/// Writes the denied attempt to the audit trail in the background (the caller gets its 403
/// without waiting for the database).
fn audit_denial(actor: &CurrentUser, permission: Permission, request_id: &str) {
    let Some(state) = use_context::<AppState>() else {
        return;
    };
    let path =
        use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    // A server function called over HTTP is named by its endpoint; one called while a page
    // renders on the server is recorded as opening that page.
    let action = match path.strip_prefix("/api/") {
        Some(endpoint) => endpoint.to_owned(),
        None => "open_page".to_owned(),
    };
    let (actor, request_id) = (actor.clone(), request_id.to_owned());
    tokio::spawn(async move {
        let entry = backend::audit::Entry {
            actor_id: &actor.id,
            actor_role: Some(actor.role.as_str()),
            action: &action,
            target: Some(&path),
            outcome: backend::audit::Outcome::Denied,
            request_id: Some(&request_id),
            details: serde_json::json!({ "permission": permission }),
        };
        if let Err(error) = backend::audit::append(&state.services.db, &entry).await {
            tracing::error!(%error, "could not write the audit entry");
        }
    });
}

impl Ctx {
    /// Appends an audit entry for this caller's action (errors are logged: an action that
    /// already happened upstream is not undone because the trail could not be written).
    pub async fn record(
        &self,
        action: &str,
        target: Option<&str>,
        outcome: backend::audit::Outcome,
        change: backend::audit::Change<'_>,
    ) {
        let entry = backend::audit::Entry {
            actor_id: &self.actor.id,
            actor_role: Some(self.actor.role.as_str()),
            action,
            target,
            outcome,
            request_id: Some(&self.request_id),
            details: serde_json::json!({}),
        };
        if let Err(error) = backend::audit::append_change(&self.services.db, &entry, &change).await {
            tracing::error!(%error, request_id = %self.request_id, "could not write the audit entry");
        }
    }

    /// A 422 for `field`.
    pub fn invalid(&self, field: &str, message: String) -> AppError {
        with_status(AppError::InvalidInput { field: field.to_owned(), message })
    }

    /// Starts `work` under the caller's per-person limit (hold the permit while it runs), or
    /// a 429 that says when to try again.
    pub fn throttled(&self, work: backend::throttle::Work) -> Result<backend::throttle::Permit, AppError> {
        self.services.throttle.start(&self.actor.id, work).map_err(|refused| {
            tracing::info!(actor = %self.actor.id, ?work, "refused by the per-person limit");
            if let Some(response) = use_context::<ResponseOptions>()
                && let Ok(value) = http::HeaderValue::from_str(&refused.retry_after_secs.to_string())
            {
                response.insert_header(http::header::RETRY_AFTER, value);
            }
            with_status(AppError::TooManyRequests {
                message: refused.message,
                retry_after_secs: refused.retry_after_secs,
            })
        })
    }

    /// A 404 for `what` (e.g. "User “ann”").
    pub fn not_found(&self, what: String) -> AppError {
        with_status(AppError::NotFound { what })
    }

    /// Maps a use-case error to what the caller sees, logging internal causes.
    pub fn fail(&self, error: backend::Error) -> AppError {
        let app_error = match error {
            backend::Error::Upstream(e) => {
                tracing::warn!(request_id = %self.request_id, error = %e, "upstream call failed");
                upstream_error(&e, &self.request_id)
            }
            other => {
                tracing::error!(incident = %self.request_id, error = %other, "server function failed");
                AppError::Internal { incident: self.request_id.clone() }
            }
        };
        with_status(app_error)
    }
}

/// Plain-language explanations of upstream failures. None of them quotes the token.
pub fn upstream_error(error: &upstream::Error, request_id: &str) -> AppError {
    use upstream::Error as E;
    let message = match error {
        E::Status { status: 401, code, .. } => format!(
            "Social+ refused the console's admin token (HTTP 401, code {}). An operator needs to \
             check the configured token (CONSOLE_UPSTREAM_ADMIN_TOKEN or its file).",
            code.unwrap_or(400_100)
        ),
        E::Status { status: 403, code, message } => format!(
            "Social+ does not allow the admin token to do this (HTTP 403, code {}): {message}",
            code.map(|c| c.to_string()).unwrap_or_else(|| "none".into())
        ),
        E::Status { status, .. } if *status >= 500 => {
            format!("Social+ had an internal error (HTTP {status}). Please try again in a moment.")
        }
        E::Status { status, code, message } => format!(
            "Social+ rejected the request (HTTP {status}, code {}): {message}",
            code.map(|c| c.to_string()).unwrap_or_else(|| "none".into())
        ),
        E::RateLimited { .. } => {
            "Social+ is rate-limiting the console right now. Please try again in a few seconds.".into()
        }
        E::Timeout(after) => {
            format!("Social+ did not answer within {} seconds. Please try again.", after.as_secs())
        }
        E::Transport(_) => "The console could not reach Social+. Check the network and the \
                            configured region or base URL."
            .into(),
        E::Decode { .. } | E::Config(_) => {
            return AppError::Internal { incident: request_id.to_owned() };
        }
    };
    AppError::Upstream { message, upstream_code: error.code() }
}

/// Sets the response status to match the error (no-op outside a request).
fn with_status(error: AppError) -> AppError {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status_code())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    error
}

fn request_id() -> String {
    use_context::<http::request::Parts>()
        .map(|parts| request_id_of(&parts.headers))
        .unwrap_or_else(|| "unknown".into())
}

/// The request id the server's request-id layer put in `x-request-id` ("unknown" without it).
pub fn request_id_of(headers: &http::HeaderMap) -> String {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("unknown").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_refused_token_is_explained_without_quoting_it() {
        let err =
            upstream::Error::Status { status: 401, code: Some(400_100), message: "Unauthorized.".into() };
        let AppError::Upstream { message, upstream_code } = upstream_error(&err, "r1") else {
            panic!("expected an upstream error");
        };
        assert!(message.contains("refused the console's admin token"));
        assert_eq!(upstream_code, Some(400_100));
    }

    #[test]
    fn timeouts_and_rate_limits_read_as_try_again() {
        let timeout = upstream_error(&upstream::Error::Timeout(Duration::from_secs(10)), "r1");
        assert!(timeout.to_string().contains("within 10 seconds"));
        let limited = upstream_error(&upstream::Error::RateLimited { retry_after: None }, "r1");
        assert!(limited.to_string().contains("rate-limiting"));
    }

    #[test]
    fn undecodable_answers_become_internal_incidents() {
        let err = upstream::Error::Decode { path: "users[0]".into(), message: "x".into() };
        assert_eq!(upstream_error(&err, "req-9"), AppError::Internal { incident: "req-9".into() });
    }
}
