//! Server functions of appeals. Filing needs `BanUsers` (staff entering what a member sent
//! them); reading and deciding need `DecideAppeals`. The rule that the moderator who acted
//! may not decide is enforced in `backend::moderation::appeals::decide`.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::moderation::{Appeal, AppealDecided};

/// Files a user's appeal against their latest ban or warning (audited).
#[server(endpoint = "file_appeal")]
pub async fn file_appeal(user_id: String, message: String) -> Result<Appeal, AppError> {
    use backend::moderation::appeals::{Refused, Source, file};
    let ctx = crate::ctx::require(types::Permission::BanUsers)?;
    let user_id = user_id.trim();
    if user_id.is_empty() {
        return Err(ctx.invalid("user_id", "Enter the user's id.".into()));
    }
    match file(&ctx.services.db, user_id, &message, Source::Staff(&ctx.actor.id)).await {
        Ok(Ok(appeal)) => Ok(appeal),
        Ok(Err(Refused(why))) => Err(ctx.invalid("appeal", why)),
        Err(error) => Err(ctx.fail(error)),
    }
}

/// Appeals, newest first; `status` = `open`, `accepted` or `rejected` (empty = all).
#[server(endpoint = "list_appeals", input = Json)]
pub async fn list_appeals(status: String) -> Result<Vec<Appeal>, AppError> {
    let ctx = crate::ctx::require(types::Permission::DecideAppeals)?;
    let status = Some(status.as_str()).filter(|s| !s.is_empty());
    backend::moderation::appeals::list(&ctx.services.db, status).await.map_err(|e| ctx.fail(e))
}

/// Accepts (`decision` = `accept`, lifting the appealed bans) or rejects (`reject`) an open
/// appeal, with a note. Refused to the moderator who took the appealed action.
#[server(endpoint = "decide_appeal")]
pub async fn decide_appeal(id: i64, decision: String, note: String) -> Result<AppealDecided, AppError> {
    use backend::moderation::appeals::{Refused, decide};
    let ctx = crate::ctx::require(types::Permission::DecideAppeals)?;
    let accept = match decision.as_str() {
        "accept" => true,
        "reject" => false,
        _ => return Err(ctx.invalid("decision", "Choose accept or reject.".into())),
    };
    let actor = ctx.actor.clone();
    let (upstream, db) = (ctx.services.upstream.clone(), ctx.services.db.clone());
    // Accepting lifts bans one call at a time: run it where a dropped request cannot cut it.
    let work = async move { decide(upstream.as_ref(), &db, &actor, id, accept, &note).await };
    let decided = ctx
        .services
        .detached
        .run(work)
        .await
        .unwrap_or_else(|stopped| Err(backend::Error::Internal(stopped.to_string())));
    match decided {
        Ok(Ok(decided)) => Ok(decided),
        Ok(Err(Refused(why))) => Err(ctx.invalid("appeal", why)),
        Err(error) => Err(ctx.fail(error)),
    }
}
