//! Moderation settings (`spec: /api/v2/moderation-settings`).

use crate::{
    Client, Error,
    endpoints::moderation_settings,
    wire::{ModerationSettings, ModerationSettingsEnvelope, StatusReply},
};
use async_trait::async_trait;

/// Moderation settings operations.
#[async_trait]
pub trait ModerationSettingsApi: Send + Sync {
    /// `GET /api/v2/moderation-settings`.
    async fn get_moderation_settings(&self) -> Result<ModerationSettingsEnvelope, Error>;
    /// `PUT /api/v2/moderation-settings`.
    async fn update_moderation_settings(&self, settings: &ModerationSettings) -> Result<StatusReply, Error>;
}

#[async_trait]
impl ModerationSettingsApi for Client {
    async fn get_moderation_settings(&self) -> Result<ModerationSettingsEnvelope, Error> {
        self.send(&moderation_settings::GetModerationSettings).await
    }

    async fn update_moderation_settings(&self, settings: &ModerationSettings) -> Result<StatusReply, Error> {
        self.send(&moderation_settings::UpdateModerationSettings(settings)).await
    }
}
