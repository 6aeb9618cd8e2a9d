//! Bulk actions: the same actions and reason for many targets, run as a durable job
//! (`backend::jobs`) that waits out an undo window, goes through the upstream request budget
//! and records a result per target.
//!
//! [`resolve`] turns a selection into targets ("all matching" is every case the queue shows
//! for the moderator's own [`QueueQuery`], every page of it), [`preview`] says what will
//! change without calling Social+ for each target,
//! [`submit`] stores the job, and [`BulkHandler`] runs one target with [`super::execute`].

use super::{execute, problem};
use crate::queue::SweepCache;
use crate::{Actor, TOKEN_REFUSED};
use crate::{
    Error,
    jobs::{ItemFailure, ItemOutcome, JobContext, JobHandler, JobItem, NewItem, NewJob},
};
use async_trait::async_trait;
use serde_json::json;
use sqlx::SqlitePool;
use std::{sync::Arc, time::Duration};
use types::{
    Permission,
    moderation::{
        Action, ActionRequest, BULK_UNDO_SECONDS, BulkPreview, BulkPreviewItem, BulkRequest, BulkSelection,
        BulkSubmitted, MAX_BULK_ITEMS, StepOutcome, Target,
    },
    queue::{Case, QueueQuery},
};
use upstream::Client;

/// The job kind.
pub const KIND: &str = "moderation_bulk";

/// How many preview items are returned.
const PREVIEW_ITEMS: usize = 100;

/// The targets of `selection`, and whether "all matching" had more than [`MAX_BULK_ITEMS`].
pub async fn resolve(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    selection: &BulkSelection,
) -> Result<(Vec<Target>, bool), Error> {
    match selection {
        BulkSelection::Targets { targets } => {
            let truncated = targets.len() > MAX_BULK_ITEMS;
            Ok((targets.iter().take(MAX_BULK_ITEMS).cloned().collect(), truncated))
        }
        BulkSelection::Matching { query } => matching(upstream, sweep, db, query).await,
    }
}

/// Every case the queue lists for `query` (the filters the moderator sees), as targets.
async fn matching(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    query: &QueueQuery,
) -> Result<(Vec<Target>, bool), Error> {
    let query = query.at(None);
    let found = crate::queue::matching(upstream, sweep, db, &query, crate::queue::now()).await?;
    let truncated = found.cases.len() > MAX_BULK_ITEMS;
    Ok((found.cases.iter().take(MAX_BULK_ITEMS).map(Case::target).collect(), truncated))
}

/// The request for one target.
fn item_request(request: &BulkRequest, target: &Target) -> ActionRequest {
    ActionRequest { target: target.clone(), actions: request.actions.clone(), reason: request.reason.clone() }
}

/// At most how many upstream calls one target costs: its look-up, its author's look-up for
/// user actions on content, and one per action that calls Social+.
fn calls_per_target(request: &BulkRequest, target: &Target) -> u32 {
    let author =
        matches!(target, Target::Content { .. }) && request.actions.iter().any(Action::is_user_action);
    let calls = request.actions.iter().filter(|a| !matches!(a, Action::Warn { .. })).count();
    1 + u32::from(author) + u32::try_from(calls).unwrap_or(u32::MAX)
}

/// What `request` would do, without calling Social+ for each target.
pub async fn preview(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    request: &BulkRequest,
) -> Result<BulkPreview, Error> {
    let (targets, truncated) = resolve(upstream, sweep, db, &request.selection).await?;
    let mut preview = BulkPreview { truncated, ..Default::default() };
    for target in &targets {
        let item = item_request(request, target);
        let problem = problem(&item).map(|(_, message)| message);
        preview.problems += u32::from(problem.is_some());
        preview.upstream_calls = preview.upstream_calls.saturating_add(calls_per_target(request, target));
        if preview.items.len() < PREVIEW_ITEMS {
            let change =
                request.actions.iter().map(|a| super::execute::describe(a, target)).collect::<Vec<_>>();
            preview.items.push(BulkPreviewItem {
                target: target.clone(),
                change: change.join(", then "),
                problem,
            });
        }
    }
    preview.total = u32::try_from(targets.len()).unwrap_or(u32::MAX);
    Ok(preview)
}

/// The permission a job of these actions records (reading or cancelling it needs it too).
pub fn job_permission(actions: &[Action]) -> Permission {
    let needed: Vec<Permission> = actions.iter().map(Action::permission).collect();
    [Permission::DeletePermanently, Permission::BanUsers, Permission::ModerateContent]
        .into_iter()
        .find(|p| needed.contains(p))
        .unwrap_or(Permission::ModerateContent)
}

/// A submission that cannot run.
#[derive(Debug)]
pub(crate) enum Refused {
    /// Nothing matched.
    Empty,
    /// Some targets cannot run: the first one's problem.
    Invalid(&'static str, String),
}

/// A moderator's bulk action, as one use-case: checks the reason, stores the job (it starts
/// after [`BULK_UNDO_SECONDS`], so it can be undone) and audits it as `submit_bulk`. The
/// caller has checked the permissions of its actions.
pub async fn submit(
    services: &crate::Services,
    actor: &Actor,
    request: &BulkRequest,
) -> Result<BulkSubmitted, Error> {
    if let Some(problem) = request.reason.problem() {
        return Err(Error::invalid("reason", problem));
    }
    let stored = store(&services.upstream, &services.queue_sweep, &services.db, actor, request).await?;
    let submitted = match stored {
        Ok(submitted) => submitted,
        Err(Refused::Empty) => return Err(Error::invalid("selection", "Nothing is selected.")),
        Err(Refused::Invalid(field, message)) => return Err(Error::invalid(field, message)),
    };
    let change = crate::audit::Change {
        reason: Some(&request.reason.summary()),
        after: Some(json!({ "job": submitted.job_id, "targets": submitted.total })),
        ..Default::default()
    };
    let outcome = crate::audit::Outcome::Success;
    crate::audit::record(&services.db, actor, "submit_bulk", Some(&submitted.job_id), outcome, change).await;
    Ok(submitted)
}

/// Stores the job (it starts after [`BULK_UNDO_SECONDS`]); `Ok(Err(_))` when it cannot run.
pub(crate) async fn store(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    actor: &Actor,
    request: &BulkRequest,
) -> Result<Result<BulkSubmitted, Refused>, Error> {
    let (targets, _) = resolve(upstream, sweep, db, &request.selection).await?;
    if targets.is_empty() {
        return Ok(Err(Refused::Empty));
    }
    let mut items = Vec::with_capacity(targets.len());
    for target in &targets {
        let item = item_request(request, target);
        if let Some((field, message)) = problem(&item) {
            return Ok(Err(Refused::Invalid(field, format!("{}: {message}", target.key()))));
        }
        items.push(NewItem { key: target.key(), input: serde_json::to_value(&item).unwrap_or_default() });
    }
    let job = NewJob {
        kind: KIND,
        created_by: actor.id.clone(),
        permission: job_permission(&request.actions),
        payload: json!({ "actorRole": actor.role, "actions": request.actions.iter().map(Action::code).collect::<Vec<_>>() }),
        items,
        delay: Duration::from_secs(BULK_UNDO_SECONDS),
    };
    let job_id = crate::jobs::submit(db, &job).await?;
    let total = u32::try_from(targets.len()).unwrap_or(u32::MAX);
    Ok(Ok(BulkSubmitted { job_id, total, undo_seconds: BULK_UNDO_SECONDS }))
}

/// Runs one target of a bulk job.
pub struct BulkHandler;

#[async_trait]
impl JobHandler for BulkHandler {
    fn kind(&self) -> &'static str {
        KIND
    }

    /// A target caught mid-call is not re-run: a warning would be recorded twice and a
    /// repeated delete would report "no longer exists". It is reported failed instead.
    fn rerun_interrupted(&self) -> bool {
        false
    }

    async fn run_item(&self, job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure> {
        let request: ActionRequest = serde_json::from_value(item.input.clone())
            .map_err(|e| ItemFailure::item(format!("the stored item cannot be read: {e}")))?;
        let actor = Actor {
            id: job.created_by.to_owned(),
            role: job.payload["actorRole"].as_str().map(str::to_owned),
            request_id: Some(format!("job:{}", job.id)),
            // Authorized when the job was submitted.
            access: None,
        };
        let report = execute(job.upstream, job.db, &actor, &request).await.map_err(|error| {
            tracing::error!(%error, job = job.id, "a bulk moderation item failed in the console");
            ItemFailure::item("The console could not record this action; see the server log.")
        })?;
        let applied: Vec<&str> = report
            .steps
            .iter()
            .filter(|s| s.outcome == StepOutcome::Succeeded && s.action != "look_up")
            .map(|s| s.label.as_str())
            .collect();
        match report.failure() {
            None => Ok(ItemOutcome {
                message: Some(applied.join("; ")),
                result: Some(json!({ "actionRecord": report.record_id })),
            }),
            Some(failure) => {
                let message = match applied.as_slice() {
                    [] => failure.to_owned(),
                    done => format!("{failure} (already applied: {})", done.join("; ")),
                };
                // Without a working admin token no other target can succeed either.
                let fatal = failure.starts_with(TOKEN_REFUSED);
                Err(ItemFailure { message, stop_job: fatal })
            }
        }
    }
}
