//! The Users section: the searchable list, the detail page, and the forms that change users.

pub mod api;
pub mod bulk;
pub mod bulk_api;
pub mod detail;
pub mod detail_extras;
pub mod forms;
pub mod list;
pub mod manage_api;
