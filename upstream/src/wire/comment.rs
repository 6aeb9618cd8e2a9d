//! Comments (`schema/comment.yaml#/Comment`) and their envelope.

use super::{CommunityUser, File, HashFlag, Paging, User, null_as_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a comment is attached to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReferenceType {
    /// A post.
    #[default]
    Post,
    /// Custom content.
    Content,
    /// A story.
    Story,
    /// A reference this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl ReferenceType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceType::Post => "post",
            ReferenceType::Content => "content",
            ReferenceType::Story => "story",
            ReferenceType::Unknown => "unknown",
        }
    }
}

/// A comment or a reply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Public id.
    pub comment_id: String,
    /// Author's public id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Author's internal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_internal_id: Option<String>,
    /// The comment replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The top comment of the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_id: Option<String>,
    /// What it is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// Kind of reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_type: Option<ReferenceType>,
    /// Kind of body (`text`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// Body, e.g. `{text}`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub data: Map<String, Value>,
    /// Custom metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Number of replies.
    #[serde(default, deserialize_with = "null_as_default")]
    pub children_number: u64,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
    /// Opaque "flagged by me" marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_flag: Option<HashFlag>,
    /// Reactions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub reactions_count: u64,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Last edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: String,
    /// Last update.
    #[serde(default)]
    pub updated_at: String,
    /// Reply ids, side-loaded in `commentChildren`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub children: Vec<String>,
    /// The community or user whose feed holds the referenced post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Kind of target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<super::TargetType>,
}

impl Comment {
    /// The text, if the body has one.
    pub fn text(&self) -> Option<&str> {
        self.data.get("text").and_then(Value::as_str)
    }
}

/// `{comments, commentChildren, communityUsers, users, files, paging?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentEnvelope {
    /// The comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments: Vec<Comment>,
    /// Their replies.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comment_children: Vec<Comment>,
    /// Authors' memberships.
    #[serde(default, deserialize_with = "null_as_default")]
    pub community_users: Vec<CommunityUser>,
    /// Authors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}
