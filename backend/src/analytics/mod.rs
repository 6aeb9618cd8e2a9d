//! Analytics (issue 7 §5): Social+ has no DAU/MAU API, so the console computes its own
//! numbers from the events it stores (`events`) and its own moderation records.
//!
//! * [`rollup`] — daily rollups kept incrementally (`refresh`) and rebuildable from the raw
//!   events (`rebuild`); migration 0007 holds the tables.
//! * [`windows`] — DAU/WAU/MAU in one pass over the user-days.
//! * [`cases`] — flagged cases, the open backlog and time to action.
//! * [`names`] — which event names count as posts, comments, messages, reactions, flags.
//! * [`report`] — the charts of a date range, daily or weekly.
//! * [`exports`] — scheduled CSV exports of chosen charts, kept with their history.
//!
//! Definitions (shown on the page too): a user is *active* on a day when an event they
//! caused (`events.actor_user_id`) happened that day (UTC); DAU, WAU and MAU count distinct
//! active users in the day, the 7 days and the 30 days ending on it.

pub mod cases;
pub mod exports;
pub mod names;
pub mod report;
pub mod rollup;
pub mod windows;

#[cfg(test)]
mod tests;

pub use report::{ReportError, report};
pub use rollup::{RebuildError, Refreshed, rebuild, refresh, request_rebuild, start_rebuild};

use crate::events::WriteGate;
use sqlx::SqlitePool;
use std::time::Duration;

/// How often the background refresher brings the rollups up to date.
pub const REFRESH_EVERY: Duration = Duration::from_secs(15);

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Today's UTC day number.
pub fn today() -> i64 {
    types::analytics::day::of_unix_ms(now_ms())
}

/// Refreshes the rollups now and then every [`REFRESH_EVERY`] for the life of the process,
/// taking its write turns at `gate` with the webhook intake. A failed refresh is logged and
/// tried again next time (each of its transactions leaves the rollups consistent).
pub fn spawn_refresher(db: SqlitePool, gate: WriteGate) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(REFRESH_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match refresh(&db, &gate, now_ms()).await {
                Ok(done) if done.rebuilt => {
                    tracing::info!(events = done.events, chunks = done.chunks, "analytics rollups rebuilt");
                }
                Ok(done) if done.events > 0 => {
                    tracing::debug!(
                        events = done.events,
                        days = done.days_recounted,
                        chunks = done.chunks,
                        "analytics rollups refreshed"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "analytics refresh failed; retrying at the next tick"),
            }
        }
    })
}
