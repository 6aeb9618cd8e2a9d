//! The Events section: stored events with a live SSE stream, the webhook delivery log, and
//! forwarding selected events re-signed to another URL.

pub mod api;
pub mod deliveries;
pub mod forward;
pub mod live;
pub mod page;
pub mod table;
