//! The moderation queue: `/queue` (tabs, filters in the URL, a dense table driven by the
//! keyboard, live counter of new cases) and `/queue/case/:kind/:id` (the case with its
//! thread, community and author panel).

mod act;
pub mod api;
pub mod case;
mod keys;
pub mod list;
mod live;
