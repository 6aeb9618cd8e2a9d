//! Submitting, reading and cancelling jobs. Server functions call these after checking the
//! caller's permission; the runner does the work.

use super::{format_ms, now_ms};
use crate::Error;
use serde_json::Value;
use sqlx::{Row, SqlitePool};
use std::time::Duration;
use types::{
    Permission,
    jobs::{BudgetReport, ItemStatus, JobCounts, JobItemView, JobItemsQuery, JobState, JobView},
};

/// The most items [`items`] returns at once.
pub const MAX_ITEMS_PAGE: u32 = 500;

/// A job to submit.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Its registered kind.
    pub kind: &'static str,
    /// The console account submitting it.
    pub created_by: String,
    /// The permission the submitter needed; reading or cancelling the job will need it too.
    pub permission: Permission,
    /// Anything the handler needs for every item.
    pub payload: Value,
    /// Its items, run in this order.
    pub items: Vec<NewItem>,
    /// How long to wait before starting (the undo window); zero starts at once.
    pub delay: Duration,
}

/// One item to submit.
#[derive(Clone, Debug)]
pub struct NewItem {
    /// What it is about (a user id, "row 12").
    pub key: String,
    /// Its input for the handler.
    pub input: Value,
}

/// Stores a job and its items in one transaction; returns the job's id.
pub async fn submit(db: &SqlitePool, job: &NewJob) -> Result<String, Error> {
    let id = new_id();
    let now = now_ms();
    let delay_ms = i64::try_from(job.delay.as_millis()).unwrap_or(i64::MAX);
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO jobs (id, kind, created_by, permission, created_at, not_before, payload) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(job.kind)
    .bind(&job.created_by)
    .bind(permission_name(job.permission))
    .bind(now)
    .bind(now.saturating_add(delay_ms))
    .bind(job.payload.to_string())
    .execute(&mut *tx)
    .await?;
    for (seq, item) in job.items.iter().enumerate() {
        sqlx::query("INSERT INTO job_items (job_id, seq, key, input) VALUES (?, ?, ?, ?)")
            .bind(&id)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .bind(&item.key)
            .bind(item.input.to_string())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A job's summary and counts, or `None` when there is no such job.
pub async fn get(db: &SqlitePool, id: &str) -> Result<Option<JobView>, Error> {
    let Some(row) = sqlx::query(
        "SELECT id, kind, created_by, permission, created_at, not_before, started_at, finished_at, \
         state, error, cancelled_by, budget_json FROM jobs WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let permission: String = row.try_get("permission")?;
    let state: String = row.try_get("state")?;
    let budget: Option<String> = row.try_get("budget_json")?;
    Ok(Some(JobView {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        created_by: row.try_get("created_by")?,
        permission: parse_permission(&permission)
            .ok_or_else(|| Error::Internal(format!("job {id} has an unknown permission {permission}")))?,
        created_at: format_ms(row.try_get("created_at")?),
        not_before: format_ms(row.try_get("not_before")?),
        started_at: row.try_get::<Option<i64>, _>("started_at")?.map(format_ms),
        finished_at: row.try_get::<Option<i64>, _>("finished_at")?.map(format_ms),
        state: JobState::parse(&state)
            .ok_or_else(|| Error::Internal(format!("job {id} has an unknown state {state}")))?,
        error: row.try_get("error")?,
        cancelled_by: row.try_get("cancelled_by")?,
        counts: counts(db, id).await?,
        budget: budget.and_then(|json| parse_budget(&json)),
    }))
}

/// The latest `limit` jobs of `kind`, newest first.
pub async fn recent(db: &SqlitePool, kind: &str, limit: u32) -> Result<Vec<JobView>, Error> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM jobs WHERE kind = ? ORDER BY created_at DESC, id LIMIT ?")
            .bind(kind)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?;
    let mut jobs = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(job) = get(db, &id).await? {
            jobs.push(job);
        }
    }
    Ok(jobs)
}

/// Items per status.
pub async fn counts(db: &SqlitePool, id: &str) -> Result<JobCounts, Error> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM job_items WHERE job_id = ? GROUP BY status")
        .bind(id)
        .fetch_all(db)
        .await?;
    let mut counts = JobCounts::default();
    for row in rows {
        let status: String = row.try_get("status")?;
        let n = u32::try_from(row.try_get::<i64, _>("n")?).unwrap_or(u32::MAX);
        counts.total += n;
        match ItemStatus::parse(&status) {
            Some(ItemStatus::Pending) => counts.pending += n,
            Some(ItemStatus::Running) => counts.running += n,
            Some(ItemStatus::Done) => counts.done += n,
            Some(ItemStatus::Failed) => counts.failed += n,
            Some(ItemStatus::Skipped) => counts.skipped += n,
            None => return Err(Error::Internal(format!("job {id} has an item in status {status}"))),
        }
    }
    Ok(counts)
}

/// A page of a job's items in order, optionally only those in one status.
pub async fn items(db: &SqlitePool, id: &str, query: &JobItemsQuery) -> Result<Vec<JobItemView>, Error> {
    let limit = query.limit.clamp(1, MAX_ITEMS_PAGE);
    let rows = sqlx::query(
        "SELECT seq, key, status, message, result FROM job_items \
         WHERE job_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY seq LIMIT ?3 OFFSET ?4",
    )
    .bind(id)
    .bind(query.status.map(ItemStatus::as_str))
    .bind(i64::from(limit))
    .bind(i64::from(query.offset))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(JobItemView {
                seq: u32::try_from(row.try_get::<i64, _>("seq")?).unwrap_or(u32::MAX),
                key: row.try_get("key")?,
                status: ItemStatus::parse(&status)
                    .ok_or_else(|| Error::Internal(format!("unknown item status {status}")))?,
                message: row.try_get("message")?,
                result: row.try_get("result")?,
            })
        })
        .collect()
}

/// What [`cancel`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelOutcome {
    /// It had not started: nothing of it was done.
    CancelledBeforeStart,
    /// It was running: it stops before its next item; items already done stay done.
    StoppedWhileRunning,
    /// It had already finished in this state; nothing changed.
    AlreadyFinished(JobState),
    /// There is no such job.
    NotFound,
}

/// Cancels a job: before it starts nothing happens at all; while it runs, the runner stops
/// before the next item and skips the rest.
pub async fn cancel(db: &SqlitePool, id: &str, by: &str) -> Result<CancelOutcome, Error> {
    // `IMMEDIATE`: this reads the state, then writes. A deferred transaction would be refused
    // (SQLITE_BUSY, no waiting) at its first write if another connection — the runner taking
    // the job — wrote in between; seen as a 500 on a busy machine.
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let row = sqlx::query("SELECT state, lease_until FROM jobs WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        return Ok(CancelOutcome::NotFound);
    };
    let state: String = row.try_get("state")?;
    let lease_until: Option<i64> = row.try_get("lease_until")?;
    let Some(state) = JobState::parse(&state) else {
        return Err(Error::Internal(format!("job {id} has an unknown state {state}")));
    };
    // A running job whose runner died (lease expired) has nobody to notice the cancel:
    // it is finished here like a waiting one.
    let runner_alive = lease_until.is_some_and(|until| until >= now_ms());
    let outcome = match state {
        JobState::Waiting | JobState::Running if state == JobState::Waiting || !runner_alive => {
            sqlx::query(
                "UPDATE jobs SET state = 'cancelled', cancelled_by = ?, finished_at = ?, lease_owner = NULL \
                 WHERE id = ? AND state IN ('waiting', 'running')",
            )
            .bind(by)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE job_items SET status = 'skipped', message = 'Cancelled before it ran.' \
                 WHERE job_id = ? AND status IN ('pending', 'running')",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if state == JobState::Waiting {
                CancelOutcome::CancelledBeforeStart
            } else {
                CancelOutcome::StoppedWhileRunning
            }
        }
        JobState::Running => {
            // The runner sees the state at its next item, skips the rest and finishes the job.
            sqlx::query(
                "UPDATE jobs SET state = 'cancelled', cancelled_by = ? WHERE id = ? AND state = 'running'",
            )
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            CancelOutcome::StoppedWhileRunning
        }
        finished => CancelOutcome::AlreadyFinished(finished),
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The permission a job needs, without loading the rest (server functions check it first).
pub async fn permission_of(db: &SqlitePool, id: &str) -> Result<Option<Permission>, Error> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT permission FROM jobs WHERE id = ?").bind(id).fetch_optional(db).await?;
    Ok(name.as_deref().and_then(parse_permission))
}

/// A job's payload (e.g. for a result file).
pub async fn payload_of(db: &SqlitePool, id: &str) -> Result<Option<Value>, Error> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT payload FROM jobs WHERE id = ?").bind(id).fetch_optional(db).await?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

fn new_id() -> String {
    crate::secure_random::bytes::<12>().iter().map(|b| format!("{b:02x}")).collect()
}

fn permission_name(permission: Permission) -> String {
    match serde_json::to_value(permission) {
        Ok(Value::String(name)) => name,
        _ => format!("{permission:?}"),
    }
}

pub(crate) fn parse_permission(name: &str) -> Option<Permission> {
    serde_json::from_value(Value::String(name.to_owned())).ok()
}

pub(crate) fn budget_json(report: &BudgetReport) -> String {
    serde_json::json!({
        "per_second": report.per_second,
        "attempts": report.attempts,
        "delayed": report.delayed,
        "waited_ms": report.waited_ms,
    })
    .to_string()
}

fn parse_budget(json: &str) -> Option<BudgetReport> {
    let value: Value = serde_json::from_str(json).ok()?;
    Some(BudgetReport {
        per_second: value["per_second"].as_u64().and_then(|n| u32::try_from(n).ok()),
        attempts: value["attempts"].as_u64()?,
        delayed: value["delayed"].as_u64()?,
        waited_ms: value["waited_ms"].as_u64()?,
    })
}
