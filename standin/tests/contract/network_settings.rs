//! Network settings. Covers `PUT /api/v3/network-settings`,
//! `GET /api/v3/network-settings/chat`, `PUT /api/v3/network-settings/chat`,
//! `GET /api/v3/network-settings/feed-setting`, `PUT /api/v3/network-settings/feed-setting`,
//! `GET /api/v3/network-settings/moderation`, `PUT /api/v3/network-settings/moderation`,
//! `GET /api/v3/network-settings/prehook`, `PUT /api/v3/network-settings/prehook`,
//! `GET /api/v3/network-settings/social`, `PUT /api/v3/network-settings/social`,
//! `GET /api/v3/network-settings/semantic-search`, `PUT /api/v3/network-settings/semantic-search`,
//! `GET /api/v3/network-settings/users`, `PUT /api/v3/network-settings/users`,
//! `GET /api/v3/network-settings/video-streaming`, `PUT /api/v3/network-settings/video-streaming`,
//! `GET /api/v3/network-settings/webhook`, `PUT /api/v3/network-settings/webhook`.

use crate::{
    openapi::Spec,
    support::{admin, assert_error, assert_response, client, standin},
};
use serde_json::{Value, json};
use upstream::endpoints::network_settings::{
    GetChatSettings, GetFeedSettings, GetModerationSection, GetPrehookSettings, GetSemanticSearchSettings,
    GetSocialSettings, GetUsersSettings, GetVideoStreamingSettings, GetWebhookSettings,
    UpdateNetworkSettings, UpdatePrehookSettings, UpdateSocialSettings, UpdateWebhookSettings,
};
use upstream::wire::{DefaultAction, PrehookUpdate, SocialSettingsUpdate, WebhookUpdate};

const SECTIONS: [&str; 9] = [
    "chat",
    "feed-setting",
    "moderation",
    "prehook",
    "social",
    "semantic-search",
    "users",
    "video-streaming",
    "webhook",
];

#[tokio::test]
async fn every_section_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    assert!(spec.has_operation("PUT", "/api/v3/network-settings"));
    for section in SECTIONS {
        let path = format!("/api/v3/network-settings/{section}");
        assert!(spec.has_operation("GET", &path), "GET {path}");
        assert!(spec.has_operation("PUT", &path), "PUT {path}");
    }
}

/// A change per section, and a field of the answer that must show it.
fn changes() -> Vec<(&'static str, Value, &'static str, Value)> {
    vec![
        (
            "chat",
            json!({ "isAllowMentionedChannelEnabled": false, "messagePreviewSetting": { "enabled": true } }),
            "/mention/isAllowMentionedChannelEnabled",
            json!(false),
        ),
        (
            "feed-setting",
            json!({ "story": { "video": { "maxDurationSeconds": 30 } } }),
            "/feedSettings/2/contentSettings/0/maxDurationSeconds",
            json!(30.0),
        ),
        ("moderation", json!({ "isWhitelistEnabled": true }), "/isWhitelistEnabled", json!(true)),
        (
            "social",
            json!({ "showMyPost": false, "storyExpiryTimeMinutes": 60, "userPrivacySetting": "private" }),
            "/globalFeed/showMyPost",
            json!(false),
        ),
        ("semantic-search", json!({ "postMinScore": 1 }), "/semanticSearch/post/minScore", json!(1.0)),
        ("users", json!({ "isAllowUpdateDisplayName": false }), "/isAllowUpdateDisplayName", json!(false)),
        ("video-streaming", json!({ "moderation": { "enabled": true } }), "/moderation/enabled", json!(true)),
        ("webhook", json!({ "webhookEnabled": true }), "/enabled", json!(true)),
    ]
}

#[tokio::test]
async fn every_section_reads_and_writes_in_the_spec_shape() {
    let standin = standin().await;
    let mut spec = Spec::master();
    for section in SECTIONS {
        let path = format!("/api/v3/network-settings/{section}");
        let (status, body) = admin(&standin, "GET", &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_response(&mut spec, "GET", &path, "200", &body);
    }
    for (section, change, pointer, expected) in changes() {
        let path = format!("/api/v3/network-settings/{section}");
        let (status, body) = admin(&standin, "PUT", &path, Some(change)).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_response(&mut spec, "PUT", &path, "200", &body);
        let (_, read) = admin(&standin, "GET", &path, None).await;
        let got = read
            .pointer(pointer)
            .and_then(Value::as_f64)
            .map(Value::from)
            .or_else(|| read.pointer(pointer).cloned());
        let want = expected.as_f64().map(Value::from).unwrap_or(expected);
        assert_eq!(got, Some(want), "{path}{pointer}: {read}");
    }
    let (status, body) = admin(
        &standin,
        "PUT",
        "/api/v3/network-settings",
        Some(json!({ "chatEnabled": false, "tierHandler": "asc-basic" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "PUT", "/api/v3/network-settings", "200", &body);
    assert_eq!(body["chat"]["enabled"], false);
    assert_eq!(body["tierHandler"], "asc-basic");
    assert_eq!(
        body["moderation"]["isWhitelistEnabled"], true,
        "earlier section changes show in the overview"
    );

    for (section, bad) in [
        ("social", json!({ "storyExpiryTimeMinutes": 10 })),
        ("social", json!({ "userPrivacySetting": "secret" })),
        ("feed-setting", json!({ "post": { "video": { "maxDurationSeconds": 99999 } } })),
        ("chat", json!({ "messagePreviewSetting": { "isIncludeDeleted": true } })),
        (
            "video-streaming",
            json!({ "moderation": { "categories": [{ "category": "gore", "flagThreshold": 2 }] } }),
        ),
        ("webhook", json!({ "webhookEnabled": "yes" })),
    ] {
        let refused =
            admin(&standin, "PUT", &format!("/api/v3/network-settings/{section}"), Some(bad.clone())).await;
        assert_error(&mut spec, &refused, 400, 400_000, &format!("{section} {bad}"));
    }
    standin.stop().await;
}

#[tokio::test]
async fn the_prehook_secret_is_shown_only_on_first_enable_and_regeneration() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    assert_eq!(client.send(&GetPrehookSettings).await.expect("get").secret_key, None);
    let no_url = client
        .send(&UpdatePrehookSettings(&PrehookUpdate { enabled: Some(true), ..Default::default() }))
        .await;
    assert_eq!(no_url.expect_err("needs a URL").code(), Some(400_000));

    let enable =
        json!({ "enabled": true, "callbackUrl": "https://hooks.example/prehook", "defaultAction": "deny" });
    let (status, first) = admin(&standin, "PUT", "/api/v3/network-settings/prehook", Some(enable)).await;
    assert_eq!(status, 200, "{first}");
    assert_response(&mut spec, "PUT", "/api/v3/network-settings/prehook", "200", &first);
    let key = first["secretKey"].as_str().expect("the key on first enable").to_owned();

    let again = client
        .send(&UpdatePrehookSettings(&PrehookUpdate {
            enabled: Some(true),
            default_action: Some(DefaultAction::Allow),
            ..Default::default()
        }))
        .await
        .expect("update");
    assert_eq!(again.secret_key, None, "not shown again");
    assert_eq!(again.default_action, Some(DefaultAction::Allow));
    let off_on = client
        .send(&UpdatePrehookSettings(&PrehookUpdate { enabled: Some(false), ..Default::default() }))
        .await
        .expect("off");
    assert_eq!(off_on.secret_key, None);
    let on = client
        .send(&UpdatePrehookSettings(&PrehookUpdate { enabled: Some(true), ..Default::default() }))
        .await
        .expect("on");
    assert_eq!(on.secret_key, None, "re-enabling is not a first enable");

    let regenerated = client
        .send(&UpdatePrehookSettings(&PrehookUpdate { regenerate_key: Some(true), ..Default::default() }))
        .await
        .expect("regenerate");
    let new_key = regenerated.secret_key.expect("a new key");
    assert_ne!(new_key, key);
    let (_, read) = admin(&standin, "GET", "/api/v3/network-settings/prehook", None).await;
    assert!(read.get("secretKey").is_none(), "GET never shows the key: {read}");
    assert_response(&mut spec, "GET", "/api/v3/network-settings/prehook", "200", &read);
    standin.stop().await;
}

#[tokio::test]
async fn the_client_decodes_every_section() {
    let standin = standin().await;
    let client = client(&standin);
    assert_eq!(client.send(&GetChatSettings).await.expect("chat").enabled, Some(true));
    assert_eq!(client.send(&GetFeedSettings).await.expect("feed").feed_settings.len(), 3);
    assert_eq!(
        client.send(&GetModerationSection).await.expect("moderation").is_whitelist_enabled,
        Some(false)
    );
    assert!(client.send(&GetSemanticSearchSettings).await.expect("semantic").semantic_search.is_some());
    assert_eq!(client.send(&GetUsersSettings).await.expect("users").is_allow_update_display_name, Some(true));
    assert_eq!(
        client
            .send(&GetVideoStreamingSettings)
            .await
            .expect("video")
            .moderation
            .and_then(|m| m.categories)
            .map(|c| c.len()),
        Some(5)
    );
    let social = client
        .send(&UpdateSocialSettings(&SocialSettingsUpdate {
            max_global_pinned_post: Some(5),
            ..Default::default()
        }))
        .await
        .expect("social");
    assert_eq!(social.global_feed.and_then(|g| g.max_global_pinned_post), Some(5.0));
    assert_eq!(client.send(&GetSocialSettings).await.expect("social").enabled, Some(true));
    let webhook = client
        .send(&UpdateWebhookSettings(&WebhookUpdate { webhook_enabled: Some(true) }))
        .await
        .expect("webhook");
    assert_eq!(webhook.enabled, Some(true));
    assert_eq!(client.send(&GetWebhookSettings).await.expect("webhook").enabled, Some(true));
    let overview = client
        .send(&UpdateNetworkSettings(&upstream::wire::NetworkSettingsUpdate {
            social_enabled: Some(false),
            ..Default::default()
        }))
        .await
        .expect("root");
    assert_eq!(overview.social.and_then(|s| s.enabled), Some(false));
    assert_eq!(overview.webhook.and_then(|w| w.enabled), Some(true));
    standin.stop().await;
}
