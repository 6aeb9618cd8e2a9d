//! A dry run: the rule over stored events, saying what it would have done, acting on nothing.
//! Running one records it on the rule, which enabling requires.

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
    mark_dry_run(db, id).await?;
    Ok(Some(report))
}
