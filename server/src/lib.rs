//! The Social+ Console server: configuration, telemetry, the HTTP router (pages, server
//! functions, sign-in, health, static files), security layers and graceful shutdown.
//! `main.rs` only loads the configuration and runs [`startup::Application`].

mod analytics_export;
mod appeals;
mod audit_export;
pub mod auth;
mod bootstrap_password;
pub mod config;
mod download_audit;
mod event_sse;
mod event_sync;
mod health;
pub mod hooks;
mod import_upload;
mod job_results;
pub mod limits;
pub mod outbound;
mod reports;
mod request_id;
mod routes;
mod security;
pub mod shutdown;
mod standin_history;
pub mod startup;
mod stored_secrets;
pub mod telemetry;
mod theme;
mod users_export;
