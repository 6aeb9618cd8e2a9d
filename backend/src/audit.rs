//! The audit trail: append-only. There is deliberately no function here that updates or
//! deletes an entry.

use serde_json::Value;
use sqlx::SqlitePool;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// How an audited action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It was done.
    Success,
    /// The actor was not allowed.
    Denied,
    /// It was attempted and failed.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One entry to append.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// Who: console account id, or the name tried at a failed sign-in.
    pub actor_id: &'a str,
    /// Their role at the time, when known.
    pub actor_role: Option<&'a str>,
    /// Stable snake_case action code (`sign_in`, `sign_out`…).
    pub action: &'a str,
    /// What was acted on.
    pub target: Option<&'a str>,
    /// How it ended.
    pub outcome: Outcome,
    /// The request that did it.
    pub request_id: Option<&'a str>,
    /// Anything else worth keeping (never secrets).
    pub details: Value,
}

/// Appends an entry.
pub async fn append(db: &SqlitePool, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
    let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_role, action, target, outcome, request_id, details) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(entry.actor_id)
    .bind(entry.actor_role)
    .bind(entry.action)
    .bind(entry.target)
    .bind(entry.outcome.as_str())
    .bind(entry.request_id)
    .bind(entry.details.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// A stored entry, newest first from [`recent`].
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEntry {
    /// Sequence number.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor_id: String,
    /// What.
    pub action: String,
    /// How it ended.
    pub outcome: String,
}

/// The latest `limit` entries.
pub async fn recent(db: &SqlitePool, limit: u32) -> Result<Vec<StoredEntry>, sqlx::Error> {
    sqlx::query_as("SELECT id, at, actor_id, action, outcome FROM audit_log ORDER BY id DESC LIMIT ?")
        .bind(i64::from(limit))
        .fetch_all(db)
        .await
}
