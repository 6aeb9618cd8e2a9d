//! Contract tests: every stand-in response the console uses so far is checked against the
//! official Social+ OpenAPI schemas, and decoded by the real client, errors included.

mod admin_token;
mod blocklist;
mod comments;
mod communities;
mod content_support;
mod events;
mod files;
mod history;
mod messages;
mod moderation;
mod moderation_settings;
mod network_settings;
mod openapi;
mod paging;
mod posts;
mod reports;
mod roles;
mod sessions;
mod stories;
mod support;
mod user_changes;
mod users;
