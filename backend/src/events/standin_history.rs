//! The embedded stand-in's activity history (its seeded log of posts, comments, reactions,
//! flags, joins and sign-ups over the last weeks) is taken in once, through the signed
//! webhook intake like any delivery, so a demo console opens on living charts. Whether it
//! was taken in is recorded in the audit trail (a system entry naming the history), which
//! the next start reads: a replay cut short, or with deliveries refused, is tried again
//! (every event is stored once: deliveries dedupe by body, events by happening).

use crate::audit::{self, Entry, Outcome};
use sqlx::SqlitePool;

/// The audit action of a finished replay.
pub const ACTION: &str = "standin_history_replayed";

/// Whether the history named `history_id` was taken in completely.
pub async fn was_taken_in(db: &SqlitePool, history_id: &str) -> Result<bool, sqlx::Error> {
    let found: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = ? AND target = ? AND outcome = 'success'",
    )
    .bind(ACTION)
    .bind(history_id)
    .fetch_one(db)
    .await?;
    Ok(found > 0)
}

/// What a replay did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replayed {
    /// Happenings in the history.
    pub total: u64,
    /// Acknowledged by the intake.
    pub delivered: u64,
    /// Refused or unanswered.
    pub failed: u64,
    /// How long it took.
    pub elapsed_ms: u64,
}

/// Records a finished replay: a success when every happening was delivered.
pub async fn record(db: &SqlitePool, history_id: &str, replayed: Replayed) -> Result<(), sqlx::Error> {
    let complete = replayed.failed == 0 && replayed.delivered == replayed.total;
    audit::append(
        db,
        &Entry {
            actor_id: "system",
            actor_role: None,
            action: ACTION,
            target: Some(history_id),
            outcome: if complete { Outcome::Success } else { Outcome::Failed },
            request_id: None,
            details: serde_json::json!({
                "total": replayed.total,
                "delivered": replayed.delivered,
                "failed": replayed.failed,
                "elapsed_ms": replayed.elapsed_ms,
            }),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_a_complete_replay_of_the_same_history_counts_as_taken_in() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("db");
        let id = "seed 42, 3000 users, 3000 posts: 90 days to 2026-12-07T17:00:00.000Z";
        assert!(!was_taken_in(&db, id).await.expect("read"));
        let partial = Replayed { total: 10, delivered: 8, failed: 2, elapsed_ms: 5 };
        record(&db, id, partial).await.expect("record");
        assert!(!was_taken_in(&db, id).await.expect("read"), "a replay with failures is tried again");
        record(&db, id, Replayed { delivered: 10, failed: 0, ..partial }).await.expect("record");
        assert!(was_taken_in(&db, id).await.expect("read"));
        assert!(
            !was_taken_in(&db, "seed 42: 90 days to 2026-12-08T09:00:00.000Z").await.expect("read"),
            "another history"
        );
    }
}
