//! Running an action request: look the target up, do each action in order, audit each step.
//!
//! Every step is one upstream call or one stored record, audited with the target's state
//! before and after and the upstream status. The first failure stops the request: the later
//! steps are reported `Skipped`, so the report says exactly what was applied.

use super::{bans, records, snapshot, warnings};
use crate::{Actor, explain as readable};
use crate::{Error, audit};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use types::moderation::{
    Action, ActionReport, ActionRequest, BanScope, ContentKind, MAX_WARNING_CHARS, Step, StepOutcome, Target,
    WARNING_TEMPLATES,
};
use upstream::Client;
use upstream::endpoints::{
    comments::{ClearCommentFlags, DeleteComment, GetComment},
    communities::{BanCommunityMembers, UnbanCommunityMembers},
    messages::{ClearMessageFlags, DeleteMessage},
    posts::{ApprovePost, ClearPostFlags, DeclinePost, DeletePost, GetPost, SoftDeletePost},
    sessions::RevokeAllUserTokens,
    users::{BanUser, ClearUserFlags, GetUser, UnbanUser},
};

/// The most actions one request may chain.
const MAX_ACTIONS: usize = 6;

/// What is wrong with a request, as (field, sentence); `None` when it can run.
pub fn problem(request: &ActionRequest) -> Option<(&'static str, String)> {
    if request.actions.is_empty() {
        return Some(("actions", "Choose an action.".into()));
    }
    if request.actions.len() > MAX_ACTIONS {
        return Some(("actions", format!("Choose at most {MAX_ACTIONS} actions at once.")));
    }
    if let Some(problem) = request.reason.problem() {
        return Some(("reason", problem));
    }
    let (target_id, kind) = match &request.target {
        Target::Content { kind, id } => (id, Some(*kind)),
        Target::User { id } => (id, None),
    };
    if target_id.trim().is_empty() {
        return Some(("target", "Choose what to act on.".into()));
    }
    for action in &request.actions {
        match action {
            Action::Approve | Action::Decline if kind != Some(ContentKind::Post) => {
                return Some(("actions", "Only posts wait for approval.".into()));
            }
            Action::Delete { .. } if kind.is_none() => {
                return Some(("actions", "Users are deleted from their page in Users, not here.".into()));
            }
            _ if action.is_user_action() && kind == Some(ContentKind::Message) => {
                return Some((
                    "actions",
                    "Social+ does not say who wrote a message by its id: act on the sender as a user.".into(),
                ));
            }
            Action::Ban { scope, until } => {
                if let Some(problem) = scope_problem(scope) {
                    return Some(("scope", problem));
                }
                if let Some(problem) = until.as_deref().and_then(until_problem) {
                    return Some(("until", problem));
                }
            }
            Action::Unban { scope } => {
                if let Some(problem) = scope_problem(scope) {
                    return Some(("scope", problem));
                }
            }
            Action::Warn { template, message } => {
                if !WARNING_TEMPLATES.iter().any(|t| t.code == template) {
                    return Some(("template", format!("“{template}” is not a warning template.")));
                }
                if message.trim().is_empty() {
                    return Some(("message", "Write the warning's message.".into()));
                }
                if message.chars().count() > MAX_WARNING_CHARS {
                    return Some((
                        "message",
                        format!("Keep the warning under {MAX_WARNING_CHARS} characters."),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// A community scope needs a community.
fn scope_problem(scope: &BanScope) -> Option<String> {
    match scope {
        BanScope::Community { id } if id.trim().is_empty() => Some("Choose the community.".into()),
        _ => None,
    }
}

/// A ban's end must be a future RFC 3339 time.
fn until_problem(until: &str) -> Option<String> {
    match OffsetDateTime::parse(until, &Rfc3339) {
        Ok(end) if end > OffsetDateTime::now_utc() => None,
        Ok(_) => Some("The ban's end must be in the future.".into()),
        Err(_) => Some(format!("“{until}” is not a time like 2026-12-01T10:00:00Z.")),
    }
}

/// Runs `request` (validate it with [`problem`] first) and answers what happened.
pub async fn execute(
    upstream: &Client,
    db: &SqlitePool,
    actor: &Actor,
    request: &ActionRequest,
) -> Result<ActionReport, Error> {
    let record_id = records::start(db, actor, request).await?;
    let mut run = Run { upstream, db, actor, record_id, reason: request.reason.summary(), steps: Vec::new() };
    let needs_user = request.actions.iter().any(Action::is_user_action);
    let looked_up = run.look_up(&request.target, needs_user).await?;
    let subject = looked_up.as_ref().and_then(|l| l.subject.clone());
    for action in &request.actions {
        match (&looked_up, &subject) {
            (None, _) => run.push(action.code(), describe(action, &request.target), StepOutcome::Skipped),
            (Some(found), Some(user_id)) if action.is_user_action() => {
                run.user_action(user_id, found, action).await?;
            }
            (Some(_), None) if action.is_user_action() => {
                let message = "Social+ did not say who wrote it, so the author cannot be sanctioned.".into();
                run.push(
                    action.code(),
                    format!("{} the author", verb(action)),
                    StepOutcome::Failed { message },
                );
            }
            (Some(found), _) => run.content_action(&request.target, found, action).await?,
        }
        if run.failed() {
            // Everything after the first failure is skipped, not attempted.
            let rest = request.actions.iter().skip_while(|a| *a != action).skip(1);
            for later in rest {
                run.push(later.code(), describe(later, &request.target), StepOutcome::Skipped);
            }
            break;
        }
    }
    let settled = !run.failed();
    let report = ActionReport { record_id, steps: run.steps };
    records::finish(db, record_id, subject.as_deref(), request, &report).await?;
    if settled {
        // A case a rule opened is done once a moderator's action on it went through.
        let (kind, id) = match &request.target {
            Target::Content { kind, id } => (kind.as_str(), id.as_str()),
            Target::User { id } => ("user", id.as_str()),
        };
        crate::rules::cases::close(db, kind, id).await?;
    }
    Ok(report)
}

/// What the look-up found: the target's state and the user concerned.
struct LookedUp {
    /// The target's state.
    before: Option<Value>,
    /// The user concerned's state, when user actions follow.
    user_before: Option<Value>,
    subject: Option<String>,
}

struct Run<'a> {
    upstream: &'a Client,
    db: &'a SqlitePool,
    actor: &'a Actor,
    record_id: i64,
    reason: String,
    steps: Vec<Step>,
}

impl Run<'_> {
    fn failed(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.outcome, StepOutcome::Failed { .. } | StepOutcome::Skipped))
    }

    fn push(&mut self, action: &str, label: String, outcome: StepOutcome) {
        self.steps.push(Step { action: action.to_owned(), label, outcome });
    }

    /// Records a step and audits it. `after` is the state the upstream answered (or set).
    async fn record(
        &mut self,
        action: &str,
        target: &str,
        label: String,
        before: Option<Value>,
        result: Result<Value, upstream::Error>,
    ) -> Result<(), Error> {
        let (outcome, after, status, audited) = match result {
            Ok(after) => (StepOutcome::Succeeded, Some(after), Some(200), audit::Outcome::Success),
            Err(error) => {
                tracing::warn!(%error, action, target, "moderation step failed");
                let message = readable(&error);
                (StepOutcome::Failed { message }, None, error.status(), audit::Outcome::Failed)
            }
        };
        self.audit(action, target, &label, &outcome, before, after, status, audited).await?;
        self.push(action, label, outcome);
        Ok(())
    }

    /// Records a step that stores something in the console's database.
    async fn record_local(
        &mut self,
        action: &str,
        target: &str,
        label: String,
        stored: Result<Value, sqlx::Error>,
    ) -> Result<(), Error> {
        let (outcome, after, audited) = match stored {
            Ok(after) => (StepOutcome::Succeeded, Some(after), audit::Outcome::Success),
            Err(error) => {
                let incident = self.actor.request_id.clone().unwrap_or_default();
                tracing::error!(%error, incident, "storing a moderation record failed");
                let message =
                    format!("The console could not store this (incident {incident}); it is not in effect.");
                (StepOutcome::Failed { message }, None, audit::Outcome::Failed)
            }
        };
        self.audit(action, target, &label, &outcome, None, after, None, audited).await?;
        self.push(action, label, outcome);
        Ok(())
    }

    #[expect(clippy::too_many_arguments, reason = "one audit entry has this many parts")]
    async fn audit(
        &self,
        action: &str,
        target: &str,
        label: &str,
        outcome: &StepOutcome,
        before: Option<Value>,
        after: Option<Value>,
        upstream_status: Option<u16>,
        audited: audit::Outcome,
    ) -> Result<(), Error> {
        let error = match outcome {
            StepOutcome::Failed { message } => Some(message.as_str()),
            _ => None,
        };
        let entry = audit::Entry {
            actor_id: &self.actor.id,
            actor_role: self.actor.role.as_deref(),
            action,
            target: Some(target),
            outcome: audited,
            request_id: self.actor.request_id.as_deref(),
            details: json!({ "actionRecord": self.record_id, "step": label, "error": error }),
        };
        let change = audit::Change { reason: Some(&self.reason), before, after, upstream_status };
        audit::append_change(self.db, &entry, &change).await?;
        Ok(())
    }

    /// Reads the target and, for user actions, the user concerned (for content: its author).
    /// A failed look-up is a failed step and answers `None`; reads are reported, not audited.
    async fn look_up(&mut self, target: &Target, needs_user: bool) -> Result<Option<LookedUp>, Error> {
        let upstream = self.upstream;
        let found = match target {
            Target::Content { kind: ContentKind::Post, id } => {
                upstream.send(&GetPost { post_id: id }).await.map(|env| snapshot::post(&env, id))
            }
            Target::Content { kind: ContentKind::Comment, id } => {
                upstream.send(&GetComment { comment_id: id }).await.map(|env| snapshot::comment(&env, id))
            }
            // Messages cannot be read by id; their actions report the upstream's answer.
            Target::Content { kind: ContentKind::Message, .. } => {
                return Ok(Some(LookedUp { before: None, user_before: None, subject: None }));
            }
            Target::User { id } => self.user(id).await.map(|user| user.map(|v| (v, Some(id.clone())))),
        };
        let Some((before, subject)) = self.found(format!("Look up {}", name(target)), found) else {
            return Ok(None);
        };
        let user_before = match (target, &subject) {
            (Target::User { .. }, _) => Some(before.clone()),
            (Target::Content { .. }, Some(author)) if needs_user => {
                let user = self.user(author).await.map(|user| user.map(|v| (v, None::<String>)));
                match self.found(format!("Look up the author, user {author}"), user) {
                    Some((user, _)) => Some(user),
                    None => return Ok(None),
                }
            }
            _ => None,
        };
        Ok(Some(LookedUp { before: Some(before), user_before, subject }))
    }

    async fn user(&self, id: &str) -> Result<Option<Value>, upstream::Error> {
        let envelope = self.upstream.send(&GetUser { user_id: id }).await?;
        Ok(envelope.users.iter().find(|u| u.user_id == id).map(snapshot::user))
    }

    /// Reports a look-up step; the found value, if any.
    fn found<T>(&mut self, label: String, found: Result<Option<T>, upstream::Error>) -> Option<T> {
        let (outcome, value) = match found {
            Ok(Some(value)) => (StepOutcome::Succeeded, Some(value)),
            Ok(None) => {
                let message = "Social+ did not return it: it may have been deleted.".to_owned();
                (StepOutcome::Failed { message }, None)
            }
            Err(error) => (StepOutcome::Failed { message: readable(&error) }, None),
        };
        self.push("look_up", label, outcome);
        value
    }

    async fn content_action(
        &mut self,
        target: &Target,
        found: &LookedUp,
        action: &Action,
    ) -> Result<(), Error> {
        let upstream = self.upstream;
        let key = target.key();
        let label = describe(action, target);
        let before = found.before.clone();
        let result: Result<Value, upstream::Error> = match (target, action) {
            (Target::User { id }, Action::ClearFlags) => {
                upstream.send(&ClearUserFlags { user_id: id }).await.map(|user| snapshot::user(&user))
            }
            (Target::Content { kind: ContentKind::Post, id }, Action::ClearFlags) => {
                upstream.send(&ClearPostFlags { post_id: id }).await.map(|env| post_after(&env, id))
            }
            (Target::Content { kind: ContentKind::Comment, id }, Action::ClearFlags) => upstream
                .send(&ClearCommentFlags { comment_id: id })
                .await
                .map(|env| snapshot::comment(&env, id).map(|(v, _)| v).unwrap_or(json!({ "flagCount": 0 }))),
            (Target::Content { kind: ContentKind::Message, id }, Action::ClearFlags) => upstream
                .send(&ClearMessageFlags { message_id: id })
                .await
                .map(|_| json!({ "messageId": id, "flagCount": 0 })),
            (Target::Content { kind, id }, Action::Delete { permanent }) => {
                let permanent = *permanent;
                let done = match kind {
                    ContentKind::Post if permanent => {
                        upstream.send(&DeletePost { post_id: id, permanent }).await.map(|_| ())
                    }
                    ContentKind::Post => upstream.send(&SoftDeletePost { post_id: id }).await.map(|_| ()),
                    ContentKind::Comment => {
                        upstream.send(&DeleteComment { comment_id: id, permanent }).await.map(|_| ())
                    }
                    ContentKind::Message => {
                        upstream.send(&DeleteMessage { message_id: id, permanent }).await.map(|_| ())
                    }
                };
                done.map(|()| json!({ "isDeleted": true, "permanent": permanent }))
            }
            (Target::Content { kind: ContentKind::Post, id }, Action::Approve) => {
                upstream.send(&ApprovePost { post_id: id }).await.map(|env| post_after(&env, id))
            }
            (Target::Content { kind: ContentKind::Post, id }, Action::Decline) => {
                upstream.send(&DeclinePost { post_id: id }).await.map(|env| post_after(&env, id))
            }
            _ => {
                // `problem` refuses these combinations; reaching here is a caller bug.
                let message = "This action does not apply to this target.".to_owned();
                self.push(action.code(), label, StepOutcome::Failed { message });
                return Ok(());
            }
        };
        self.record(action.code(), &key, label, before, result).await
    }

    async fn user_action(&mut self, user_id: &str, found: &LookedUp, action: &Action) -> Result<(), Error> {
        let upstream = self.upstream;
        let key = format!("user:{user_id}");
        let label = describe(action, &Target::User { id: user_id.to_owned() });
        let before = found.user_before.clone();
        let db = self.db;
        match action {
            Action::Ban { scope, until } => {
                // A new decision replaces any pending lift in this scope.
                bans::supersede(db, user_id, scope).await?;
                let result = ban(upstream, user_id, scope, true).await;
                let applied = result.is_ok();
                self.record(action.code(), &key, label, before, result).await?;
                if let (true, Some(until)) = (applied, until) {
                    let end = OffsetDateTime::parse(until, &Rfc3339).map(|t| t.unix_timestamp()).unwrap_or(0);
                    let stored = bans::schedule(db, user_id, scope, end, &self.actor.id, self.record_id)
                        .await
                        .map(|id| json!({ "timedBanId": id, "until": until, "scope": scope.key() }));
                    let label = format!("Schedule the end of the ban at {until}");
                    self.record_local("schedule_unban", &key, label, stored).await?;
                }
                Ok(())
            }
            Action::Unban { scope } => {
                bans::supersede(db, user_id, scope).await?;
                let result = ban(upstream, user_id, scope, false).await;
                self.record(action.code(), &key, label, before, result).await
            }
            Action::Warn { template, message } => {
                let stored = warnings::record(
                    db,
                    user_id,
                    template,
                    message,
                    &self.reason,
                    &self.actor.id,
                    self.record_id,
                )
                .await
                .map(|id| json!({ "warningId": id, "template": template }));
                self.record_local(action.code(), &key, label, stored).await
            }
            Action::RevokeSessions => {
                let result = upstream
                    .send(&RevokeAllUserTokens { user_id })
                    .await
                    .map(|done| json!({ "sessionsRevoked": done.success }));
                self.record(action.code(), &key, label, None, result).await
            }
            _ => Ok(()),
        }
    }
}

/// Bans (`on`) or unbans `user_id` in `scope`; the answer is the state it set.
async fn ban(upstream: &Client, user_id: &str, scope: &BanScope, on: bool) -> Result<Value, upstream::Error> {
    let users = [user_id.to_owned()];
    match (scope, on) {
        (BanScope::Global, true) => {
            upstream.send(&BanUser { user_id }).await.map(|()| json!({ "isGlobalBan": true }))
        }
        (BanScope::Global, false) => {
            upstream.send(&UnbanUser { user_id }).await.map(|()| json!({ "isGlobalBan": false }))
        }
        (BanScope::Community { id }, true) => upstream
            .send(&BanCommunityMembers { community_id: id, user_ids: &users })
            .await
            .map(|_| json!({ "communityId": id, "isBanned": true })),
        (BanScope::Community { id }, false) => upstream
            .send(&UnbanCommunityMembers { community_id: id, user_ids: &users })
            .await
            .map(|_| json!({ "communityId": id, "isBanned": false })),
    }
}

fn post_after(envelope: &upstream::wire::PostEnvelope, id: &str) -> Value {
    snapshot::post(envelope, id).map(|(v, _)| v).unwrap_or(json!({ "postId": id }))
}

fn name(target: &Target) -> String {
    match target {
        Target::Content { kind, id } => format!("{} {id}", kind.as_str()),
        Target::User { id } => format!("user {id}"),
    }
}

fn verb(action: &Action) -> &'static str {
    match action {
        Action::ClearFlags => "Clear the flags of",
        Action::Delete { permanent: false } => "Delete",
        Action::Delete { permanent: true } => "Permanently delete",
        Action::Approve => "Approve",
        Action::Decline => "Decline",
        Action::Ban { .. } => "Ban",
        Action::Unban { .. } => "Lift the ban of",
        Action::Warn { .. } => "Warn",
        Action::RevokeSessions => "Sign out everywhere:",
    }
}

/// "Ban user ann in community c1 until …", for the report and the audit trail.
pub(super) fn describe(action: &Action, target: &Target) -> String {
    let base = format!("{} {}", verb(action), name(target));
    match action {
        Action::Ban { scope, until } => {
            let scope = match scope {
                BanScope::Global => "everywhere".to_owned(),
                BanScope::Community { id } => format!("in community {id}"),
            };
            match until {
                Some(until) => format!("{base} {scope} until {until}"),
                None => format!("{base} {scope}"),
            }
        }
        Action::Unban { scope: BanScope::Community { id } } => format!("{base} in community {id}"),
        _ => base,
    }
}
