//! Data shared by the console's UI (compiled to wasm32) and its server.
//!
//! Everything here is plain serde data with no server-only dependencies, so the browser
//! bundle and the server agree on one definition. Wire types of the Social+ API live in
//! the `upstream` crate; these are the console's own view of them.

pub mod access;
pub mod admin_token;
pub mod analytics;
pub mod audit;
pub mod choice;
pub mod csv;
pub mod event_log;
pub mod imports;
pub mod jobs;
pub mod moderation;
pub mod page;
pub mod queue;
pub mod reports;
pub mod roles;
pub mod rule_runs;
pub mod rules;
pub mod url;
pub mod users;

pub use access::{CurrentUser, Permission, Role};
pub use choice::Choice;
pub use page::Page;
