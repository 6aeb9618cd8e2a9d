//! Network settings, one section per `/api/v3/network-settings/*` path
//! (spec: `v3/network-setting/*`, `schema/network-setting.yaml`). A GET answers the same shape
//! as the PUT of its section. Every field is optional: a PUT changes only what it carries.

use serde::{Deserialize, Serialize};

/// `{enabled}` — a feature switch as answered (`webhook`, `videoStreaming` in the root).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enabled {
    /// Whether the feature is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The answer of `PUT /api/v3/network-settings` (the root section).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSettings {
    /// Video streaming switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_streaming: Option<Enabled>,
    /// Chat settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<ChatSettings>,
    /// Social settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social: Option<SocialSettings>,
    /// Webhook switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Enabled>,
    /// Allowlist enforcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<ModerationSection>,
    /// The network's plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_handler: Option<String>,
}

/// The body of `PUT /api/v3/network-settings`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSettingsUpdate {
    /// The network (ignored by the stand-in: it serves one network).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_id: Option<String>,
    /// The plan (≤ 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_handler: Option<String>,
    /// Social switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_enabled: Option<bool>,
    /// Video streaming switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_streaming_enabled: Option<bool>,
    /// Chat switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_enabled: Option<bool>,
    /// Allowlist enforcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_whitelist_enabled: Option<bool>,
}

/// `/chat` as answered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSettings {
    /// Chat switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<ChatMention>,
    /// Message previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_preview: Option<MessagePreview>,
    /// Admins may read conversations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_admin_view_conversation_message: Option<bool>,
    /// Admins may manage conversation messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_admin_manage_conversation_message: Option<bool>,
}

/// `mention` of the chat settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMention {
    /// `@channel` mentions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_mentioned_channel_enabled: Option<bool>,
}

/// `messagePreview` (answer) and `messagePreviewSetting` (update) of the chat settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePreview {
    /// Previews on (required in an update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Deleted messages may be previewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_include_deleted: Option<bool>,
}

/// The body of `PUT /api/v3/network-settings/chat`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSettingsUpdate {
    /// `@channel` mentions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_mentioned_channel_enabled: Option<bool>,
    /// Message previews (`enabled` required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_preview_setting: Option<MessagePreview>,
    /// Admins may read conversations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_admin_view_conversation_message: Option<bool>,
    /// Admins may manage conversation messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_admin_manage_conversation_message: Option<bool>,
}

/// Who may see a user's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserPrivacy {
    /// Everyone.
    Public,
    /// Followers only.
    Private,
    /// A value this client does not know.
    #[serde(other)]
    Unknown,
}

/// `/social` as answered: feed flags under `globalFeed`, story fields under `story`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialSettings {
    /// Social switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Default privacy of users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_privacy_setting: Option<UserPrivacy>,
    /// Following needs the followee's approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_follow_with_request_enabled: Option<bool>,
    /// Posts under review may be edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_edit_post_when_reviewing_enabled: Option<bool>,
    /// Non-members may not react or comment in communities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_non_member_interact_in_community: Option<bool>,
    /// Users may join private communities by themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_join_private_community: Option<bool>,
    /// Global feed composition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_feed: Option<GlobalFeed>,
    /// Stories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StorySettings>,
}

/// `globalFeed` of the social settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalFeed {
    /// Only the user's own feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_only_my_feed: Option<bool>,
    /// The user's own posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_my_post: Option<bool>,
    /// Everyone's posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_everyone_post: Option<bool>,
    /// Community posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_community_post: Option<bool>,
    /// Posts of followed users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_following_post: Option<bool>,
    /// Global pins allowed (1..=20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_global_pinned_post: Option<f64>,
}

/// `story` of the social settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorySettings {
    /// Story lifetime in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_time_minutes: Option<u32>,
    /// Everyone may post stories (not only those with the permission).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_user_to_create_story: Option<bool>,
}

/// The body of `PUT /api/v3/network-settings/social` (flat).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialSettingsUpdate {
    /// Default privacy of users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_privacy_setting: Option<UserPrivacy>,
    /// Following needs approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_follow_with_request_enabled: Option<bool>,
    /// Posts under review may be edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_edit_post_when_reviewing_enabled: Option<bool>,
    /// Only the user's own feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_only_my_feed: Option<bool>,
    /// The user's own posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_my_post: Option<bool>,
    /// Everyone's posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_everyone_post: Option<bool>,
    /// Community posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_community_post: Option<bool>,
    /// Posts of followed users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_following_post: Option<bool>,
    /// Non-members may not interact in communities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_non_member_interact_in_community: Option<bool>,
    /// Story lifetime (60..=1440 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story_expiry_time_minutes: Option<u32>,
    /// Everyone may post stories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_user_to_create_story: Option<bool>,
    /// Users may join private communities by themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_join_private_community: Option<bool>,
    /// Global pins allowed (1..=20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_global_pinned_post: Option<u32>,
}

/// `{feedSettings: [{feedType, contentSettings}]}` — `/feed-setting` as answered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedSettings {
    /// One entry per feed type (`post`, `message`, `story`).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub feed_settings: Vec<FeedTypeSettings>,
}

/// What one feed type accepts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedTypeSettings {
    /// `post`, `message` or `story`.
    pub feed_type: String,
    /// One entry per content type (`video`).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub content_settings: Vec<ContentSettings>,
}

/// Limits of one content type in one feed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentSettings {
    /// `video`.
    pub content_type: String,
    /// Whether it may be posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<bool>,
    /// Longest video, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_seconds: Option<f64>,
    /// Transcoding bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcode_config: Option<TranscodeConfig>,
}

/// `1080p`, `720p`, `480p` or `360p`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscodeConfig {
    /// Highest resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_resolution: Option<String>,
    /// Lowest resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_resolution: Option<String>,
}

/// The body of `PUT /api/v3/network-settings/feed-setting`: `{post|message|story: {video}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedSettingsUpdate {
    /// Post feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<FeedVideoUpdate>,
    /// Chat messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<FeedVideoUpdate>,
    /// Stories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<FeedVideoUpdate>,
}

/// `{video: {...}}` of one feed type in an update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedVideoUpdate {
    /// Video limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoCheck>,
}

/// Video limits in an update (durations ≤ 7200 / 600 / 90 s for post / message / story).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCheck {
    /// Whether videos may be posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<bool>,
    /// Longest video, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_seconds: Option<f64>,
    /// Transcoding bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcode_config: Option<TranscodeConfig>,
}

/// `/moderation`: `{isWhitelistEnabled}` (answer and update).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModerationSection {
    /// Links must match the allowlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_whitelist_enabled: Option<bool>,
}

/// `/users`: `{isAllowUpdateDisplayName}` (answer and update).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersSection {
    /// Users may change their own display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_allow_update_display_name: Option<bool>,
}

/// The body of `PUT /api/v3/network-settings/webhook`; the answer is [`Enabled`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookUpdate {
    /// Deliver webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_enabled: Option<bool>,
}

/// `/semantic-search` as answered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SemanticSearchSettings {
    /// The feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic_search: Option<SemanticSearchFeature>,
}

/// `semanticSearch` of the semantic search settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SemanticSearchFeature {
    /// Post search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<SemanticSearchPost>,
}

/// Post search settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SemanticSearchPost {
    /// Whether it is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Lowest score returned (0..=1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
}

/// The body of `PUT /api/v3/network-settings/semantic-search`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SemanticSearchUpdate {
    /// Lowest score returned (0..=1; the spec types it as an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_min_score: Option<f64>,
}

/// `/video-streaming` (answer and update).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoStreamingSettings {
    /// The feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Live stream moderation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<StreamModeration>,
}

/// `moderation` of the video streaming settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamModeration {
    /// Whether streams are moderated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Thresholds per category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<StreamCategory>>,
}

/// One moderated category of live streams.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamCategory {
    /// `pornography`, `violence`, `prohibited`, `inappropriate` or `profanity`.
    pub category: String,
    /// Flag at this confidence (0..=1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_threshold: Option<f64>,
    /// Stop the stream at this confidence (0..=1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminate_threshold: Option<f64>,
}

/// What the network does when the pre-hook endpoint does not answer in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefaultAction {
    /// Let the action through.
    Allow,
    /// Refuse it.
    Deny,
    /// A value this client does not know.
    #[serde(other)]
    Unknown,
}

/// `/prehook` as answered. `secretKey` is present only in the answer of the PUT that first
/// enables the pre-hook or regenerates the key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrehookSettings {
    /// Whether pre-hook events are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Where they are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// What happens on a timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_action: Option<DefaultAction>,
    /// The signing key, shown once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
}

/// The body of `PUT /api/v3/network-settings/prehook`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrehookUpdate {
    /// Send pre-hook events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Where to send them (≤ 900 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// What to do on a timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_action: Option<DefaultAction>,
    /// Issue a new secret key (answered once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regenerate_key: Option<bool>,
}
