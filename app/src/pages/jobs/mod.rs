//! Background jobs as any page shows them: server functions to read a job's progress and
//! per-item results and to cancel it, and the progress panel that polls them.

pub mod api;
pub mod progress;
