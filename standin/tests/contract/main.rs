//! Contract tests: every stand-in response the console uses so far is checked against the
//! official Social+ OpenAPI schemas, and decoded by the real client, errors included.

mod admin_token;
mod openapi;
mod users;
