//! What rules did: run counts per rule and a rule's run history, read from `event_rule_runs`
//! (written by [`super::worker`]).

use crate::event_stream::ms_to_rfc3339;
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;
use types::{
    page::Page,
    rule_runs::{RuleRun, RunCounts, RunState},
};

/// Runs per page of a rule's history.
pub const PAGE: u32 = 25;

/// Counts and last run time of every rule that ever ran, by rule id.
pub async fn counts(db: &SqlitePool) -> Result<HashMap<i64, RunCounts>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT rule_id, SUM(state = 'done') AS done, SUM(state = 'failed') AS failed, \
         SUM(state = 'running') AS running, MAX(started_at) AS last_run \
         FROM event_rule_runs GROUP BY rule_id",
    )
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let count = |column: &str| row.try_get::<i64, _>(column).map(|n| n.max(0).unsigned_abs());
            let counts = RunCounts {
                done: count("done")?,
                failed: count("failed")?,
                running: count("running")?,
                last_run_at: row.try_get::<Option<i64>, _>("last_run")?.map(ms_to_rfc3339),
            };
            Ok((row.try_get("rule_id")?, counts))
        })
        .collect()
}

/// The counts of one rule (zero when it never ran).
pub async fn counts_of(db: &SqlitePool, rule_id: i64) -> Result<RunCounts, sqlx::Error> {
    Ok(counts(db).await?.remove(&rule_id).unwrap_or_default())
}

/// A run as stored, joined with its event's name and time.
type RunRow = (i64, String, i64, String, String, i64, Option<i64>);

/// A page of the rule's runs, newest event first, those on events older than `before` (an
/// event id; `None` = from the newest). `next` is the `before` of the following page.
pub async fn history(
    db: &SqlitePool,
    rule_id: i64,
    before: Option<i64>,
) -> Result<Page<RuleRun>, sqlx::Error> {
    let rows: Vec<RunRow> = sqlx::query_as(
        "SELECT r.event_id, e.name, e.occurred_at, r.state, r.detail, r.started_at, r.finished_at \
         FROM event_rule_runs r JOIN events e ON e.id = r.event_id \
         WHERE r.rule_id = ? AND r.event_id < ? ORDER BY r.event_id DESC LIMIT ?",
    )
    .bind(rule_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(PAGE) + 1)
    .fetch_all(db)
    .await?;
    let runs = rows
        .into_iter()
        .map(|(event_id, event_name, occurred_at, state, detail, started_at, finished_at)| RuleRun {
            event_id,
            event_name,
            occurred_at: ms_to_rfc3339(occurred_at),
            state: RunState::parse(&state),
            detail,
            started_at: ms_to_rfc3339(started_at),
            finished_at: finished_at.map(ms_to_rfc3339),
        })
        .collect();
    // Keyset paging goes one way; the page links back to the newest runs instead.
    Ok(Page::from_one_extra(runs, PAGE as usize, |run| run.event_id.to_string()))
}
