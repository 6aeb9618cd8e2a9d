//! Server functions for any job kind. A job records the permission its creator needed; after
//! the general `ViewUsers` check (jobs are part of user management) each function requires
//! that same permission, so a viewer cannot read or stop a bulk ban or an import.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::jobs::{JobItemView, JobItemsQuery, JobView};

/// The job with the caller authorized for its kind.
#[cfg(feature = "ssr")]
async fn authorize(job_id: &str) -> Result<(crate::ctx::Ctx, JobView), AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewUsers)?;
    let job = backend::jobs::get(&ctx.services.db, job_id).await.map_err(|e| ctx.fail(e))?;
    let Some(job) = job else {
        return Err(ctx.not_found(format!("Job “{job_id}”")));
    };
    let ctx = crate::ctx::require(job.permission)?;
    Ok((ctx, job))
}

/// A job's state and progress counts (polled by the progress bar).
#[server(endpoint = "get_job", input = Json)]
pub async fn get_job(job_id: String) -> Result<JobView, AppError> {
    let (_, job) = authorize(&job_id).await?;
    Ok(job)
}

/// A page of a job's items with their outcomes, optionally only one status (e.g. the failed).
#[server(endpoint = "list_job_items", input = Json)]
pub async fn list_job_items(job_id: String, query: JobItemsQuery) -> Result<Vec<JobItemView>, AppError> {
    let (ctx, _) = authorize(&job_id).await?;
    backend::jobs::items(&ctx.services.db, &job_id, &query).await.map_err(|e| ctx.fail(e))
}

/// Cancels a job: within its undo window nothing of it happens; while it runs it stops
/// before the next item. Only its creator or a senior role may. A form post, so the Cancel button works before hydration too.
#[server(endpoint = "cancel_job")]
pub async fn cancel_job(job_id: String) -> Result<JobView, AppError> {
    use backend::{
        audit::{Change, Outcome},
        jobs::CancelOutcome,
    };
    use serde_json::json;
    let (ctx, before) = authorize(&job_id).await?;
    if !backend::jobs::may_cancel(&before, &ctx.user) {
        let change = Change { reason: Some("not the job's creator"), ..Change::default() };
        ctx.record("cancel_job", Some(&job_id), Outcome::Denied, change).await;
        let why =
            format!("Only {} (who started it) or a senior moderator can cancel this job.", before.created_by);
        return Err(ctx.invalid("job_id", why));
    }
    let outcome =
        backend::jobs::cancel(&ctx.services.db, &job_id, &ctx.actor.id).await.map_err(|e| ctx.fail(e))?;
    let after = backend::jobs::get(&ctx.services.db, &job_id)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.not_found(format!("Job “{job_id}”")))?;
    let (audit_outcome, reason) = match outcome {
        CancelOutcome::CancelledBeforeStart => (Outcome::Success, "cancelled within the undo window"),
        CancelOutcome::StoppedWhileRunning => (Outcome::Success, "stopped while running"),
        CancelOutcome::AlreadyFinished(_) | CancelOutcome::NotFound => {
            (Outcome::Failed, "it had already finished")
        }
    };
    let summary = |job: &JobView| json!({ "kind": job.kind, "state": job.state, "counts": job.counts });
    let change = Change {
        reason: Some(reason),
        before: Some(summary(&before)),
        after: Some(summary(&after)),
        upstream_status: None,
    };
    ctx.record("cancel_job", Some(&job_id), audit_outcome, change).await;
    if let CancelOutcome::AlreadyFinished(state) = outcome {
        return Err(ctx.invalid("job_id", format!("This job has already finished ({}).", state.as_str())));
    }
    Ok(after)
}
