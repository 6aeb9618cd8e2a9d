//! Communities, their members and categories (`schema/community.yaml`).

use super::{Feed, File, Paging, User, null_as_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A community.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Community {
    /// Id.
    pub community_id: String,
    /// Its chat channel.
    #[serde(default)]
    pub channel_id: String,
    /// Creator's public id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Name.
    #[serde(default)]
    pub display_name: String,
    /// Avatar, side-loaded in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_file_id: Option<String>,
    /// Official badge.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_official: bool,
    /// Anyone can join and read.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_public: bool,
    /// Only admins post.
    #[serde(default, deserialize_with = "null_as_default")]
    pub only_admin_can_post: bool,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Custom metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Posts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub posts_count: u64,
    /// Members.
    #[serde(default, deserialize_with = "null_as_default")]
    pub members_count: u64,
    /// Categories, side-loaded in `categories`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub category_ids: Vec<String>,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// A comment in it is flagged.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_flagged_comment: bool,
    /// A post in it is flagged.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_flagged_post: bool,
    /// New posts wait in the reviewing feed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub need_approval_on_post_creation: bool,
    /// Members with a moderator role.
    #[serde(default, deserialize_with = "null_as_default")]
    pub moderator_member_count: u64,
    /// Stories can be commented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_comment_in_story: Option<bool>,
}

/// Membership state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Membership {
    /// Not a member.
    #[default]
    None,
    /// A member.
    Member,
    /// Banned from the community.
    Banned,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl Membership {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Membership::None => "none",
            Membership::Member => "member",
            Membership::Banned => "banned",
            Membership::Unknown => "unknown",
        }
    }
}

/// A user's membership of a community.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityUser {
    /// Member's public id.
    #[serde(default)]
    pub user_id: String,
    /// Member's internal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_internal_id: Option<String>,
    /// The community's channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// The community.
    #[serde(default)]
    pub community_id: String,
    /// State.
    #[serde(default)]
    pub community_membership: Membership,
    /// Banned.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_banned: bool,
    /// Last seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<String>,
    /// Community roles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub roles: Vec<String>,
    /// Joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// A community category.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityCategory {
    /// Id.
    #[serde(default)]
    pub category_id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Custom metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_file_id: Option<String>,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `{communities, communityUsers, files, users, categories, feeds, paging?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityEnvelope {
    /// The communities.
    #[serde(default, deserialize_with = "null_as_default")]
    pub communities: Vec<Community>,
    /// Memberships.
    #[serde(default, deserialize_with = "null_as_default")]
    pub community_users: Vec<CommunityUser>,
    /// Avatars.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Members and creators.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Categories.
    #[serde(default, deserialize_with = "null_as_default")]
    pub categories: Vec<CommunityCategory>,
    /// Feeds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub feeds: Vec<Feed>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}
