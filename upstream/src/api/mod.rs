//! The operations the console needs from Social+, as traits so the real client, the
//! stand-in (through the same client) and test doubles are interchangeable.
//!
//! Each resource has its own trait in its own file, implemented there for [`crate::Client`].
//! [`UpstreamApi`] is the sum of them all: consumers hold an `Arc<dyn UpstreamApi>`.

mod comments;
mod communities;
mod messages;
mod moderation;
mod posts;
mod stories;
mod users;

pub use comments::CommentsApi;
pub use communities::CommunitiesApi;
pub use messages::MessagesApi;
pub use moderation::ModerationApi;
pub use posts::PostsApi;
pub use stories::StoriesApi;
pub use users::UsersApi;

/// Every resource trait, so `use upstream::prelude::*;` makes all methods of a
/// `dyn UpstreamApi` callable.
pub mod prelude {
    pub use super::{
        CommentsApi, CommunitiesApi, MessagesApi, ModerationApi, PostsApi, StoriesApi, UpstreamApi, UsersApi,
    };
}

/// The Social+ API as the console uses it: every resource trait at once.
pub trait UpstreamApi:
    UsersApi
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
