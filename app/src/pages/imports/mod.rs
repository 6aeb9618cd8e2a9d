//! The Imports section: users from a CSV file — dry run with a report per row, then a
//! background job with a progress bar and a downloadable result file.

pub mod api;
pub mod detail;
pub mod page;
