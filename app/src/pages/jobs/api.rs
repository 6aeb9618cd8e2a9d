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
    let (ctx, job) = authorize(&job_id).await?;
    Ok(backend::jobs::cancel_for(&ctx.services.db, &ctx.actor, &job).await?)
}
