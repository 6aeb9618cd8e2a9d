//! Social+ roles (`/api/v3/roles`): listing, creating, editing and deleting them, and
//! granting them — system roles to users (the user's complete role list) and community roles
//! to members. The changes ([`save`], [`delete`], [`set_user_roles`],
//! [`change_community_roles`]) are use-cases: they validate, act and audit the state before
//! and after.

mod calls;
mod change;

pub use change::{change_community_roles, delete, save, set_user_roles};

use crate::Error;
use types::roles::{RoleForm, RoleRow, RolesOverview};
use upstream::{
    Client,
    endpoints::roles::{GetRole, QueryRoles, RoleQuery, RoleSortBy},
    wire::{PERMISSIONS, Role, RoleInput, SYSTEM_ROLES},
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
fn input(form: &RoleForm) -> RoleInput {
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
