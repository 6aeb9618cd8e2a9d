//! Contract tests: every stand-in response the console uses so far is checked against the
//! official Social+ OpenAPI schemas, and decoded by the real client, errors included.

mod comments;
mod communities;
mod content_support;
mod messages;
mod moderation;
mod openapi;
mod paging;
mod posts;
mod stories;
mod users;
