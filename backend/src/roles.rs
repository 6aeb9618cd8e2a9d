//! Social+ roles (`/api/v3/roles`): listing, creating, editing and deleting them, and
//! granting them — system roles to users (the user's complete role list) and community roles
//! to members. Each change returns the state before and after, for the audit trail.

use crate::Error;
use types::roles::{RoleForm, RoleRow, RolesOverview};
use upstream::endpoints::{
    communities::{AddCommunityRoles, RemoveCommunityRoles},
    roles::{CreateRole, DeleteRole, GetRole, QueryRoles, UpdateRole},
    users::{GetUser, UpdateUser},
};
use upstream::{
    Client,
    endpoints::roles::{RoleQuery, RoleSortBy},
    wire::{PERMISSIONS, Role, RoleInput, SYSTEM_ROLES, UserUpdate},
};

fn row(role: &Role) -> RoleRow {
    RoleRow {
        role_id: role.role_id.clone(),
        display_name: role.display_name.clone().filter(|n| !n.is_empty()),
        permissions: role.permissions.clone(),
        updated_at: role.updated_at.clone(),
        system: SYSTEM_ROLES.contains(&role.role_id.as_str()),
    }
}

/// Whether `role_id` is one of Social+'s built-in roles (which cannot be deleted).
pub fn is_built_in(role_id: &str) -> bool {
    SYSTEM_ROLES.contains(&role_id)
}

/// Every role, by display name, with the permission names a role can grant.
pub async fn overview(upstream: &Client) -> Result<RolesOverview, Error> {
    // The role envelope carries no paging token; networks have a handful of roles, so one
    // page of the maximum size holds them all.
    let query = RoleQuery { sort_by: RoleSortBy::DisplayName, limit: Some(100), ..RoleQuery::default() };
    let page = upstream.send(&QueryRoles(&query)).await?;
    let roles = page.data.iter().filter(|r| !r.is_deleted).map(row).collect();
    Ok(RolesOverview { roles, permissions: PERMISSIONS.iter().map(|p| (*p).to_owned()).collect() })
}

/// One role, `None` when Social+ does not know it.
pub async fn get(upstream: &Client, role_id: &str) -> Result<Option<RoleRow>, Error> {
    match upstream.send(&GetRole { role_id }).await {
        Ok(envelope) => Ok(envelope.data.iter().find(|r| !r.is_deleted).map(row)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The upstream body for a validated form (trimmed, permissions without repeats).
pub fn input(form: &RoleForm) -> RoleInput {
    let mut permissions: Vec<String> = Vec::new();
    for permission in &form.permissions {
        if !permissions.contains(permission) {
            permissions.push(permission.clone());
        }
    }
    let display_name = form.display_name.trim();
    RoleInput {
        role_id: form.role_id.trim().to_owned(),
        display_name: (!display_name.is_empty()).then(|| display_name.to_owned()),
        permissions,
    }
}

/// The form's problems against the permission names Social+ accepts.
pub fn problems(form: &RoleForm) -> Vec<types::roles::FieldProblem> {
    form.problems(PERMISSIONS)
}

/// Creates a role; answers it as stored.
pub async fn create(upstream: &Client, form: &RoleForm) -> Result<Option<RoleRow>, Error> {
    let envelope = upstream.send(&CreateRole(&input(form))).await?;
    Ok(envelope.data.first().map(row))
}

/// Replaces a role's display name and permissions; answers it as stored.
pub async fn update(upstream: &Client, form: &RoleForm) -> Result<Option<RoleRow>, Error> {
    let envelope = upstream.send(&UpdateRole(&input(form))).await?;
    Ok(envelope.data.first().map(row))
}

/// Deletes a custom role (Social+ takes it from every user who held it).
pub async fn delete(upstream: &Client, role_id: &str) -> Result<(), Error> {
    upstream.send(&DeleteRole { role_id }).await?;
    Ok(())
}

/// A user's system roles before and after a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolesChange {
    /// Before.
    pub before: Vec<String>,
    /// After, as Social+ answered.
    pub after: Vec<String>,
}

/// Sets a user's complete role list; `None` when the user does not exist.
pub async fn set_user_roles(
    upstream: &Client,
    user_id: &str,
    roles: &[String],
) -> Result<Option<RolesChange>, Error> {
    let before = match upstream.send(&GetUser { user_id }).await {
        Ok(envelope) => match envelope.users.into_iter().next() {
            Some(user) => user.roles,
            None => return Ok(None),
        },
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let update =
        UserUpdate { user_id: user_id.to_owned(), roles: Some(roles.to_vec()), ..UserUpdate::default() };
    let envelope = upstream.send(&UpdateUser(&update)).await?;
    let after = envelope.users.into_iter().next().map(|u| u.roles).unwrap_or_else(|| roles.to_vec());
    Ok(Some(RolesChange { before, after }))
}

/// Grants (`grant`) or takes away community roles of one member; answers the member's
/// community roles after the change when Social+ side-loads them.
pub async fn change_community_roles(
    upstream: &Client,
    community_id: &str,
    user_id: &str,
    roles: &[String],
    grant: bool,
) -> Result<Option<Vec<String>>, Error> {
    let users = [user_id.to_owned()];
    let envelope = if grant {
        upstream.send(&AddCommunityRoles { community_id, user_ids: &users, roles }).await?
    } else {
        upstream.send(&RemoveCommunityRoles { community_id, user_ids: &users, roles }).await?
    };
    Ok(envelope
        .community_users
        .into_iter()
        .find(|m| m.user_id == user_id && m.community_id == community_id)
        .map(|m| m.roles))
}
