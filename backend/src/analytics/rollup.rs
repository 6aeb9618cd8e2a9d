//! Keeping the rollups up to date without holding up the webhook intake.
//!
//! SQLite has one write lock, and the intake must acknowledge a delivery well inside Social+'s
//! 1.5 s. So [`refresh`] works in two phases:
//!
//! 1. **Fold** the events and moderation actions added since the last refresh (ids above the
//!    watermarks in `analytics_state`) in chunks of [`CHUNK_EVENTS`], each in its own short
//!    write transaction taken in turn with the intake at its [`WriteGate`]: the chunk's
//!    user-days are inserted, its counts *added* to the days it touches (events are never
//!    changed or deleted, and the watermark moves in the same transaction, so each event is
//!    added exactly once), the cases it touches recomputed, and the earliest day whose
//!    DAU/WAU/MAU or backlog it made stale remembered (`stale_from`).
//! 2. **Windows**: DAU/WAU/MAU and the backlog from that day to today are computed from a read
//!    snapshot (WAL readers take no lock) and written in one short transaction.
//!
//! A crash between the two leaves `stale_from` set, and the next refresh carries on.
//! [`request_rebuild`] empties nothing itself: the next refresh (the background refresher's,
//! or one started right after the request) empties the rollups and reads every event again,
//! in the same chunks, with its progress in `analytics_state.rebuild_target` for the page.

use super::{
    cases::{self, NewRows},
    names::{self, Counter, FLAG_SQL},
    windows::ActiveUsers,
};
use crate::events::WriteGate;
use futures::TryStreamExt;
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::collections::{BTreeMap, BTreeSet};
use types::analytics::day::of_unix_ms;

/// Events folded per write transaction: a few tens of milliseconds of the write lock.
pub const CHUNK_EVENTS: i64 = 5_000;

/// One refresh at a time: two would read the same watermark and both try to write.
static REFRESHING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What one refresh read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// New events read.
    pub events: i64,
    /// Days whose counters changed.
    pub days_recounted: usize,
    /// Days whose DAU/WAU/MAU and backlog were recomputed.
    pub days_windowed: usize,
    /// Write transactions the fold took (each one a turn at the write gate).
    pub chunks: usize,
    /// Whether this refresh started with emptying the rollups (a requested rebuild).
    pub rebuilt: bool,
}

/// Why a rebuild cannot be requested.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// One is requested or running already.
    #[error("a rebuild of the rollups is already under way")]
    AlreadyUnderWay,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Brings the rollups up to date with `events` and `moderation_actions` (emptying them first
/// when a rebuild was requested); `now_ms` decides "today", the last day with active-user
/// windows.
pub async fn refresh(db: &SqlitePool, gate: &WriteGate, now_ms: i64) -> Result<Refreshed, sqlx::Error> {
    refresh_in_chunks(db, gate, now_ms, CHUNK_EVENTS).await
}

/// [`refresh`] folding `chunk` events per write transaction (the tests use small chunks).
pub(super) async fn refresh_in_chunks(
    db: &SqlitePool,
    gate: &WriteGate,
    now_ms: i64,
    chunk: i64,
) -> Result<Refreshed, sqlx::Error> {
    let _one_at_a_time = REFRESHING.lock().await;
    let rebuilt = start_requested_rebuild(db, gate).await?;
    let mut refreshed = fold(db, gate, chunk).await?;
    refreshed.days_windowed = write_windows(db, gate, now_ms).await?;
    refreshed.rebuilt = rebuilt;
    Ok(refreshed)
}

/// Asks for the rollups to be emptied and computed again from every stored event and action
/// (after a change in how events count, or to repair them). Refused while one is under way.
pub async fn request_rebuild(db: &SqlitePool, now_ms: i64) -> Result<(), RebuildError> {
    let asked = sqlx::query(
        "UPDATE analytics_state SET rebuild_requested_at = ? \
         WHERE id = 1 AND rebuild_requested_at IS NULL AND rebuild_target IS NULL",
    )
    .bind(now_ms)
    .execute(db)
    .await?;
    if asked.rows_affected() == 0 {
        return Err(RebuildError::AlreadyUnderWay);
    }
    Ok(())
}

/// An admin's rebuild request, as one use-case: asks for it, audits it
/// (`analytics_rebuild_requested`) and starts it now instead of at the refresher's next tick
/// (refreshes take turns; if this one stops, the refresher carries on with it). A second
/// request while one is under way is refused.
pub async fn start_rebuild(services: &crate::Services, actor: &crate::Actor) -> Result<(), crate::Error> {
    use crate::audit::{self, Change, Outcome};
    match request_rebuild(&services.db, super::now_ms()).await {
        Ok(()) => {}
        Err(RebuildError::AlreadyUnderWay) => {
            return Err(crate::Error::invalid(
                "rebuild",
                "A rebuild of the rollups is already under way; its progress is shown above the charts.",
            ));
        }
        Err(RebuildError::Database(error)) => return Err(error.into()),
    }
    audit::record(
        &services.db,
        actor,
        "analytics_rebuild_requested",
        None,
        Outcome::Success,
        Change::default(),
    )
    .await;
    let (db, gate) = (services.db.clone(), services.write_gate.clone());
    tokio::spawn(async move {
        if let Err(error) = refresh(&db, &gate, super::now_ms()).await {
            tracing::warn!(%error, "the analytics rebuild stopped; the refresher carries on with it");
        }
    });
    Ok(())
}

/// Requests a rebuild and runs it now (tests, benchmarks, the seeding example).
pub async fn rebuild(db: &SqlitePool, gate: &WriteGate, now_ms: i64) -> Result<Refreshed, RebuildError> {
    request_rebuild(db, now_ms).await?;
    Ok(refresh(db, gate, now_ms).await?)
}

/// A short write transaction, taken in turn with the intake. `IMMEDIATE` takes SQLite's write
/// lock at once, so a transaction that reads before it writes is never refused halfway
/// because another connection wrote in between.
async fn write_turn<'a>(db: &'a SqlitePool) -> Result<Transaction<'a, Sqlite>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// Empties the rollups when a rebuild was requested; says whether it did.
pub(super) async fn start_requested_rebuild(db: &SqlitePool, gate: &WriteGate) -> Result<bool, sqlx::Error> {
    let _turn = gate.lock().await;
    let mut tx = write_turn(db).await?;
    let requested: Option<i64> =
        sqlx::query_scalar("SELECT rebuild_requested_at FROM analytics_state WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    if requested.is_none() {
        return Ok(false);
    }
    for table in ["analytics_user_days", "analytics_daily", "analytics_flag_counts", "analytics_cases"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE analytics_state SET last_event_id = 0, last_action_id = 0, through_day = NULL, \
         stale_from = NULL, rebuild_requested_at = NULL, \
         rebuild_target = (SELECT COALESCE(MAX(id), 0) FROM events) WHERE id = 1",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Phase 1: folds every event and action added since the watermarks, chunk by chunk.
pub(super) async fn fold(db: &SqlitePool, gate: &WriteGate, chunk: i64) -> Result<Refreshed, sqlx::Error> {
    let mut refreshed = Refreshed::default();
    let mut days = BTreeSet::new();
    let max_event: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(db).await?;
    loop {
        let _turn = gate.lock().await;
        let mut tx = write_turn(db).await?;
        let Some(folded) = fold_chunk(&mut tx, max_event, chunk).await? else {
            return Ok(Refreshed { days_recounted: days.len(), ..refreshed });
        };
        tx.commit().await?;
        refreshed.chunks += 1;
        refreshed.events += folded.events;
        days.extend(folded.days);
    }
}

/// What one chunk folded in.
struct Chunk {
    events: i64,
    days: Vec<i64>,
}

/// Folds the next chunk of events (up to `max_event`) and every new settled action; `None`
/// when there is nothing new.
async fn fold_chunk(
    tx: &mut Transaction<'_, Sqlite>,
    max_event: i64,
    chunk: i64,
) -> Result<Option<Chunk>, sqlx::Error> {
    let (last_event, last_action): (i64, i64) =
        sqlx::query_as("SELECT last_event_id, last_action_id FROM analytics_state WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
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
    let event_until = max_event.min(last_event + chunk).max(last_event);
    if event_until == last_event && action_until == last_action {
        return Ok(None);
    }
    let new = NewRows { events: (last_event, event_until), actions: (last_action, action_until) };

    sqlx::query(
        "INSERT OR IGNORE INTO analytics_user_days (day, user_id) \
         SELECT day, actor_user_id FROM events WHERE id > ? AND id <= ? AND actor_user_id IS NOT NULL",
    )
    .bind(new.events.0)
    .bind(new.events.1)
    .execute(&mut **tx)
    .await?;
    let days = add_counts(tx, new.events).await?;
    let backlog_from = cases::update(tx, new).await?;
    let stale_from = days.first().copied().into_iter().chain(backlog_from).min();
    sqlx::query(
        "UPDATE analytics_state SET last_event_id = ?1, last_action_id = ?2, stale_from = CASE \
           WHEN ?3 IS NULL THEN stale_from WHEN stale_from IS NULL THEN ?3 ELSE MIN(stale_from, ?3) END \
         WHERE id = 1",
    )
    .bind(new.events.1)
    .bind(new.actions.1)
    .bind(stale_from)
    .execute(&mut **tx)
    .await?;
    Ok(Some(Chunk { events: new.events.1 - new.events.0, days }))
}

/// Adds the counters of the events in `(after, up_to]` to their days, and their flags to the
/// per-community / per-author counts; returns the days touched, in order.
async fn add_counts(
    tx: &mut Transaction<'_, Sqlite>,
    (after, up_to): (i64, i64),
) -> Result<Vec<i64>, sqlx::Error> {
    let by_name: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT day, name, COUNT(*) FROM events WHERE id > ? AND id <= ? GROUP BY day, name")
            .bind(after)
            .bind(up_to)
            .fetch_all(&mut **tx)
            .await?;
    let mut per_day: BTreeMap<i64, DayCounts> = BTreeMap::new();
    for (day, name, count) in by_name {
        per_day.entry(day).or_default().add(names::counter(&name), count);
    }
    for (day, counts) in &per_day {
        sqlx::query(
            "INSERT INTO analytics_daily (day, events, new_users, posts, comments, messages, reactions, flags) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET \
             events = events + excluded.events, new_users = new_users + excluded.new_users, \
             posts = posts + excluded.posts, comments = comments + excluded.comments, \
             messages = messages + excluded.messages, reactions = reactions + excluded.reactions, \
             flags = flags + excluded.flags",
        )
        .bind(day)
        .bind(counts.events)
        .bind(counts.new_users)
        .bind(counts.posts)
        .bind(counts.comments)
        .bind(counts.messages)
        .bind(counts.reactions)
        .bind(counts.flags)
        .execute(&mut **tx)
        .await?;
    }
    for (dimension, column) in [("community", "community_id"), ("user", "subject_user_id")] {
        sqlx::query(&format!(
            "INSERT INTO analytics_flag_counts (day, dimension, key, flags) \
             SELECT day, '{dimension}', {column}, COUNT(*) FROM events \
             WHERE id > ? AND id <= ? AND {FLAG_SQL} AND {column} IS NOT NULL GROUP BY day, {column} \
             ON CONFLICT (day, dimension, key) DO UPDATE SET flags = flags + excluded.flags"
        ))
        .bind(after)
        .bind(up_to)
        .execute(&mut **tx)
        .await?;
    }
    Ok(per_day.into_keys().collect())
}

/// The counters one chunk adds to one day.
#[derive(Default)]
struct DayCounts {
    events: i64,
    new_users: i64,
    posts: i64,
    comments: i64,
    messages: i64,
    reactions: i64,
    flags: i64,
}

impl DayCounts {
    fn add(&mut self, counter: Option<Counter>, count: i64) {
        self.events += count;
        let slot = match counter {
            Some(Counter::NewUser) => &mut self.new_users,
            Some(Counter::Post) => &mut self.posts,
            Some(Counter::Comment) => &mut self.comments,
            Some(Counter::Message) => &mut self.messages,
            Some(Counter::Reaction) => &mut self.reactions,
            Some(Counter::Flag) => &mut self.flags,
            None => return,
        };
        *slot += count;
    }
}

/// Phase 2: DAU/WAU/MAU and the backlog from the earliest stale day (or the day after the last
/// computed one) to today, read without the write lock and written in one short turn. Days
/// after today only get counters (an event dated in the future is kept but does not stretch
/// the charts). Returns the days written.
async fn write_windows(db: &SqlitePool, gate: &WriteGate, now_ms: i64) -> Result<usize, sqlx::Error> {
    let (through_day, stale_from): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT through_day, stale_from FROM analytics_state WHERE id = 1")
            .fetch_one(db)
            .await?;
    let end = through_day.map_or(of_unix_ms(now_ms), |t| t.max(of_unix_ms(now_ms)));
    let start = match (stale_from, through_day) {
        (Some(stale), Some(through)) => Some(stale.min(through + 1)),
        (Some(stale), None) => Some(stale),
        (None, Some(through)) => Some(through + 1),
        (None, None) => None,
    };
    let days = match start.filter(|start| *start <= end) {
        Some(start) => {
            Some((start, active_users(db, start, end).await?, cases::backlog(db, start, end).await?))
        }
        None => None,
    };

    let _turn = gate.lock().await;
    let mut tx = write_turn(db).await?;
    let mut written = 0;
    if let Some((start, active, backlog)) = &days {
        for ((day, [dau, wau, mau]), open) in
            (*start..).zip(active.iter().copied()).zip(backlog.iter().copied())
        {
            sqlx::query(
                "INSERT INTO analytics_daily (day, dau, wau, mau, backlog) VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (day) DO UPDATE SET dau = excluded.dau, wau = excluded.wau, mau = excluded.mau, \
                 backlog = excluded.backlog",
            )
            .bind(day)
            .bind(dau)
            .bind(wau)
            .bind(mau)
            .bind(open)
            .execute(&mut *tx)
            .await?;
            written += 1;
        }
    }
    let through = if start.is_some() { Some(end) } else { through_day };
    // `stale_from` is cleared only if no fold moved it since it was read (none can: refreshes
    // take turns), and the rebuild is over once its windows are written.
    sqlx::query(
        "UPDATE analytics_state SET through_day = ?, stale_from = NULL, rebuild_target = NULL, \
         refreshed_at = ? WHERE id = 1",
    )
    .bind(through)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(written)
}

/// DAU/WAU/MAU of `start..=end` in one pass over the user-days from `start - 29`.
async fn active_users(db: &SqlitePool, start: i64, end: i64) -> Result<Vec<[i64; 3]>, sqlx::Error> {
    let mut counts = ActiveUsers::new(start, end);
    let mut rows = sqlx::query_as::<_, (i64, String)>(
        "SELECT day, user_id FROM analytics_user_days WHERE day >= ? AND day <= ? ORDER BY day",
    )
    .bind(start - 29)
    .bind(end)
    .fetch(db);
    while let Some((day, user)) = rows.try_next().await? {
        counts.push(day, &user);
    }
    Ok(counts.finish())
}
