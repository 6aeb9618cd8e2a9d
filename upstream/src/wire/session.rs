//! Sessions (spec: `v4/session/api.yaml`, `v4/authentication/api.yaml`).

use super::{File, User, null_as_default};
use serde::{Deserialize, Serialize};

/// The body of `POST /api/v4/sessions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    /// Public id of the user; created if missing (1..=50 characters).
    pub user_id: String,
    /// The device (1..=150 characters).
    pub device_id: String,
    /// What the device is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_info: Option<DeviceInfo>,
    /// Sets the user's display name when given (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Token from `POST /api/v4/authentication/token`, needed in secure mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<String>,
}

/// `deviceInfo` of a session request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    /// `ios`, `android`, `web` or `node`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DeviceKind>,
    /// Device model (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// SDK version (≤ 30 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_version: Option<String>,
}

/// Kind of device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// iOS.
    Ios,
    /// Android.
    Android,
    /// Browser.
    Web,
    /// Server-side SDK.
    Node,
}

/// The answer of `POST /api/v4/sessions`: the tokens and the (possibly new) user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Bearer token for user-context calls (30 days).
    pub access_token: String,
    /// Token to renew the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Issue time, ISO-8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// Expiry, ISO-8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// The user of the session.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// The user's avatar file.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
}

/// The answer of `GET /api/v3/sessions` (verify an access token).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionCheck {
    /// When the network's caches were last purged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_cache_purge: Option<String>,
}

/// The body of `POST /api/v4/authentication/token`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthTokenRequest {
    /// The user the token is for.
    pub user_id: String,
}
