//! The Social+ calls behind the role use-cases ([`super::change`]).

use super::{input, row};
use crate::Error;
use types::roles::{RoleForm, RoleRow};
use upstream::{
    Client,
    endpoints::{
        communities::{AddCommunityRoles, RemoveCommunityRoles},
        roles::{CreateRole, DeleteRole, UpdateRole},
        users::{GetUser, UpdateUser},
    },
    wire::UserUpdate,
};

/// Creates a role; answers it as stored.
pub(super) async fn create(upstream: &Client, form: &RoleForm) -> Result<Option<RoleRow>, Error> {
    let envelope = upstream.send(&CreateRole(&input(form))).await?;
    Ok(envelope.data.first().map(row))
}

/// Replaces a role's display name and permissions; answers it as stored.
pub(super) async fn update(upstream: &Client, form: &RoleForm) -> Result<Option<RoleRow>, Error> {
    let envelope = upstream.send(&UpdateRole(&input(form))).await?;
    Ok(envelope.data.first().map(row))
}

/// Deletes a custom role (Social+ takes it from every user who held it).
pub(super) async fn delete(upstream: &Client, role_id: &str) -> Result<(), Error> {
    upstream.send(&DeleteRole { role_id }).await?;
    Ok(())
}

/// A user's system roles before and after a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RolesChange {
    /// Before.
    pub(super) before: Vec<String>,
    /// After, as Social+ answered.
    pub(super) after: Vec<String>,
}

/// Sets a user's complete role list; `None` when the user does not exist.
pub(super) async fn set_user_roles(
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
pub(super) async fn change_community_roles(
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
