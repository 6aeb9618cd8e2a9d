//! The Analytics section: DAU/WAU/MAU, content, flags and moderation charts computed by the
//! console from its stored events (each chart's CSV is a plain HTTP GET on the server).

pub mod api;
pub mod chart;
pub mod page;
