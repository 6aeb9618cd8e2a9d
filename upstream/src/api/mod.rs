//! The operations the console needs from Social+, as traits so the real client, the
//! stand-in (through the same client) and test doubles are interchangeable.
//!
//! Each resource has its own trait in its own file, implemented there for [`crate::Client`].
//! [`UpstreamApi`] is the sum of them all: consumers hold an `Arc<dyn UpstreamApi>`.

mod admin_token;
mod blocklist;
mod comments;
mod communities;
mod messages;
mod moderation;
mod moderation_settings;
mod network_settings;
mod posts;
mod reports;
mod roles;
mod sessions;
mod stories;
mod users;

pub use admin_token::AdminTokenApi;
pub use blocklist::BlocklistApi;
pub use comments::CommentsApi;
pub use communities::CommunitiesApi;
pub use messages::MessagesApi;
pub use moderation::ModerationApi;
pub use moderation_settings::ModerationSettingsApi;
pub use network_settings::NetworkSettingsApi;
pub use posts::PostsApi;
pub use reports::ReportsApi;
pub use roles::RolesApi;
pub use sessions::SessionsApi;
pub use stories::StoriesApi;
pub use users::UsersApi;

/// Every resource trait, so `use upstream::prelude::*;` makes all methods of a
/// `dyn UpstreamApi` callable.
pub mod prelude {
    pub use super::{
        AdminTokenApi, BlocklistApi, CommentsApi, CommunitiesApi, MessagesApi, ModerationApi,
        ModerationSettingsApi, NetworkSettingsApi, PostsApi, ReportsApi, RolesApi, SessionsApi, StoriesApi,
        UpstreamApi, UsersApi,
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
    + PostsApi
    + CommentsApi
    + MessagesApi
    + StoriesApi
    + CommunitiesApi
    + ModerationApi
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
        + PostsApi
        + CommentsApi
        + MessagesApi
        + StoriesApi
        + CommunitiesApi
        + ModerationApi
        + Send
        + Sync
        + 'static
{
}
