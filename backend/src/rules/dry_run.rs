//! A dry run: the rule over stored events, saying what it would have done, acting on nothing.
//! Running one records it (and its report) on the rule, which enabling requires.

use super::{actions, get, mark_dry_run};
use crate::event_stream;
use sqlx::SqlitePool;
use time::OffsetDateTime;
use types::rules::{DryRunHit, DryRunReport};

/// How many of the newest stored events a dry run looks at.
pub const SCAN: u32 = 10_000;

/// How many matches the report lists.
pub const SHOWN: usize = 50;

/// Dry-runs the rule `id`; `None` when there is no such rule.
pub async fn dry_run(db: &SqlitePool, id: i64) -> Result<Option<DryRunReport>, sqlx::Error> {
    let Some(rule) = get(db, id).await? else { return Ok(None) };
    let events = event_stream::newest(db, SCAN).await?;
    let now = OffsetDateTime::now_utc();
    let mut report = DryRunReport { rule_id: id, scanned: events.len() as u64, matched: 0, hits: Vec::new() };
    for event in events.iter().filter(|e| rule.matches(e)) {
        report.matched += 1;
        if report.hits.len() < SHOWN {
            report.hits.push(DryRunHit {
                event_id: event.id,
                name: event.name.clone(),
                occurred_at: event.occurred_at.clone(),
                would: actions::describe(&actions::plan(&rule, event, now)),
            });
        }
    }
    mark_dry_run(db, &rule, &report).await?;
    Ok(Some(report))
}

/// The report of the last dry run of the rule's current definition, if there is one.
pub async fn last(db: &SqlitePool, id: i64) -> Result<Option<DryRunReport>, sqlx::Error> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT dry_run_report FROM event_rules WHERE id = ? AND deleted_at IS NULL AND dry_run_at IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .flatten();
    // A report that no longer reads (an older shape) is simply not shown: a fresh one is a click away.
    Ok(stored.and_then(|json| serde_json::from_str(&json).ok()))
}
