//! Server functions of the Users table's bulk actions. JSON in and out (a JSON body is not a
//! CORS-safelisted request, so another site cannot make a browser send one).
//!
//! Ban, unban and revoke sessions need `BanUsers`; adding or removing a role `ManageRoles`.
//! The job that runs them is followed with `get_job` / `list_job_items` and undone with
//! `cancel_job` within its undo window.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::{
    moderation::BulkSubmitted,
    users::bulk::{UserBulkPreview, UserBulkRequest},
};

/// What the bulk action would change for each selected user, and how many upstream calls.
#[server(endpoint = "preview_user_bulk", input = Json)]
pub async fn preview_user_bulk(request: UserBulkRequest) -> Result<UserBulkPreview, AppError> {
    let ctx = crate::ctx::require(request.action.permission())?;
    if let Some((field, message)) = request.problem() {
        return Err(ctx.invalid(field, message));
    }
    backend::users::bulk::preview(ctx.services.upstream.as_ref(), &request).await.map_err(|e| ctx.fail(e))
}

/// Submits the bulk action as a job that starts after the undo window.
#[server(endpoint = "submit_user_bulk", input = Json)]
pub async fn submit_user_bulk(request: UserBulkRequest) -> Result<BulkSubmitted, AppError> {
    use backend::users::bulk::{self, Refused};
    let ctx = crate::ctx::require(request.action.permission())?;
    if let Some((field, message)) = request.problem() {
        return Err(ctx.invalid(field, message));
    }
    let actor = ctx.actor.clone();
    let services = &ctx.services;
    match bulk::submit(&services.upstream, &services.queue_sweep, &services.db, &actor, &request).await {
        Ok(Ok(submitted)) => {
            let change = backend::audit::Change {
                reason: Some(&request.reason.summary()),
                after: Some(bulk::audit_summary(&request, &submitted)),
                ..Default::default()
            };
            ctx.record("submit_user_bulk", Some(&submitted.job_id), backend::audit::Outcome::Success, change)
                .await;
            Ok(submitted)
        }
        Ok(Err(Refused::Invalid(field, message))) => Err(ctx.invalid(field, message)),
        Err(error) => Err(ctx.fail(error)),
    }
}
