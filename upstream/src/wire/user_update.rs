//! The body of `PUT /api/v3/users` (spec: `v3/user/api.yaml`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Longest display name the API accepts, in characters.
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 500;
/// Most roles one user may hold.
pub const ROLES_MAX: usize = 10;
/// Largest metadata object, in bytes of its JSON text.
pub const METADATA_MAX_BYTES: usize = 5_000;

/// What to change on a user; absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    /// The public id of the user to change.
    pub user_id: String,
    /// New display name (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// New description (≤ 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The complete new role list (≤ 10); only admins may grant system roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The complete new metadata object (≤ 5,000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// New avatar file id (≤ 50 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_file_id: Option<String>,
    /// New avatar URL (≤ 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_custom_url: Option<String>,
}

impl UserUpdate {
    /// Every way this update breaks the spec's limits, as readable lines (empty when valid).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut too_long = |field: &str, value: Option<&str>, max: usize| {
            if value.is_some_and(|v| v.chars().count() > max) {
                problems.push(format!("{field} must be at most {max} characters"));
            }
        };
        too_long("userId", Some(&self.user_id), 50);
        too_long("displayName", self.display_name.as_deref(), DISPLAY_NAME_MAX_CHARS);
        too_long("description", self.description.as_deref(), DESCRIPTION_MAX_CHARS);
        too_long("avatarFileId", self.avatar_file_id.as_deref(), 50);
        too_long("avatarCustomUrl", self.avatar_custom_url.as_deref(), 1000);
        if self.user_id.is_empty() {
            problems.push("userId is required".into());
        }
        if let Some(roles) = &self.roles {
            if roles.len() > ROLES_MAX {
                problems.push(format!("roles must have at most {ROLES_MAX} items"));
            }
            if roles.iter().any(|r| r.is_empty() || r.chars().count() > 100) {
                problems.push("each role must be 1 to 100 characters".into());
            }
        }
        if let Some(metadata) = &self.metadata {
            let bytes = serde_json::to_string(metadata).map(|s| s.len()).unwrap_or(usize::MAX);
            if bytes > METADATA_MAX_BYTES {
                problems.push(format!("metadata must be at most {METADATA_MAX_BYTES} bytes, not {bytes}"));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_are_left_out_of_the_body() {
        let update =
            UserUpdate { user_id: "u1".into(), display_name: Some("Ann".into()), ..Default::default() };
        assert_eq!(
            serde_json::to_value(&update).expect("serializes"),
            serde_json::json!({"userId": "u1", "displayName": "Ann"})
        );
    }

    #[test]
    fn limits_are_checked_before_sending() {
        let mut metadata = Map::new();
        metadata.insert("blob".into(), Value::String("x".repeat(METADATA_MAX_BYTES)));
        let update = UserUpdate {
            user_id: "u1".into(),
            description: Some("d".repeat(501)),
            roles: Some(vec!["r".into(); 11]),
            metadata: Some(metadata),
            ..Default::default()
        };
        let problems = update.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("metadata")));
        assert!(UserUpdate { user_id: "u1".into(), ..Default::default() }.problems().is_empty());
    }
}
