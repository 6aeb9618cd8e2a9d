//! Server functions of moderation actions. JSON in and out (a JSON body is not a
//! CORS-safelisted request, so another site cannot make a browser send one).
//!
//! `apply_action` checks the permission of every action it is asked for: content actions
//! need `ModerateContent`, user actions `BanUsers`, a permanent delete `DeletePermanently`.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::moderation::{ActionRecord, ActionReport, ActionRequest, ReviewedQuery, UserSanctions};

/// Runs `request`'s actions in order on its target and reports each step. A failed step
/// stops the rest (reported as skipped); the report is the answer either way.
#[server(endpoint = "apply_action", input = Json)]
pub async fn apply_action(request: ActionRequest) -> Result<ActionReport, AppError> {
    let ctx = require_all(&request)?;
    if let Some((field, message)) = backend::moderation::problem(&request) {
        return Err(ctx.invalid(field, message));
    }
    backend::moderation::execute(&ctx.services, &actor(&ctx), &request).await.map_err(|e| ctx.fail(e))
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
    let mut permissions = request.actions.iter().map(|a| a.permission());
    let ctx = crate::ctx::require(permissions.next().unwrap_or(types::Permission::ModerateContent))?;
    for permission in permissions.filter(|p| !ctx.actor.can(*p)) {
        crate::ctx::require(permission)?;
    }
    Ok(ctx)
}

/// The caller as the moderation records name them.
#[cfg(feature = "ssr")]
pub fn actor(ctx: &crate::ctx::Ctx) -> backend::moderation::Actor {
    backend::moderation::Actor {
        id: ctx.actor.id.clone(),
        role: Some(ctx.actor.role.as_str().to_owned()),
        request_id: Some(ctx.request_id.clone()),
    }
}
