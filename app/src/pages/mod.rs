//! One module per page or section.

pub mod audit;
pub mod auth;
pub mod not_found;
pub mod queue;
pub mod sections;
pub mod settings;
pub mod users;
