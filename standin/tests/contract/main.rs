//! Contract tests: every stand-in response the console uses so far is checked against the
//! official Social+ OpenAPI schemas, and decoded by the real client, errors included.

mod openapi;
mod users;
