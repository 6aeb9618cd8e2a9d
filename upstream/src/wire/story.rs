//! Stories (`schema/story.yaml`) and their envelope.

use super::{
    Comment, Community, CommunityCategory, CommunityUser, File, HashFlag, Paging, User, null_as_default,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A story's body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryData {
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Image or video file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
}

/// A story.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Story {
    /// Id.
    pub story_id: String,
    /// Author's public id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// Feed owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Kind of owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<super::TargetType>,
    /// `text | image | video` (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// Body.
    #[serde(default)]
    pub data: StoryData,
    /// Custom metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
    /// Opaque "flagged by me" marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_flag: Option<HashFlag>,
    /// Creation time.
    #[serde(default)]
    pub created_at: String,
    /// Last update.
    #[serde(default)]
    pub updated_at: String,
    /// When it stops being shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Reactions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub reactions_count: u64,
    /// Comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments_count: u64,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
}

/// `{stories, comments, files, users, communities, communityUsers, categories, paging?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryEnvelope {
    /// The stories.
    #[serde(default, deserialize_with = "null_as_default")]
    pub stories: Vec<Story>,
    /// Comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments: Vec<Comment>,
    /// Files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Authors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Target communities.
    #[serde(default, deserialize_with = "null_as_default")]
    pub communities: Vec<Community>,
    /// Memberships.
    #[serde(default, deserialize_with = "null_as_default")]
    pub community_users: Vec<CommunityUser>,
    /// Categories.
    #[serde(default, deserialize_with = "null_as_default")]
    pub categories: Vec<CommunityCategory>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}
