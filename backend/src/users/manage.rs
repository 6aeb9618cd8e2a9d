//! Changing the network's users: create (session registration with the API key, the
//! upstream's only way to create a user), edit the profile, clear flags, delete.
//!
//! The public functions are the use-cases: each decides what the actor's role allows for
//! this input, acts, and audits the outcome (success with the user before and after, or the
//! failure with the Social+ status); refusals come back as [`Error`] in words for the form.
//!
//! Every operation reads the user first, so it can refuse early with a clear reason (gone,
//! already deleted, id taken) and return the state before and after for the audit trail.
//! Validation happens before any call: an operation that passes it is sent as one request
//! (creation is the exception, see [`register`]).

use super::snapshot;
use crate::{
    Actor, Error, Services, UpstreamFailure,
    audit::{self, Change, Outcome},
};
use secrecy::SecretString;
use serde_json::Value;
use types::{
    Permission,
    users::forms::{DeleteOptions, NewUser, Profile},
};
use upstream::endpoints::{
    sessions::{RegisterSession, RevokeAllUserTokens},
    users::{ClearUserFlags, DeleteUser, DeleteUserOptions, GetUser, UpdateUser},
};
use upstream::{
    Client,
    wire::{DeviceInfo, DeviceKind, SessionRequest, User, UserUpdate},
};

/// The device id the console registers sessions under, so they are recognisable upstream.
pub const CONSOLE_DEVICE_ID: &str = "social-plus-console";

/// Why a user operation did not happen.
#[derive(Debug, thiserror::Error)]
enum ManageError {
    /// No such user.
    #[error("This user does not exist.")]
    NotFound,
    /// The user is deleted; nothing more can be changed.
    #[error("This user no longer exists (deleted).")]
    Deleted,
    /// Creation: the id is taken.
    #[error("A user with the id “{0}” already exists.")]
    Exists(String),
    /// Creation needs the network's API key and none is configured.
    #[error("The console has no API key for this network (set upstream.api_key), so it cannot create users.")]
    NoApiKey,
    /// The user was created but its description or metadata could not be set.
    #[error("The user was created, but setting the description and metadata failed: {0}")]
    PartlyCreated(upstream::Error),
    /// Social+ refused or failed.
    #[error(transparent)]
    Upstream(#[from] upstream::Error),
    /// Anything else.
    #[error(transparent)]
    Other(#[from] Error),
}

impl ManageError {
    /// The Social+ status the failure came with, for the audit trail.
    fn upstream_status(&self) -> Option<u16> {
        match self {
            ManageError::Upstream(e) | ManageError::PartlyCreated(e) => e.status(),
            ManageError::Other(e) => e.upstream_status(),
            _ => None,
        }
    }
}

impl From<ManageError> for Error {
    fn from(error: ManageError) -> Self {
        match error {
            ManageError::NotFound => Error::not_found("This user"),
            ManageError::Deleted => Error::invalid("user_id", "This user no longer exists (deleted)."),
            ManageError::Exists(id) => {
                Error::invalid("user_id", format!("A user with the id “{id}” already exists."))
            }
            ManageError::NoApiKey => Error::invalid(
                "user_id",
                "The console has no API key for this network (CONSOLE_UPSTREAM_API_KEY), so it cannot create users.",
            ),
            ManageError::PartlyCreated(e) => Error::invalid(
                "metadata",
                format!(
                    "The user was created, but the description and metadata were not set ({}). Edit the user to set them.",
                    e.code().and_then(code_message).map_or_else(|| e.to_string(), str::to_owned)
                ),
            ),
            ManageError::Upstream(e) => match e.code().and_then(code_message) {
                Some(message) => Error::Upstream(UpstreamFailure::worded(e, message)),
                None => Error::from(e),
            },
            ManageError::Other(e) => e,
        }
    }
}

/// Plain words for the Social+ codes a user operation can meet, clearer for a user than the
/// general explanation; `None` for the rest.
fn code_message(code: u32) -> Option<&'static str> {
    Some(match code {
        400_400 => "This user no longer exists.",
        400_300 | 400_301 => "Social+ does not allow the console to do this to this user.",
        400_312 => "This user is banned from the network, so Social+ refused the request.",
        400_315 => "A user with this id already exists.",
        400_311 => "Social+ is rate-limiting the console. Try again in a few seconds.",
        400_000 => "Social+ refused the request as invalid (is this user already deleted?).",
        _ => return None,
    })
}

/// Creates the user `new` (see [`register`]), audited as `create_user`.
pub async fn create(services: &Services, actor: &Actor, new: &NewUser) -> Result<Changed, Error> {
    let result = register(&services.upstream, services.api_key.as_ref(), new).await;
    audited(services, actor, "create_user", &new.user_id, None, result).await
}

/// Sets the profile of `user_id` in one update, audited as `update_user`. Changing the
/// roles also needs the role-management permission: without it nothing is sent.
pub async fn update_profile(
    services: &Services,
    actor: &Actor,
    user_id: &str,
    profile: &Profile,
    reason: Option<&str>,
) -> Result<Changed, Error> {
    let user = live(&services.upstream, user_id).await?;
    if changes_roles(&user, profile) && !actor.can(Permission::ManageRoles) {
        let target = super::audit_target(user_id);
        audit::record(&services.db, actor, "update_user", Some(&target), Outcome::Denied, Change::default())
            .await;
        return Err(Error::invalid("roles", "Your role may edit profiles but not change roles."));
    }
    let result = put_profile(&services.upstream, &user, profile).await;
    audited(services, actor, "update_user", user_id, reason, result).await
}

/// Clears every flag on `user_id`, audited as `clear_user_flags`.
pub async fn clear_flags(
    services: &Services,
    actor: &Actor,
    user_id: &str,
    reason: Option<&str>,
) -> Result<Changed, Error> {
    let result = clear(&services.upstream, user_id).await;
    audited(services, actor, "clear_user_flags", user_id, reason, result).await
}

/// Deletes `user_id`, and with `options` their content for good (which needs the
/// permanent-deletion permission), audited as `delete_user`.
pub async fn delete(
    services: &Services,
    actor: &Actor,
    user_id: &str,
    options: DeleteOptions,
    reason: Option<&str>,
) -> Result<Changed, Error> {
    if options.erases_content() && !actor.can(Permission::DeletePermanently) {
        let target = super::audit_target(user_id);
        audit::record(&services.db, actor, "delete_user", Some(&target), Outcome::Denied, Change::default())
            .await;
        return Err(Error::invalid("delete_all", "Your role may delete users but not erase their content."));
    }
    let options = DeleteUserOptions {
        delete_all: options.delete_all,
        mark_message_deleted: options.mark_message_deleted,
        hard_delete_post: options.hard_delete_post,
        hard_delete_comment: options.hard_delete_comment,
    };
    let result = remove(&services.upstream, user_id, options).await;
    audited(services, actor, "delete_user", user_id, reason, result).await
}

/// Audits the outcome of `action` on `user_id` (the user before and after, or the failure
/// with the Social+ status) and words a failure for the form.
async fn audited(
    services: &Services,
    actor: &Actor,
    action: &str,
    user_id: &str,
    reason: Option<&str>,
    result: Result<Changed, ManageError>,
) -> Result<Changed, Error> {
    let target = super::audit_target(user_id);
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let (outcome, change) = match &result {
        Ok(changed) => (
            Outcome::Success,
            Change {
                reason,
                before: changed.before.clone(),
                after: changed.after.clone(),
                upstream_status: Some(200),
            },
        ),
        Err(error) => (
            Outcome::Failed,
            Change { reason, upstream_status: error.upstream_status(), ..Default::default() },
        ),
    };
    audit::record(&services.db, actor, action, Some(&target), outcome, change).await;
    result.map_err(Error::from)
}

/// The state before and after a change, for the audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    /// Before (`None` when the user did not exist).
    pub before: Option<Value>,
    /// After (`None` when the answer did not carry the user).
    pub after: Option<Value>,
}

/// The user as Social+ has them now.
async fn current(upstream: &Client, user_id: &str) -> Result<User, ManageError> {
    match upstream.send(&GetUser { user_id }).await {
        Ok(envelope) => envelope.users.into_iter().next().ok_or(ManageError::NotFound),
        Err(e) if e.is_not_found() => Err(ManageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The user, refusing deleted ones.
async fn live(upstream: &Client, user_id: &str) -> Result<User, ManageError> {
    let user = current(upstream, user_id).await?;
    if user.is_deleted {
        return Err(ManageError::Deleted);
    }
    Ok(user)
}

/// Creates `new` by registering a session for it with the network's API key (which creates
/// the user with the display name), then sets description and metadata with the admin
/// token, then revokes the session the console does not need. An existing id is refused
/// before anything is sent (registration would otherwise rename that user).
async fn register(
    upstream: &Client,
    api_key: Option<&SecretString>,
    new: &NewUser,
) -> Result<Changed, ManageError> {
    let api_key = api_key.ok_or(ManageError::NoApiKey)?;
    match current(upstream, &new.user_id).await {
        Ok(_) => return Err(ManageError::Exists(new.user_id.clone())),
        Err(ManageError::NotFound) => {}
        Err(other) => return Err(other),
    }
    let request = SessionRequest {
        user_id: new.user_id.clone(),
        device_id: CONSOLE_DEVICE_ID.to_owned(),
        device_info: Some(DeviceInfo {
            kind: Some(DeviceKind::Node),
            model: Some("Social+ Console".into()),
            sdk_version: None,
        }),
        display_name: Some(new.display_name.clone()),
        auth_token: None,
    };
    let session = upstream.send(&RegisterSession { api_key: api_key.clone(), session: &request }).await?;
    let mut user = session.users.into_iter().next();
    if !new.description.is_empty() || !new.metadata.is_empty() {
        let update = UserUpdate {
            user_id: new.user_id.clone(),
            description: Some(new.description.clone()).filter(|d| !d.is_empty()),
            metadata: Some(new.metadata.clone()).filter(|m| !m.is_empty()),
            ..Default::default()
        };
        let envelope = upstream.send(&UpdateUser(&update)).await.map_err(ManageError::PartlyCreated)?;
        user = envelope.users.into_iter().next().or(user);
    }
    // The session was only the means of creation; leaving its token alive would be a
    // credential nobody holds on purpose.
    if let Err(error) = upstream.send(&RevokeAllUserTokens { user_id: &new.user_id }).await {
        tracing::warn!(%error, user_id = %new.user_id, "could not revoke the creation session");
    }
    Ok(Changed { before: None, after: user.as_ref().map(snapshot) })
}

/// Whether `profile` changes `user`'s roles (the form then needs the role permission too).
fn changes_roles(user: &User, profile: &Profile) -> bool {
    let mut before = user.roles.clone();
    let mut after = profile.roles.clone();
    before.sort();
    after.sort();
    before != after
}

/// Sets display name, description, roles, metadata and (when given) the avatar URL of
/// `user` in one `PUT`.
async fn put_profile(upstream: &Client, user: &User, profile: &Profile) -> Result<Changed, ManageError> {
    let update = UserUpdate {
        user_id: user.user_id.clone(),
        display_name: Some(profile.display_name.clone()),
        description: Some(profile.description.clone()),
        roles: Some(profile.roles.clone()),
        metadata: Some(profile.metadata.clone()),
        avatar_custom_url: profile.avatar_custom_url.clone(),
        avatar_file_id: None,
    };
    let problems = update.problems();
    if !problems.is_empty() {
        return Err(ManageError::Other(Error::Internal(format!(
            "validated update breaks limits: {problems:?}"
        ))));
    }
    let envelope = match upstream.send(&UpdateUser(&update)).await {
        Ok(envelope) => envelope,
        Err(e) if e.is_not_found() => return Err(ManageError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Changed { before: Some(snapshot(user)), after: envelope.users.first().map(snapshot) })
}

/// Clears every flag on the user.
async fn clear(upstream: &Client, user_id: &str) -> Result<Changed, ManageError> {
    let user = live(upstream, user_id).await?;
    let after = match upstream.send(&ClearUserFlags { user_id }).await {
        Ok(after) => after,
        Err(e) if e.is_not_found() => return Err(ManageError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Changed { before: Some(snapshot(&user)), after: Some(snapshot(&after)) })
}

/// Deletes the user, and with `options` their content for good.
async fn remove(
    upstream: &Client,
    user_id: &str,
    options: DeleteUserOptions,
) -> Result<Changed, ManageError> {
    let user = live(upstream, user_id).await?;
    match upstream.send(&DeleteUser { user_id, options }).await {
        Ok(_) => {}
        Err(e) if e.is_not_found() => return Err(ManageError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let after = current(upstream, user_id).await.ok();
    Ok(Changed { before: Some(snapshot(&user)), after: after.as_ref().map(snapshot) })
}

/// The RFC 3339 time `seconds` from now: the end of a timed ban.
pub fn ban_until(seconds: u64) -> String {
    let end = time::OffsetDateTime::now_utc()
        + time::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 2));
    end.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ban_ends_the_given_number_of_seconds_from_now() {
        let until =
            time::OffsetDateTime::parse(&ban_until(90), &time::format_description::well_known::Rfc3339)
                .expect("RFC 3339");
        let left = until - time::OffsetDateTime::now_utc();
        assert!(left > time::Duration::seconds(85) && left <= time::Duration::seconds(90), "{left}");
    }
}
