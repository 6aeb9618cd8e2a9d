//! Runs enabled rules on new `events` rows, exactly once per rule per event.
//!
//! Each rule keeps a cursor (the last event id it looked at). For every newer event whose name
//! fits, a matching rule first *claims* the run by inserting `(rule_id, event_id)` — the
//! primary key lets only one claim succeed, also across console instances — then acts and
//! records the outcome. A console that dies between claim and outcome leaves the run
//! `running`; such runs are later marked failed ("interrupted") and never repeated: an action
//! half-done upstream is reported, not done twice.

use super::{actions, enabled_with_cursors};
use crate::{Services, event_stream};
use sqlx::SqlitePool;
use std::time::Duration;
use types::event_log::EventFilter;

/// Events read per rule per tick.
const BATCH: u32 = 200;

/// A run still `running` after this long was interrupted.
const INTERRUPTED_AFTER_MS: i64 = 10 * 60 * 1000;

/// Claims the run of `rule_id` on `event_id`; `false` when it was already claimed, or when the
/// rule is no longer enabled (an edit or a disable since this pass read it takes effect at once).
pub async fn claim(db: &SqlitePool, rule_id: i64, event_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO event_rule_runs (rule_id, event_id, state, started_at) SELECT ?1, ?2, 'running', ?3 \
         WHERE EXISTS (SELECT 1 FROM event_rules WHERE id = ?1 AND enabled = 1 AND deleted_at IS NULL) \
         ON CONFLICT DO NOTHING",
    )
    .bind(rule_id)
    .bind(event_id)
    .bind(event_stream::now_ms())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn finish(
    db: &SqlitePool,
    rule_id: i64,
    event_id: i64,
    result: &Result<String, String>,
) -> Result<(), sqlx::Error> {
    let (state, detail) = match result {
        Ok(detail) => ("done", detail),
        Err(error) => ("failed", error),
    };
    sqlx::query("UPDATE event_rule_runs SET state = ?, detail = ?, finished_at = ? WHERE rule_id = ? AND event_id = ?")
        .bind(state)
        .bind(detail)
        .bind(event_stream::now_ms())
        .bind(rule_id)
        .bind(event_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks runs that have been `running` for too long as interrupted.
async fn close_interrupted(db: &SqlitePool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE event_rule_runs SET state = 'failed', detail = 'interrupted (the console stopped); not repeated', \
         finished_at = ?1 WHERE state = 'running' AND started_at < ?1 - ?2",
    )
    .bind(event_stream::now_ms())
    .bind(INTERRUPTED_AFTER_MS)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// One pass over every enabled rule; answers how many runs it made.
pub async fn run_once(services: &Services) -> Result<usize, sqlx::Error> {
    let db = &services.db;
    let mut runs = 0;
    for (rule, cursor) in enabled_with_cursors(db).await? {
        let filter = EventFilter { event_type: rule.event_name.clone(), ..EventFilter::default() };
        for event in event_stream::after(db, cursor, &filter, BATCH).await? {
            if rule.matches(&event) && claim(db, rule.id, event.id).await? {
                let result = actions::apply(services, &rule, &event).await;
                if let Err(error) = &result {
                    tracing::warn!(rule = rule.id, event = event.id, %error, "rule action failed");
                }
                finish(db, rule.id, event.id, &result).await?;
                runs += 1;
            }
            sqlx::query("UPDATE event_rules SET cursor = ?1 WHERE id = ?2 AND cursor < ?1")
                .bind(event.id)
                .bind(rule.id)
                .execute(db)
                .await?;
        }
    }
    Ok(runs)
}

/// Runs [`run_once`] every `every` until the task is aborted.
pub async fn run(services: Services, every: Duration) {
    if let Err(error) = close_interrupted(&services.db).await {
        tracing::error!(%error, "could not close interrupted rule runs");
    }
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = run_once(&services).await {
            tracing::error!(%error, "the rules worker failed; retrying on the next tick");
        }
    }
}
