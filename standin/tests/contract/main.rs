//! Contract tests: every stand-in response the console uses so far is checked against the
//! official Social+ OpenAPI schemas, and decoded by the real client, errors included.

mod admin_token;
mod blocklist;
mod events;
mod moderation_settings;
mod network_settings;
mod openapi;
mod reports;
mod roles;
mod sessions;
mod support;
mod user_changes;
mod users;
