//! One module per page or section.

pub mod analytics;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod events;
pub mod imports;
pub mod jobs;
pub mod moderation;
pub mod not_found;
pub mod queue;
pub mod reports;
pub mod roles;
pub mod rules;
pub mod settings;
pub mod users;
