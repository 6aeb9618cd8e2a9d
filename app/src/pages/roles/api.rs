//! Server functions of the Roles section. All need `ManageRoles`; the use-cases in
//! `backend::roles` validate, act and audit. The forms post without WASM (`ActionForm`), so
//! arguments are form fields; field problems come back as `InvalidInput { field }` for the
//! form to show next to the field.

use crate::AppError;
use leptos::prelude::*;
use types::roles::{RoleRow, RolesOverview};

/// Every role with its permissions, and the permission names a role can grant.
#[server(endpoint = "list_roles")]
pub async fn list_roles() -> Result<RolesOverview, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    Ok(backend::roles::overview(&ctx.services.upstream).await?)
}

/// Creates (`mode` = `create`) or replaces (`mode` = `edit`) a role. `permissions[]` holds
/// the checked permission names; none checked is a role that grants nothing.
#[server(endpoint = "save_role")]
pub async fn save_role(
    mode: String,
    role_id: String,
    display_name: String,
    #[server(default)] permissions: Vec<String>,
) -> Result<RoleRow, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    let form = types::roles::RoleForm { role_id, display_name, permissions };
    Ok(backend::roles::save(&ctx.services, &ctx.actor, &mode, &form).await?)
}

/// Deletes a custom role after the caller typed its id; Social+ takes it from every holder.
#[server(endpoint = "delete_role")]
pub async fn delete_role(role_id: String, confirmation: String) -> Result<String, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    Ok(backend::roles::delete(&ctx.services, &ctx.actor, &role_id, &confirmation).await?)
}

/// Sets a user's complete list of system roles (`roles`: comma- or space-separated ids;
/// empty takes every role away). The user page's roles form posts here.
#[server(endpoint = "set_user_roles")]
pub async fn set_user_roles(user_id: String, roles: String) -> Result<Vec<String>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    Ok(backend::roles::set_user_roles(&ctx.services, &ctx.actor, &user_id, &roles).await?)
}

/// Grants (`change` = `grant`) or takes away (`revoke`) community roles of one member.
#[server(endpoint = "change_community_roles")]
pub async fn change_community_roles(
    community_id: String,
    user_id: String,
    roles: String,
    change: String,
) -> Result<Vec<String>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    let services = &ctx.services;
    Ok(backend::roles::change_community_roles(services, &ctx.actor, &community_id, &user_id, &roles, &change)
        .await?)
}
