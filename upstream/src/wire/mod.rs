//! Wire types: the JSON shapes of the Social+ API, as in `spec/apidocs-master-4.92.0`.
//!
//! Decoding is tolerant: unknown fields are ignored, `null` where a list or flag is expected
//! reads as empty/false, and unknown enum values land in an `Unknown` variant. Encoding
//! (used by the stand-in) leaves out absent optional fields rather than writing `null`,
//! because the spec declares them as plain strings.

mod comment;
mod community;
mod envelope;
mod error;
mod file;
mod message;
mod moderation;
mod post;
mod story;
mod user;

pub use comment::{Comment, CommentEnvelope, ReferenceType};
pub use community::{Community, CommunityCategory, CommunityEnvelope, CommunityUser, Membership};
pub use envelope::{Paging, UserEnvelope};
pub use error::{ErrorBody, code};
pub use file::{File, FileAttributes, FileType};
pub use message::{Message, MessageEnvelope, MessageFeed};
pub use moderation::{
    AiCategory, AiModeration, Content, ContentType, ManualReview, ModerationFeedEnvelope, ReviewedType,
    StatusResult,
};
pub use post::{
    DeleteResult, Feed, FeedType, Post, PostData, PostDataType, PostEnvelope, SuccessFlag, TargetType,
};
pub use story::{Story, StoryData, StoryEnvelope};
pub use user::{HashFlag, User};

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (for lists, counters and flags).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
