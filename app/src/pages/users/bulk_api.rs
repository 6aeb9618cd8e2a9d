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
    let ctx = crate::ctx::require(request.action.permission())?;
    Ok(backend::users::bulk::submit(&ctx.services, &ctx.actor, &request).await?)
}
