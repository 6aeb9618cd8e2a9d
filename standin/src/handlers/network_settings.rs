//! `GET|PUT /api/v3/network-settings/*` (spec: `v3/network-setting/*`). Each section is one
//! JSON document in the answer's shape (`network_settings` table). A PUT is read into the
//! client's typed update (so wrong types are refused), range-checked, moved to where the
//! answer keeps each field (`showMyPost` → `globalFeed.showMyPost`, …) and merged in.
//!
//! The pre-hook's `secretKey` is stored apart and answered only by the PUT that first enables
//! the pre-hook or sets `regenerateKey`. The webhook catalogue has no settings events, so none
//! is emitted.

use super::user_admin::body_as;
use crate::{State, error::ApiError};
use axum::{
    Json, Router,
    extract::State as AxumState,
    routing::{get, put},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};
use sqlx::SqlitePool;
use upstream::wire::{
    ChatSettingsUpdate, DefaultAction, FeedSettingsUpdate, ModerationSection, NetworkSettingsUpdate,
    PrehookUpdate, SemanticSearchUpdate, SocialSettingsUpdate, UserPrivacy, UsersSection,
    VideoStreamingSettings, WebhookUpdate,
};

/// The network settings routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/network-settings", put(update_root))
        .route("/api/v3/network-settings/chat", get(read::<0>).put(update_chat))
        .route("/api/v3/network-settings/feed-setting", get(read::<1>).put(update_feed))
        .route("/api/v3/network-settings/moderation", get(read::<2>).put(update_moderation))
        .route("/api/v3/network-settings/prehook", get(read::<3>).put(update_prehook))
        .route("/api/v3/network-settings/social", get(read::<4>).put(update_social))
        .route("/api/v3/network-settings/semantic-search", get(read::<5>).put(update_semantic_search))
        .route("/api/v3/network-settings/users", get(read::<6>).put(update_users))
        .route("/api/v3/network-settings/video-streaming", get(read::<7>).put(update_video_streaming))
        .route("/api/v3/network-settings/webhook", get(read::<8>).put(update_webhook))
}

/// Section names, indexed by the `read::<N>` routes.
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

/// The stored document of a section (`{}` if the seed left it out).
pub async fn section(db: &SqlitePool, name: &str) -> Result<Value, ApiError> {
    let value: Option<(String,)> = sqlx::query_as("SELECT value FROM network_settings WHERE section = ?")
        .bind(name)
        .fetch_optional(db)
        .await?;
    Ok(value.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_else(|| json!({})))
}

async fn store(db: &SqlitePool, name: &str, value: &Value) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO network_settings (section, value) VALUES (?, ?) \
         ON CONFLICT (section) DO UPDATE SET value = excluded.value",
    )
    .bind(name)
    .bind(value.to_string())
    .execute(db)
    .await?;
    Ok(())
}

async fn read<const N: usize>(AxumState(state): AxumState<State>) -> Result<Json<Value>, ApiError> {
    Ok(Json(section(&state.db, SECTIONS[N]).await?))
}

/// Sets `value` at `path` inside `target`, merging objects key by key.
fn merge_at(target: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = target;
    for key in parents {
        if !node.is_object() {
            *node = json!({});
        }
        if !node.get(*key).is_some_and(Value::is_object) {
            node[*key] = json!({});
        }
        node = &mut node[*key];
    }
    if !node.is_object() {
        *node = json!({});
    }
    let merge = value.is_object() && node.get(*last).is_some_and(Value::is_object);
    match value {
        Value::Object(incoming) if merge => {
            let existing = &mut node[*last];
            for (key, child) in incoming {
                merge_at(existing, &[key.as_str()], child);
            }
        }
        value => node[*last] = value,
    }
}

/// Reads the body as `T`, then yields its set fields as JSON (unknown fields dropped).
fn fields<T: DeserializeOwned + Serialize>(body: Value) -> Result<(T, Map<String, Value>), ApiError> {
    let typed: T = body_as(body)?;
    let Value::Object(map) = serde_json::to_value(&typed).map_err(ApiError::unexpected)? else {
        return Err(ApiError::bad_request(vec!["the body must be a JSON object".into()]));
    };
    Ok((typed, map))
}

/// Merges every field into `name`, each at the path `locate` gives it; stores and answers it.
async fn apply(
    db: &SqlitePool,
    name: &str,
    fields: Map<String, Value>,
    locate: impl Fn(&str) -> Vec<&str>,
) -> Result<Value, ApiError> {
    let mut document = section(db, name).await?;
    for (key, value) in fields {
        let path = locate(&key);
        merge_at(&mut document, &path, value);
    }
    store(db, name, &document).await?;
    Ok(document)
}

fn check(problems: &mut Vec<String>, ok: bool, problem: &str) {
    if !ok {
        problems.push(problem.to_owned());
    }
}

fn finish(problems: Vec<String>) -> Result<(), ApiError> {
    if problems.is_empty() { Ok(()) } else { Err(ApiError::bad_request(problems)) }
}

/// `PUT /api/v3/network-settings`: the switches land in their sections; answers the overview.
pub async fn update_root(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, _) = fields::<NetworkSettingsUpdate>(body)?;
    let mut problems = Vec::new();
    check(
        &mut problems,
        update.tier_handler.as_ref().is_none_or(|t| t.chars().count() <= 200),
        "tierHandler must be at most 200 characters",
    );
    finish(problems)?;
    let db = &state.db;
    let switches = [
        ("social", "enabled", update.social_enabled),
        ("chat", "enabled", update.chat_enabled),
        ("video-streaming", "enabled", update.video_streaming_enabled),
        ("moderation", "isWhitelistEnabled", update.is_whitelist_enabled),
    ];
    for (name, key, value) in switches {
        if let Some(value) = value {
            apply(db, name, Map::from_iter([(key.to_owned(), Value::Bool(value))]), |k| vec![k]).await?;
        }
    }
    if let Some(tier) = update.tier_handler {
        apply(db, "root", Map::from_iter([("tierHandler".to_owned(), Value::String(tier))]), |k| vec![k])
            .await?;
    }
    let video = section(db, "video-streaming").await?;
    let mut answer = json!({
        "videoStreaming": { "enabled": video.get("enabled").cloned().unwrap_or(Value::Bool(false)) },
        "chat": section(db, "chat").await?,
        "social": section(db, "social").await?,
        "webhook": section(db, "webhook").await?,
        "moderation": section(db, "moderation").await?,
    });
    if let Some(tier) = section(db, "root").await?.get("tierHandler").cloned() {
        answer["tierHandler"] = tier;
    }
    Ok(Json(answer))
}

/// `PUT /api/v3/network-settings/chat`.
pub async fn update_chat(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, map) = fields::<ChatSettingsUpdate>(body)?;
    let mut problems = Vec::new();
    check(
        &mut problems,
        update.message_preview_setting.is_none_or(|p| p.enabled.is_some()),
        "messagePreviewSetting.enabled is required",
    );
    finish(problems)?;
    let answer = apply(&state.db, "chat", map, |key| match key {
        "isAllowMentionedChannelEnabled" => vec!["mention", key],
        "messagePreviewSetting" => vec!["messagePreview"],
        other => vec![other],
    })
    .await?;
    Ok(Json(answer))
}

/// `PUT /api/v3/network-settings/feed-setting`: video limits per feed type (duration ≤ 7200 s
/// for posts, 600 s for messages, 90 s for stories).
pub async fn update_feed(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, _) = fields::<FeedSettingsUpdate>(body)?;
    let mut problems = Vec::new();
    let feeds =
        [("post", &update.post, 7200.0), ("message", &update.message, 600.0), ("story", &update.story, 90.0)];
    for (feed, change, max) in feeds {
        let Some(video) = change.as_ref().and_then(|c| c.video.as_ref()) else { continue };
        if let Some(seconds) = video.max_duration_seconds {
            check(
                &mut problems,
                (1.0..=max).contains(&seconds),
                &format!("{feed}.video.maxDurationSeconds must be 1 to {max}"),
            );
        }
        if let Some(config) = &video.transcode_config {
            for resolution in [&config.max_resolution, &config.min_resolution].into_iter().flatten() {
                check(
                    &mut problems,
                    ["1080p", "720p", "480p", "360p"].contains(&resolution.as_str()),
                    &format!("{feed}.video resolution `{resolution}` must be 1080p, 720p, 480p or 360p"),
                );
            }
        }
    }
    finish(problems)?;
    let mut document = section(&state.db, "feed-setting").await?;
    if !document.get("feedSettings").is_some_and(Value::is_array) {
        document["feedSettings"] = json!([]);
    }
    for (feed, change, _) in feeds {
        let Some(video) = change.as_ref().and_then(|c| c.video.as_ref()) else { continue };
        let Value::Object(incoming) = serde_json::to_value(video).map_err(ApiError::unexpected)? else {
            continue;
        };
        let list =
            document["feedSettings"].as_array_mut().ok_or_else(|| ApiError::unexpected("feedSettings"))?;
        let position = match list.iter().position(|f| f["feedType"] == feed) {
            Some(position) => position,
            None => {
                list.push(json!({ "feedType": feed, "contentSettings": [] }));
                list.len() - 1
            }
        };
        let contents = &mut list[position]["contentSettings"];
        if !contents.is_array() {
            *contents = json!([]);
        }
        let contents = contents.as_array_mut().ok_or_else(|| ApiError::unexpected("contentSettings"))?;
        let entry = match contents.iter().position(|c| c["contentType"] == "video") {
            Some(entry) => entry,
            None => {
                contents.push(json!({ "contentType": "video" }));
                contents.len() - 1
            }
        };
        for (key, value) in incoming {
            merge_at(&mut contents[entry], &[key.as_str()], value);
        }
    }
    store(&state.db, "feed-setting", &document).await?;
    Ok(Json(document))
}

/// `PUT /api/v3/network-settings/moderation`.
pub async fn update_moderation(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (_, map) = fields::<ModerationSection>(body)?;
    Ok(Json(apply(&state.db, "moderation", map, |key| vec![key]).await?))
}

/// `PUT /api/v3/network-settings/users`.
pub async fn update_users(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (_, map) = fields::<UsersSection>(body)?;
    Ok(Json(apply(&state.db, "users", map, |key| vec![key]).await?))
}

/// `PUT /api/v3/network-settings/webhook {webhookEnabled}` → `{enabled}`.
pub async fn update_webhook(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (_, map) = fields::<WebhookUpdate>(body)?;
    Ok(Json(apply(&state.db, "webhook", map, |_| vec!["enabled"]).await?))
}

/// `PUT /api/v3/network-settings/semantic-search {postMinScore}` (0..=1).
pub async fn update_semantic_search(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, map) = fields::<SemanticSearchUpdate>(body)?;
    let mut problems = Vec::new();
    check(
        &mut problems,
        update.post_min_score.is_none_or(|s| (0.0..=1.0).contains(&s)),
        "postMinScore must be 0 to 1",
    );
    finish(problems)?;
    Ok(Json(apply(&state.db, "semantic-search", map, |_| vec!["semanticSearch", "post", "minScore"]).await?))
}

/// `PUT /api/v3/network-settings/social` (flat body; the answer nests feed and story fields).
pub async fn update_social(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, map) = fields::<SocialSettingsUpdate>(body)?;
    let mut problems = Vec::new();
    check(
        &mut problems,
        update.user_privacy_setting != Some(UserPrivacy::Unknown),
        "userPrivacySetting must be public or private",
    );
    check(
        &mut problems,
        update.story_expiry_time_minutes.is_none_or(|m| (60..=1440).contains(&m)),
        "storyExpiryTimeMinutes must be 60 to 1440",
    );
    check(
        &mut problems,
        update.max_global_pinned_post.is_none_or(|n| (1..=20).contains(&n)),
        "maxGlobalPinnedPost must be 1 to 20",
    );
    finish(problems)?;
    let answer = apply(&state.db, "social", map, |key| match key {
        "showOnlyMyFeed"
        | "showMyPost"
        | "showEveryonePost"
        | "showCommunityPost"
        | "showFollowingPost"
        | "maxGlobalPinnedPost" => vec!["globalFeed", key],
        "storyExpiryTimeMinutes" => vec!["story", "expiryTimeMinutes"],
        "allowAllUserToCreateStory" => vec!["story", key],
        other => vec![other],
    })
    .await?;
    Ok(Json(answer))
}

/// `PUT /api/v3/network-settings/video-streaming`: thresholds 0..=1, known categories only.
pub async fn update_video_streaming(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, map) = fields::<VideoStreamingSettings>(body)?;
    let mut problems = Vec::new();
    for category in update.moderation.iter().flat_map(|m| m.categories.iter().flatten()) {
        check(
            &mut problems,
            ["pornography", "violence", "prohibited", "inappropriate", "profanity"]
                .contains(&category.category.as_str()),
            &format!("`{}` is not a moderation category", category.category),
        );
        for threshold in [category.flag_threshold, category.terminate_threshold].into_iter().flatten() {
            check(&mut problems, (0.0..=1.0).contains(&threshold), "thresholds must be 0 to 1");
        }
    }
    finish(problems)?;
    Ok(Json(apply(&state.db, "video-streaming", map, |key| vec![key]).await?))
}

/// `PUT /api/v3/network-settings/prehook`. Enabling needs a callback URL (http or https,
/// ≤ 900 characters). `secretKey` is answered when the pre-hook is enabled for the first time
/// (no key exists yet) or `regenerateKey` is true; never otherwise.
pub async fn update_prehook(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let (update, _) = fields::<PrehookUpdate>(body)?;
    let current = section(&state.db, "prehook").await?;
    let mut problems = Vec::new();
    check(
        &mut problems,
        update.default_action != Some(DefaultAction::Unknown),
        "defaultAction must be allow or deny",
    );
    if let Some(url) = &update.callback_url {
        check(&mut problems, url.chars().count() <= 900, "callbackUrl must be at most 900 characters");
        check(
            &mut problems,
            url.is_empty() || url.starts_with("https://") || url.starts_with("http://"),
            "callbackUrl must be an http or https URL",
        );
    }
    let enabled = update.enabled.unwrap_or_else(|| current["enabled"].as_bool().unwrap_or(false));
    let url = update.callback_url.clone().or_else(|| current["callbackUrl"].as_str().map(str::to_owned));
    check(
        &mut problems,
        !enabled || url.as_ref().is_some_and(|u| !u.is_empty()),
        "callbackUrl is required to enable the pre-hook",
    );
    finish(problems)?;

    let mut document = current;
    document["enabled"] = Value::Bool(enabled);
    if let Some(url) = url {
        document["callbackUrl"] = Value::String(url);
    }
    if let Some(action) = update.default_action {
        document["defaultAction"] = serde_json::to_value(action).map_err(ApiError::unexpected)?;
    }
    store(&state.db, "prehook", &document).await?;

    let has_key: Option<(String,)> = sqlx::query_as("SELECT secret_key FROM prehook_secret WHERE id = 1")
        .fetch_optional(&state.db)
        .await?;
    let first_enable = enabled && has_key.is_none();
    let mut answer = document;
    if first_enable || update.regenerate_key == Some(true) {
        let key = crate::generate_token();
        sqlx::query(
            "INSERT INTO prehook_secret (id, secret_key) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET secret_key = excluded.secret_key",
        )
        .bind(&key)
        .execute(&state.db)
        .await?;
        answer["secretKey"] = Value::String(key);
    }
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_siblings_and_replaces_leaves() {
        let mut doc = json!({"globalFeed": {"showMyPost": true, "showEveryonePost": true}, "enabled": true});
        merge_at(&mut doc, &["globalFeed", "showMyPost"], json!(false));
        merge_at(&mut doc, &["story"], json!({"expiryTimeMinutes": 60}));
        merge_at(&mut doc, &["story"], json!({"allowAllUserToCreateStory": true}));
        assert_eq!(
            doc,
            json!({
                "globalFeed": {"showMyPost": false, "showEveryonePost": true},
                "enabled": true,
                "story": {"expiryTimeMinutes": 60, "allowAllUserToCreateStory": true},
            })
        );
    }
}
