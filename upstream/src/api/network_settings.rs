//! Network settings (`spec: v3/network-setting/*`).

use crate::{Client, Error, endpoints::network_settings as ns, wire::*};
use async_trait::async_trait;

/// Network settings operations, one GET and PUT per section.
#[async_trait]
pub trait NetworkSettingsApi: Send + Sync {
    /// `PUT /api/v3/network-settings`.
    async fn update_network_settings(&self, update: &NetworkSettingsUpdate)
    -> Result<NetworkSettings, Error>;
    /// `GET /api/v3/network-settings/chat`.
    async fn chat_settings(&self) -> Result<ChatSettings, Error>;
    /// `PUT /api/v3/network-settings/chat`.
    async fn update_chat_settings(&self, update: &ChatSettingsUpdate) -> Result<ChatSettings, Error>;
    /// `GET /api/v3/network-settings/feed-setting`.
    async fn feed_settings(&self) -> Result<FeedSettings, Error>;
    /// `PUT /api/v3/network-settings/feed-setting`.
    async fn update_feed_settings(&self, update: &FeedSettingsUpdate) -> Result<FeedSettings, Error>;
    /// `GET /api/v3/network-settings/moderation`.
    async fn moderation_section(&self) -> Result<ModerationSection, Error>;
    /// `PUT /api/v3/network-settings/moderation`.
    async fn update_moderation_section(&self, update: &ModerationSection)
    -> Result<ModerationSection, Error>;
    /// `GET /api/v3/network-settings/prehook`.
    async fn prehook_settings(&self) -> Result<PrehookSettings, Error>;
    /// `PUT /api/v3/network-settings/prehook`: `secretKey` is in the answer only on the first
    /// enable or a regeneration.
    async fn update_prehook_settings(&self, update: &PrehookUpdate) -> Result<PrehookSettings, Error>;
    /// `GET /api/v3/network-settings/social`.
    async fn social_settings(&self) -> Result<SocialSettings, Error>;
    /// `PUT /api/v3/network-settings/social`.
    async fn update_social_settings(&self, update: &SocialSettingsUpdate) -> Result<SocialSettings, Error>;
    /// `GET /api/v3/network-settings/semantic-search`.
    async fn semantic_search_settings(&self) -> Result<SemanticSearchSettings, Error>;
    /// `PUT /api/v3/network-settings/semantic-search`.
    async fn update_semantic_search_settings(
        &self,
        update: &SemanticSearchUpdate,
    ) -> Result<SemanticSearchSettings, Error>;
    /// `GET /api/v3/network-settings/users`.
    async fn users_settings(&self) -> Result<UsersSection, Error>;
    /// `PUT /api/v3/network-settings/users`.
    async fn update_users_settings(&self, update: &UsersSection) -> Result<UsersSection, Error>;
    /// `GET /api/v3/network-settings/video-streaming`.
    async fn video_streaming_settings(&self) -> Result<VideoStreamingSettings, Error>;
    /// `PUT /api/v3/network-settings/video-streaming`.
    async fn update_video_streaming_settings(
        &self,
        update: &VideoStreamingSettings,
    ) -> Result<VideoStreamingSettings, Error>;
    /// `GET /api/v3/network-settings/webhook`.
    async fn webhook_settings(&self) -> Result<Enabled, Error>;
    /// `PUT /api/v3/network-settings/webhook`.
    async fn update_webhook_settings(&self, update: &WebhookUpdate) -> Result<Enabled, Error>;
}

#[async_trait]
impl NetworkSettingsApi for Client {
    async fn update_network_settings(
        &self,
        update: &NetworkSettingsUpdate,
    ) -> Result<NetworkSettings, Error> {
        self.send(&ns::UpdateNetworkSettings(update)).await
    }
    async fn chat_settings(&self) -> Result<ChatSettings, Error> {
        self.send(&ns::GetChatSettings).await
    }
    async fn update_chat_settings(&self, update: &ChatSettingsUpdate) -> Result<ChatSettings, Error> {
        self.send(&ns::UpdateChatSettings(update)).await
    }
    async fn feed_settings(&self) -> Result<FeedSettings, Error> {
        self.send(&ns::GetFeedSettings).await
    }
    async fn update_feed_settings(&self, update: &FeedSettingsUpdate) -> Result<FeedSettings, Error> {
        self.send(&ns::UpdateFeedSettings(update)).await
    }
    async fn moderation_section(&self) -> Result<ModerationSection, Error> {
        self.send(&ns::GetModerationSection).await
    }
    async fn update_moderation_section(
        &self,
        update: &ModerationSection,
    ) -> Result<ModerationSection, Error> {
        self.send(&ns::UpdateModerationSection(update)).await
    }
    async fn prehook_settings(&self) -> Result<PrehookSettings, Error> {
        self.send(&ns::GetPrehookSettings).await
    }
    async fn update_prehook_settings(&self, update: &PrehookUpdate) -> Result<PrehookSettings, Error> {
        self.send(&ns::UpdatePrehookSettings(update)).await
    }
    async fn social_settings(&self) -> Result<SocialSettings, Error> {
        self.send(&ns::GetSocialSettings).await
    }
    async fn update_social_settings(&self, update: &SocialSettingsUpdate) -> Result<SocialSettings, Error> {
        self.send(&ns::UpdateSocialSettings(update)).await
    }
    async fn semantic_search_settings(&self) -> Result<SemanticSearchSettings, Error> {
        self.send(&ns::GetSemanticSearchSettings).await
    }
    async fn update_semantic_search_settings(
        &self,
        update: &SemanticSearchUpdate,
    ) -> Result<SemanticSearchSettings, Error> {
        self.send(&ns::UpdateSemanticSearchSettings(update)).await
    }
    async fn users_settings(&self) -> Result<UsersSection, Error> {
        self.send(&ns::GetUsersSettings).await
    }
    async fn update_users_settings(&self, update: &UsersSection) -> Result<UsersSection, Error> {
        self.send(&ns::UpdateUsersSettings(update)).await
    }
    async fn video_streaming_settings(&self) -> Result<VideoStreamingSettings, Error> {
        self.send(&ns::GetVideoStreamingSettings).await
    }
    async fn update_video_streaming_settings(
        &self,
        update: &VideoStreamingSettings,
    ) -> Result<VideoStreamingSettings, Error> {
        self.send(&ns::UpdateVideoStreamingSettings(update)).await
    }
    async fn webhook_settings(&self) -> Result<Enabled, Error> {
        self.send(&ns::GetWebhookSettings).await
    }
    async fn update_webhook_settings(&self, update: &WebhookUpdate) -> Result<Enabled, Error> {
        self.send(&ns::UpdateWebhookSettings(update)).await
    }
}
