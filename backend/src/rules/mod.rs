//! Automation rules: "when <event type> matches <conditions> then <action>" (issue 7 §3).
//!
//! * this file — storing rules: create, list, enable (only after a dry run of the current
//!   definition), disable, delete.
//! * [`dry_run`] — runs a rule over stored events and says what it would have done.
//! * [`worker`] — runs enabled rules on new `events` rows, exactly once per rule per event.
//! * [`actions`] — what a rule does, audited with the rule as the actor.
//! * [`cases`] — the console-side case list the "open a case" action writes.
//! * [`forward`] — signed outbound requests: forwarding events and the notify action.
//!
//! Matching itself is the pure [`types::rules::Rule::matches`].

pub mod actions;
pub mod cases;
pub mod dry_run;
pub mod forward;
pub mod worker;

use crate::event_stream::{ms_to_rfc3339, newest_id, now_ms};
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use types::rules::{NewRule, Rule, RuleAction, parse_conditions};

/// How the audit trail names a rule acting.
pub fn actor_id(rule_id: i64) -> String {
    format!("rule:{rule_id}")
}

/// Why a rule could not be stored or changed.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A field is wrong: (field, sentence).
    #[error("{1}")]
    Invalid(&'static str, String),
    /// No such rule.
    #[error("no such rule")]
    NotFound,
    /// Enabling needs a dry run of the current definition first.
    #[error("run a dry run before enabling the rule")]
    NeedsDryRun,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Checks the form and turns it into a rule definition.
pub fn validate(
    new: &NewRule,
) -> Result<(String, String, Vec<types::rules::Condition>, RuleAction), RuleError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(RuleError::Invalid("name", "Give the rule a name (up to 100 characters).".into()));
    }
    let event_name = new.event_name.trim();
    let well_formed = !event_name.is_empty()
        && event_name.len() <= 100
        && event_name
            .trim_end_matches('*')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if !well_formed {
        return Err(RuleError::Invalid(
            "event_name",
            "Name the event like v3.post.didCreate, or a prefix like v3.post.*".into(),
        ));
    }
    let conditions = parse_conditions(&new.conditions).map_err(|m| RuleError::Invalid("conditions", m))?;
    let action = RuleAction::from_form(&new.action, &new.url, &new.minutes)
        .map_err(|m| RuleError::Invalid("action", m))?;
    if let RuleAction::Notify { url } = &action
        && let Some(problem) = forward::url_problem(url)
    {
        return Err(RuleError::Invalid("url", problem));
    }
    Ok((name.to_owned(), event_name.to_owned(), conditions, action))
}

/// Stores a new, disabled rule and answers its id.
pub async fn create(db: &SqlitePool, new: &NewRule, created_by: &str) -> Result<i64, RuleError> {
    let (name, event_name, conditions, action) = validate(new)?;
    let id = sqlx::query_scalar(
        "INSERT INTO event_rules (name, event_name, conditions, action, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(event_name)
    .bind(serde_json::to_string(&conditions).unwrap_or_else(|_| "[]".into()))
    .bind(serde_json::to_string(&action).unwrap_or_else(|_| "{}".into()))
    .bind(created_by)
    .bind(now_ms())
    .fetch_one(db)
    .await?;
    Ok(id)
}

const RULE_COLUMNS: &str =
    "id, name, event_name, conditions, action, enabled, created_by, dry_run_at, cursor";

fn rule_row(row: &SqliteRow) -> Result<Rule, sqlx::Error> {
    let decode = |column: &str, e: serde_json::Error| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    };
    let conditions: String = row.try_get("conditions")?;
    let action: String = row.try_get("action")?;
    Ok(Rule {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        event_name: row.try_get("event_name")?,
        conditions: serde_json::from_str(&conditions).map_err(|e| decode("conditions", e))?,
        action: serde_json::from_str(&action).map_err(|e| decode("action", e))?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        created_by: row.try_get("created_by")?,
        dry_run_at: row.try_get::<Option<i64>, _>("dry_run_at")?.map(ms_to_rfc3339),
    })
}

/// Every rule not deleted, oldest first.
pub async fn list(db: &SqlitePool) -> Result<Vec<Rule>, sqlx::Error> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM event_rules WHERE deleted_at IS NULL ORDER BY id");
    sqlx::query(&sql).fetch_all(db).await?.iter().map(rule_row).collect()
}

/// One rule, if it exists and is not deleted.
pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<Rule>, sqlx::Error> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM event_rules WHERE id = ? AND deleted_at IS NULL");
    sqlx::query(&sql).bind(id).fetch_optional(db).await?.as_ref().map(rule_row).transpose()
}

/// Enabled rules with their cursors.
pub async fn enabled_with_cursors(db: &SqlitePool) -> Result<Vec<(Rule, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT {RULE_COLUMNS} FROM event_rules WHERE enabled = 1 AND deleted_at IS NULL ORDER BY id"
    );
    sqlx::query(&sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| Ok((rule_row(row)?, row.try_get("cursor")?)))
        .collect()
}

/// Records that the rule's current definition was dry-run now.
pub async fn mark_dry_run(db: &SqlitePool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_rules SET dry_run_at = ? WHERE id = ?")
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Enables or disables a rule. Enabling needs a dry run first and starts the rule at the
/// newest stored event: it acts on events that arrive from now on (the dry run shows what it
/// would have done to the earlier ones). Answers the rule as it is now.
pub async fn set_enabled(db: &SqlitePool, id: i64, enabled: bool) -> Result<Rule, RuleError> {
    let rule = get(db, id).await?.ok_or(RuleError::NotFound)?;
    if enabled && rule.dry_run_at.is_none() {
        return Err(RuleError::NeedsDryRun);
    }
    if enabled && !rule.enabled {
        let cursor = newest_id(db).await?;
        sqlx::query("UPDATE event_rules SET enabled = 1, cursor = ? WHERE id = ? AND enabled = 0")
            .bind(cursor)
            .bind(id)
            .execute(db)
            .await?;
    } else if !enabled {
        sqlx::query("UPDATE event_rules SET enabled = 0 WHERE id = ?").bind(id).execute(db).await?;
    }
    get(db, id).await?.ok_or(RuleError::NotFound)
}

/// Deletes a rule (kept for the audit trail's and the runs' sake, never run again).
pub async fn delete(db: &SqlitePool, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE event_rules SET deleted_at = ?, enabled = 0 WHERE id = ? AND deleted_at IS NULL")
            .bind(now_ms())
            .bind(id)
            .execute(db)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// How the runs of a rule ended: (done, failed).
pub async fn run_counts(db: &SqlitePool, id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(state = 'done'), 0) AS done, COALESCE(SUM(state = 'failed'), 0) AS failed \
         FROM event_rule_runs WHERE rule_id = ?",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok((row.try_get("done")?, row.try_get("failed")?))
}
