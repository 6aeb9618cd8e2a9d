//! The audit trail: append-only. There is deliberately no function here that updates or
//! deletes an entry, and database triggers (migration 0002) refuse both.
//!
//! [`record`] is how a use-case audits its actor's action; [`append`] writes who did what;
//! [`append_change`] adds the reason, the target's state
//! before and after, and the upstream answer. [`query`] reads it back for the Audit page.

pub mod query;

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
    /// Stable lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
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

/// What changed, for entries of mutations. Every field is optional.
#[derive(Clone, Debug, Default)]
pub struct Change<'a> {
    /// Why, as the actor wrote it or the console decided it.
    pub reason: Option<&'a str>,
    /// The target before the action, when known.
    pub before: Option<Value>,
    /// The target after the action, when known.
    pub after: Option<Value>,
    /// The HTTP status Social+ answered with, when the action called it.
    pub upstream_status: Option<u16>,
}

/// Records what `actor` did to `target` and how it ended: the way use-cases write the trail.
/// A failure to write is logged, not returned: an action that already happened on Social+
/// is not undone because its entry could not be stored.
pub async fn record(
    db: &SqlitePool,
    actor: &crate::Actor,
    action: &str,
    target: Option<&str>,
    outcome: Outcome,
    change: Change<'_>,
) {
    let entry = Entry {
        actor_id: &actor.id,
        actor_role: actor.role.as_deref(),
        action,
        target,
        outcome,
        request_id: actor.request_id.as_deref(),
        details: serde_json::json!({}),
    };
    if let Err(error) = append_change(db, &entry, &change).await {
        tracing::error!(%error, request_id = ?actor.request_id, action, "could not write the audit entry");
    }
}

/// Appends an entry.
pub async fn append(db: &SqlitePool, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
    append_change(db, entry, &Change::default()).await
}

/// Appends an entry with what changed.
pub async fn append_change(
    db: &SqlitePool,
    entry: &Entry<'_>,
    change: &Change<'_>,
) -> Result<(), sqlx::Error> {
    let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_role, action, target, outcome, request_id, details, \
         reason, before_json, after_json, upstream_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(entry.actor_id)
    .bind(entry.actor_role)
    .bind(entry.action)
    .bind(entry.target)
    .bind(entry.outcome.as_str())
    .bind(entry.request_id)
    .bind(entry.details.to_string())
    .bind(change.reason)
    .bind(change.before.as_ref().map(Value::to_string))
    .bind(change.after.as_ref().map(Value::to_string))
    .bind(change.upstream_status.map(i64::from))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    async fn db() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database opens");
        (dir, pool)
    }

    fn entry(action: &str) -> Entry<'_> {
        Entry {
            actor_id: "ann",
            actor_role: Some("admin"),
            action,
            target: Some("user:bob"),
            outcome: Outcome::Success,
            request_id: Some("req-1"),
            details: json!({}),
        }
    }

    #[tokio::test]
    async fn entries_can_be_appended_but_never_changed_or_removed() {
        let (_dir, db) = db().await;
        append(&db, &entry("ban_user")).await.expect("append");
        let update = sqlx::query("UPDATE audit_log SET actor_id = 'mallory'").execute(&db).await;
        let delete = sqlx::query("DELETE FROM audit_log").execute(&db).await;
        assert!(update.expect_err("update refused").to_string().contains("append-only"));
        assert!(delete.expect_err("delete refused").to_string().contains("append-only"));
        let kept = recent(&db, 10).await.expect("recent");
        assert_eq!((kept.len(), kept[0].actor_id.as_str()), (1, "ann"));
    }

    #[tokio::test]
    async fn a_change_keeps_reason_before_after_and_the_upstream_status() {
        let (_dir, db) = db().await;
        let change = Change {
            reason: Some("spam"),
            before: Some(json!({"banned": false})),
            after: Some(json!({"banned": true})),
            upstream_status: Some(200),
        };
        append_change(&db, &entry("ban_user"), &change).await.expect("append");
        let page = query::page(&db, &types::audit::AuditQuery::default(), 10).await.expect("page");
        let stored = &page.items[0];
        assert_eq!(stored.reason.as_deref(), Some("spam"));
        assert_eq!(stored.before.as_deref(), Some(r#"{"banned":false}"#));
        assert_eq!(stored.after.as_deref(), Some(r#"{"banned":true}"#));
        assert_eq!(stored.upstream_status, Some(200));
        assert_eq!(stored.request_id.as_deref(), Some("req-1"));
    }
}
