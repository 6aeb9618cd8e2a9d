//! Wire types: the JSON shapes of the Social+ API, as in `spec/apidocs-master-4.92.0`.
//!
//! Decoding is tolerant: unknown fields are ignored, `null` where a list or flag is expected
//! reads as empty/false, and unknown enum values land in an `Unknown` variant. Encoding
//! (used by the stand-in) leaves out absent optional fields rather than writing `null`,
//! because the spec declares them as plain strings.

mod admin_token;
mod blocklist;
mod comment;
mod community;
mod envelope;
mod error;
mod file;
mod last_activity;
mod message;
mod moderation;
mod moderation_settings;
mod network_settings;
mod post;
mod role;
mod session;
mod story;
mod success;
mod user;
mod user_update;

pub use admin_token::AdminTokenResponse;
pub use comment::{Comment, CommentEnvelope, ReferenceType};
pub use community::{Community, CommunityCategory, CommunityEnvelope, CommunityUser, Membership};
pub use envelope::{Paging, UserEnvelope};
pub use error::{ErrorBody, code};
pub use file::{File, FileAttributes, FileResponse, FileSize, FileType};
pub use message::{Message, MessageEnvelope, MessageFeed};
pub use moderation::{
    AiCategory, AiModeration, Content, ContentType, ManualReview, ModerationFeedEnvelope, ReviewedType,
    StatusResult,
};
pub use post::{
    DeleteResult, Feed, FeedType, Post, PostData, PostDataType, PostEnvelope, SuccessFlag, TargetType,
    VideoFileIds,
};
pub use story::{Story, StoryData, StoryEnvelope};
pub use user::{HashFlag, User};

pub use blocklist::{
    AddRules, ListRule, REGEX_MAX_CHARS, RULES_PER_CALL_MAX, RuleListV2, RulePage, RuleResults, RuleToggle,
    RuleV2, VerifyTexts,
};
pub use last_activity::{LAST_ACTIVITY_COLUMNS, LastActivity, last_activity_csv, parse_last_activity_csv};
pub use moderation_settings::{ImageModeration, ModerationSettings, ModerationSettingsEnvelope, StatusReply};
pub use network_settings::*;
pub use role::{PERMISSIONS, Role, RoleEnvelope, RoleInput, SYSTEM_ROLES};
pub use session::{AuthTokenRequest, DeviceInfo, DeviceKind, Session, SessionCheck, SessionRequest};
pub use success::Success;
pub use user_update::{
    DESCRIPTION_MAX_CHARS, DISPLAY_NAME_MAX_CHARS, METADATA_MAX_BYTES, ROLES_MAX, UserUpdate,
};

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (for lists, counters and flags).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
