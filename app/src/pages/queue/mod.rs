//! The moderation queue: `/queue` (tabs, filters in the URL, a dense table driven by the
//! keyboard, live counter of new cases, who is on each case; the Reviewed tab lists the
//! console's action records) and `/queue/case/:kind/:id` (the case with its thread,
//! community, author panel, claim and notes).

mod act;
pub mod api;
pub mod case;
mod claims;
mod in_flight;
mod keys;
pub mod list;
mod live;
mod reviewed;
