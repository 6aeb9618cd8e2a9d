//! Appeals: a banned or warned user asks for the decision to be reviewed. An appeal is filed
//! against the latest ban or warning on record and must be decided by someone other than
//! the moderator who took that action (enforced here, whatever the UI shows). Accepting it
//! lifts the action's bans through [`super::execute`] (so the unbans are audited step by
//! step); if lifting fails the appeal stays open and the report says why.

use super::{execute, now_rfc3339, records};
use crate::Actor;
use crate::{Error, audit};
use serde_json::json;
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use types::moderation::{Action, ActionRequest, Appeal, AppealDecided, MAX_APPEAL_CHARS, Reason, Target};
use upstream::Client;

const COLUMNS: &str = "id, user_id, action_id, acted_by, source, entered_by, message, created_at, status, \
                       decided_by, decided_at, decision_note";

fn from_row(row: &SqliteRow) -> Result<Appeal, sqlx::Error> {
    Ok(Appeal {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        action_id: row.try_get("action_id")?,
        acted_by: row.try_get("acted_by")?,
        source: row.try_get("source")?,
        entered_by: row.try_get("entered_by")?,
        message: row.try_get("message")?,
        created_at: row.try_get("created_at")?,
        status: row.try_get("status")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        decision_note: row.try_get("decision_note")?,
    })
}

/// One appeal.
pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<Appeal>, Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM moderation_appeals WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Appeals, newest first; only those in `status` when given.
pub async fn list(db: &SqlitePool, status: Option<&str>) -> Result<Vec<Appeal>, Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moderation_appeals WHERE (?1 IS NULL OR status = ?1) ORDER BY id DESC LIMIT 200"
    ))
    .bind(status)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Where an appeal came from.
pub enum Source<'a> {
    /// Entered in the console by this account.
    Staff(&'a str),
    /// Received at the intake endpoint, with the sender's id for it (idempotent delivery).
    Endpoint(Option<&'a str>),
}

/// Why an appeal cannot be filed or decided, in words for the person at the screen.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// Files an appeal of `user_id` against their latest ban or warning.
pub async fn file(
    db: &SqlitePool,
    user_id: &str,
    message: &str,
    source: Source<'_>,
) -> Result<Result<Appeal, Refused>, Error> {
    let message = message.trim();
    if message.is_empty() || message.chars().count() > MAX_APPEAL_CHARS {
        return Ok(Err(Refused(format!(
            "The appeal needs a message of 1 to {MAX_APPEAL_CHARS} characters."
        ))));
    }
    let (kind, entered_by, external_id) = match source {
        Source::Staff(by) => ("staff", by, None),
        Source::Endpoint(external) => ("endpoint", "endpoint", external),
    };
    if let Some(external) = external_id {
        let existing =
            sqlx::query(&format!("SELECT {COLUMNS} FROM moderation_appeals WHERE external_id = ?"))
                .bind(external)
                .fetch_optional(db)
                .await?;
        if let Some(existing) = existing {
            // The sender retried: the same appeal, not a second one.
            return Ok(Ok(from_row(&existing)?));
        }
    }
    let Some(sanction) = records::latest_sanction(db, user_id).await? else {
        return Ok(Err(Refused(format!(
            "No ban or warning of user {user_id} is on record, so there is nothing to appeal."
        ))));
    };
    let id = sqlx::query(
        "INSERT INTO moderation_appeals (user_id, action_id, acted_by, source, entered_by, external_id, message, \
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(sanction.id)
    .bind(&sanction.actor_id)
    .bind(kind)
    .bind(entered_by)
    .bind(external_id)
    .bind(message)
    .bind(now_rfc3339())
    .execute(db)
    .await?
    .last_insert_rowid();
    let entry = audit::Entry {
        actor_id: entered_by,
        actor_role: None,
        action: "file_appeal",
        target: Some(&format!("user:{user_id}")),
        outcome: audit::Outcome::Success,
        request_id: None,
        details: json!({ "appeal": id, "actionRecord": sanction.id, "source": kind }),
    };
    audit::append(db, &entry).await?;
    let appeal = get(db, id).await?.ok_or_else(|| Error::Internal(format!("appeal {id} vanished")))?;
    Ok(Ok(appeal))
}

/// Decides an open appeal. Accepting lifts the bans of the appealed action.
pub async fn decide(
    upstream: &Client,
    db: &SqlitePool,
    actor: &Actor,
    id: i64,
    accept: bool,
    note: &str,
) -> Result<Result<AppealDecided, Refused>, Error> {
    let Some(appeal) = get(db, id).await? else {
        return Ok(Err(Refused(format!("There is no appeal {id}."))));
    };
    if appeal.status != "open" {
        return Ok(Err(Refused(format!("Appeal {id} was already {}.", appeal.status))));
    }
    if appeal.acted_by == actor.id {
        return Ok(Err(Refused(
            "You took the action this appeal is about; another moderator must decide it.".into(),
        )));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > MAX_APPEAL_CHARS {
        return Ok(Err(Refused("Write why you decide so (it is kept with the appeal).".into())));
    }
    let mut report = None;
    if accept {
        let actions = match appeal.action_id {
            Some(record) => records::actions_of(db, record).await?,
            None => Vec::new(),
        };
        let unbans: Vec<Action> = actions
            .into_iter()
            .filter_map(|a| match a {
                Action::Ban { scope, .. } => Some(Action::Unban { scope }),
                _ => None,
            })
            .collect();
        if !unbans.is_empty() {
            let request = ActionRequest {
                target: Target::User { id: appeal.user_id.clone() },
                actions: unbans,
                reason: Reason { code: "appeal".into(), text: format!("Appeal {id} accepted: {note}") },
            };
            let lifted = execute(upstream, db, actor, &request).await?;
            let failed = !lifted.succeeded();
            report = Some(lifted);
            if failed {
                // The appeal stays open: the decider sees what failed and can try again.
                return Ok(Ok(AppealDecided { appeal, report }));
            }
        }
    }
    let status = if accept { "accepted" } else { "rejected" };
    let done = sqlx::query(
        "UPDATE moderation_appeals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? \
         WHERE id = ? AND status = 'open'",
    )
    .bind(status)
    .bind(&actor.id)
    .bind(now_rfc3339())
    .bind(note)
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(Err(Refused(format!("Appeal {id} was decided by someone else just now."))));
    }
    let entry = audit::Entry {
        actor_id: &actor.id,
        actor_role: actor.role.as_deref(),
        action: "decide_appeal",
        target: Some(&format!("user:{}", appeal.user_id)),
        outcome: audit::Outcome::Success,
        request_id: actor.request_id.as_deref(),
        details: json!({ "appeal": id, "actionRecord": appeal.action_id, "actedBy": appeal.acted_by }),
    };
    let change = audit::Change {
        reason: Some(note),
        before: Some(json!({ "status": "open" })),
        after: Some(json!({ "status": status, "bansLifted": report.as_ref().map(|r| r.record_id) })),
        upstream_status: None,
    };
    audit::append_change(db, &entry, &change).await?;
    let appeal = get(db, id).await?.ok_or_else(|| Error::Internal(format!("appeal {id} vanished")))?;
    Ok(Ok(AppealDecided { appeal, report }))
}
