//! The Audit section: the filtered, paged trail (exports are plain HTTP GETs on the server).

pub mod api;
pub mod log;
