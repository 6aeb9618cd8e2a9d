//! Community endpoints (`spec: v3/community/api.yaml`, `v4/community/api.yaml`).

use super::Request;
use crate::content_query::{CommunityMemberQuery, CommunityQuery};
use serde_json::{Map, Value, json};

/// `GET /api/v3/communities`.
pub fn query_communities(query: &CommunityQuery) -> Request {
    Request::get(&["api", "v3", "communities"]).with_query(query.to_pairs())
}

/// `GET /api/v3/communities/{communityId}`.
pub fn get_community(community_id: &str) -> Request {
    Request::get(&["api", "v3", "communities", community_id])
}

/// What `PUT /api/v3/communities/{communityId}` changes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommunityUpdate {
    /// New name.
    pub display_name: Option<String>,
    /// Public or private.
    pub is_public: Option<bool>,
    /// Official badge.
    pub is_official: Option<bool>,
    /// Only admins post.
    pub only_admin_can_post: Option<bool>,
    /// New posts wait for review.
    pub need_approval_on_post_creation: Option<bool>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Metadata.
    pub metadata: Option<Map<String, Value>>,
    /// Categories.
    pub category_ids: Option<Vec<String>>,
}

/// `PUT /api/v3/communities/{communityId}`.
pub fn update_community(community_id: &str, update: &CommunityUpdate) -> Request {
    let mut body = Map::new();
    body.insert("communityId".into(), json!(community_id));
    let mut set = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            body.insert(key.into(), value);
        }
    };
    set("displayName", update.display_name.as_ref().map(|v| json!(v)));
    set("isPublic", update.is_public.map(Value::Bool));
    set("isOfficial", update.is_official.map(Value::Bool));
    set("onlyAdminCanPost", update.only_admin_can_post.map(Value::Bool));
    set("needApprovalOnPostCreation", update.need_approval_on_post_creation.map(Value::Bool));
    set("tags", update.tags.as_ref().map(|v| json!(v)));
    set("metadata", update.metadata.clone().map(Value::Object));
    set("categoryIds", update.category_ids.as_ref().map(|v| json!(v)));
    Request::put(&["api", "v3", "communities", community_id]).with_body(Value::Object(body))
}

/// `DELETE /api/v3/communities/{communityId}`.
pub fn delete_community(community_id: &str) -> Request {
    Request::delete(&["api", "v3", "communities", community_id])
}

/// `GET /api/v3/communities/{communityId}/users`.
pub fn query_community_members(community_id: &str, query: &CommunityMemberQuery) -> Request {
    Request::get(&["api", "v3", "communities", community_id, "users"]).with_query(query.to_pairs())
}

/// `PUT /api/v3/communities/{communityId}/users/ban`.
pub fn ban_community_members(community_id: &str, user_ids: &[String]) -> Request {
    Request::put(&["api", "v3", "communities", community_id, "users", "ban"])
        .with_body(json!({ "userIds": user_ids }))
}

/// `PUT /api/v3/communities/{communityId}/users/unban`.
pub fn unban_community_members(community_id: &str, user_ids: &[String]) -> Request {
    Request::put(&["api", "v3", "communities", community_id, "users", "unban"])
        .with_body(json!({ "userIds": user_ids }))
}

/// `POST /api/v4/communities/{communityId}/users/roles`. Adding a role twice leaves it once.
pub fn add_community_roles(community_id: &str, user_ids: &[String], roles: &[String]) -> Request {
    Request::post(&["api", "v4", "communities", community_id, "users", "roles"])
        .idempotent(true)
        .with_body(json!({ "userIds": user_ids, "roles": roles }))
}

/// `DELETE /api/v4/communities/{communityId}/users/roles` (ids and roles in the query).
pub fn remove_community_roles(community_id: &str, user_ids: &[String], roles: &[String]) -> Request {
    let mut query: Vec<(String, String)> = roles.iter().map(|r| ("roles[]".to_owned(), r.clone())).collect();
    query.extend(user_ids.iter().map(|u| ("userIds[]".to_owned(), u.clone())));
    Request::delete(&["api", "v4", "communities", community_id, "users", "roles"]).with_query(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_removal_puts_lists_in_the_query_not_a_body() {
        let request = remove_community_roles("c", &["u1".into()], &["moderator".into()]);
        assert!(request.body.is_none());
        assert_eq!(
            request.query,
            vec![("roles[]".to_owned(), "moderator".to_owned()), ("userIds[]".to_owned(), "u1".to_owned())]
        );
    }

    #[test]
    fn updates_always_name_the_community() {
        let request =
            update_community("c", &CommunityUpdate { is_public: Some(false), ..CommunityUpdate::default() });
        assert_eq!(request.body, Some(json!({"communityId": "c", "isPublic": false})));
    }
}
