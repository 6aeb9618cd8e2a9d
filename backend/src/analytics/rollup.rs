//! Keeping the rollups up to date: [`refresh`] reads only the events and moderation actions
//! added since the last refresh (ids above the watermarks in `analytics_state`) and
//! recomputes just the days they touch; [`rebuild`] empties the rollups and reads
//! everything again. Both give the same tables (see the tests).
//!
//! Per touched day the counters are recounted from `events` (so a refresh is idempotent),
//! and DAU/WAU/MAU are recomputed from that day to the last one (a late event on day `d`
//! changes the WAU and MAU of the 29 days after it).

use super::{
    cases::{self, NewRows},
    names::{self, Counter, FLAG_SQL},
    windows::ActiveUsers,
};
use futures::TryStreamExt;
use sqlx::{Sqlite, SqlitePool, Transaction};
use types::analytics::day::of_unix_ms;

/// One refresh at a time: two would read the same watermark and both try to write.
static REFRESHING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What one refresh read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// New events read.
    pub events: i64,
    /// Days whose counters were recounted.
    pub days_recounted: usize,
    /// Days whose DAU/WAU/MAU were recomputed.
    pub days_windowed: usize,
}

/// Brings the rollups up to date with `events` and `moderation_actions`; `now_ms` decides
/// "today", the last day with active-user windows.
pub async fn refresh(db: &SqlitePool, now_ms: i64) -> Result<Refreshed, sqlx::Error> {
    let _one_at_a_time = REFRESHING.lock().await;
    let mut tx = db.begin().await?;
    let refreshed = refresh_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(refreshed)
}

/// Empties the rollups and computes them again from every stored event and action.
pub async fn rebuild(db: &SqlitePool, now_ms: i64) -> Result<Refreshed, sqlx::Error> {
    let _one_at_a_time = REFRESHING.lock().await;
    let mut tx = db.begin().await?;
    for table in ["analytics_user_days", "analytics_daily", "analytics_flag_counts", "analytics_cases"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE analytics_state SET last_event_id = 0, last_action_id = 0, through_day = NULL, \
         refreshed_at = NULL WHERE id = 1",
    )
    .execute(&mut *tx)
    .await?;
    let refreshed = refresh_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(refreshed)
}

async fn refresh_in(tx: &mut Transaction<'_, Sqlite>, now_ms: i64) -> Result<Refreshed, sqlx::Error> {
    let (last_event, last_action, through_day): (i64, i64, Option<i64>) =
        sqlx::query_as("SELECT last_event_id, last_action_id, through_day FROM analytics_state WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
    let max_event: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(&mut **tx).await?;
    let max_action: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM moderation_actions")
        .fetch_one(&mut **tx)
        .await?;
    // An action still running may yet be applied: read it again next time.
    let first_running: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM moderation_actions WHERE id > ? AND outcome = 'running'")
            .bind(last_action)
            .fetch_one(&mut **tx)
            .await?;
    let action_until = first_running.map_or(max_action, |id| id - 1).max(last_action);
    let new = NewRows { events: (last_event, max_event), actions: (last_action, action_until) };
    let today = of_unix_ms(now_ms);

    let dirty: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT day FROM events WHERE id > ? AND id <= ? ORDER BY day")
            .bind(last_event)
            .bind(max_event)
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO analytics_user_days (day, user_id) \
         SELECT day, actor_user_id FROM events WHERE id > ? AND id <= ? AND actor_user_id IS NOT NULL",
    )
    .bind(last_event)
    .bind(max_event)
    .execute(&mut **tx)
    .await?;
    for day in &dirty {
        recount_day(tx, *day).await?;
    }

    // Windows run from the earliest touched day (or the day after the last computed one) to
    // today; days after today only get counters (an event dated in the future is kept but
    // does not stretch the charts).
    let end = through_day.map_or(today, |t| t.max(today));
    let start = match (dirty.first(), through_day) {
        (Some(first), Some(through)) => Some((*first).min(through + 1)),
        (Some(first), None) => Some(*first),
        (None, Some(through)) => Some(through + 1),
        (None, None) => None,
    };
    let mut days_windowed = 0;
    if let Some(start) = start.filter(|start| *start <= end) {
        days_windowed = write_windows(tx, start, end).await?;
    }
    let backlog_from = cases::update(tx, new).await?;
    let backlog_start = [start, backlog_from].into_iter().flatten().min();
    if let Some(backlog_start) = backlog_start.filter(|first| *first <= end) {
        cases::write_backlog(tx, backlog_start, end).await?;
    }
    let through = if start.is_some() { Some(end) } else { through_day };
    sqlx::query(
        "UPDATE analytics_state SET last_event_id = ?, last_action_id = ?, through_day = ?, refreshed_at = ? \
         WHERE id = 1",
    )
    .bind(max_event)
    .bind(action_until)
    .bind(through)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(Refreshed { events: max_event - last_event, days_recounted: dirty.len(), days_windowed })
}

/// Recounts one day's counters and per-community / per-author flags from its events.
async fn recount_day(tx: &mut Transaction<'_, Sqlite>, day: i64) -> Result<(), sqlx::Error> {
    let by_name: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, COUNT(*) FROM events WHERE day = ? GROUP BY name")
            .bind(day)
            .fetch_all(&mut **tx)
            .await?;
    let (mut events, mut new_users, mut posts, mut comments, mut messages, mut reactions, mut flags) =
        (0, 0, 0, 0, 0, 0, 0);
    for (name, count) in by_name {
        events += count;
        match names::counter(&name) {
            Some(Counter::NewUser) => new_users += count,
            Some(Counter::Post) => posts += count,
            Some(Counter::Comment) => comments += count,
            Some(Counter::Message) => messages += count,
            Some(Counter::Reaction) => reactions += count,
            Some(Counter::Flag) => flags += count,
            None => {}
        }
    }
    sqlx::query(
        "INSERT INTO analytics_daily (day, events, new_users, posts, comments, messages, reactions, flags) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET events = excluded.events, \
         new_users = excluded.new_users, posts = excluded.posts, comments = excluded.comments, \
         messages = excluded.messages, reactions = excluded.reactions, flags = excluded.flags",
    )
    .bind(day)
    .bind(events)
    .bind(new_users)
    .bind(posts)
    .bind(comments)
    .bind(messages)
    .bind(reactions)
    .bind(flags)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM analytics_flag_counts WHERE day = ?").bind(day).execute(&mut **tx).await?;
    for (dimension, column) in [("community", "community_id"), ("user", "subject_user_id")] {
        sqlx::query(&format!(
            "INSERT INTO analytics_flag_counts (day, dimension, key, flags) \
             SELECT day, '{dimension}', {column}, COUNT(*) FROM events \
             WHERE day = ? AND {FLAG_SQL} AND {column} IS NOT NULL GROUP BY {column}"
        ))
        .bind(day)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Recomputes DAU/WAU/MAU of `start..=end` in one pass over the user-days from `start - 29`.
async fn write_windows(tx: &mut Transaction<'_, Sqlite>, start: i64, end: i64) -> Result<usize, sqlx::Error> {
    let mut counts = ActiveUsers::new(start, end);
    {
        let mut rows = sqlx::query_as::<_, (i64, String)>(
            "SELECT day, user_id FROM analytics_user_days WHERE day >= ? AND day <= ? ORDER BY day",
        )
        .bind(start - 29)
        .bind(end)
        .fetch(&mut **tx);
        while let Some((day, user)) = rows.try_next().await? {
            counts.push(day, &user);
        }
    }
    let counts = counts.finish();
    for (day, [dau, wau, mau]) in (start..).zip(counts.iter().copied()) {
        sqlx::query(
            "INSERT INTO analytics_daily (day, dau, wau, mau) VALUES (?, ?, ?, ?) \
             ON CONFLICT (day) DO UPDATE SET dau = excluded.dau, wau = excluded.wau, mau = excluded.mau",
        )
        .bind(day)
        .bind(dau)
        .bind(wau)
        .bind(mau)
        .execute(&mut **tx)
        .await?;
    }
    Ok(counts.len())
}
