//! The Reports section: Social+'s user last-activity report, fetched now or on the schedule,
//! kept with its history and downloadable.

pub mod api;
pub mod page;
