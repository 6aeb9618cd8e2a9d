//! Network settings (`spec: v3/network-setting/*`). Each section has its own GET and PUT; the
//! PUT answers the whole section after the change.

use super::Request;
use crate::wire::{
    ChatSettingsUpdate, FeedSettingsUpdate, ModerationSection, NetworkSettingsUpdate, PrehookUpdate,
    SemanticSearchUpdate, SocialSettingsUpdate, UsersSection, VideoStreamingSettings, WebhookUpdate,
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
pub fn update_network_settings(update: &NetworkSettingsUpdate) -> Request {
    Request::put(&["api", "v3", "network-settings"])
        .with_body(serde_json::to_value(update).unwrap_or_default())
}

/// `GET /api/v3/network-settings/chat`.
pub fn get_chat() -> Request {
    get("chat")
}

/// `PUT /api/v3/network-settings/chat`.
pub fn update_chat(update: &ChatSettingsUpdate) -> Request {
    put("chat", update)
}

/// `GET /api/v3/network-settings/feed-setting`.
pub fn get_feed_setting() -> Request {
    get("feed-setting")
}

/// `PUT /api/v3/network-settings/feed-setting`.
pub fn update_feed_setting(update: &FeedSettingsUpdate) -> Request {
    put("feed-setting", update)
}

/// `GET /api/v3/network-settings/moderation`.
pub fn get_moderation() -> Request {
    get("moderation")
}

/// `PUT /api/v3/network-settings/moderation`.
pub fn update_moderation(update: &ModerationSection) -> Request {
    put("moderation", update)
}

/// `GET /api/v3/network-settings/prehook` (never carries the secret key).
pub fn get_prehook() -> Request {
    get("prehook")
}

/// `PUT /api/v3/network-settings/prehook`. With `regenerateKey` each call issues a new key, so
/// it is not retried.
pub fn update_prehook(update: &PrehookUpdate) -> Request {
    put("prehook", update).idempotent(update.regenerate_key != Some(true))
}

/// `GET /api/v3/network-settings/social`.
pub fn get_social() -> Request {
    get("social")
}

/// `PUT /api/v3/network-settings/social`.
pub fn update_social(update: &SocialSettingsUpdate) -> Request {
    put("social", update)
}

/// `GET /api/v3/network-settings/semantic-search`.
pub fn get_semantic_search() -> Request {
    get("semantic-search")
}

/// `PUT /api/v3/network-settings/semantic-search`.
pub fn update_semantic_search(update: &SemanticSearchUpdate) -> Request {
    put("semantic-search", update)
}

/// `GET /api/v3/network-settings/users`.
pub fn get_users() -> Request {
    get("users")
}

/// `PUT /api/v3/network-settings/users`.
pub fn update_users(update: &UsersSection) -> Request {
    put("users", update)
}

/// `GET /api/v3/network-settings/video-streaming`.
pub fn get_video_streaming() -> Request {
    get("video-streaming")
}

/// `PUT /api/v3/network-settings/video-streaming`.
pub fn update_video_streaming(update: &VideoStreamingSettings) -> Request {
    put("video-streaming", update)
}

/// `GET /api/v3/network-settings/webhook`.
pub fn get_webhook() -> Request {
    get("webhook")
}

/// `PUT /api/v3/network-settings/webhook`.
pub fn update_webhook(update: &WebhookUpdate) -> Request {
    put("webhook", update)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regenerating_the_prehook_key_is_never_retried() {
        assert!(update_prehook(&PrehookUpdate { enabled: Some(true), ..Default::default() }).idempotent);
        let regenerate = update_prehook(&PrehookUpdate { regenerate_key: Some(true), ..Default::default() });
        assert!(!regenerate.idempotent);
        assert_eq!(regenerate.body, Some(serde_json::json!({"regenerateKey": true})));
        assert_eq!(regenerate.path_for_logs(), "/api/v3/network-settings/prehook");
    }

    #[test]
    fn sections_live_under_network_settings() {
        assert_eq!(get_feed_setting().path_for_logs(), "/api/v3/network-settings/feed-setting");
        let webhook = update_webhook(&WebhookUpdate { webhook_enabled: Some(false) });
        assert_eq!(webhook.body, Some(serde_json::json!({"webhookEnabled": false})));
        assert_eq!(
            update_network_settings(&NetworkSettingsUpdate::default()).path_for_logs(),
            "/api/v3/network-settings"
        );
    }
}
