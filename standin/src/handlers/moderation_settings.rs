//! `GET|PUT /api/v2/moderation-settings` (spec: `components/schemas/ModerationSetting`).
//! The webhook catalogue has no event for it, so none is emitted.

use super::user_admin::body_as;
use crate::{State, error::ApiError, time_fmt};
use axum::{Json, Router, extract::State as AxumState, routing::get};
use serde_json::Value;
use sqlx::SqlitePool;
use time::OffsetDateTime;
use upstream::wire::{ModerationSettings, ModerationSettingsEnvelope, StatusReply};

/// The moderation settings routes.
pub fn routes() -> Router<State> {
    Router::new().route("/api/v2/moderation-settings", get(get_settings).put(update_settings))
}

async fn stored(db: &SqlitePool) -> Result<ModerationSettings, ApiError> {
    let value: Option<(String,)> =
        sqlx::query_as("SELECT value FROM moderation_settings WHERE id = 1").fetch_optional(db).await?;
    Ok(value.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// `GET /api/v2/moderation-settings` → `{status, data}`.
pub async fn get_settings(
    AxumState(state): AxumState<State>,
) -> Result<Json<ModerationSettingsEnvelope>, ApiError> {
    Ok(Json(ModerationSettingsEnvelope { status: Some("success".into()), data: stored(&state.db).await? }))
}

/// `PUT /api/v2/moderation-settings`: changes the fields sent (integers and thresholds ≥ 0,
/// which the unsigned types already enforce) → `{status: "success", code: "200"}`.
pub async fn update_settings(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<StatusReply>, ApiError> {
    let update: ModerationSettings = body_as(body)?;
    if let Some(image) = &update.image_moderation {
        let negative = [image.nudity, image.suggestive, image.violence, image.disturbing]
            .into_iter()
            .flatten()
            .any(|v| v < 0.0);
        if negative {
            return Err(ApiError::bad_request(vec!["imageModeration thresholds must be at least 0".into()]));
        }
    }
    let mut settings = stored(&state.db).await?;
    let now = time_fmt::format(OffsetDateTime::now_utc());
    settings.max_repetition = update.max_repetition.or(settings.max_repetition);
    settings.max_repetition_timeout = update.max_repetition_timeout.or(settings.max_repetition_timeout);
    settings.blacklist_mute_timeout = update.blacklist_mute_timeout.or(settings.blacklist_mute_timeout);
    settings.whitelist_mute_timeout = update.whitelist_mute_timeout.or(settings.whitelist_mute_timeout);
    settings.max_repetition_mute_timeout =
        update.max_repetition_mute_timeout.or(settings.max_repetition_mute_timeout);
    settings.enable_image_moderation = update.enable_image_moderation.or(settings.enable_image_moderation);
    if let Some(image) = update.image_moderation {
        let mut current = settings.image_moderation.unwrap_or_default();
        current.nudity = image.nudity.or(current.nudity);
        current.suggestive = image.suggestive.or(current.suggestive);
        current.violence = image.violence.or(current.violence);
        current.disturbing = image.disturbing.or(current.disturbing);
        settings.image_moderation = Some(current);
    }
    settings.created_at = settings.created_at.or_else(|| Some(now.clone()));
    settings.updated_at = Some(now);
    sqlx::query(
        "INSERT INTO moderation_settings (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value",
    )
    .bind(serde_json::to_string(&settings).map_err(ApiError::unexpected)?)
    .execute(&state.db)
    .await?;
    Ok(Json(StatusReply { status: Some("success".into()), code: Some(Value::String("200".into())) }))
}
