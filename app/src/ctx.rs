//! The first line of every server function: who is calling, may they, and with what.
//!
//! `require(permission)` reads the signed-in user that the server's session gate put in
//! the request, checks the Role → Permission table, and returns the caller as the
//! use-cases' [`backend::Actor`] with the services. Anything missing means "deny". A
//! use-case's [`backend::Error`] becomes an [`AppError`] with `?` (`From`): the cause is
//! logged under the request id and the HTTP status set.
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
    /// Who is calling, as the use-cases take them (with the request id).
    pub actor: backend::Actor,
    /// Who is calling, as the session knows them.
    pub user: CurrentUser,
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
    let Some(user) = current_user() else {
        return Err(with_status(AppError::Unauthenticated));
    };
    if !user.can(permission) {
        tracing::warn!(actor = %user.id, ?permission, "permission denied");
        audit_denial(&user, permission, &request_id);
        return Err(with_status(AppError::Forbidden));
    }
    let Some(state) = use_context::<AppState>() else {
        tracing::error!(incident = %request_id, "AppState missing from the server-function context");
        return Err(with_status(AppError::Internal { incident: request_id }));
    };
    Ok(Ctx { actor: backend::Actor::person(&user, &request_id), user, services: state.services, request_id })
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
            actor_id: &self.user.id,
            actor_role: Some(self.user.role.as_str()),
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
        self.services.throttle.start(&self.user.id, work).map_err(|refused| {
            tracing::info!(actor = %self.user.id, ?work, "refused by the per-person limit");
            backend::Error::Throttled { message: refused.message, retry_after_secs: refused.retry_after_secs }
                .into()
        })
    }

    /// A 404 for `what` (e.g. "User “ann”").
    pub fn not_found(&self, what: String) -> AppError {
        with_status(AppError::NotFound { what })
    }

    /// Maps a use-case error to what the caller sees (as `?` does).
    pub fn fail(&self, error: backend::Error) -> AppError {
        error.into()
    }
}

impl From<backend::Error> for AppError {
    /// What the caller sees of a failed use-case: its words for the person, or an incident id
    /// for what is the console's own fault (logged with the cause). Sets the HTTP status and,
    /// for a throttled call, `Retry-After`.
    fn from(error: backend::Error) -> Self {
        if let backend::Error::Throttled { retry_after_secs, .. } = &error
            && let Some(response) = use_context::<ResponseOptions>()
            && let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.insert_header(http::header::RETRY_AFTER, value);
        }
        with_status(app_error(error, &request_id()))
    }
}

/// [`AppError`] for a use-case's error, logging what the person is not shown under
/// `request_id`.
fn app_error(error: backend::Error, request_id: &str) -> AppError {
    use backend::Error as E;
    match error {
        E::Invalid { field, message } => AppError::InvalidInput { field, message },
        E::NotFound { what } => AppError::NotFound { what },
        E::Conflict { message } => AppError::Conflict { message },
        E::Forbidden { message } => {
            tracing::info!(%request_id, %message, "refused for this input");
            AppError::Forbidden
        }
        E::Throttled { message, retry_after_secs } => AppError::TooManyRequests { message, retry_after_secs },
        E::Upstream(failure) if failure.is_internal() => {
            tracing::error!(incident = %request_id, error = ?failure.source(), "Social+ answer not usable");
            AppError::Internal { incident: request_id.to_owned() }
        }
        E::Upstream(failure) => {
            tracing::warn!(%request_id, error = ?failure.source(), "upstream call failed");
            AppError::Upstream { message: failure.message(), upstream_code: failure.code() }
        }
        E::Internal(cause) => {
            tracing::error!(incident = %request_id, error = %cause, "server function failed");
            AppError::Internal { incident: request_id.to_owned() }
        }
    }
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

    #[test]
    fn field_problems_and_refusals_keep_their_words() {
        let error = app_error(backend::Error::invalid("roles", "No."), "r1");
        assert_eq!(error, AppError::InvalidInput { field: "roles".into(), message: "No.".into() });
        assert_eq!(error.status_code(), 422);
        assert_eq!(app_error(backend::Error::conflict("Changed."), "r1").status_code(), 409);
    }

    #[test]
    fn internal_causes_become_an_incident_without_their_text() {
        let error = app_error(backend::Error::internal("disk on fire"), "req-9");
        assert_eq!(error, AppError::Internal { incident: "req-9".into() });
        assert!(!error.to_string().contains("disk"));
    }
}
