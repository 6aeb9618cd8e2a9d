//! The Rules section: automation rules on the network's events, with dry runs before enabling,
//! editing, and what each rule did.

pub mod api;
pub mod controls;
pub mod detail;
pub mod form;
pub mod history;
pub mod page;
pub mod report;
