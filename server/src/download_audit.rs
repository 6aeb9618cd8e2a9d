//! The access check and audit entry of the plain routes (not server functions): downloads,
//! uploads, reports, backfill. Who asked, what for, how it ended. A failed audit write is
//! logged, never turned into a failed request.

use app::AppError;
use axum::{
    Extension,
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use backend::audit::{Entry, Outcome, append};
use sqlx::SqlitePool;
use types::{CurrentUser, Permission};

/// The signed-in caller and the request id, when they hold `permission`; otherwise the
/// answer to send: 401 without a session, 403 without the permission (audited as `action`,
/// denied, with `details` and the permission).
pub async fn require(
    db: &SqlitePool,
    user: Option<Extension<CurrentUser>>,
    headers: &HeaderMap,
    action: &str,
    permission: Permission,
    details: serde_json::Value,
) -> Result<(CurrentUser, String), Response> {
    let request_id = app::ctx::request_id_of(headers);
    let Some(Extension(user)) = user else {
        return Err(AppError::Unauthenticated.into_response());
    };
    if !user.can(permission) {
        let mut details = details;
        if let Some(fields) = details.as_object_mut() {
            fields.insert("permission".into(), serde_json::json!(permission));
        }
        record(db, &user, &request_id, action, Outcome::Denied, details).await;
        return Err(AppError::Forbidden.into_response());
    }
    Ok((user, request_id))
}

/// Starts `work` for `user` under their per-person limit (hold the permit while it runs), or
/// the 429 to send, with `Retry-After`.
#[expect(clippy::result_large_err, reason = "the answer a handler returns at once, as `require`'s is")]
pub fn throttled(
    services: &backend::Services,
    user: &CurrentUser,
    work: backend::throttle::Work,
) -> Result<backend::throttle::Permit, Response> {
    services.throttle.start(&user.id, work).map_err(|refused| {
        tracing::info!(actor = %user.id, ?work, "refused by the per-person limit");
        AppError::TooManyRequests { message: refused.message, retry_after_secs: refused.retry_after_secs }
            .into_response()
    })
}

/// Appends `action` by `user` with `outcome` and `details`.
pub async fn record(
    db: &SqlitePool,
    user: &CurrentUser,
    request_id: &str,
    action: &str,
    outcome: Outcome,
    details: serde_json::Value,
) {
    let entry = Entry {
        actor_id: &user.id,
        actor_role: Some(user.role.as_str()),
        action,
        target: None,
        outcome,
        request_id: Some(request_id),
        details,
    };
    if let Err(error) = append(db, &entry).await {
        tracing::error!(%error, "could not write the audit entry");
    }
}
