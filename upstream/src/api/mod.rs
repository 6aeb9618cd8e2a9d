//! The operations the console needs from Social+, as traits so the real client, the
//! stand-in (through the same client) and test doubles are interchangeable.
//!
//! Each resource has its own trait in its own file, implemented there for [`crate::Client`].
//! [`UpstreamApi`] is the sum of them all: consumers hold an `Arc<dyn UpstreamApi>`.

mod admin_token;
mod users;

pub use admin_token::AdminTokenApi;
pub use users::UsersApi;

/// Every resource trait, so `use upstream::prelude::*;` makes all methods of a
/// `dyn UpstreamApi` callable.
pub mod prelude {
    pub use super::{AdminTokenApi, UpstreamApi, UsersApi};
}

/// The Social+ API as the console uses it: every resource trait at once.
pub trait UpstreamApi: UsersApi + AdminTokenApi + Send + Sync + 'static {}

impl<T> UpstreamApi for T where T: UsersApi + AdminTokenApi + Send + Sync + 'static {}
