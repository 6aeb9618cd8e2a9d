//! The console's own record of what happens on the network (issue 7).
//!
//! * [`signature`] — `x-amity-signature` verification with several labelled secrets.
//! * [`inbox`] — durable, deduplicated storage of verified webhook deliveries (group commit).
//! * [`process`] — the worker that turns deliveries into `events` rows, with a lease and retries.
//! * [`normalise`] — one happening → one `events` row with a source-independent `dedupe_key`.
//! * [`store`] — inserting `events` rows idempotently.
//! * [`backfill`] — gap repair from the REST API (`source = 'backfill'`).
//! * [`reports`] — the last-activity report: history, download, import (`source = 'report'`).
//! * [`standin_history`] — whether the embedded stand-in's activity history was taken in.

pub mod backfill;
pub mod inbox;
pub mod normalise;
pub mod process;
pub mod reports;
pub mod signature;
pub mod standin_history;
pub mod store;

pub use inbox::{Delivery, Inbox, InboxError, Stored, WriteGate};
pub use normalise::{NewEvent, Source};
pub use signature::{SignatureKind, Verified, WebhookSecret};

/// Now, in Unix milliseconds (how event and delivery times are stored).
pub fn now_ms() -> i64 {
    crate::jobs::now_ms()
}
