//! Server functions of teamwork on cases: claims, internal notes, escalations. Case keys are
//! [`types::moderation::Target::key`] strings (`post:<id>`, `user:<id>`…).

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::moderation::{Claim, ClaimOutcome, Escalation, Note};

/// Claims a case for the caller. Held by someone else: answers `HeldByOther` (who and since
/// when) unless `takeover`, which takes it from them (audited).
#[server(endpoint = "claim_case", input = Json)]
pub async fn claim_case(case_key: String, takeover: bool) -> Result<ClaimOutcome, AppError> {
    use backend::moderation::claims::{Claimant, claim};
    let ctx = crate::ctx::require(types::Permission::ModerateContent)?;
    check_key(&ctx, &case_key)?;
    let who = Claimant { id: &ctx.user.id, name: &ctx.user.display_name, role: ctx.user.role.as_str() };
    claim(&ctx.services.db, &case_key, &who, takeover).await.map_err(|e| ctx.fail(e))
}

/// Releases the caller's claim; `false` when they did not hold it.
#[server(endpoint = "release_case", input = Json)]
pub async fn release_case(case_key: String) -> Result<bool, AppError> {
    let ctx = crate::ctx::require(types::Permission::ModerateContent)?;
    backend::moderation::claims::release(&ctx.services.db, &case_key, &ctx.actor.id)
        .await
        .map_err(|e| ctx.fail(e))
}

/// Who is working on these cases (up to 500 keys; unclaimed cases are left out).
#[server(endpoint = "list_claims", input = Json)]
pub async fn list_claims(case_keys: Vec<String>) -> Result<Vec<Claim>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    backend::moderation::claims::of_cases(&ctx.services.db, &case_keys).await.map_err(|e| ctx.fail(e))
}

/// Adds an internal note to a case or a user (audited). Form-encoded, so the notes panel's
/// form posts without WASM too.
#[server(endpoint = "add_note")]
pub async fn add_note(subject: String, body: String) -> Result<Note, AppError> {
    let ctx = crate::ctx::require(types::Permission::ModerateContent)?;
    check_key(&ctx, &subject)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(ctx.invalid("body", "Write the note.".into()));
    }
    if body.chars().count() > types::moderation::MAX_NOTE_CHARS {
        let max = types::moderation::MAX_NOTE_CHARS;
        return Err(ctx.invalid("body", format!("Keep the note under {max} characters.")));
    }
    let db = &ctx.services.db;
    let note = backend::moderation::notes::add(db, &subject, &ctx.user.id, &ctx.user.display_name, body)
        .await
        .map_err(|e| ctx.fail(e.into()))?;
    let change =
        backend::audit::Change { after: Some(serde_json::json!({ "note": note.id })), ..Default::default() };
    ctx.record("add_note", Some(&subject), backend::audit::Outcome::Success, change).await;
    Ok(note)
}

/// The internal notes on a case or a user, oldest first.
#[server(endpoint = "list_notes", input = Json)]
pub async fn list_notes(subject: String) -> Result<Vec<Note>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    backend::moderation::notes::of_subject(&ctx.services.db, &subject).await.map_err(|e| ctx.fail(e.into()))
}

/// Hands a case to a senior moderator with a note (an open escalation of the case is
/// answered instead of a second one).
#[server(endpoint = "escalate_case", input = Json)]
pub async fn escalate_case(case_key: String, note: String) -> Result<Escalation, AppError> {
    let ctx = crate::ctx::require(types::Permission::ModerateContent)?;
    check_key(&ctx, &case_key)?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > types::moderation::MAX_NOTE_CHARS {
        return Err(ctx.invalid("note", "Say in a few words what the senior moderator should decide.".into()));
    }
    let db = &ctx.services.db;
    let escalation = backend::moderation::escalations::escalate(db, &case_key, &ctx.actor.id, note)
        .await
        .map_err(|e| ctx.fail(e.into()))?;
    let change = backend::audit::Change {
        reason: Some(note),
        after: Some(serde_json::json!({ "escalation": escalation.id, "status": escalation.status })),
        ..Default::default()
    };
    ctx.record("escalate_case", Some(&case_key), backend::audit::Outcome::Success, change).await;
    Ok(escalation)
}

/// Escalations, newest first (only open ones with `open_only`).
#[server(endpoint = "list_escalations", input = Json)]
pub async fn list_escalations(open_only: bool) -> Result<Vec<Escalation>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    backend::moderation::escalations::list(&ctx.services.db, open_only).await.map_err(|e| ctx.fail(e.into()))
}

/// Records a senior moderator's decision on an open escalation (audited). Acting on the case
/// itself is done with `apply_action`.
#[server(endpoint = "decide_escalation", input = Json)]
pub async fn decide_escalation(id: i64, decision: String) -> Result<Escalation, AppError> {
    use backend::moderation::escalations::{Decided, decide};
    let ctx = crate::ctx::require(types::Permission::DecideEscalations)?;
    let decision = decision.trim();
    if decision.is_empty() || decision.chars().count() > types::moderation::MAX_NOTE_CHARS {
        return Err(ctx.invalid("decision", "Write the decision in a few words.".into()));
    }
    let db = &ctx.services.db;
    let decided = match decide(db, id, &ctx.actor.id, decision).await.map_err(|e| ctx.fail(e.into()))? {
        Decided::Done(decided) => decided,
        Decided::NotOpen => return Err(ctx.not_found(format!("Open escalation {id}"))),
        Decided::OwnEscalation => {
            let target = format!("escalation:{id}");
            let change =
                backend::audit::Change { reason: Some("raised by the decider"), ..Default::default() };
            ctx.record("decide_escalation", Some(&target), backend::audit::Outcome::Denied, change).await;
            let why = "You raised this escalation; another senior moderator must decide it.";
            return Err(ctx.invalid("decision", why.into()));
        }
    };
    let change = backend::audit::Change {
        reason: Some(decision),
        before: Some(serde_json::json!({ "status": "open" })),
        after: Some(serde_json::json!({ "status": "decided" })),
        ..Default::default()
    };
    ctx.record("decide_escalation", Some(&decided.case_key), backend::audit::Outcome::Success, change).await;
    Ok(decided)
}

#[cfg(feature = "ssr")]
fn check_key(ctx: &crate::ctx::Ctx, key: &str) -> Result<(), AppError> {
    if types::moderation::is_case_key(key) {
        Ok(())
    } else {
        Err(ctx.invalid("case_key", format!("“{key}” is not a case such as post:<id> or user:<id>.")))
    }
}
