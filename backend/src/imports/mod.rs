//! Importing users from CSV: reading and validating the file (the dry run reports every
//! problem by line), and the `user_import` job kind that creates or updates each valid row
//! through Social+ at the pace of the request budget.
//!
//! * [`file`] — parsing and row validation (no network).
//! * [`plan`] — the dry run (which users exist) and submitting the job.
//! * [`handler`] — the job kind: one row per item.
//! * [`uploads`] — files uploaded by a plain form post, kept for their dry run and import.

pub mod file;
pub mod handler;
pub mod plan;
pub mod uploads;

pub use file::{FileError, Parsed, parse};
pub use handler::{KIND, UserImport};
pub use plan::{ROLES_NEED_MANAGE_ROLES, preview, required_permission, submit};
