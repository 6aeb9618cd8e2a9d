//! Community endpoints (`spec: v3/community/api.yaml`, `v4/community/api.yaml`).

use super::{Endpoint, Request};
use crate::{
    content_query::{CommunityMemberQuery, CommunityQuery},
    wire::{CommunityEnvelope, SuccessFlag},
};
use serde_json::{Map, Value, json};

/// `GET /api/v3/communities`.
#[derive(Clone, Copy, Debug)]
pub struct QueryCommunities<'a>(
    /// Filter, order and page.
    pub &'a CommunityQuery,
);

impl Endpoint for QueryCommunities<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "communities"]).with_query(self.0.to_pairs())
    }
}

/// `GET /api/v3/communities/{communityId}`.
#[derive(Clone, Copy, Debug)]
pub struct GetCommunity<'a> {
    /// Community id.
    pub community_id: &'a str,
}

impl Endpoint for GetCommunity<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "communities", self.community_id])
    }
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
#[derive(Clone, Copy, Debug)]
pub struct UpdateCommunity<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// What changes.
    pub update: &'a CommunityUpdate,
}

impl Endpoint for UpdateCommunity<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        let update = self.update;
        let mut body = Map::new();
        body.insert("communityId".into(), json!(self.community_id));
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
        Request::put(&["api", "v3", "communities", self.community_id]).with_body(Value::Object(body))
    }
}

/// `DELETE /api/v3/communities/{communityId}`.
#[derive(Clone, Copy, Debug)]
pub struct DeleteCommunity<'a> {
    /// Community id.
    pub community_id: &'a str,
}

impl Endpoint for DeleteCommunity<'_> {
    type Response = SuccessFlag;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "communities", self.community_id])
    }
}

/// `GET /api/v3/communities/{communityId}/users`.
#[derive(Clone, Copy, Debug)]
pub struct QueryCommunityMembers<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// Filter and page.
    pub query: &'a CommunityMemberQuery,
}

impl Endpoint for QueryCommunityMembers<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "communities", self.community_id, "users"])
            .with_query(self.query.to_pairs())
    }
}

/// `PUT /api/v3/communities/{communityId}/users/ban`.
#[derive(Clone, Copy, Debug)]
pub struct BanCommunityMembers<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// Public user ids.
    pub user_ids: &'a [String],
}

impl Endpoint for BanCommunityMembers<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::put(&["api", "v3", "communities", self.community_id, "users", "ban"])
            .with_body(json!({ "userIds": self.user_ids }))
    }
}

/// `PUT /api/v3/communities/{communityId}/users/unban`.
#[derive(Clone, Copy, Debug)]
pub struct UnbanCommunityMembers<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// Public user ids.
    pub user_ids: &'a [String],
}

impl Endpoint for UnbanCommunityMembers<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::put(&["api", "v3", "communities", self.community_id, "users", "unban"])
            .with_body(json!({ "userIds": self.user_ids }))
    }
}

/// `POST /api/v4/communities/{communityId}/users/roles`. Adding a role twice leaves it once.
#[derive(Clone, Copy, Debug)]
pub struct AddCommunityRoles<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// Public user ids.
    pub user_ids: &'a [String],
    /// Community roles to give.
    pub roles: &'a [String],
}

impl Endpoint for AddCommunityRoles<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v4", "communities", self.community_id, "users", "roles"])
            .idempotent(true)
            .with_body(json!({ "userIds": self.user_ids, "roles": self.roles }))
    }
}

/// `DELETE /api/v4/communities/{communityId}/users/roles` (ids and roles in the query).
#[derive(Clone, Copy, Debug)]
pub struct RemoveCommunityRoles<'a> {
    /// Community id.
    pub community_id: &'a str,
    /// Public user ids.
    pub user_ids: &'a [String],
    /// Community roles to take.
    pub roles: &'a [String],
}

impl Endpoint for RemoveCommunityRoles<'_> {
    type Response = CommunityEnvelope;
    fn request(&self) -> Request {
        let mut query: Vec<(String, String)> =
            self.roles.iter().map(|r| ("roles[]".to_owned(), r.clone())).collect();
        query.extend(self.user_ids.iter().map(|u| ("userIds[]".to_owned(), u.clone())));
        Request::delete(&["api", "v4", "communities", self.community_id, "users", "roles"]).with_query(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_removal_puts_lists_in_the_query_not_a_body() {
        let (users, roles) = (["u1".to_owned()], ["moderator".to_owned()]);
        let request = RemoveCommunityRoles { community_id: "c", user_ids: &users, roles: &roles }.request();
        assert!(request.body.is_none());
        assert_eq!(
            request.query,
            vec![("roles[]".to_owned(), "moderator".to_owned()), ("userIds[]".to_owned(), "u1".to_owned())]
        );
    }

    #[test]
    fn updates_always_name_the_community() {
        let update = CommunityUpdate { is_public: Some(false), ..CommunityUpdate::default() };
        let request = UpdateCommunity { community_id: "c", update: &update }.request();
        assert_eq!(request.body, Some(json!({"communityId": "c", "isPublic": false})));
    }
}
