//! A person's moderation action as one use-case: the queue's action bar, the user page's ban
//! form and anything else that acts for a signed-in person go through [`apply`].

use super::{execute, problem};
use crate::{Actor, Error, Services};
use types::moderation::{ActionReport, ActionRequest};

/// Validates `request`, checks that `actor` may do each of its actions, runs it (see
/// [`execute`]: every step audited, the first failure stops the rest) in a task of its own —
/// a browser that goes away drops the caller, not the action, so it is never cut between two
/// steps — and drops the acted-on case from the queue's reused sweep.
///
/// A failed step is not an `Err`: the report says which steps were applied.
pub async fn apply(
    services: &Services,
    actor: &Actor,
    request: ActionRequest,
) -> Result<ActionReport, Error> {
    if let Some((field, message)) = problem(&request) {
        return Err(Error::invalid(field, message));
    }
    for action in &request.actions {
        actor.require(action.permission(), "Your role does not allow this action.")?;
    }
    let key = request.target.key();
    let (upstream, db, worker) = (services.upstream.clone(), services.db.clone(), actor.clone());
    let work = async move { execute(upstream.as_ref(), &db, &worker, &request).await };
    let report = services.detached.run(work).await.map_err(Error::internal)??;
    if report.succeeded() {
        services.queue_sweep.forget(&key).await;
    }
    Ok(report)
}
