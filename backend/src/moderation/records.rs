//! Action records: one row per action request with its step report. The audit trail has the
//! per-step detail; these rows are what the Reviewed tab filters and appeals point at.

use crate::Actor;
use crate::Error;
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use time::{Date, OffsetDateTime, Time, format_description::well_known::Rfc3339, macros::format_description};
use types::moderation::{
    Action, ActionRecord, ActionReport, ActionRequest, ReviewedQuery, Step, StepOutcome,
};

/// Stores a request about to run; answers its id.
pub async fn start(db: &SqlitePool, actor: &Actor, request: &ActionRequest) -> Result<i64, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let codes: Vec<&str> = request.actions.iter().map(|a| a.code()).collect();
    let subject = match &request.target {
        types::moderation::Target::User { id } => Some(id.as_str()),
        types::moderation::Target::Content { .. } => None,
    };
    let id = sqlx::query(
        "INSERT INTO moderation_actions (at, at_unix, actor_id, actor_role, target, subject_user_id, actions, \
         reason_code, reason_text, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
    )
    .bind(now.format(&Rfc3339).unwrap_or_default())
    .bind(now.unix_timestamp())
    .bind(&actor.id)
    .bind(actor.role.as_deref())
    .bind(request.target.key())
    .bind(subject)
    .bind(codes.join(","))
    .bind(&request.reason.code)
    .bind(request.reason.summary())
    .execute(db)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// `applied` when every step succeeded, `failed` when none did, `partial` otherwise.
pub fn outcome_of(report: &ActionReport) -> &'static str {
    let succeeded = report.steps.iter().filter(|s| s.outcome == StepOutcome::Succeeded).count();
    match succeeded {
        _ if report.succeeded() => "applied",
        0 => "failed",
        _ => "partial",
    }
}

/// Stores how the request ended.
pub async fn finish(
    db: &SqlitePool,
    id: i64,
    subject_user_id: Option<&str>,
    request: &ActionRequest,
    report: &ActionReport,
) -> Result<(), sqlx::Error> {
    let stored = Stored { steps: report.steps.clone(), actions: request.actions.clone() };
    let steps = serde_json::to_string(&stored).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "UPDATE moderation_actions SET outcome = ?, report = ?, \
         subject_user_id = COALESCE(subject_user_id, ?) WHERE id = ?",
    )
    .bind(outcome_of(report))
    .bind(steps)
    .bind(subject_user_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// What the `report` column holds: the steps, and the actions asked for (appeals read the
/// ban scopes from them).
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Stored {
    steps: Vec<Step>,
    actions: Vec<Action>,
}

/// The actions of a record, as asked for.
pub async fn actions_of(db: &SqlitePool, id: i64) -> Result<Vec<Action>, Error> {
    let report: Option<String> = sqlx::query_scalar("SELECT report FROM moderation_actions WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(report.and_then(|r| serde_json::from_str::<Stored>(&r).ok()).unwrap_or_default().actions)
}

const COLUMNS: &str =
    "id, at, actor_id, target, subject_user_id, actions, reason_code, reason_text, outcome, report";

fn from_row(row: &SqliteRow) -> Result<ActionRecord, sqlx::Error> {
    let actions: String = row.try_get("actions")?;
    let report: String = row.try_get("report")?;
    Ok(ActionRecord {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        target: row.try_get("target")?,
        subject_user_id: row.try_get("subject_user_id")?,
        actions: actions.split(',').filter(|a| !a.is_empty()).map(str::to_owned).collect(),
        reason_code: row.try_get("reason_code")?,
        reason: row.try_get("reason_text")?,
        outcome: row.try_get("outcome")?,
        steps: serde_json::from_str::<Stored>(&report).unwrap_or_default().steps,
    })
}

/// One record by id.
pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<ActionRecord>, Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM moderation_actions WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The latest applied (or partly applied) ban or warning of `user_id`: what an appeal is against.
pub async fn latest_sanction(db: &SqlitePool, user_id: &str) -> Result<Option<ActionRecord>, Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moderation_actions WHERE subject_user_id = ? AND outcome IN ('applied', 'partial') \
         AND (',' || actions || ',' LIKE '%,ban,%' OR ',' || actions || ',' LIKE '%,timed_ban,%' \
         OR ',' || actions || ',' LIKE '%,warn,%') ORDER BY id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// A day `YYYY-MM-DD` as a unix time at its start (00:00 UTC).
fn day_start(day: &str) -> Option<i64> {
    let date = Date::parse(day, format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp())
}

/// The Reviewed tab: newest first, filtered; `Err` names a filter that cannot be read.
pub async fn reviewed(
    db: &SqlitePool,
    query: &ReviewedQuery,
) -> Result<Result<Vec<ActionRecord>, String>, Error> {
    let from = match query.from.as_deref().filter(|d| !d.is_empty()) {
        Some(day) => match day_start(day) {
            Some(unix) => Some(unix),
            None => return Ok(Err(format!("“{day}” is not a date like 2026-11-26."))),
        },
        None => None,
    };
    let to = match query.to.as_deref().filter(|d| !d.is_empty()) {
        Some(day) => match day_start(day) {
            Some(unix) => Some(unix + 86_400),
            None => return Ok(Err(format!("“{day}” is not a date like 2026-11-26."))),
        },
        None => None,
    };
    let limit = i64::from(query.limit.unwrap_or(50).clamp(1, 200));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moderation_actions WHERE outcome != 'running' \
         AND (?1 IS NULL OR actor_id = ?1) \
         AND (?2 IS NULL OR ',' || actions || ',' LIKE '%,' || ?2 || ',%') \
         AND (?3 IS NULL OR at_unix >= ?3) AND (?4 IS NULL OR at_unix < ?4) \
         AND (?5 IS NULL OR id < ?5) ORDER BY id DESC LIMIT ?6"
    ))
    .bind(query.moderator.as_deref().filter(|m| !m.is_empty()))
    .bind(query.action.as_deref().filter(|a| !a.is_empty()))
    .bind(from)
    .bind(to)
    .bind(query.before_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?))
}
