//! The Appeals section: appeals of banned or warned users, decided by a moderator other than
//! the one who acted.

pub mod api;
pub mod page;
