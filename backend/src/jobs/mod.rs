//! Durable background jobs: bulk work that outlives the request that asked for it.
//!
//! A job is a list of items plus a JSON payload, stored in SQLite (migration 0004). It waits
//! until `not_before` (the undo window, during which [`cancel`] leaves nothing done), then a
//! [`Runner`] claims it with a lease and runs its items in order through the [`JobHandler`]
//! registered for its kind, recording every item's outcome. Because each item is marked
//! `running` before its call and `done`/`failed` after it, a restarted console resumes at the
//! first unfinished item; an item caught mid-call is re-run only when its handler says that
//! is safe.
//!
//! * [`store`] — submitting, reading and cancelling jobs (used by server functions).
//! * [`handler`] — the per-kind handler trait and the registry the runner dispatches on.
//! * [`runner`] — the one background task per process that executes due jobs.
//!
//! Permission: a job records the permission its creator needed to submit it; reading its
//! progress or cancelling it needs that same permission (checked by the server functions),
//! and cancelling also needs to be its creator or a senior role ([`may_cancel`]).

mod cancel;
pub mod handler;
pub mod runner;
pub mod store;

pub use cancel::{cancel_for, may_cancel};
pub use handler::{ItemFailure, ItemOutcome, JobContext, JobHandler, JobItem, Registry};
pub use runner::{Runner, RunnerConfig};
pub use store::{CancelOutcome, NewItem, NewJob, cancel, get, items, recent, submit};

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// Now, in Unix milliseconds (how job times are stored).
pub(crate) fn now_ms() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A stored time as RFC 3339, for the UI.
pub(crate) fn format_ms(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
