//! The admin moderation feed (`apidocs-index-newer/schema/content.yaml#/Content`,
//! `v1-admin/moderation-feeds/response.yaml`).

use super::{Comment, PostEnvelope, null_as_default};
use serde::{Deserialize, Serialize};

/// Kind of moderated content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContentType {
    /// A post (side-loaded in `posts`).
    #[default]
    Post,
    /// A comment (side-loaded in `comments`).
    Comment,
    /// A type this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// What a moderator did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReviewedType {
    /// Deleted the content.
    Delete,
    /// Cleared its flags.
    ClearFlag,
    /// An action this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// `manualReview`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManualReview {
    /// The action.
    pub reviewed_type: ReviewedType,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<String>,
    /// Internal id of the reviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
}

/// One category an AI model scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiCategory {
    /// Label, e.g. `Violence`.
    #[serde(default)]
    pub name: String,
    /// Confidence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub score: f64,
}

/// `aiModeration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiModeration {
    /// `text | image | video` (kept as text).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `delete | flag` (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderated_action: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderated_at: Option<String>,
    /// Scores.
    #[serde(default, deserialize_with = "null_as_default")]
    pub categories: Vec<AiCategory>,
}

/// One item of the moderation feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// Internal id (what the bulk actions take).
    pub content_id: String,
    /// Public id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_public_id: Option<String>,
    /// Post or comment.
    #[serde(default)]
    pub content_type: ContentType,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
    /// Last flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_flagged_at: Option<String>,
    /// Last review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed_at: Option<String>,
    /// What a moderator did, once reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_review: Option<ManualReview>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// AI verdict, when a model looked at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_moderation: Option<AiModeration>,
    /// Internal id of the community or user feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// `community | user` (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Internal id of the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// `{contents, posts, postChildren, comments, commentChildren, users, files, communities, …, paging}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModerationFeedEnvelope {
    /// The feed items, in the requested order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub contents: Vec<Content>,
    /// Replies of side-loaded comments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub comment_children: Vec<Comment>,
    /// The posts, comments, authors, communities… the items refer to.
    #[serde(flatten)]
    pub side: PostEnvelope,
}

/// `{status: "success"}` — the answer of the bulk content actions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResult {
    /// `"success"`.
    #[serde(default)]
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reviewed_item_with_unknown_values_decodes() {
        let json = r#"{"contents":[{"contentId":"c","contentType":"story","flagCount":2,
            "manualReview":{"reviewedType":"escalate","reviewedAt":"t","reviewedBy":"u"},
            "aiModeration":{"type":"text","categories":[{"name":"Violence","score":0.9}]}}],
            "posts":[],"paging":{"next":"n"}}"#;
        let feed: ModerationFeedEnvelope = serde_json::from_str(json).expect("decode");
        let item = &feed.contents[0];
        assert_eq!(item.content_type, ContentType::Unknown);
        assert_eq!(item.manual_review.as_ref().map(|r| r.reviewed_type), Some(ReviewedType::Unknown));
        assert_eq!(feed.side.paging.and_then(|p| p.next).as_deref(), Some("n"));
    }
}
