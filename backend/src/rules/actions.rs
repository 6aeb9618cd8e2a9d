//! What a rule does to an event that matched, planned as a pure value (so a dry run can say
//! what would happen) and then applied. Moderation actions go through the same
//! [`crate::moderation::execute`] as a moderator's, timed bans included; every action is
//! audited with the rule (`rule:<id>`) as the actor.

use super::{actor_id, cases, forward};
use crate::{Services, audit, moderation};
use serde_json::json;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};
use types::{
    event_log::EventRow,
    moderation::{Action, ActionRequest, BanScope, ContentKind, Reason, StepOutcome, Target},
    rules::{Rule, RuleAction},
};

/// What a rule would do to one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Open a case for this object.
    OpenCase {
        /// Case kind.
        kind: String,
        /// Object id.
        id: String,
    },
    /// POST a notification.
    Notify {
        /// Where.
        url: String,
    },
    /// Run a moderation request.
    Moderate(ActionRequest),
    /// The action does not fit the event (e.g. "delete the content" on a user event).
    Impossible(String),
}

fn content_kind(kind: Option<&str>) -> Option<ContentKind> {
    match kind? {
        "post" => Some(ContentKind::Post),
        "comment" => Some(ContentKind::Comment),
        "message" => Some(ContentKind::Message),
        _ => None,
    }
}

/// The reason a rule's moderation action carries.
fn reason(rule: &Rule, event: &EventRow) -> Reason {
    Reason {
        code: "other".into(),
        text: format!("Automation rule “{}” (rule {}) on event {}", rule.name, rule.id, event.id),
    }
}

/// What `rule` would do to `event`, as of `now` (a ban's end is counted from it).
pub fn plan(rule: &Rule, event: &EventRow, now: OffsetDateTime) -> Plan {
    let content = || match (content_kind(event.object_kind.as_deref()), event.object_id.as_deref()) {
        (Some(kind), Some(id)) if !id.is_empty() => Some(Target::Content { kind, id: id.to_owned() }),
        _ => None,
    };
    let moderate = |target: Target, action: Action| {
        Plan::Moderate(ActionRequest { target, actions: vec![action], reason: reason(rule, event) })
    };
    match &rule.action {
        RuleAction::OpenCase => {
            let user = event.subject_user_id.as_deref().or(event.actor_user_id.as_deref());
            match cases::case_target(event.object_kind.as_deref(), event.object_id.as_deref(), user) {
                Some((kind, id)) => Plan::OpenCase { kind, id },
                None => Plan::Impossible("the event names no content or user to open a case for".into()),
            }
        }
        RuleAction::Notify { url } => Plan::Notify { url: url.clone() },
        RuleAction::ClearFlags => match content() {
            Some(target) => moderate(target, Action::ClearFlags),
            None => Plan::Impossible("the event is not about a post, comment or message".into()),
        },
        RuleAction::DeleteContent => match content() {
            Some(target) => moderate(target, Action::Delete { permanent: false }),
            None => Plan::Impossible("the event is not about a post, comment or message".into()),
        },
        RuleAction::Ban { minutes } => match event.actor_user_id.as_deref().filter(|u| !u.is_empty()) {
            Some(user) => {
                let until =
                    (now + Duration::minutes(i64::from(*minutes))).format(&Rfc3339).unwrap_or_default();
                moderate(
                    Target::User { id: user.to_owned() },
                    Action::Ban { scope: BanScope::Global, until: Some(until) },
                )
            }
            None => Plan::Impossible("the event names no user who did it".into()),
        },
    }
}

/// The plan as a sentence.
pub fn describe(plan: &Plan) -> String {
    match plan {
        Plan::OpenCase { kind, id } => format!("open a case for {kind} {id}"),
        Plan::Notify { url } => format!("notify {url}"),
        Plan::Moderate(request) => {
            let action = request.actions.first().map_or("act", Action::code);
            match (&request.target, request.actions.first()) {
                (target, Some(Action::Ban { until: Some(until), .. })) => {
                    format!("ban {} until {until}", target.key())
                }
                (target, _) => format!("{action} {}", target.key()),
            }
        }
        Plan::Impossible(why) => format!("nothing: {why}"),
    }
}

/// Applies `rule` to `event`. `Ok` holds what was done, `Err` why it failed; both are kept
/// with the run.
pub async fn apply(services: &Services, rule: &Rule, event: &EventRow) -> Result<String, String> {
    let plan = plan(rule, event, OffsetDateTime::now_utc());
    let actor = actor_id(rule.id);
    let audited = |action: &'static str, target: String, ok: bool, details: serde_json::Value| {
        let db = services.db.clone();
        let actor = actor.clone();
        async move {
            let entry = audit::Entry {
                actor_id: &actor,
                actor_role: Some("rule"),
                action,
                target: Some(&target),
                outcome: if ok { audit::Outcome::Success } else { audit::Outcome::Failed },
                request_id: None,
                details,
            };
            if let Err(error) = audit::append(&db, &entry).await {
                tracing::error!(%error, "could not write the audit entry");
            }
        }
    };
    match plan {
        Plan::OpenCase { kind, id } => {
            let opened =
                cases::open(&services.db, rule.id, event.id, &kind, &id).await.map_err(|e| e.to_string())?;
            let detail = if opened {
                format!("opened a case for {kind} {id}")
            } else {
                format!("a case for {kind} {id} was already open")
            };
            audited(
                "rule_open_case",
                format!("{kind}:{id}"),
                true,
                json!({ "event_id": event.id, "opened": opened }),
            )
            .await;
            Ok(detail)
        }
        Plan::Notify { url } => {
            let body = json!({
                "text": format!("Rule “{}”: {} ({})", rule.name, event.name, event.id),
                "rule": { "id": rule.id, "name": rule.name },
                "event": { "id": event.id, "name": event.name, "occurredAt": event.occurred_at,
                           "data": serde_json::from_str::<serde_json::Value>(&event.data).unwrap_or_default() },
            });
            let (status, error) =
                forward::post(&services.outbound, &url, None, body.to_string().into_bytes()).await;
            let details = json!({ "event_id": event.id, "url": url, "status": status, "error": error });
            audited("rule_notify", format!("event:{}", event.id), error.is_none(), details).await;
            match error {
                None => Ok(format!("notified {url}")),
                Some(error) => Err(format!("notifying {url}: {error}")),
            }
        }
        Plan::Moderate(request) => {
            if let Some((_, problem)) = moderation::problem(&request) {
                return Err(problem);
            }
            let actor = crate::Actor { id: actor, role: Some("rule".into()), request_id: None, access: None };
            let report = moderation::execute(services.upstream.as_ref(), &services.db, &actor, &request)
                .await
                .map_err(|e| e.to_string())?;
            let failed = report.steps.iter().find_map(|s| match &s.outcome {
                StepOutcome::Failed { message } => Some(message.clone()),
                StepOutcome::Skipped => Some(format!("{} was skipped", s.label)),
                StepOutcome::Succeeded => None,
            });
            match failed {
                None => Ok(format!("done: {}", describe(&Plan::Moderate(request)))),
                Some(message) => Err(message),
            }
        }
        Plan::Impossible(why) => Err(why),
    }
}
