//! Flagged cases and the open backlog. A case is a flagged object (`post:<id>`, the key the
//! moderation records use for their targets): open from its first flag until the first
//! resolution at or after it — a console action on it that was applied, or an unflag,
//! delete, approve or decline event. The backlog of a day is the cases open at its end.
//!
//! Cases are recomputed from scratch for every object the new events or actions touch, so
//! events arriving late or out of order (a backfill) give the same cases as in-order ones.

use super::names::{FLAG_SQL, RESOLUTION_SQL};
use sqlx::{Sqlite, SqlitePool, Transaction};
use types::analytics::day::{DAY_MS, of_unix_ms};

/// Event ids and moderation-action ids read by one refresh, as `(after, up to)` ranges.
#[derive(Clone, Copy, Debug)]
pub struct NewRows {
    /// `events.id` range.
    pub events: (i64, i64),
    /// `moderation_actions.id` range.
    pub actions: (i64, i64),
}

/// Recomputes the cases the new rows touch; returns the earliest day whose backlog may have
/// changed, if any.
pub async fn update(tx: &mut Transaction<'_, Sqlite>, new: NewRows) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS analytics_touched \
         (case_key TEXT PRIMARY KEY, object_kind TEXT NOT NULL, object_id TEXT NOT NULL)",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM temp.analytics_touched").execute(&mut **tx).await?;
    sqlx::query(&format!(
        "INSERT OR IGNORE INTO temp.analytics_touched (case_key, object_kind, object_id) \
         SELECT object_kind || ':' || object_id, object_kind, object_id FROM events \
         WHERE id > ? AND id <= ? AND object_kind IS NOT NULL AND object_id IS NOT NULL \
         AND ({FLAG_SQL} OR {RESOLUTION_SQL})"
    ))
    .bind(new.events.0)
    .bind(new.events.1)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO temp.analytics_touched (case_key, object_kind, object_id) \
         SELECT target, substr(target, 1, instr(target, ':') - 1), substr(target, instr(target, ':') + 1) \
         FROM moderation_actions WHERE id > ? AND id <= ? AND instr(target, ':') > 1",
    )
    .bind(new.actions.0)
    .bind(new.actions.1)
    .execute(&mut **tx)
    .await?;

    let touched_before: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(first_flag_at) FROM analytics_cases WHERE case_key IN (SELECT case_key FROM temp.analytics_touched)",
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM analytics_cases WHERE case_key IN (SELECT case_key FROM temp.analytics_touched)",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO analytics_cases (case_key, object_kind, object_id, first_flag_at) \
         SELECT case_key, object_kind, object_id, first_flag_at FROM ( \
           SELECT t.case_key, t.object_kind, t.object_id, \
             (SELECT MIN(e.occurred_at) FROM events e WHERE e.object_kind = t.object_kind \
                AND e.object_id = t.object_id AND {FLAG_SQL}) AS first_flag_at \
           FROM temp.analytics_touched t) WHERE first_flag_at IS NOT NULL"
    ))
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE analytics_cases SET resolved_at = (SELECT MIN(at) FROM ( \
           SELECT e.occurred_at AS at FROM events e WHERE e.object_kind = analytics_cases.object_kind \
             AND e.object_id = analytics_cases.object_id AND {RESOLUTION_SQL} \
             AND e.occurred_at >= analytics_cases.first_flag_at \
           UNION ALL \
           SELECT m.at_unix * 1000 FROM moderation_actions m WHERE m.target = analytics_cases.case_key \
             AND m.outcome IN ('applied', 'partial') AND m.at_unix * 1000 >= analytics_cases.first_flag_at)) \
         WHERE case_key IN (SELECT case_key FROM temp.analytics_touched)"
    ))
    .execute(&mut **tx)
    .await?;
    let touched_after: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(first_flag_at) FROM analytics_cases WHERE case_key IN (SELECT case_key FROM temp.analytics_touched)",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(touched_before.into_iter().chain(touched_after).min().map(of_unix_ms))
}

/// The backlog (cases open at the end of the day) of every day in `first..=last`, oldest first.
pub async fn backlog(db: &SqlitePool, first: i64, last: i64) -> Result<Vec<i64>, sqlx::Error> {
    let Ok(len) = usize::try_from(last - first + 1) else {
        return Ok(Vec::new());
    };
    let cases: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT first_flag_at, resolved_at FROM analytics_cases \
         WHERE first_flag_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)",
    )
    .bind((last + 1) * DAY_MS)
    .bind(first * DAY_MS)
    .fetch_all(db)
    .await?;
    let mut diff = vec![0_i64; len + 1];
    for (flagged_at, resolved_at) in cases {
        // Open at the end of the days from its flag's day up to the day before it closed.
        let open = of_unix_ms(flagged_at).max(first);
        let closed = resolved_at.map_or(last + 1, |at| of_unix_ms(at).min(last + 1));
        if open >= closed {
            continue;
        }
        let (Ok(open), Ok(closed)) = (usize::try_from(open - first), usize::try_from(closed - first)) else {
            continue;
        };
        if let Some(cell) = diff.get_mut(open) {
            *cell += 1;
        }
        if let Some(cell) = diff.get_mut(closed) {
            *cell -= 1;
        }
    }
    Ok(diff
        .iter()
        .take(len)
        .scan(0, |open_cases, delta| {
            *open_cases += delta;
            Some(*open_cases)
        })
        .collect())
}
