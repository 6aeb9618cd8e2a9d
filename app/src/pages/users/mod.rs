//! The Users section: the searchable list, the detail page, and the forms that change users.

pub mod api;
pub mod detail;
pub mod forms;
pub mod list;
pub mod manage_api;
