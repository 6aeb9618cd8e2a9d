//! Automation rules: "when <event type> matches <conditions> then <action>" (issue 7 §3).
//!
//! * this file — storing rules: create, list, edit (a new definition disables the rule and
//!   needs a new dry run), enable (only after a dry run of the current definition), disable,
//!   delete.
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
pub mod runs;
pub mod worker;

use crate::{
    event_stream::{ms_to_rfc3339, newest_id, now_ms},
    outbound::Outbound,
};
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use types::rules::{CheckedRule, DryRunReport, NewRule, Rule};

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

/// Checks the form ([`NewRule::check`]) and, for `notify`, that the URL can be called: its
/// form, then where it leads ([`Outbound::check`]: no private or local addresses).
pub async fn validate(new: &NewRule, outbound: &Outbound) -> Result<CheckedRule, RuleError> {
    let checked = new.check().map_err(|(field, message)| RuleError::Invalid(field, message))?;
    if let types::rules::RuleAction::Notify { url } = &checked.action {
        if let Some(problem) = forward::url_problem(url) {
            return Err(RuleError::Invalid("url", problem));
        }
        outbound.check(url).await.map_err(|message| RuleError::Invalid("url", message))?;
    }
    Ok(checked)
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// Stores a new, disabled rule and answers its id.
pub async fn create(
    db: &SqlitePool,
    outbound: &Outbound,
    new: &NewRule,
    created_by: &str,
) -> Result<i64, RuleError> {
    let CheckedRule { name, event_name, conditions, action } = validate(new, outbound).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO event_rules (name, event_name, conditions, action, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(event_name)
    .bind(json(&conditions))
    .bind(json(&action))
    .bind(created_by)
    .bind(now_ms())
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Saves an edited rule; answers it (before, after). A changed definition (event, conditions,
/// action or its parameters) disables the rule and forgets its dry run, so it must be dry-run
/// again before it can be enabled; a new name alone changes nothing else.
pub async fn update(
    db: &SqlitePool,
    outbound: &Outbound,
    id: i64,
    new: &NewRule,
) -> Result<(Rule, Rule), RuleError> {
    let checked = validate(new, outbound).await?;
    let before = get(db, id).await?.ok_or(RuleError::NotFound)?;
    let query = if checked.redefines(&before) {
        sqlx::query(
            "UPDATE event_rules SET name = ?, event_name = ?, conditions = ?, action = ?, enabled = 0, \
             dry_run_at = NULL, dry_run_report = NULL WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(&checked.name)
        .bind(&checked.event_name)
        .bind(json(&checked.conditions))
        .bind(json(&checked.action))
    } else {
        sqlx::query("UPDATE event_rules SET name = ? WHERE id = ? AND deleted_at IS NULL").bind(&checked.name)
    };
    query.bind(id).execute(db).await?;
    let after = get(db, id).await?.ok_or(RuleError::NotFound)?;
    Ok((before, after))
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

/// Records the dry run of `rule` with its report — only if the stored definition is still the
/// one that was dry-run (an edit in the meantime needs its own dry run).
pub async fn mark_dry_run(db: &SqlitePool, rule: &Rule, report: &DryRunReport) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE event_rules SET dry_run_at = ?, dry_run_report = ? WHERE id = ? AND deleted_at IS NULL \
         AND event_name = ? AND conditions = ? AND action = ?",
    )
    .bind(now_ms())
    .bind(json(report))
    .bind(rule.id)
    .bind(&rule.event_name)
    .bind(json(&rule.conditions))
    .bind(json(&rule.action))
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
        // The dry-run stamp is checked again in the same statement: an edit that landed since
        // the read above cleared it, and then the rule stays disabled.
        let done = sqlx::query(
            "UPDATE event_rules SET enabled = 1, cursor = ? \
             WHERE id = ? AND enabled = 0 AND dry_run_at IS NOT NULL AND deleted_at IS NULL",
        )
        .bind(cursor)
        .bind(id)
        .execute(db)
        .await?;
        if done.rows_affected() == 0 {
            let now = get(db, id).await?.ok_or(RuleError::NotFound)?;
            if !now.enabled {
                return Err(RuleError::NeedsDryRun);
            }
        }
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
