//! The Users section: the searchable list and the detail page.

pub mod api;
pub mod detail;
pub mod list;
