//! Bulk actions on users selected in the Users table.
//!
//! [`preview`] reads the selected users in one call (`GET /api/v3/users/list`) and says what
//! will change for each and how many upstream calls the job will make. [`submit`] stores the
//! job: ban, unban and revoke sessions become a moderation bulk job (`moderation_bulk`, the
//! same execution, audit and action records as the queue's bulk actions); adding or removing
//! a Social+ role becomes a [`KIND`] job run by [`RolesBulkHandler`], which reads each user,
//! writes their new role list and audits it with the roles before and after.

use super::audit_target;
use crate::{
    Actor, Error, audit, explain as readable,
    jobs::{ItemFailure, ItemOutcome, JobContext, JobHandler, JobItem, NewItem, NewJob},
    moderation::bulk as moderation_bulk,
    queue::SweepCache,
};
use async_trait::async_trait;
use serde_json::{Value, json};
use sqlx::SqlitePool;
use std::{sync::Arc, time::Duration};
use types::{
    Permission,
    moderation::{Action, BULK_UNDO_SECONDS, BanScope, BulkRequest, BulkSelection, BulkSubmitted, Target},
    users::bulk::{UserBulkAction, UserBulkPreview, UserBulkPreviewItem, UserBulkRequest, roles_after},
};
use upstream::endpoints::users::{GetUser, ListUsersByIds, UpdateUser};
use upstream::{Client, wire::User};

/// The job kind of role changes.
pub const KIND: &str = "user_roles_bulk";

/// The moderation action of a ban-like bulk action (`None` for role changes).
pub fn moderation_action(action: UserBulkAction) -> Option<Action> {
    match action {
        UserBulkAction::Ban => Some(Action::Ban { scope: BanScope::Global, until: None }),
        UserBulkAction::Unban => Some(Action::Unban { scope: BanScope::Global }),
        UserBulkAction::RevokeSessions => Some(Action::RevokeSessions),
        UserBulkAction::AddRole | UserBulkAction::RemoveRole => None,
    }
}

/// Upstream calls one user costs in the job: the look-up, and the change unless it is none.
fn calls(action: UserBulkAction, changes: bool) -> u32 {
    match action {
        UserBulkAction::AddRole | UserBulkAction::RemoveRole => 1 + u32::from(changes),
        _ => 2,
    }
}

/// What `action` does to `user`, in words, and whether it changes anything.
fn describe(request: &UserBulkRequest, user: &User) -> (String, bool) {
    let role = request.role.trim();
    match request.action {
        UserBulkAction::Ban if user.is_global_ban => ("already banned: no change".into(), false),
        UserBulkAction::Ban => ("ban globally, until lifted".into(), true),
        UserBulkAction::Unban if !user.is_global_ban => ("not banned: no change".into(), false),
        UserBulkAction::Unban => ("lift the global ban".into(), true),
        UserBulkAction::RevokeSessions => ("sign out everywhere".into(), true),
        UserBulkAction::AddRole | UserBulkAction::RemoveRole => {
            let (after, changed) = roles_after(&user.roles, request.action, role);
            let list = |roles: &[String]| if roles.is_empty() { "none".to_owned() } else { roles.join(", ") };
            match (changed, request.action) {
                (false, UserBulkAction::AddRole) => (format!("already has {role}: no change"), false),
                (false, _) => (format!("does not have {role}: no change"), false),
                (true, _) => (format!("roles: {} → {}", list(&user.roles), list(&after)), true),
            }
        }
    }
}

/// Why the request cannot run at all, checked against Social+ (the role must exist).
async fn role_problem(upstream: &Client, request: &UserBulkRequest) -> Result<Option<String>, Error> {
    if !request.action.needs_role() {
        return Ok(None);
    }
    let role = request.role.trim();
    let known = crate::roles::overview(upstream).await?;
    Ok((!known.roles.iter().any(|r| r.role_id == role)).then(|| format!("There is no role “{role}”.")))
}

/// What the request would do to each selected user (two upstream reads: the users, and the
/// roles for a role change). A missing or deleted user is a problem.
pub async fn preview(upstream: &Client, request: &UserBulkRequest) -> Result<UserBulkPreview, Error> {
    let users = request.users();
    let found = upstream.send(&ListUsersByIds { user_ids: &users }).await?.users;
    let role_problem = role_problem(upstream, request).await?;
    let mut preview =
        UserBulkPreview { total: u32::try_from(users.len()).unwrap_or(u32::MAX), ..Default::default() };
    for user_id in users {
        let user = found.iter().find(|u| u.user_id == user_id);
        let (change, problem, changes) = match user {
            None => (String::new(), Some("No user with this id.".to_owned()), false),
            Some(user) if user.is_deleted => (String::new(), Some("This user is deleted.".to_owned()), false),
            Some(user) => {
                let (change, changes) = describe(request, user);
                (change, role_problem.clone(), changes)
            }
        };
        preview.problems += u32::from(problem.is_some());
        if problem.is_none() {
            preview.upstream_calls = preview.upstream_calls.saturating_add(calls(request.action, changes));
        }
        preview.items.push(UserBulkPreviewItem { user_id, change, problem });
    }
    Ok(preview)
}

/// A submission that cannot run.
#[derive(Debug)]
enum Refused {
    /// `(field, message)` of the first problem.
    Invalid(&'static str, String),
}

/// A bulk action on selected users, as one use-case: validates it, stores the job (it starts
/// after [`BULK_UNDO_SECONDS`], so it can be undone) and audits it as `submit_user_bulk`.
/// The caller has checked the action's permission.
pub async fn submit(
    services: &crate::Services,
    actor: &Actor,
    request: &UserBulkRequest,
) -> Result<BulkSubmitted, Error> {
    if let Some((field, message)) = request.problem() {
        return Err(Error::invalid(field, message));
    }
    let stored = store(&services.upstream, &services.queue_sweep, &services.db, actor, request).await?;
    let submitted = stored.map_err(|Refused::Invalid(field, message)| Error::invalid(field, message))?;
    let change = audit::Change {
        reason: Some(&request.reason.summary()),
        after: Some(audit_summary(request, &submitted)),
        ..Default::default()
    };
    let outcome = audit::Outcome::Success;
    audit::record(&services.db, actor, "submit_user_bulk", Some(&submitted.job_id), outcome, change).await;
    Ok(submitted)
}

/// Stores the job. The request must have passed [`UserBulkRequest::problem`].
async fn store(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    actor: &Actor,
    request: &UserBulkRequest,
) -> Result<Result<BulkSubmitted, Refused>, Error> {
    let users = request.users();
    if let Some(action) = moderation_action(request.action) {
        let bulk = BulkRequest {
            selection: BulkSelection::Targets {
                targets: users.into_iter().map(|id| Target::User { id }).collect(),
            },
            actions: vec![action],
            reason: request.reason.clone(),
        };
        return Ok(match moderation_bulk::store(upstream, sweep, db, actor, &bulk).await? {
            Ok(submitted) => Ok(submitted),
            Err(moderation_bulk::Refused::Empty) => {
                Err(Refused::Invalid("selection", "Select at least one user.".into()))
            }
            Err(moderation_bulk::Refused::Invalid(field, message)) => Err(Refused::Invalid(field, message)),
        });
    }
    if let Some(problem) = role_problem(upstream.as_ref(), request).await? {
        return Ok(Err(Refused::Invalid("role", problem)));
    }
    let role = request.role.trim().to_owned();
    let items: Vec<NewItem> = users
        .iter()
        .map(|user_id| NewItem { key: audit_target(user_id), input: json!({ "userId": user_id }) })
        .collect();
    let job = NewJob {
        kind: KIND,
        created_by: actor.id.clone(),
        permission: Permission::ManageRoles,
        payload: json!({
            "actorRole": actor.role,
            "action": request.action,
            "role": role,
            "reason": request.reason.summary(),
        }),
        items,
        delay: Duration::from_secs(BULK_UNDO_SECONDS),
    };
    let job_id = crate::jobs::submit(db, &job).await?;
    let total = u32::try_from(users.len()).unwrap_or(u32::MAX);
    Ok(Ok(BulkSubmitted { job_id, total, undo_seconds: BULK_UNDO_SECONDS }))
}

/// Runs one user of a role job: read their roles, write the new list, audit both.
pub struct RolesBulkHandler;

impl RolesBulkHandler {
    async fn audit(job: &JobContext<'_>, user_id: &str, outcome: audit::Outcome, change: audit::Change<'_>) {
        let action = match job.payload["action"].as_str() {
            Some("remove_role") => "user_roles_remove",
            _ => "user_roles_add",
        };
        let target = audit_target(user_id);
        let request_id = format!("job:{}", job.id);
        let entry = audit::Entry {
            actor_id: job.created_by,
            actor_role: job.payload["actorRole"].as_str(),
            action,
            target: Some(&target),
            outcome,
            request_id: Some(&request_id),
            details: json!({ "job": job.id, "role": job.payload["role"] }),
        };
        if let Err(error) = audit::append_change(job.db, &entry, &change).await {
            tracing::error!(%error, job = job.id, "auditing a bulk role change failed");
        }
    }
}

#[async_trait]
impl JobHandler for RolesBulkHandler {
    fn kind(&self) -> &'static str {
        KIND
    }

    /// Setting the same role list twice leaves it the same: an interrupted user may run again.
    fn rerun_interrupted(&self) -> bool {
        true
    }

    async fn run_item(&self, job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure> {
        // Submission needs ManageRoles and stores it; checked again so no path to the runner
        // changes roles without it.
        if job.permission != Permission::ManageRoles {
            return Err(ItemFailure::fatal("The job was not started with the manage_roles permission."));
        }
        let user_id = item.input["userId"].as_str().unwrap_or_default().to_owned();
        let action: UserBulkAction = serde_json::from_value(job.payload["action"].clone())
            .map_err(|e| ItemFailure::fatal(format!("the stored job cannot be read: {e}")))?;
        let role = job.payload["role"].as_str().unwrap_or_default();
        let reason = job.payload["reason"].as_str();
        let failed = |error: upstream::Error| {
            let fatal = matches!(error.status(), Some(401));
            ItemFailure { message: readable(&error), stop_job: fatal }
        };
        let before = match upstream_user(job.upstream, &user_id).await {
            Ok(Some(user)) => user.roles,
            Ok(None) => return Err(ItemFailure::item("This user no longer exists.")),
            Err(error) => return Err(failed(error)),
        };
        let (after, changed) = roles_after(&before, action, role);
        let roles = |list: &[String]| Some(json!({ "roles": list }));
        if !changed {
            let change = audit::Change {
                reason,
                before: roles(&before),
                after: roles(&before),
                upstream_status: None,
            };
            Self::audit(job, &user_id, audit::Outcome::Success, change).await;
            let message = if action == UserBulkAction::AddRole {
                "already had the role"
            } else {
                "did not have the role"
            };
            return Ok(ItemOutcome {
                message: Some(message.into()),
                result: Some(json!({ "roles": before })),
            });
        }
        let update = upstream::wire::UserUpdate {
            user_id: user_id.clone(),
            roles: Some(after.clone()),
            ..Default::default()
        };
        match job.upstream.send(&UpdateUser(&update)).await {
            Ok(envelope) => {
                let stored = envelope.users.into_iter().next().map(|u| u.roles).unwrap_or(after);
                let change = audit::Change {
                    reason,
                    before: roles(&before),
                    after: roles(&stored),
                    upstream_status: Some(200),
                };
                Self::audit(job, &user_id, audit::Outcome::Success, change).await;
                let message = format!(
                    "roles: {}",
                    if stored.is_empty() { "none".to_owned() } else { stored.join(", ") }
                );
                Ok(ItemOutcome {
                    message: Some(message),
                    result: Some(json!({ "before": before, "roles": stored })),
                })
            }
            Err(error) => {
                let change = audit::Change {
                    reason,
                    before: roles(&before),
                    upstream_status: error.status(),
                    ..Default::default()
                };
                Self::audit(job, &user_id, audit::Outcome::Failed, change).await;
                Err(failed(error))
            }
        }
    }
}

/// The user by id, `None` when Social+ does not know them or they are deleted.
async fn upstream_user(upstream: &Client, user_id: &str) -> Result<Option<User>, upstream::Error> {
    match upstream.send(&GetUser { user_id }).await {
        Ok(envelope) => Ok(envelope.users.into_iter().next().filter(|u| !u.is_deleted)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// A summary of the submission for the audit trail.
fn audit_summary(request: &UserBulkRequest, submitted: &BulkSubmitted) -> Value {
    json!({
        "job": submitted.job_id,
        "action": request.action,
        "role": (!request.role.trim().is_empty()).then(|| request.role.trim()),
        "users": request.users(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use types::moderation::Reason;

    fn user(roles: &[&str], banned: bool) -> User {
        User {
            user_id: "u1".into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            is_global_ban: banned,
            ..Default::default()
        }
    }

    fn request(action: UserBulkAction, role: &str) -> UserBulkRequest {
        UserBulkRequest {
            user_ids: vec!["u1".into()],
            action,
            role: role.into(),
            reason: Reason { code: "spam".into(), text: String::new() },
        }
    }

    #[test]
    fn the_preview_says_what_changes_and_what_does_not() {
        assert_eq!(
            describe(&request(UserBulkAction::AddRole, "vip"), &user(&["member"], false)),
            ("roles: member → member, vip".to_owned(), true)
        );
        assert_eq!(
            describe(&request(UserBulkAction::AddRole, "vip"), &user(&["vip"], false)),
            ("already has vip: no change".to_owned(), false)
        );
        assert_eq!(
            describe(&request(UserBulkAction::RemoveRole, "vip"), &user(&["vip"], false)),
            ("roles: vip → none".to_owned(), true)
        );
        assert!(!describe(&request(UserBulkAction::Ban, ""), &user(&[], true)).1);
        assert!(describe(&request(UserBulkAction::Unban, ""), &user(&[], true)).1);
    }

    #[test]
    fn a_user_costs_two_calls_except_a_role_change_that_changes_nothing() {
        assert_eq!(calls(UserBulkAction::AddRole, true), 2);
        assert_eq!(calls(UserBulkAction::AddRole, false), 1);
        assert_eq!(calls(UserBulkAction::Ban, false), 2);
        assert!(moderation_action(UserBulkAction::RemoveRole).is_none());
        assert_eq!(moderation_action(UserBulkAction::RevokeSessions), Some(Action::RevokeSessions));
    }
}
