//! The Rules section: automation rules on the network's events, with dry runs before enabling.

pub mod api;
pub mod page;
