//! Posts (`schema/post.yaml#/Post`), feeds (`schema/feed.yaml#/Feed`) and the post envelope.

use super::{
    Comment, Community, CommunityCategory, CommunityUser, File, HashFlag, Paging, User, null_as_default,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a post lives. Values the spec does not list become `Unknown`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TargetType {
    /// A user's own feed.
    #[default]
    User,
    /// A community feed.
    Community,
    /// A piece of custom content.
    Content,
    /// A target this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl TargetType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::User => "user",
            TargetType::Community => "community",
            TargetType::Content => "content",
            TargetType::Unknown => "unknown",
        }
    }
}

/// Kind of post body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PostDataType {
    /// Text only.
    #[default]
    Text,
    /// An image.
    Image,
    /// A file.
    File,
    /// A video.
    Video,
    /// A live stream.
    LiveStream,
    /// A type this client does not know yet (polls, clips…).
    #[serde(other)]
    Unknown,
}

/// A post's body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Attached file (image, file), side-loaded in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// Video thumbnail (an image file), side-loaded in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_file_id: Option<String>,
    /// The video's file per quality (video posts), side-loaded in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_file_id: Option<VideoFileIds>,
}

/// A video post's files (`schema/post.yaml` `data.videoFileId`): the upload and the
/// transcoded qualities, each a file id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoFileIds {
    /// The uploaded file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Low quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<String>,
    /// Medium quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// High quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<String>,
}

/// A post or a child post (an image of a gallery post, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    /// Public id.
    pub post_id: String,
    /// Parent post, for children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_post_id: Option<String>,
    /// Author's public id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_user_id: Option<String>,
    /// Author's internal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_user_internal_id: Option<String>,
    /// Feed owner (community id or user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Feed owner's internal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_internal_id: Option<String>,
    /// Kind of feed owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    /// Kind of body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<PostDataType>,
    /// Body.
    #[serde(default)]
    pub data: PostData,
    /// Custom metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
    /// Opaque "flagged by me" marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_flag: Option<HashFlag>,
    /// Last edit time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: String,
    /// Last update.
    #[serde(default)]
    pub updated_at: String,
    /// Reactions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub reactions_count: u64,
    /// Comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments_count: u64,
    /// Latest comment ids, side-loaded in `comments`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments: Vec<String>,
    /// Child post ids, side-loaded in `postChildren`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub children: Vec<String>,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// A comment of the post is flagged.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_flagged_comment: bool,
    /// A child post is flagged.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_flagged_children: bool,
    /// Feed the post is in, side-loaded in `feeds` (its `feedType` tells the review state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_id: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
}

/// Review state of a feed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FeedType {
    /// Visible to everyone.
    #[default]
    Published,
    /// Waiting for a moderator.
    Reviewing,
    /// Refused by a moderator.
    Declined,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl FeedType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedType::Published => "published",
            FeedType::Reviewing => "reviewing",
            FeedType::Declined => "declined",
            FeedType::Unknown => "unknown",
        }
    }
}

/// A feed (`schema/feed.yaml#/Feed`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    /// Id.
    pub feed_id: String,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Kind of owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    /// Review state of its posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_type: Option<FeedType>,
    /// Number of posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_count: Option<u64>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `{posts, postChildren, comments, users, files, communities, communityUsers, categories,
/// feeds, videoStreamings, polls, paging?}` — the answer of every post read and mutation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostEnvelope {
    /// The posts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub posts: Vec<Post>,
    /// Their children.
    #[serde(default, deserialize_with = "null_as_default")]
    pub post_children: Vec<Post>,
    /// Latest comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments: Vec<Comment>,
    /// Authors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Attached and avatar files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Target communities.
    #[serde(default, deserialize_with = "null_as_default")]
    pub communities: Vec<Community>,
    /// Authors' memberships.
    #[serde(default, deserialize_with = "null_as_default")]
    pub community_users: Vec<CommunityUser>,
    /// Categories of the communities.
    #[serde(default, deserialize_with = "null_as_default")]
    pub categories: Vec<CommunityCategory>,
    /// Feeds of the posts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub feeds: Vec<Feed>,
    /// Live streams (not modelled; kept raw).
    #[serde(default, deserialize_with = "null_as_default")]
    pub video_streamings: Vec<Value>,
    /// Polls (not modelled; kept raw). Not in every post answer's schema, so left out when empty.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub polls: Vec<Value>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

impl PostEnvelope {
    /// The side-loaded feed with this id.
    pub fn feed(&self, feed_id: &str) -> Option<&Feed> {
        self.feeds.iter().find(|f| f.feed_id == feed_id)
    }

    /// The review state of `post`, read from its side-loaded feed.
    pub fn feed_type_of(&self, post: &Post) -> Option<FeedType> {
        post.feed_id.as_deref().and_then(|id| self.feed(id)).and_then(|f| f.feed_type)
    }
}

/// `{status, data: {success}}` — the answer of post and comment deletes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteResult {
    /// `"success"`.
    #[serde(default)]
    pub status: String,
    /// `{success}`.
    #[serde(default)]
    pub data: SuccessFlag,
}

/// `{success}` — the answer of community and story deletes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessFlag {
    /// Whether it worked.
    #[serde(default, deserialize_with = "null_as_default")]
    pub success: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_data_and_feed_types_decode_as_unknown() {
        let json = r#"{"posts":[{"postId":"p","dataType":"clip","data":{},"feedId":"f",
            "createdAt":"x","updatedAt":"y","newField":1}],
            "feeds":[{"feedId":"f","feedType":"archived"}]}"#;
        let envelope: PostEnvelope = serde_json::from_str(json).expect("decode");
        assert_eq!(envelope.posts[0].data_type, Some(PostDataType::Unknown));
        assert_eq!(envelope.feed_type_of(&envelope.posts[0]), Some(FeedType::Unknown));
    }
}
