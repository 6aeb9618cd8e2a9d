//! The audit entry of a download route (the audit and users exports): who asked, what for,
//! how it ended. A failed write is logged, never turned into a failed download.

use backend::audit::{Entry, Outcome, append};
use sqlx::SqlitePool;
use types::CurrentUser;

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
