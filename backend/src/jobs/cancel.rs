//! A person cancelling a job, as one use-case: who may, the cancel itself, and its audit entry.

use super::store::{CancelOutcome, cancel, get};
use crate::{
    Actor, Error,
    audit::{self, Change, Outcome},
};
use serde_json::json;
use sqlx::SqlitePool;
use types::{Role, jobs::JobView};

/// Whether `actor` may cancel `job`: the person who started it, or a senior role
/// (`senior_moderator`, `admin`) who oversees the team's work. The job's own permission is
/// checked as well, by the caller.
pub fn may_cancel(job: &JobView, actor: &Actor) -> bool {
    job.created_by == actor.id || actor.access.is_some_and(|role| role >= Role::SeniorModerator)
}

/// Cancels `job` for `actor` (who was allowed to see it): within its undo window nothing of it
/// happens, while it runs it stops before the next item. Audited as `cancel_job` — refused
/// (`denied`), done, or too late (`failed`) — with the job's state before and after. Answers
/// the job as it is now.
pub async fn cancel_for(db: &SqlitePool, actor: &Actor, job: &JobView) -> Result<JobView, Error> {
    if !may_cancel(job, actor) {
        let change = Change { reason: Some("not the job's creator"), ..Change::default() };
        audit::record(db, actor, "cancel_job", Some(&job.id), Outcome::Denied, change).await;
        let why =
            format!("Only {} (who started it) or a senior moderator can cancel this job.", job.created_by);
        return Err(Error::invalid("job_id", why));
    }
    let outcome = cancel(db, &job.id, &actor.id).await?;
    let after = get(db, &job.id).await?.ok_or_else(|| Error::not_found(format!("Job “{}”", job.id)))?;
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
        before: Some(summary(job)),
        after: Some(summary(&after)),
        upstream_status: None,
    };
    audit::record(db, actor, "cancel_job", Some(&job.id), audit_outcome, change).await;
    if let CancelOutcome::AlreadyFinished(state) = outcome {
        return Err(Error::invalid("job_id", format!("This job has already finished ({}).", state.as_str())));
    }
    Ok(after)
}
