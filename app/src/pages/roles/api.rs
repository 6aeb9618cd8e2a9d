//! Server functions of the Roles section. All need `ManageRoles`. The forms post without
//! WASM (`ActionForm`), so arguments are form fields; field problems come back as
//! `InvalidInput { field }` for the form to show next to the field.

use crate::AppError;
use leptos::prelude::*;
use types::roles::{RoleRow, RolesOverview};

/// Every role with its permissions, and the permission names a role can grant.
#[server(endpoint = "list_roles")]
pub async fn list_roles() -> Result<RolesOverview, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    backend::roles::overview(ctx.services.upstream.as_ref()).await.map_err(|e| ctx.fail(e))
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
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    let form = types::roles::RoleForm { role_id, display_name, permissions };
    if let Some(problem) = backend::roles::problems(&form).into_iter().next() {
        return Err(ctx.invalid(problem.field, problem.message));
    }
    let upstream = ctx.services.upstream.as_ref();
    let role_id = form.role_id.trim().to_owned();
    let creating = match mode.as_str() {
        "create" => true,
        "edit" => false,
        other => return Err(ctx.invalid("mode", format!("“{other}” is neither create nor edit."))),
    };
    let before = backend::roles::get(upstream, &role_id).await.map_err(|e| ctx.fail(e))?;
    if creating && before.is_some() {
        return Err(ctx.invalid("role_id", format!("A role “{role_id}” already exists.")));
    }
    if !creating && before.is_none() {
        return Err(ctx.not_found(format!("Role “{role_id}”")));
    }
    let saved = if creating {
        backend::roles::create(upstream, &form).await
    } else {
        backend::roles::update(upstream, &form).await
    };
    let action = if creating { "role_create" } else { "role_update" };
    match saved {
        Ok(Some(after)) => {
            let change = Change {
                before: before.as_ref().map(role_json),
                after: Some(role_json(&after)),
                upstream_status: Some(200),
                ..Change::default()
            };
            ctx.record(action, Some(&role_id), Outcome::Success, change).await;
            Ok(after)
        }
        Ok(None) => Err(ctx.fail(backend::Error::Internal("Social+ answered without the role".into()))),
        Err(error) => {
            let change = Change { upstream_status: error.upstream_status(), ..Change::default() };
            ctx.record(action, Some(&role_id), Outcome::Failed, change).await;
            if error.upstream().is_some_and(backend::UpstreamFailure::is_duplicate) {
                return Err(ctx.invalid("role_id", format!("A role “{role_id}” already exists.")));
            }
            Err(ctx.fail(error))
        }
    }
}

/// Deletes a custom role after the caller typed its id; Social+ takes it from every holder.
#[server(endpoint = "delete_role")]
pub async fn delete_role(role_id: String, confirmation: String) -> Result<String, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    if confirmation.trim() != role_id {
        return Err(ctx.invalid("confirmation", format!("Type “{role_id}” to confirm.")));
    }
    if backend::roles::is_built_in(&role_id) {
        return Err(ctx.invalid("role_id", format!("“{role_id}” is a built-in role and cannot be deleted.")));
    }
    let upstream = ctx.services.upstream.as_ref();
    let Some(before) = backend::roles::get(upstream, &role_id).await.map_err(|e| ctx.fail(e))? else {
        return Err(ctx.not_found(format!("Role “{role_id}”")));
    };
    match backend::roles::delete(upstream, &role_id).await {
        Ok(()) => {
            let change = Change {
                before: Some(role_json(&before)),
                after: None,
                upstream_status: Some(200),
                ..Change::default()
            };
            ctx.record("role_delete", Some(&role_id), Outcome::Success, change).await;
            Ok(role_id)
        }
        Err(error) => {
            let change = Change { upstream_status: error.upstream_status(), ..Change::default() };
            ctx.record("role_delete", Some(&role_id), Outcome::Failed, change).await;
            Err(ctx.fail(error))
        }
    }
}

/// Sets a user's complete list of system roles (`roles`: comma- or space-separated ids;
/// empty takes every role away). The user page's roles form posts here.
#[server(endpoint = "set_user_roles")]
pub async fn set_user_roles(user_id: String, roles: String) -> Result<Vec<String>, AppError> {
    use backend::audit::{Change, Outcome};
    use types::roles::{USER_ROLES_MAX, parse_role_list};
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    let user_id = user_id.trim().to_owned();
    if user_id.is_empty() {
        return Err(ctx.invalid("user_id", "Enter a user id.".into()));
    }
    let roles = parse_role_list(&roles);
    if roles.len() > USER_ROLES_MAX {
        return Err(ctx.invalid("roles", format!("A user can hold at most {USER_ROLES_MAX} roles.")));
    }
    let upstream = ctx.services.upstream.as_ref();
    let known = backend::roles::overview(upstream).await.map_err(|e| ctx.fail(e))?;
    if let Some(unknown) = roles.iter().find(|r| !known.roles.iter().any(|k| &k.role_id == *r)) {
        return Err(ctx.invalid("roles", format!("There is no role “{unknown}”.")));
    }
    match backend::roles::set_user_roles(upstream, &user_id, &roles).await {
        Ok(Some(change)) => {
            let audit = Change {
                before: Some(serde_json::json!({ "roles": change.before })),
                after: Some(serde_json::json!({ "roles": change.after })),
                upstream_status: Some(200),
                ..Change::default()
            };
            ctx.record("user_roles_set", Some(&user_id), Outcome::Success, audit).await;
            Ok(change.after)
        }
        Ok(None) => Err(ctx.not_found(format!("User “{user_id}”"))),
        Err(error) => {
            let audit = Change { upstream_status: error.upstream_status(), ..Change::default() };
            ctx.record("user_roles_set", Some(&user_id), Outcome::Failed, audit).await;
            Err(ctx.fail(error))
        }
    }
}

/// Grants (`change` = `grant`) or takes away (`revoke`) community roles of one member.
#[server(endpoint = "change_community_roles")]
pub async fn change_community_roles(
    community_id: String,
    user_id: String,
    roles: String,
    change: String,
) -> Result<Vec<String>, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ManageRoles)?;
    let (community_id, user_id) = (community_id.trim().to_owned(), user_id.trim().to_owned());
    if community_id.is_empty() {
        return Err(ctx.invalid("community_id", "Enter a community id.".into()));
    }
    if user_id.is_empty() {
        return Err(ctx.invalid("user_id", "Enter the member's user id.".into()));
    }
    let roles = types::roles::parse_role_list(&roles);
    if roles.is_empty() {
        return Err(ctx.invalid("roles", "Enter at least one community role.".into()));
    }
    let grant = match change.as_str() {
        "grant" => true,
        "revoke" => false,
        other => return Err(ctx.invalid("change", format!("“{other}” is neither grant nor revoke."))),
    };
    let upstream = ctx.services.upstream.as_ref();
    let target = format!("{community_id}/{user_id}");
    match backend::roles::change_community_roles(upstream, &community_id, &user_id, &roles, grant).await {
        Ok(after) => {
            let after = after.unwrap_or_default();
            // Social+ answers only the new state; the state before follows from the change
            // (a role granted twice or revoked while absent reads as changed).
            let before: Vec<&String> = if grant {
                after.iter().filter(|r| !roles.contains(r)).collect()
            } else {
                after.iter().chain(roles.iter()).collect()
            };
            let audit = Change {
                reason: Some(if grant { "grant" } else { "revoke" }),
                before: Some(serde_json::json!({ "roles": before })),
                after: Some(serde_json::json!({ "roles": after })),
                upstream_status: Some(200),
            };
            ctx.record("community_roles_change", Some(&target), Outcome::Success, audit).await;
            Ok(after)
        }
        Err(error) => {
            let audit = Change { upstream_status: error.upstream_status(), ..Change::default() };
            ctx.record("community_roles_change", Some(&target), Outcome::Failed, audit).await;
            Err(ctx.fail(error))
        }
    }
}

#[cfg(feature = "ssr")]
fn role_json(role: &RoleRow) -> serde_json::Value {
    serde_json::json!({
        "role_id": role.role_id,
        "display_name": role.display_name,
        "permissions": role.permissions,
    })
}
