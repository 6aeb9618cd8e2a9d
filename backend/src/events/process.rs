//! Turning stored deliveries into `events`, after the 200 was sent.
//!
//! A worker claims due deliveries with a lease (`lease_until`), so two processes sharing the
//! database, or a worker that died mid-way, never lose or double-process one: an expired
//! lease is claimed again, and inserting an event is idempotent (`dedupe_key`). A delivery
//! that cannot be turned into an event is retried with a growing delay and marked `failed`
//! after [`MAX_ATTEMPTS`], keeping its error for the delivery log.

use super::{normalise, store};
use sqlx::SqlitePool;
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// Deliveries claimed at once.
pub const BATCH: i64 = 500;
/// How long a claim holds.
pub const LEASE_MS: i64 = 30_000;
/// Tries before a delivery is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// How often the worker looks for due retries when nothing wakes it.
const POLL: Duration = Duration::from_secs(1);

fn now_ms() -> i64 {
    crate::jobs::now_ms()
}

/// Delay before the next try after `attempts` failed ones: 1 s, 4 s, 16 s, 64 s.
fn backoff_ms(attempts: i64) -> i64 {
    1_000 * 4_i64.saturating_pow(u32::try_from(attempts.saturating_sub(1).clamp(0, 8)).unwrap_or(8))
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Deliveries claimed.
    pub claimed: usize,
    /// New `events` rows.
    pub inserted: usize,
    /// Deliveries that failed this time (retried later or marked failed).
    pub failed: usize,
}

/// Claims up to `limit` due deliveries at `now` and processes them.
pub async fn process_due(db: &SqlitePool, now: i64, limit: i64) -> Result<Pass, sqlx::Error> {
    let claimed: Vec<(i64, Vec<u8>, i64, i64)> = sqlx::query_as(
        "UPDATE webhook_deliveries SET lease_until = ?1 + ?2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?1 \
                      AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY id LIMIT ?3) \
         RETURNING id, body, received_at, attempts",
    )
    .bind(now)
    .bind(LEASE_MS)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut pass = Pass { claimed: claimed.len(), ..Pass::default() };
    if claimed.is_empty() {
        return Ok(pass);
    }
    let mut tx = db.begin().await?;
    for (id, body, received_at, attempts) in claimed {
        match normalise::from_delivery(&body, id, received_at) {
            Ok(event) => {
                if store::insert(&mut tx, &event).await? {
                    pass.inserted += 1;
                }
                sqlx::query(
                    "UPDATE webhook_deliveries SET state = 'processed', processed_at = ?, lease_until = NULL, \
                     last_error = NULL WHERE id = ?",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Err(why) => {
                pass.failed += 1;
                let state = if attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
                sqlx::query(
                    "UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, lease_until = NULL, \
                     last_error = ? WHERE id = ?",
                )
                .bind(state)
                .bind(now + backoff_ms(attempts))
                .bind(why.to_string())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(pass)
}

/// Processes deliveries until the task is aborted: at once when `stored` is notified, and
/// every second for retries and leases that expired. Each pass takes its turn at `gate`
/// with the inbox writer.
pub async fn run(db: SqlitePool, stored: Arc<Notify>, gate: super::inbox::WriteGate) {
    loop {
        let pass = {
            let _turn = gate.lock().await;
            process_due(&db, now_ms(), BATCH).await
        };
        match pass {
            Ok(pass) if pass.claimed as i64 == BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "processing webhook deliveries failed; retrying"),
        }
        tokio::select! {
            () = stored.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
