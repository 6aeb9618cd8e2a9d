//! Escalations: a moderator hands a case to a senior moderator with a note; someone with
//! `DecideEscalations` records the decision (and acts on the case with the usual actions).
//! Whoever raised an escalation cannot decide it (as an appeal is refused to the moderator
//! who acted): a senior moderator who escalates a case asks someone else.

use super::now_rfc3339;
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use types::moderation::Escalation;

const COLUMNS: &str =
    "id, case_key, escalated_by, note, created_at, status, decided_by, decided_at, decision";

fn from_row(row: &SqliteRow) -> Result<Escalation, sqlx::Error> {
    Ok(Escalation {
        id: row.try_get("id")?,
        case_key: row.try_get("case_key")?,
        escalated_by: row.try_get("escalated_by")?,
        note: row.try_get("note")?,
        created_at: row.try_get("created_at")?,
        status: row.try_get("status")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        decision: row.try_get("decision")?,
    })
}

/// One escalation.
pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<Escalation>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM moderation_escalations WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Escalates `case_key`; an open escalation of the same case is answered instead of a second.
pub async fn escalate(
    db: &SqlitePool,
    case_key: &str,
    by: &str,
    note: &str,
) -> Result<Escalation, sqlx::Error> {
    let open = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moderation_escalations WHERE case_key = ? AND status = 'open' LIMIT 1"
    ))
    .bind(case_key)
    .fetch_optional(db)
    .await?;
    if let Some(open) = open {
        return from_row(&open);
    }
    let id = sqlx::query(
        "INSERT INTO moderation_escalations (case_key, escalated_by, note, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(case_key)
    .bind(by)
    .bind(note)
    .bind(now_rfc3339())
    .execute(db)
    .await?
    .last_insert_rowid();
    get(db, id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// Escalations, newest first; only open ones with `open_only`.
pub async fn list(db: &SqlitePool, open_only: bool) -> Result<Vec<Escalation>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moderation_escalations WHERE (? = 0 OR status = 'open') ORDER BY id DESC LIMIT 200"
    ))
    .bind(open_only)
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

/// What [`decide`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Recorded.
    Done(Escalation),
    /// There is no open escalation with that id (none, or already decided).
    NotOpen,
    /// The decider raised it; someone else must decide.
    OwnEscalation,
}

/// Records the decision of an open escalation, unless `by` raised it.
pub async fn decide(db: &SqlitePool, id: i64, by: &str, decision: &str) -> Result<Decided, sqlx::Error> {
    // One statement, so the check and the write cannot be split by a concurrent decision.
    let done = sqlx::query(
        "UPDATE moderation_escalations SET status = 'decided', decided_by = ?, decided_at = ?, decision = ? \
         WHERE id = ? AND status = 'open' AND escalated_by <> ?",
    )
    .bind(by)
    .bind(now_rfc3339())
    .bind(decision)
    .bind(id)
    .bind(by)
    .execute(db)
    .await?;
    let escalation = get(db, id).await?;
    Ok(match escalation {
        Some(escalation) if done.rows_affected() == 1 => Decided::Done(escalation),
        Some(escalation) if escalation.status == "open" && escalation.escalated_by == by => {
            Decided::OwnEscalation
        }
        _ => Decided::NotOpen,
    })
}
