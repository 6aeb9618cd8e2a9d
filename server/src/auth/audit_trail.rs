//! Sign-in events in the audit trail: one call per attempt, whatever the method.

use backend::audit::{self, Entry, Outcome};
use serde_json::{Value, json};
use sqlx::SqlitePool;

/// One sign-in attempt's context.
pub struct Attempt<'a> {
    /// The console database.
    pub db: &'a SqlitePool,
    /// The request.
    pub request_id: &'a str,
    /// `bootstrap`, `oidc` or `proxy`.
    pub method: &'a str,
}

impl Attempt<'_> {
    /// Appends a `sign_in` entry; `details` gains the method. A failed write is logged.
    pub async fn record(&self, actor: &str, role: Option<&str>, outcome: Outcome, details: Value) {
        let mut details = if details.is_object() { details } else { json!({}) };
        details["method"] = json!(self.method);
        append(self.db, "sign_in", actor, role, outcome, self.request_id, details).await;
    }
}

/// Appends any access entry (sign-in, sign-out, denied request). A failed write is logged.
pub async fn append(
    db: &SqlitePool,
    action: &str,
    actor: &str,
    role: Option<&str>,
    outcome: Outcome,
    request_id: &str,
    details: Value,
) {
    let entry = Entry {
        actor_id: actor,
        actor_role: role,
        action,
        target: None,
        outcome,
        request_id: Some(request_id),
        details,
    };
    if let Err(error) = audit::append(db, &entry).await {
        tracing::error!(%error, "could not write the audit entry");
    }
}
