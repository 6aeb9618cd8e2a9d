//! Server functions of moderation actions. JSON in and out (a JSON body is not a
//! CORS-safelisted request, so another site cannot make a browser send one).
//!
//! `apply_action` checks the permission of every action it is asked for: content actions
//! need `ModerateContent`, user actions `BanUsers`, a permanent delete `DeletePermanently`.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::moderation::{
    ActionRecord, ActionReport, ActionRequest, BulkPreview, BulkRequest, BulkSubmitted, ReviewedQuery,
    UserSanctions,
};

/// Runs `request`'s actions in order on its target and reports each step. A failed step
/// stops the rest (reported as skipped); the report is the answer either way.
#[server(endpoint = "apply_action", input = Json)]
pub async fn apply_action(request: ActionRequest) -> Result<ActionReport, AppError> {
    let ctx = require_all(&request)?;
    Ok(backend::moderation::apply(&ctx.services, &ctx.actor, request).await?)
}

/// What a bulk action would change (no call to Social+ per target; "all matching" reads the
/// queue for the moderator's own query). Needs the permissions of its actions.
#[server(endpoint = "preview_bulk", input = Json)]
pub async fn preview_bulk(request: BulkRequest) -> Result<BulkPreview, AppError> {
    let ctx = require_actions(&request.actions)?;
    let services = &ctx.services;
    backend::moderation::bulk::preview(&services.upstream, &services.queue_sweep, &services.db, &request)
        .await
        .map_err(|e| ctx.fail(e))
}

/// Submits a bulk action as a job that starts after the undo window
/// ([`types::moderation::BULK_UNDO_SECONDS`]). Follow it with `get_job` / `list_job_items`;
/// `cancel_job` before it starts undoes it.
#[server(endpoint = "submit_bulk", input = Json)]
pub async fn submit_bulk(request: BulkRequest) -> Result<BulkSubmitted, AppError> {
    let ctx = require_actions(&request.actions)?;
    Ok(backend::moderation::bulk::submit(&ctx.services, &ctx.actor, &request).await?)
}

/// The console's timed bans and warnings of a user (the ban state Social+ reports is on the
/// user itself).
#[server(endpoint = "get_user_sanctions", input = Json)]
pub async fn get_user_sanctions(user_id: String) -> Result<UserSanctions, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewUsers)?;
    let db = &ctx.services.db;
    let timed_bans =
        backend::moderation::bans::of_user(db, &user_id).await.map_err(|e| ctx.fail(e.into()))?;
    let warnings =
        backend::moderation::warnings::of_user(db, &user_id).await.map_err(|e| ctx.fail(e.into()))?;
    Ok(UserSanctions { timed_bans, warnings })
}

/// The Reviewed tab: action records, newest first, filtered by moderator, action and date.
#[server(endpoint = "list_reviewed", input = Json)]
pub async fn list_reviewed(query: ReviewedQuery) -> Result<Vec<ActionRecord>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    match backend::moderation::records::reviewed(&ctx.services.db, &query).await {
        Ok(Ok(records)) => Ok(records),
        Ok(Err(problem)) => Err(ctx.invalid("date", problem)),
        Err(error) => Err(ctx.fail(error)),
    }
}

/// Checks the permission of each action (the first refusal answers 403 and is audited).
#[cfg(feature = "ssr")]
fn require_all(request: &ActionRequest) -> Result<crate::ctx::Ctx, AppError> {
    require_actions(&request.actions)
}

/// Checks the permission of each of `actions`.
#[cfg(feature = "ssr")]
fn require_actions(actions: &[types::moderation::Action]) -> Result<crate::ctx::Ctx, AppError> {
    let mut permissions = actions.iter().map(|a| a.permission());
    let ctx = crate::ctx::require(permissions.next().unwrap_or(types::Permission::ModerateContent))?;
    for permission in permissions.filter(|p| !ctx.actor.can(*p)) {
        crate::ctx::require(permission)?;
    }
    Ok(ctx)
}
