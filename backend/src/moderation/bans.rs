//! Timed bans and the scheduler that lifts them.
//!
//! A timed ban is a normal upstream ban plus a `pending` row with its end. The scheduler
//! ([`run_scheduler`]) calls [`lift_due`] at start — so bans that ended while the console was
//! down are lifted first — and then every tick. Lifting is idempotent: the row moves from
//! `pending` to `lifted` only once (a conditional update), and unbanning an unbanned user is
//! harmless upstream. A failed lift stays `pending` and is retried with a growing pause; a
//! user that no longer exists ends as `failed`. Any later ban or unban of the same user in the
//! same scope supersedes pending rows, so the scheduler never lifts a ban that replaced one.

use super::{now_rfc3339, unix_to_rfc3339};
use crate::explain as readable;
use crate::{Error, Services, audit};
use serde_json::json;
use sqlx::{Row, SqlitePool};
use std::time::Duration;
use time::OffsetDateTime;
use types::moderation::{BanScope, TimedBan};
use upstream::endpoints::{communities::UnbanCommunityMembers, users::UnbanUser};

/// Who the audit trail names for the scheduler's lifts.
pub const SCHEDULER: &str = "scheduler";

/// Stores a pending lift of `user_id`'s ban in `scope` at `until_unix`.
pub async fn schedule(
    db: &SqlitePool,
    user_id: &str,
    scope: &BanScope,
    until_unix: i64,
    created_by: &str,
    action_id: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO moderation_timed_bans (user_id, scope, until_unix, created_by, created_at, action_id) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(scope.key())
    .bind(until_unix)
    .bind(created_by)
    .bind(now_rfc3339())
    .bind(action_id)
    .execute(db)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// Marks pending lifts of `user_id` in `scope` as replaced (a new ban or an unban decides now).
pub async fn supersede(db: &SqlitePool, user_id: &str, scope: &BanScope) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE moderation_timed_bans SET status = 'superseded' \
         WHERE user_id = ? AND scope = ? AND status = 'pending'",
    )
    .bind(user_id)
    .bind(scope.key())
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Pending lifts due at `now_unix`, oldest end first.
pub async fn due(db: &SqlitePool, now_unix: i64, limit: u32) -> Result<Vec<TimedBan>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, user_id, scope, until_unix, status, created_by FROM moderation_timed_bans \
         WHERE status = 'pending' AND until_unix <= ?1 AND next_attempt_unix <= ?1 \
         ORDER BY until_unix, id LIMIT ?2",
    )
    .bind(now_unix)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter().map(timed_ban).collect()
}

/// Timed bans of a user, newest first.
pub async fn of_user(db: &SqlitePool, user_id: &str) -> Result<Vec<TimedBan>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, user_id, scope, until_unix, status, created_by FROM moderation_timed_bans \
         WHERE user_id = ? ORDER BY id DESC LIMIT 100",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(timed_ban).collect()
}

fn timed_ban(row: &sqlx::sqlite::SqliteRow) -> Result<TimedBan, sqlx::Error> {
    let scope: String = row.try_get("scope")?;
    Ok(TimedBan {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        scope: BanScope::from_key(&scope).unwrap_or(BanScope::Global),
        until: unix_to_rfc3339(row.try_get("until_unix")?),
        status: row.try_get("status")?,
        created_by: row.try_get("created_by")?,
    })
}

/// Marks a lift done; `false` if someone else already finished or superseded it.
async fn mark(db: &SqlitePool, id: i64, status: &str, error: Option<&str>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE moderation_timed_bans SET status = ?, last_error = ?, lifted_at = ? \
         WHERE id = ? AND status = 'pending'",
    )
    .bind(status)
    .bind(error)
    .bind(now_rfc3339())
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps a failed lift pending and pushes its next attempt back (2, 4, 8 … 300 s).
async fn retry_later(db: &SqlitePool, id: i64, now_unix: i64, error: &str) -> Result<i64, sqlx::Error> {
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM moderation_timed_bans WHERE id = ?")
        .bind(id)
        .fetch_one(db)
        .await?;
    let pause = 2_i64.saturating_pow(u32::try_from(attempts + 1).unwrap_or(9).min(9)).min(300);
    sqlx::query(
        "UPDATE moderation_timed_bans SET attempts = attempts + 1, next_attempt_unix = ?, last_error = ? \
         WHERE id = ? AND status = 'pending'",
    )
    .bind(now_unix + pause)
    .bind(error)
    .bind(id)
    .execute(db)
    .await?;
    Ok(attempts)
}

/// Lifts every ban due at `now`; answers how many were lifted.
pub async fn lift_due(services: &Services, now: OffsetDateTime) -> Result<usize, Error> {
    let now_unix = now.unix_timestamp();
    let mut lifted = 0;
    for ban in due(&services.db, now_unix, 100).await? {
        let call = match &ban.scope {
            BanScope::Global => services.upstream.send(&UnbanUser { user_id: &ban.user_id }).await,
            BanScope::Community { id } => services
                .upstream
                .send(&UnbanCommunityMembers {
                    community_id: id,
                    user_ids: std::slice::from_ref(&ban.user_id),
                })
                .await
                .map(|_| ()),
        };
        let scope = ban.scope.key();
        let entry = |outcome| audit::Entry {
            actor_id: SCHEDULER,
            actor_role: None,
            action: "lift_timed_ban",
            target: None,
            outcome,
            request_id: None,
            details: json!({ "timedBanId": ban.id, "scope": scope, "bannedBy": ban.created_by }),
        };
        let target = format!("user:{}", ban.user_id);
        let before = Some(json!({ "banned": true, "scope": scope, "until": ban.until }));
        match call {
            Ok(()) => {
                if mark(&services.db, ban.id, "lifted", None).await? {
                    lifted += 1;
                    let change = audit::Change {
                        reason: Some("the timed ban ended"),
                        before,
                        after: Some(json!({ "banned": false, "scope": scope })),
                        upstream_status: Some(200),
                    };
                    let entry = audit::Entry { target: Some(&target), ..entry(audit::Outcome::Success) };
                    audit::append_change(&services.db, &entry, &change).await?;
                }
            }
            Err(error) => {
                let message = readable(&error);
                let first_failure = if error.is_not_found() {
                    mark(&services.db, ban.id, "failed", Some(&message)).await?
                } else {
                    retry_later(&services.db, ban.id, now_unix, &message).await? == 0
                };
                tracing::warn!(user = %ban.user_id, %error, "lifting a timed ban failed");
                // One audit entry per failed ban, not one per retry.
                if first_failure {
                    let change = audit::Change {
                        reason: Some(&message),
                        before,
                        after: None,
                        upstream_status: error.status(),
                    };
                    let entry = audit::Entry { target: Some(&target), ..entry(audit::Outcome::Failed) };
                    audit::append_change(&services.db, &entry, &change).await?;
                }
            }
        }
    }
    Ok(lifted)
}

/// Lifts due bans now and then every `every`, forever (spawn it; abort it to stop).
pub async fn run_scheduler(services: Services, every: Duration) {
    loop {
        match lift_due(&services, OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(lifted) => tracing::info!(lifted, "timed bans lifted"),
            Err(error) => tracing::error!(%error, "the timed-ban scheduler failed; retrying"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Actor;

    async fn db() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database opens");
        (dir, pool)
    }

    async fn action(db: &SqlitePool) -> i64 {
        let request = types::moderation::ActionRequest {
            target: types::moderation::Target::User { id: "ann".into() },
            actions: vec![],
            reason: types::moderation::Reason { code: "spam".into(), text: String::new() },
        };
        super::super::records::start(db, &Actor::system("test"), &request).await.expect("record")
    }

    #[tokio::test]
    async fn only_pending_bans_whose_end_passed_are_due() {
        let (_dir, db) = db().await;
        let record = action(&db).await;
        schedule(&db, "ann", &BanScope::Global, 100, "mod", record).await.expect("schedule");
        schedule(&db, "bob", &BanScope::Community { id: "c1".into() }, 200, "mod", record)
            .await
            .expect("schedule");
        let at_150: Vec<_> = due(&db, 150, 10).await.expect("due").into_iter().map(|b| b.user_id).collect();
        assert_eq!(at_150, ["ann"]);
        assert_eq!(due(&db, 250, 10).await.expect("due").len(), 2);
        assert_eq!(due(&db, 250, 10).await.expect("due")[1].scope, BanScope::Community { id: "c1".into() });
    }

    #[tokio::test]
    async fn a_new_ban_or_unban_supersedes_a_pending_lift_in_the_same_scope_only() {
        let (_dir, db) = db().await;
        let record = action(&db).await;
        schedule(&db, "ann", &BanScope::Global, 100, "mod", record).await.expect("schedule");
        schedule(&db, "ann", &BanScope::Community { id: "c1".into() }, 100, "mod", record)
            .await
            .expect("schedule");
        assert_eq!(supersede(&db, "ann", &BanScope::Global).await.expect("supersede"), 1);
        let left = due(&db, 1_000, 10).await.expect("due");
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].scope, BanScope::Community { id: "c1".into() });
        assert_eq!(of_user(&db, "ann").await.expect("of user")[1].status, "superseded");
    }

    #[tokio::test]
    async fn a_lift_is_marked_once_and_a_failed_one_waits_longer_each_time() {
        let (_dir, db) = db().await;
        let record = action(&db).await;
        let id = schedule(&db, "ann", &BanScope::Global, 100, "mod", record).await.expect("schedule");
        assert_eq!(retry_later(&db, id, 100, "down").await.expect("retry"), 0);
        assert!(due(&db, 101, 10).await.expect("due").is_empty(), "waits 2 s after the first failure");
        assert_eq!(due(&db, 102, 10).await.expect("due").len(), 1);
        assert_eq!(retry_later(&db, id, 102, "down").await.expect("retry"), 1);
        assert!(due(&db, 105, 10).await.expect("due").is_empty(), "then 4 s");
        assert!(mark(&db, id, "lifted", None).await.expect("mark"));
        assert!(!mark(&db, id, "lifted", None).await.expect("mark"), "a second runner changes nothing");
        assert!(due(&db, 10_000, 10).await.expect("due").is_empty());
    }
}
