//! Network settings (`spec: v3/network-setting/*`). Each section has its own GET and PUT; the
//! PUT answers the whole section after the change.

use super::{Endpoint, Request};
use crate::wire::{
    ChatSettings, ChatSettingsUpdate, Enabled, FeedSettings, FeedSettingsUpdate, ModerationSection,
    NetworkSettings, NetworkSettingsUpdate, PrehookSettings, PrehookUpdate, SemanticSearchSettings,
    SemanticSearchUpdate, SocialSettings, SocialSettingsUpdate, UsersSection, VideoStreamingSettings,
    WebhookUpdate,
};
use serde::Serialize;

fn get(section: &str) -> Request {
    Request::get(&["api", "v3", "network-settings", section])
}

fn put(section: &str, body: &impl Serialize) -> Request {
    Request::put(&["api", "v3", "network-settings", section])
        .with_body(serde_json::to_value(body).unwrap_or_default())
}

/// `PUT /api/v3/network-settings`: the feature switches and plan (the root has no GET).
#[derive(Clone, Copy, Debug)]
pub struct UpdateNetworkSettings<'a>(
    /// The switches to change.
    pub &'a NetworkSettingsUpdate,
);

impl Endpoint for UpdateNetworkSettings<'_> {
    type Response = NetworkSettings;
    fn request(&self) -> Request {
        Request::put(&["api", "v3", "network-settings"])
            .with_body(serde_json::to_value(self.0).unwrap_or_default())
    }
}

/// `GET /api/v3/network-settings/chat`.
#[derive(Clone, Copy, Debug)]
pub struct GetChatSettings;

impl Endpoint for GetChatSettings {
    type Response = ChatSettings;
    fn request(&self) -> Request {
        get("chat")
    }
}

/// `PUT /api/v3/network-settings/chat`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateChatSettings<'a>(
    /// The fields to change.
    pub &'a ChatSettingsUpdate,
);

impl Endpoint for UpdateChatSettings<'_> {
    type Response = ChatSettings;
    fn request(&self) -> Request {
        put("chat", self.0)
    }
}

/// `GET /api/v3/network-settings/feed-setting`.
#[derive(Clone, Copy, Debug)]
pub struct GetFeedSettings;

impl Endpoint for GetFeedSettings {
    type Response = FeedSettings;
    fn request(&self) -> Request {
        get("feed-setting")
    }
}

/// `PUT /api/v3/network-settings/feed-setting`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateFeedSettings<'a>(
    /// The fields to change.
    pub &'a FeedSettingsUpdate,
);

impl Endpoint for UpdateFeedSettings<'_> {
    type Response = FeedSettings;
    fn request(&self) -> Request {
        put("feed-setting", self.0)
    }
}

/// `GET /api/v3/network-settings/moderation`.
#[derive(Clone, Copy, Debug)]
pub struct GetModerationSection;

impl Endpoint for GetModerationSection {
    type Response = ModerationSection;
    fn request(&self) -> Request {
        get("moderation")
    }
}

/// `PUT /api/v3/network-settings/moderation`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateModerationSection<'a>(
    /// The fields to change.
    pub &'a ModerationSection,
);

impl Endpoint for UpdateModerationSection<'_> {
    type Response = ModerationSection;
    fn request(&self) -> Request {
        put("moderation", self.0)
    }
}

/// `GET /api/v3/network-settings/prehook` (never carries the secret key).
#[derive(Clone, Copy, Debug)]
pub struct GetPrehookSettings;

impl Endpoint for GetPrehookSettings {
    type Response = PrehookSettings;
    fn request(&self) -> Request {
        get("prehook")
    }
}

/// `PUT /api/v3/network-settings/prehook`: `secretKey` is in the answer only on the first
/// enable or a regeneration. With `regenerateKey` each call issues a new key, so it is not
/// retried.
#[derive(Clone, Copy, Debug)]
pub struct UpdatePrehookSettings<'a>(
    /// The fields to change.
    pub &'a PrehookUpdate,
);

impl Endpoint for UpdatePrehookSettings<'_> {
    type Response = PrehookSettings;
    fn request(&self) -> Request {
        put("prehook", self.0).idempotent(self.0.regenerate_key != Some(true))
    }
}

/// `GET /api/v3/network-settings/social`.
#[derive(Clone, Copy, Debug)]
pub struct GetSocialSettings;

impl Endpoint for GetSocialSettings {
    type Response = SocialSettings;
    fn request(&self) -> Request {
        get("social")
    }
}

/// `PUT /api/v3/network-settings/social`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateSocialSettings<'a>(
    /// The fields to change.
    pub &'a SocialSettingsUpdate,
);

impl Endpoint for UpdateSocialSettings<'_> {
    type Response = SocialSettings;
    fn request(&self) -> Request {
        put("social", self.0)
    }
}

/// `GET /api/v3/network-settings/semantic-search`.
#[derive(Clone, Copy, Debug)]
pub struct GetSemanticSearchSettings;

impl Endpoint for GetSemanticSearchSettings {
    type Response = SemanticSearchSettings;
    fn request(&self) -> Request {
        get("semantic-search")
    }
}

/// `PUT /api/v3/network-settings/semantic-search`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateSemanticSearchSettings<'a>(
    /// The fields to change.
    pub &'a SemanticSearchUpdate,
);

impl Endpoint for UpdateSemanticSearchSettings<'_> {
    type Response = SemanticSearchSettings;
    fn request(&self) -> Request {
        put("semantic-search", self.0)
    }
}

/// `GET /api/v3/network-settings/users`.
#[derive(Clone, Copy, Debug)]
pub struct GetUsersSettings;

impl Endpoint for GetUsersSettings {
    type Response = UsersSection;
    fn request(&self) -> Request {
        get("users")
    }
}

/// `PUT /api/v3/network-settings/users`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateUsersSettings<'a>(
    /// The fields to change.
    pub &'a UsersSection,
);

impl Endpoint for UpdateUsersSettings<'_> {
    type Response = UsersSection;
    fn request(&self) -> Request {
        put("users", self.0)
    }
}

/// `GET /api/v3/network-settings/video-streaming`.
#[derive(Clone, Copy, Debug)]
pub struct GetVideoStreamingSettings;

impl Endpoint for GetVideoStreamingSettings {
    type Response = VideoStreamingSettings;
    fn request(&self) -> Request {
        get("video-streaming")
    }
}

/// `PUT /api/v3/network-settings/video-streaming`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateVideoStreamingSettings<'a>(
    /// The fields to change.
    pub &'a VideoStreamingSettings,
);

impl Endpoint for UpdateVideoStreamingSettings<'_> {
    type Response = VideoStreamingSettings;
    fn request(&self) -> Request {
        put("video-streaming", self.0)
    }
}

/// `GET /api/v3/network-settings/webhook`.
#[derive(Clone, Copy, Debug)]
pub struct GetWebhookSettings;

impl Endpoint for GetWebhookSettings {
    type Response = Enabled;
    fn request(&self) -> Request {
        get("webhook")
    }
}

/// `PUT /api/v3/network-settings/webhook`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateWebhookSettings<'a>(
    /// The fields to change.
    pub &'a WebhookUpdate,
);

impl Endpoint for UpdateWebhookSettings<'_> {
    type Response = Enabled;
    fn request(&self) -> Request {
        put("webhook", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regenerating_the_prehook_key_is_never_retried() {
        let enable = PrehookUpdate { enabled: Some(true), ..Default::default() };
        assert!(UpdatePrehookSettings(&enable).request().idempotent);
        let regenerate = PrehookUpdate { regenerate_key: Some(true), ..Default::default() };
        let regenerate = UpdatePrehookSettings(&regenerate).request();
        assert!(!regenerate.idempotent);
        assert_eq!(regenerate.body, Some(serde_json::json!({"regenerateKey": true})));
        assert_eq!(regenerate.path_for_logs(), "/api/v3/network-settings/prehook");
    }

    #[test]
    fn sections_live_under_network_settings() {
        assert_eq!(GetFeedSettings.request().path_for_logs(), "/api/v3/network-settings/feed-setting");
        let webhook = UpdateWebhookSettings(&WebhookUpdate { webhook_enabled: Some(false) }).request();
        assert_eq!(webhook.body, Some(serde_json::json!({"webhookEnabled": false})));
        assert_eq!(
            UpdateNetworkSettings(&NetworkSettingsUpdate::default()).request().path_for_logs(),
            "/api/v3/network-settings"
        );
    }
}
