//! Moderation settings (spec: `components/schemas/ModerationSetting`, `/api/v2/moderation-settings`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Repetition limits, list mute timeouts and image moderation thresholds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModerationSettings {
    /// Identical messages allowed in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_repetition: Option<u64>,
    /// Window for counting repetitions (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_repetition_timeout: Option<u64>,
    /// Mute after a blocklist hit (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blacklist_mute_timeout: Option<u64>,
    /// Mute after an allowlist miss (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitelist_mute_timeout: Option<u64>,
    /// Mute after too many repetitions (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_repetition_mute_timeout: Option<u64>,
    /// Whether images are moderated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_image_moderation: Option<bool>,
    /// Confidence thresholds per category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_moderation: Option<ImageModeration>,
    /// Creation time (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// Image moderation thresholds (each ≥ 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageModeration {
    /// Nudity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudity: Option<f64>,
    /// Suggestive content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestive: Option<f64>,
    /// Violence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violence: Option<f64>,
    /// Disturbing content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disturbing: Option<f64>,
}

/// `{status, data}` — `GET /api/v2/moderation-settings`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModerationSettingsEnvelope {
    /// `"success"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The settings.
    #[serde(default)]
    pub data: ModerationSettings,
}

/// `{status, code}` — the answer of `PUT /api/v2/moderation-settings`. The spec types `code`
/// as a string but its example is a number, so either is read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusReply {
    /// `"success"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `"200"` (or `200`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Value>,
}
