//! A typed client for the Social+ (formerly Amity Social Cloud) regional REST API.
//!
//! * [`wire`] — the JSON the API speaks: side-loaded envelopes (`users`, `files`, `paging`),
//!   objects and the error envelope `{status, code, message, data}`. These build for wasm32
//!   and are shared with the embedded stand-in, which serves the same shapes.
//! * [`query`] — typed query parameters in the API's `qs` bracket style (`options[limit]=…`).
//! * With the `client` feature: [`endpoints`] (one type per Social+ operation, implementing
//!   [`Endpoint`]), [`Client`] (one send path: auth, budget, retry, decoding, over a
//!   [`Transport`]), [`testing`] (a scripted transport for tests) and the typed [`Error`].
//!
//! The contract is the official OpenAPI files vendored in `upstream/spec/`; where prose
//! disagrees with them, the spec wins (see `docs/contract-notes.md`).

pub mod content_query;
pub mod query;
pub mod region;
pub mod wire;

#[cfg(feature = "client")]
pub mod budget;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub mod decode;
#[cfg(feature = "client")]
pub mod endpoints;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
pub mod pages;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "client")]
pub mod testing;
#[cfg(feature = "client")]
mod token;
#[cfg(feature = "client")]
pub mod transport;

#[cfg(feature = "client")]
pub use client::{Client, ClientConfig, DEFAULT_BUDGET_PER_SECOND, base_url_problem, ensure_tls_provider};
#[cfg(feature = "client")]
pub use decode::Decode;
#[cfg(feature = "client")]
pub use endpoints::Endpoint;
#[cfg(feature = "client")]
pub use error::Error;
pub use region::Region;
#[cfg(feature = "client")]
pub use token::TokenSource;
#[cfg(feature = "client")]
pub use transport::Transport;
