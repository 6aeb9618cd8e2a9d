//! Moderation: acting on content and users, and the records that make it accountable.
//!
//! * [`apply`] is a person's action: it validates it ([`problem`]), checks the actor's
//!   permission for each action and runs [`execute`] detached.
//! * [`execute`] runs an [`types::moderation::ActionRequest`] step by step with the Social+
//!   client, audits every step (before/after, upstream status) and answers an
//!   [`types::moderation::ActionReport`]. Rules call it directly.
//! * [`detached`] runs an action in a task of its own, so a browser that goes away cannot
//!   cut it between two steps.
//! * [`bulk`] runs the same actions on many targets as a job with an undo window.
//! * [`bans`] keeps timed bans and the scheduler that lifts them.
//! * [`warnings`] stores warnings; [`records`] the action records the Reviewed tab and
//!   appeals read.
//! * [`claims`], [`notes`], [`escalations`] — teamwork on cases.
//! * [`appeals`] — appeals decided by someone other than the moderator who acted.

pub mod appeals;
mod apply;
pub mod bans;
pub mod bulk;
pub mod claims;
pub mod detached;
pub mod escalations;
mod execute;
pub mod notes;
pub mod records;
mod snapshot;
pub mod warnings;

pub use apply::apply;
pub use execute::{execute, problem};

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// Now as RFC 3339 (UTC), as stored for people to read.
pub(crate) fn now_rfc3339() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}

/// A unix time as RFC 3339 (UTC).
pub(crate) fn unix_to_rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}
