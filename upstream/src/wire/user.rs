//! The user object (`schema/user.yaml#/UserV3`).

use super::null_as_default;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A network member as the API returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Private id (real-time events use it).
    #[serde(rename = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The public id the network chose.
    pub user_id: String,
    /// Public id (same as `user_id` on current networks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_public_id: Option<String>,
    /// Internal id; admin feed filters take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_internal_id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Profile description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Avatar file id, side-loaded in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_file_id: Option<String>,
    /// Avatar URL set directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_custom_url: Option<String>,
    /// Role ids (system and custom).
    #[serde(default, deserialize_with = "null_as_default")]
    pub roles: Vec<String>,
    /// Permissions granted by the roles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
    /// Custom metadata (at most 5,000 bytes upstream).
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// Number of flags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flag_count: u64,
    /// "Flagged by me" filter; opaque.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_flag: Option<HashFlag>,
    /// Globally banned.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_global_ban: bool,
    /// Brand account.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_brand: bool,
    /// Soft-deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Creation time, ISO-8601 UTC.
    pub created_at: String,
    /// Last update, ISO-8601 UTC.
    pub updated_at: String,
}

/// The Bloom-filter-like "flagged by me" marker. Treated as opaque.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashFlag {
    /// Filter width.
    #[serde(default, deserialize_with = "null_as_default")]
    pub bits: u64,
    /// Number of hash functions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub hashes: u64,
    /// The filter words.
    #[serde(default, deserialize_with = "null_as_default")]
    pub hash: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_user_with_nulls_and_unknown_fields_decodes() {
        let json = r#"{"userId":"u1","roles":null,"flagCount":null,"metadata":null,
            "profileHandle":"new-field","createdAt":"2024-01-01T00:00:00.000Z",
            "updatedAt":"2024-01-02T00:00:00.000Z"}"#;
        let user: User = serde_json::from_str(json).expect("decode");
        assert_eq!(user.user_id, "u1");
        assert!(user.roles.is_empty());
        assert_eq!(user.flag_count, 0);
        assert!(user.metadata.is_empty());
        assert_eq!(user.display_name, None);
    }

    #[test]
    fn absent_optional_fields_are_left_out_when_encoding() {
        let user = User { user_id: "u1".into(), ..User::default() };
        let json = serde_json::to_value(&user).expect("encode");
        assert!(json.get("displayName").is_none());
        assert_eq!(json["metadata"], serde_json::json!({}));
    }
}
