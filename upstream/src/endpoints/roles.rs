//! Roles (`spec: v3/role/api.yaml`).

use super::{Endpoint, Request};
use crate::wire::{RoleEnvelope, RoleInput};

/// Sort order of a role search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleSortBy {
    /// Newest first (the API's default).
    #[default]
    LastCreated,
    /// Oldest first.
    FirstCreated,
    /// By display name.
    DisplayName,
}

/// `GET /api/v3/roles` parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleQuery {
    /// Search text; required by the API, may be empty (all roles).
    pub keyword: String,
    /// Order.
    pub sort_by: RoleSortBy,
    /// Page size (1..=100).
    pub limit: Option<u32>,
    /// Paging token.
    pub token: Option<String>,
}

impl RoleQuery {
    /// The query pairs, `keyword` always present.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let sort_by = match self.sort_by {
            RoleSortBy::LastCreated => "lastCreated",
            RoleSortBy::FirstCreated => "firstCreated",
            RoleSortBy::DisplayName => "displayName",
        };
        let mut pairs =
            vec![("keyword".to_owned(), self.keyword.clone()), ("sortBy".to_owned(), sort_by.to_owned())];
        if let Some(limit) = self.limit {
            pairs.push(("options[limit]".to_owned(), limit.to_string()));
        }
        if let Some(token) = &self.token {
            pairs.push(("options[token]".to_owned(), token.clone()));
        }
        pairs
    }
}

/// `GET /api/v3/roles`: search and page through roles.
#[derive(Clone, Copy, Debug)]
pub struct QueryRoles<'a>(
    /// Search, order and page.
    pub &'a RoleQuery,
);

impl Endpoint for QueryRoles<'_> {
    type Response = RoleEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "roles"]).with_query(self.0.to_pairs())
    }
}

/// `POST /api/v3/roles`: a second create of the same id fails, so it is not retried.
#[derive(Clone, Copy, Debug)]
pub struct CreateRole<'a>(
    /// Id, display name and permissions.
    pub &'a RoleInput,
);

impl Endpoint for CreateRole<'_> {
    type Response = RoleEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", "roles"]).with_body(serde_json::to_value(self.0).unwrap_or_default())
    }
}

/// `GET /api/v3/roles/{roleId}`.
#[derive(Clone, Copy, Debug)]
pub struct GetRole<'a> {
    /// Role id.
    pub role_id: &'a str,
}

impl Endpoint for GetRole<'_> {
    type Response = RoleEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "roles", self.role_id])
    }
}

/// `PUT /api/v3/roles/{roleId}`: replaces the display name and permissions.
#[derive(Clone, Copy, Debug)]
pub struct UpdateRole<'a>(
    /// The role (addressed by its id) as it should be.
    pub &'a RoleInput,
);

impl Endpoint for UpdateRole<'_> {
    type Response = RoleEnvelope;
    fn request(&self) -> Request {
        Request::put(&["api", "v3", "roles", &self.0.role_id])
            .with_body(serde_json::to_value(self.0).unwrap_or_default())
    }
}

/// `DELETE /api/v3/roles/{roleId}`: removes the role and takes it from every user. A second
/// call answers 404, so it is not retried.
#[derive(Clone, Copy, Debug)]
pub struct DeleteRole<'a> {
    /// Role id.
    pub role_id: &'a str,
}

impl Endpoint for DeleteRole<'_> {
    type Response = RoleEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "roles", self.role_id]).idempotent(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_is_always_sent_because_the_api_requires_it() {
        let pairs = RoleQuery::default().to_pairs();
        assert_eq!(pairs[0], ("keyword".to_owned(), String::new()));
        assert!(pairs.contains(&("sortBy".to_owned(), "lastCreated".to_owned())));
        let pairs = RoleQuery { limit: Some(5), token: Some("t".into()), ..Default::default() }.to_pairs();
        assert!(pairs.contains(&("options[limit]".to_owned(), "5".to_owned())));
        assert!(pairs.contains(&("options[token]".to_owned(), "t".to_owned())));
    }

    #[test]
    fn update_addresses_the_role_by_its_id() {
        let request = UpdateRole(&RoleInput { role_id: "editor".into(), ..Default::default() }).request();
        assert_eq!(request.segments, vec!["api", "v3", "roles", "editor"]);
        assert!(!CreateRole(&RoleInput::default()).request().idempotent);
    }
}
