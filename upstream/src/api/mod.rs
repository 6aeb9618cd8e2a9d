//! The operations the console needs from Social+, as traits so the real client, the
//! stand-in (through the same client) and test doubles are interchangeable.
//!
//! Each resource has its own trait in its own file, implemented there for [`crate::Client`].
//! [`UpstreamApi`] is the sum of them all: consumers hold an `Arc<dyn UpstreamApi>`.

mod admin_token;
mod blocklist;
mod moderation_settings;
mod network_settings;
mod reports;
mod roles;
mod sessions;
mod users;

pub use admin_token::AdminTokenApi;
pub use blocklist::BlocklistApi;
pub use moderation_settings::ModerationSettingsApi;
pub use network_settings::NetworkSettingsApi;
pub use reports::ReportsApi;
pub use roles::RolesApi;
pub use sessions::SessionsApi;
pub use users::UsersApi;

/// Every resource trait, so `use upstream::prelude::*;` makes all methods of a
/// `dyn UpstreamApi` callable.
pub mod prelude {
    pub use super::{
        AdminTokenApi, BlocklistApi, ModerationSettingsApi, NetworkSettingsApi, ReportsApi, RolesApi,
        SessionsApi, UpstreamApi, UsersApi,
    };
}

/// The Social+ API as the console uses it: every resource trait at once.
pub trait UpstreamApi:
    UsersApi
    + SessionsApi
    + RolesApi
    + BlocklistApi
    + NetworkSettingsApi
    + ModerationSettingsApi
    + ReportsApi
    + AdminTokenApi
    + Send
    + Sync
    + 'static
{
}

impl<T> UpstreamApi for T where
    T: UsersApi
        + SessionsApi
        + RolesApi
        + BlocklistApi
        + NetworkSettingsApi
        + ModerationSettingsApi
        + ReportsApi
        + AdminTokenApi
        + Send
        + Sync
        + 'static
{
}
