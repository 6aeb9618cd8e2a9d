//! The console's use-cases and storage, free of Leptos and axum so they are quick to test
//! and usable from both server functions and plain HTTP handlers.
//!
//! * [`Actor`] and [`Error`] — who does a use-case, and how it fails (one error type;
//!   Social+ failures explained once by [`explain`]).
//! * [`Services`] — what every use-case needs: the Social+ API, the console database,
//!   and the sign-in methods that are enabled.
//! * [`users`] — listing and reading the network's users.
//! * [`bootstrap`] — the local bootstrap admin of the embedded default.
//! * [`audit`] — the append-only audit trail.
//! * [`roles`] — Social+ roles and granting them to users and community members.
//! * [`imports`] — CSV import of users (dry run, validation, the `user_import` job kind).
//! * [`jobs`] — durable background jobs (bulk actions, imports) and their runner.
//! * [`admin_token`] — the network's admin token: fingerprint, file watching, regeneration.
//! * [`queue`] — the moderation queue: cases, filters, context.
//! * [`readiness`] — what `/readyz` checks.
//! * [`moderation`] — actions on content and users, timed bans, warnings, teamwork, appeals.
//! * [`event_stream`] — stored events and webhook deliveries for the Events page and its stream.
//! * [`live_events`] — the one poller behind every live stream, and the caps on open streams.
//! * [`rules`] — automation rules, their dry runs and worker, and forwarding events.
//! * [`events`] — the webhook inbox, its processing into `events`, backfill and reports.
//! * [`analytics`] — daily rollups of events and moderation records, and the charts.
//! * [`throttle`] — per-person cooldowns and caps on exports, report fetches and dry runs.
//! * [`retention`] — how long stored reports, exports and uploads are kept.
//! * [`outbound`] — calls to URLs people type, refused for private and local addresses.
//! * [`secret_box`] — secrets the console stores, sealed under a key kept outside the database.

pub mod actor;
pub mod admin_token;
pub mod analytics;
pub mod audit;
pub mod bootstrap;
pub mod db;
mod error;
pub mod event_stream;
pub mod events;
pub mod imports;
pub mod jobs;
pub mod live_events;
pub mod moderation;
pub mod outbound;
pub mod queue;
pub mod readiness;
pub mod retention;
pub mod roles;
pub mod rules;
pub mod secret_box;
pub mod secure_random;
pub mod throttle;
pub mod users;

pub use actor::Actor;
pub use error::{Error, TOKEN_REFUSED, UpstreamFailure, explain};

use bootstrap::BootstrapAdmin;
use sqlx::SqlitePool;
use std::sync::Arc;
use upstream::Client;

/// Everything the use-cases need, cheap to clone.
#[derive(Clone)]
pub struct Services {
    /// The Social+ API (the real region or the embedded stand-in, through the same client).
    pub upstream: Arc<Client>,
    /// The console's own database.
    pub db: SqlitePool,
    /// The local bootstrap admin, when sign-in with it is allowed.
    pub bootstrap: Option<Arc<BootstrapAdmin>>,
    /// Why the bootstrap admin is unavailable, shown on the sign-in page.
    pub bootstrap_disabled_reason: Option<String>,
    /// The network's admin token (shared with the upstream client).
    pub admin_token: admin_token::AdminToken,
    /// The upstream request budget per second (`None` = unlimited), for estimates shown to people.
    pub upstream_budget: Option<u32>,
    /// The queue's cached per-community sweep (pending posts, flagged messages).
    pub queue_sweep: queue::SweepCache,
    /// Moderation actions running in tasks of their own (they outlive a dropped request;
    /// shutdown drains them).
    pub detached: moderation::detached::Detached,
    /// The network's API key (`x-api-key`), needed to create users through session
    /// registration; `None` when not configured. Never sent to a browser or logged.
    pub api_key: Option<secrecy::SecretString>,
    /// What the scheduled (and the on-demand) metrics CSV export holds.
    pub metrics_export: analytics::exports::ExportPlan,
    /// Turns at the database's one write lock for the writers that must not hold up the
    /// webhook intake's acknowledgements: the intake itself, its processor, the analytics
    /// refresher.
    pub write_gate: events::WriteGate,
    /// Per-person cooldowns and caps on work that spends the request budget or stores files.
    pub throttle: throttle::Throttle,
    /// How long stored reports, exports and uploads are kept.
    pub retention: retention::Retention,
    /// Where forwarding and notify actions may send: public addresses and the configured
    /// private exceptions.
    pub outbound: outbound::Outbound,
    /// Seals and opens the secrets the console stores (forward targets').
    pub secrets: secret_box::SecretBox,
    /// The shared reader behind the live event streams, and their caps.
    pub live_events: live_events::LiveEvents,
}
