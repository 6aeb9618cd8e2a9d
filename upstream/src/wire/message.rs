//! Messages and message feeds, v5 (`v5/message/response.yaml`, `v5/message-feed/response.yaml`).

use super::{File, Paging, User, null_as_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A chat message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Id.
    pub message_id: String,
    /// Channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// `community | conversation | broadcast | live` (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    /// Feed it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_feed_id: Option<String>,
    /// Position in the feed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub segment: u64,
    /// Kind of body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// Body, e.g. `{text}`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub data: Map<String, Value>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Author's internal id (v5 caps it at 24 characters; side-loaded users carry it as `_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// The message replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
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
}

/// A message feed (a channel's thread of messages).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageFeed {
    /// Id.
    pub message_feed_id: String,
    /// Channel.
    #[serde(default)]
    pub channel_id: String,
    /// Channel's public id.
    #[serde(default)]
    pub channel_public_id: String,
    /// Kind of channel (kept as text).
    #[serde(default)]
    pub channel_type: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Latest message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<String>,
    /// Time of the latest message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_timestamp: Option<String>,
    /// Creator's public id.
    #[serde(default)]
    pub creator_id: String,
    /// Internal path.
    #[serde(default)]
    pub path: String,
    /// Number of messages.
    #[serde(default, deserialize_with = "null_as_default")]
    pub child_count: u64,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Creation time.
    #[serde(default)]
    pub created_at: String,
    /// Last update.
    #[serde(default)]
    pub updated_at: String,
}

/// `{messages, messageFeeds, files, users, paging?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageEnvelope {
    /// The messages.
    #[serde(default, deserialize_with = "null_as_default")]
    pub messages: Vec<Message>,
    /// Their feeds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub message_feeds: Vec<MessageFeed>,
    /// Files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Authors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}
