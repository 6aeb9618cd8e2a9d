//! Changing the network's users: create (session registration with the API key, the
//! upstream's only way to create a user), edit the profile, clear flags, delete.
//!
//! Every operation reads the user first, so it can refuse early with a clear reason (gone,
//! already deleted, id taken) and return the state before and after for the audit trail.
//! Validation happens before any call: an operation that passes it is sent as one request
//! (creation is the exception, see [`create_user`]).

use super::snapshot;
use crate::Error;
use secrecy::SecretString;
use serde_json::Value;
use types::users::forms::{NewUser, Profile};
use upstream::endpoints::{
    sessions::{RegisterSession, RevokeAllUserTokens},
    users::{ClearUserFlags, DeleteUser, GetUser, UpdateUser},
};
use upstream::{
    Client,
    endpoints::users::DeleteUserOptions,
    wire::{DeviceInfo, DeviceKind, SessionRequest, User, UserUpdate},
};

/// The device id the console registers sessions under, so they are recognisable upstream.
pub const CONSOLE_DEVICE_ID: &str = "social-plus-console";

/// Why a user operation did not happen (beyond upstream failures).
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
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
    /// Anything else.
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<upstream::Error> for ManageError {
    fn from(error: upstream::Error) -> Self {
        ManageError::Other(Error::Upstream(error))
    }
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
pub async fn create_user(
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
pub fn changes_roles(user: &User, profile: &Profile) -> bool {
    let mut before = user.roles.clone();
    let mut after = profile.roles.clone();
    before.sort();
    after.sort();
    before != after
}

/// Reads the user for an edit form: refuses deleted users.
pub async fn editable(upstream: &Client, user_id: &str) -> Result<User, ManageError> {
    live(upstream, user_id).await
}

/// Sets display name, description, roles, metadata and (when given) the avatar URL of
/// `user` in one `PUT`.
pub async fn update_profile(
    upstream: &Client,
    user: &User,
    profile: &Profile,
) -> Result<Changed, ManageError> {
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
pub async fn clear_flags(upstream: &Client, user_id: &str) -> Result<Changed, ManageError> {
    let user = live(upstream, user_id).await?;
    let after = match upstream.send(&ClearUserFlags { user_id }).await {
        Ok(after) => after,
        Err(e) if e.is_not_found() => return Err(ManageError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Changed { before: Some(snapshot(&user)), after: Some(snapshot(&after)) })
}

/// Deletes the user, and with `options` their content for good.
pub async fn delete_user(
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
