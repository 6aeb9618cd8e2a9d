//! Roles (spec: `v3/role/api.yaml`, `schema/role.yaml#/RoleV3`).

use super::null_as_default;
use serde::{Deserialize, Serialize};

/// Every `PermissionEnum` value of `schema/role.yaml` (4.92.0).
pub const PERMISSIONS: &[&str] = &[
    "MUTE_CHANNEL",
    "CLOSE_CHANNEL",
    "EDIT_CHANNEL",
    "EDIT_CHANNEL_RATELIMIT",
    "EDIT_MESSAGE",
    "DELETE_MESSAGE",
    "BAN_USER_FROM_CHANNEL",
    "MUTE_USER_INSIDE_CHANNEL",
    "ADD_CHANNEL_USER",
    "REMOVE_CHANNEL_USER",
    "EDIT_CHANNEL_USER",
    "ASSIGN_CHANNEL_USER_ROLE",
    "BAN_USER",
    "EDIT_USER",
    "ASSIGN_USER_ROLE",
    "EDIT_USER_FEED_POST",
    "DELETE_USER_FEED_POST",
    "EDIT_USER_FEED_COMMENT",
    "DELETE_USER_FEED_COMMENT",
    "ADD_COMMUNITY_USER",
    "REMOVE_COMMUNITY_USER",
    "EDIT_COMMUNITY_USER",
    "BAN_COMMUNITY_USER",
    "MUTE_COMMUNITY_USER",
    "EDIT_COMMUNITY",
    "DELETE_COMMUNITY",
    "EDIT_COMMUNITY_POST",
    "DELETE_COMMUNITY_POST",
    "PIN_COMMUNITY_POST",
    "EDIT_COMMUNITY_COMMENT",
    "DELETE_COMMUNITY_COMMENT",
    "ASSIGN_COMMUNITY_USER_ROLE",
    "CREATE_COMMUNITY_CATEGORY",
    "EDIT_COMMUNITY_CATEGORY",
    "DELETE_COMMUNITY_CATEGORY",
    "CREATE_ROLE",
    "EDIT_ROLE",
    "DELETE_ROLE",
    "MANAGE_COMMUNITY_STORY",
];

/// Role ids only network administrators may grant or delete.
pub const SYSTEM_ROLES: &[&str] = &["admin", "moderator"];

/// A role and the permissions it grants.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// The role id (`admin`, `moderator`, or a custom id).
    pub role_id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// PermissionEnum values (`BAN_USER`, `EDIT_USER`, …); unknown ones are kept as text.
    #[serde(default, deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
    /// Whether the role was deleted (true in the answer of a delete).
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Last update or deletion, ISO-8601 UTC.
    pub updated_at: String,
}

/// `{status, data: [role…]}` — the answer of every role call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleEnvelope {
    /// `"success"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The roles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub data: Vec<Role>,
}

/// The body of `POST /api/v3/roles` and `PUT /api/v3/roles/{roleId}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleInput {
    /// The role id (1..=100 characters).
    pub role_id: String,
    /// Display name (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The complete permission list.
    pub permissions: Vec<String>,
}
