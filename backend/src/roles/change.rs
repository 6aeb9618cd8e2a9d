//! The role use-cases: each validates its input, calls Social+ and audits the outcome — the
//! role or the member's roles before and after, or the failure with the Social+ status.
//! The caller has checked `ManageRoles`.

use super::{calls, get, is_built_in, overview, problems};
use crate::{
    Actor, Error, Services,
    audit::{self, Change, Outcome},
};
use serde_json::{Value, json};
use types::roles::{RoleForm, RoleRow, USER_ROLES_MAX, parse_role_list};

/// Creates (`mode` = `create`) or replaces (`mode` = `edit`) a role, audited as
/// `role_create` / `role_update`; answers the role as stored.
pub async fn save(services: &Services, actor: &Actor, mode: &str, form: &RoleForm) -> Result<RoleRow, Error> {
    if let Some(problem) = problems(form).into_iter().next() {
        return Err(Error::invalid(problem.field, problem.message));
    }
    let creating = match mode {
        "create" => true,
        "edit" => false,
        other => return Err(Error::invalid("mode", format!("“{other}” is neither create nor edit."))),
    };
    let upstream = services.upstream.as_ref();
    let role_id = form.role_id.trim();
    let exists_already = || Error::invalid("role_id", format!("A role “{role_id}” already exists."));
    let before = get(upstream, role_id).await?;
    match (creating, &before) {
        (true, Some(_)) => return Err(exists_already()),
        (false, None) => return Err(Error::not_found(format!("Role “{role_id}”"))),
        _ => {}
    }
    let saved =
        if creating { calls::create(upstream, form).await } else { calls::update(upstream, form).await };
    let action = if creating { "role_create" } else { "role_update" };
    match saved {
        Ok(Some(after)) => {
            let change = Change {
                before: before.as_ref().map(role_json),
                after: Some(role_json(&after)),
                upstream_status: Some(200),
                ..Change::default()
            };
            audit::record(&services.db, actor, action, Some(role_id), Outcome::Success, change).await;
            Ok(after)
        }
        Ok(None) => Err(Error::internal("Social+ answered without the role")),
        Err(error) => {
            let change = Change { upstream_status: error.upstream_status(), ..Change::default() };
            audit::record(&services.db, actor, action, Some(role_id), Outcome::Failed, change).await;
            if error.upstream().is_some_and(crate::UpstreamFailure::is_duplicate) {
                return Err(exists_already());
            }
            Err(error)
        }
    }
}

/// Deletes a custom role once `confirmation` is its id, audited as `role_delete`; Social+
/// takes it from every holder. Answers the deleted role's id.
pub async fn delete(
    services: &Services,
    actor: &Actor,
    role_id: &str,
    confirmation: &str,
) -> Result<String, Error> {
    if confirmation.trim() != role_id {
        return Err(Error::invalid("confirmation", format!("Type “{role_id}” to confirm.")));
    }
    if is_built_in(role_id) {
        return Err(Error::invalid(
            "role_id",
            format!("“{role_id}” is a built-in role and cannot be deleted."),
        ));
    }
    let upstream = services.upstream.as_ref();
    let Some(before) = get(upstream, role_id).await? else {
        return Err(Error::not_found(format!("Role “{role_id}”")));
    };
    match calls::delete(upstream, role_id).await {
        Ok(()) => {
            let change =
                Change { before: Some(role_json(&before)), upstream_status: Some(200), ..Change::default() };
            audit::record(&services.db, actor, "role_delete", Some(role_id), Outcome::Success, change).await;
            Ok(role_id.to_owned())
        }
        Err(error) => {
            let change = Change { upstream_status: error.upstream_status(), ..Change::default() };
            audit::record(&services.db, actor, "role_delete", Some(role_id), Outcome::Failed, change).await;
            Err(error)
        }
    }
}

/// Sets a user's complete list of system roles (`roles`: comma- or space-separated ids; empty
/// takes every role away), audited as `user_roles_set`; answers the roles Social+ stored.
pub async fn set_user_roles(
    services: &Services,
    actor: &Actor,
    user_id: &str,
    roles: &str,
) -> Result<Vec<String>, Error> {
    let user_id = user_id.trim();
    if user_id.is_empty() {
        return Err(Error::invalid("user_id", "Enter a user id."));
    }
    let roles = parse_role_list(roles);
    if roles.len() > USER_ROLES_MAX {
        return Err(Error::invalid("roles", format!("A user can hold at most {USER_ROLES_MAX} roles.")));
    }
    let upstream = services.upstream.as_ref();
    let known = overview(upstream).await?;
    if let Some(unknown) = roles.iter().find(|r| !known.roles.iter().any(|k| &k.role_id == *r)) {
        return Err(Error::invalid("roles", format!("There is no role “{unknown}”.")));
    }
    match calls::set_user_roles(upstream, user_id, &roles).await {
        Ok(Some(change)) => {
            let audit = Change {
                before: Some(json!({ "roles": change.before })),
                after: Some(json!({ "roles": change.after })),
                upstream_status: Some(200),
                ..Change::default()
            };
            audit::record(&services.db, actor, "user_roles_set", Some(user_id), Outcome::Success, audit)
                .await;
            Ok(change.after)
        }
        Ok(None) => Err(Error::not_found(format!("User “{user_id}”"))),
        Err(error) => {
            let audit = Change { upstream_status: error.upstream_status(), ..Change::default() };
            audit::record(&services.db, actor, "user_roles_set", Some(user_id), Outcome::Failed, audit).await;
            Err(error)
        }
    }
}

/// Grants (`change` = `grant`) or takes away (`revoke`) community roles of one member,
/// audited as `community_roles_change`; answers the member's community roles after.
pub async fn change_community_roles(
    services: &Services,
    actor: &Actor,
    community_id: &str,
    user_id: &str,
    roles: &str,
    change: &str,
) -> Result<Vec<String>, Error> {
    let (community_id, user_id) = (community_id.trim(), user_id.trim());
    if community_id.is_empty() {
        return Err(Error::invalid("community_id", "Enter a community id."));
    }
    if user_id.is_empty() {
        return Err(Error::invalid("user_id", "Enter the member's user id."));
    }
    let roles = parse_role_list(roles);
    if roles.is_empty() {
        return Err(Error::invalid("roles", "Enter at least one community role."));
    }
    let grant = match change {
        "grant" => true,
        "revoke" => false,
        other => return Err(Error::invalid("change", format!("“{other}” is neither grant nor revoke."))),
    };
    let target = format!("{community_id}/{user_id}");
    let upstream = services.upstream.as_ref();
    match calls::change_community_roles(upstream, community_id, user_id, &roles, grant).await {
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
                before: Some(json!({ "roles": before })),
                after: Some(json!({ "roles": after })),
                upstream_status: Some(200),
            };
            audit::record(
                &services.db,
                actor,
                "community_roles_change",
                Some(&target),
                Outcome::Success,
                audit,
            )
            .await;
            Ok(after)
        }
        Err(error) => {
            let audit = Change { upstream_status: error.upstream_status(), ..Change::default() };
            audit::record(
                &services.db,
                actor,
                "community_roles_change",
                Some(&target),
                Outcome::Failed,
                audit,
            )
            .await;
            Err(error)
        }
    }
}

/// A role as the audit trail records it.
fn role_json(role: &RoleRow) -> Value {
    json!({
        "role_id": role.role_id,
        "display_name": role.display_name,
        "permissions": role.permissions,
    })
}
