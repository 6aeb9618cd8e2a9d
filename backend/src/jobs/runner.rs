//! The background task that runs due jobs. One per process, spawned at start-up.
//!
//! Claiming is one conditional `UPDATE … RETURNING`: a job is taken when it is waiting and
//! due, or when it is running under a lease that has expired (its runner died). The lease
//! is renewed before every item and by a heartbeat during long items, so while a runner is
//! alive no other instance can take its job. Every item is marked `running` before its call
//! and `done`/`failed` after, which is what lets a restart resume exactly where it stopped.

use super::{
    handler::{JobContext, JobHandler, JobItem, Registry},
    now_ms,
    store::{self, budget_json},
};
use serde_json::Value;
use sqlx::{Row, SqlitePool};
use std::{sync::Arc, time::Duration};
use tokio::{task::JoinSet, time::sleep};
use types::jobs::BudgetReport;
use upstream::{Client, budget::BudgetUsage};

/// Reads the shared request budget's counters (`Client::budget_usage`); a runner without a
/// probe records no budget use.
pub type BudgetProbe = Arc<dyn Fn() -> BudgetUsage + Send + Sync>;

/// How the runner paces itself.
#[derive(Clone, Copy, Debug)]
pub struct RunnerConfig {
    /// How often to look for due jobs when idle.
    pub poll: Duration,
    /// How long a claim holds without renewal; a crashed runner's jobs resume after it.
    pub lease: Duration,
    /// Jobs run at the same time (they share the request budget).
    pub max_concurrent: usize,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self { poll: Duration::from_millis(500), lease: Duration::from_secs(30), max_concurrent: 4 }
    }
}

/// Executes due jobs through their kinds' handlers.
#[derive(Clone)]
pub struct Runner {
    db: SqlitePool,
    upstream: Arc<Client>,
    registry: Arc<Registry>,
    owner: Arc<str>,
    config: RunnerConfig,
    budget: Option<BudgetProbe>,
}

/// A job this runner holds the lease of.
struct Claimed {
    id: String,
    kind: String,
    created_by: String,
    permission: types::Permission,
    payload: Value,
}

impl Runner {
    /// A runner with a fresh instance id (leases name it).
    pub fn new(db: SqlitePool, upstream: Arc<Client>, registry: Registry, config: RunnerConfig) -> Self {
        let owner = crate::secure_random::bytes::<8>().iter().map(|b| format!("{b:02x}")).collect::<String>();
        Self { db, upstream, registry: Arc::new(registry), owner: owner.into(), config, budget: None }
    }

    /// Records the request budget's use while each job runs.
    pub fn with_budget_probe(mut self, probe: BudgetProbe) -> Self {
        self.budget = Some(probe);
        self
    }

    /// Runs forever: claims due jobs up to `max_concurrent` and runs them.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move { self.run_forever().await })
    }

    async fn run_forever(self) {
        let mut running = JoinSet::new();
        loop {
            while running.len() < self.config.max_concurrent.max(1) {
                match self.claim().await {
                    Ok(Some(job)) => {
                        let runner = self.clone();
                        running.spawn(async move { runner.run_claimed(job).await });
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::error!(%error, "could not claim a job");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = sleep(self.config.poll) => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
        }
    }

    /// Claims and runs due jobs one after another until none is due; returns how many ran.
    /// (The background task does the same concurrently; tests use this to step the runner.)
    pub async fn run_due(&self) -> Result<usize, crate::Error> {
        let mut ran = 0;
        while let Some(job) = self.claim().await? {
            self.run_claimed(job).await;
            ran += 1;
        }
        Ok(ran)
    }

    async fn claim(&self) -> Result<Option<Claimed>, sqlx::Error> {
        let kinds = serde_json::to_string(&self.registry.kinds()).unwrap_or_else(|_| "[]".into());
        let now = now_ms();
        let row = sqlx::query(
            "UPDATE jobs SET state = 'running', lease_owner = ?1, lease_until = ?2, \
                 started_at = COALESCE(started_at, ?3) \
             WHERE id = (SELECT id FROM jobs \
                 WHERE kind IN (SELECT value FROM json_each(?4)) \
                   AND ((state = 'waiting' AND not_before <= ?3) \
                     OR (state = 'running' AND lease_until < ?3)) \
                 ORDER BY not_before, created_at LIMIT 1) \
             RETURNING id, kind, created_by, permission, payload",
        )
        .bind(self.owner.as_ref())
        .bind(now.saturating_add(self.lease_ms()))
        .bind(now)
        .bind(kinds)
        .fetch_optional(&self.db)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let payload: String = row.try_get("payload")?;
        let permission: String = row.try_get("permission")?;
        Ok(Some(Claimed {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            created_by: row.try_get("created_by")?,
            // Unreadable counts as the least permission: deny by default.
            permission: store::parse_permission(&permission).unwrap_or(types::Permission::ViewUsers),
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
        }))
    }

    fn lease_ms(&self) -> i64 {
        i64::try_from(self.config.lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Extends the lease; false when the job is no longer ours to run (cancelled, or another
    /// instance took over after our lease expired).
    async fn renew(&self, id: &str) -> Result<bool, sqlx::Error> {
        let renewed = sqlx::query(
            "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
        )
        .bind(now_ms().saturating_add(self.lease_ms()))
        .bind(id)
        .bind(self.owner.as_ref())
        .execute(&self.db)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    async fn run_claimed(&self, job: Claimed) {
        let Some(handler) = self.registry.get(&job.kind) else {
            // Unreachable by the claim query; kept so a logic slip cannot loop forever.
            tracing::error!(job = %job.id, kind = %job.kind, "no handler for a claimed job");
            return;
        };
        // The heartbeat lives in the same future as the work (not a spawned task), so
        // whatever stops the work (a crash, an abort at shutdown) stops renewing the lease too.
        let heartbeat = async {
            loop {
                sleep(self.config.lease / 3).await;
                if let Err(error) = self.renew(&job.id).await {
                    tracing::warn!(job = %job.id, %error, "could not renew a job's lease");
                }
            }
        };
        let budget_before = self.budget.as_ref().map(|probe| probe());
        let result = tokio::select! {
            result = self.work_through(&job, handler.as_ref()) => result,
            never = heartbeat => never,
        };
        if let Err(error) = result {
            tracing::error!(job = %job.id, %error, "job stopped on a database error; it resumes when its lease expires");
            return;
        }
        let budget = match (&self.budget, budget_before) {
            (Some(probe), Some(before)) => Some(budget_delta(before, probe())),
            _ => None,
        };
        if let Err(error) = self.finish(&job, handler.as_ref(), budget).await {
            tracing::error!(job = %job.id, %error, "could not finish a job");
        }
    }

    /// Runs items until none is pending or the job stops being ours.
    async fn work_through(&self, job: &Claimed, handler: &dyn JobHandler) -> Result<(), sqlx::Error> {
        self.settle_interrupted(&job.id, handler).await?;
        let context = JobContext {
            id: &job.id,
            created_by: &job.created_by,
            permission: job.permission,
            payload: &job.payload,
            upstream: self.upstream.as_ref(),
            db: &self.db,
        };
        loop {
            if !self.renew(&job.id).await? {
                return Ok(());
            }
            let Some(item) = self.next_pending(&job.id).await? else {
                return Ok(());
            };
            self.set_item(&job.id, item.seq, "running", None, None).await?;
            match handler.run_item(&context, &item).await {
                Ok(outcome) => {
                    let result = outcome.result.map(|v| v.to_string());
                    self.set_item(&job.id, item.seq, "done", outcome.message.as_deref(), result.as_deref())
                        .await?;
                }
                Err(failure) => {
                    self.set_item(&job.id, item.seq, "failed", Some(&failure.message), None).await?;
                    if failure.stop_job {
                        sqlx::query(
                            "UPDATE jobs SET state = 'failed', error = ? \
                             WHERE id = ? AND lease_owner = ? AND state = 'running'",
                        )
                        .bind(&failure.message)
                        .bind(&job.id)
                        .bind(self.owner.as_ref())
                        .execute(&self.db)
                        .await?;
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Items left `running` by a runner that died mid-call: run again when the handler
    /// says that is safe, otherwise recorded as failed so nobody assumes either outcome.
    async fn settle_interrupted(&self, id: &str, handler: &dyn JobHandler) -> Result<(), sqlx::Error> {
        if handler.rerun_interrupted() {
            sqlx::query("UPDATE job_items SET status = 'pending' WHERE job_id = ? AND status = 'running'")
                .bind(id)
                .execute(&self.db)
                .await?;
        } else {
            sqlx::query(
                "UPDATE job_items SET status = 'failed', finished_at = ?, message = 'Interrupted by a console \
                 restart while Social+ was being called; not retried because it may already have happened. \
                 Check it and repeat it by hand if needed.' WHERE job_id = ? AND status = 'running'",
            )
            .bind(now_ms())
            .bind(id)
            .execute(&self.db)
            .await?;
        }
        Ok(())
    }

    async fn next_pending(&self, id: &str) -> Result<Option<JobItem>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT seq, key, input FROM job_items WHERE job_id = ? AND status = 'pending' ORDER BY seq LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.db)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let input: String = row.try_get("input")?;
        Ok(Some(JobItem {
            seq: u32::try_from(row.try_get::<i64, _>("seq")?).unwrap_or(u32::MAX),
            key: row.try_get("key")?,
            input: serde_json::from_str(&input).unwrap_or(Value::Null),
        }))
    }

    async fn set_item(
        &self,
        id: &str,
        seq: u32,
        status: &str,
        message: Option<&str>,
        result: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let finished = (status != "running").then(now_ms);
        sqlx::query(
            "UPDATE job_items SET status = ?, message = ?, result = ?, finished_at = ? WHERE job_id = ? AND seq = ?",
        )
        .bind(status)
        .bind(message)
        .bind(result)
        .bind(finished)
        .bind(id)
        .bind(i64::from(seq))
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Puts the job in its final state: done when it ran out of items, otherwise as it was
    /// stopped (cancelled or failed), with the rest of its items skipped.
    async fn finish(
        &self,
        job: &Claimed,
        handler: &dyn JobHandler,
        budget: Option<BudgetReport>,
    ) -> Result<(), crate::Error> {
        let owner: Option<String> = sqlx::query_scalar("SELECT lease_owner FROM jobs WHERE id = ?")
            .bind(&job.id)
            .fetch_optional(&self.db)
            .await?
            .flatten();
        if owner.as_deref() != Some(self.owner.as_ref()) {
            // Another instance took over after our lease ran out; it finishes the job.
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE job_items SET status = 'skipped', message = 'Not run: the job was stopped first.' \
             WHERE job_id = ? AND status = 'pending' \
               AND (SELECT state FROM jobs WHERE id = ?) IN ('cancelled', 'failed')",
        )
        .bind(&job.id)
        .bind(&job.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE jobs SET state = CASE state WHEN 'running' THEN 'done' ELSE state END, \
                 finished_at = ?, lease_owner = NULL, lease_until = NULL, budget_json = ? \
             WHERE id = ? AND lease_owner = ?",
        )
        .bind(now_ms())
        .bind(budget.as_ref().map(budget_json))
        .bind(&job.id)
        .bind(self.owner.as_ref())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if let Some(view) = store::get(&self.db, &job.id).await? {
            let context = JobContext {
                id: &job.id,
                created_by: &job.created_by,
                permission: job.permission,
                payload: &job.payload,
                upstream: self.upstream.as_ref(),
                db: &self.db,
            };
            handler.finished(&context, view.state, &view.counts).await;
        }
        Ok(())
    }
}

fn budget_delta(before: BudgetUsage, after: BudgetUsage) -> BudgetReport {
    BudgetReport {
        per_second: after.per_second,
        attempts: after.attempts.saturating_sub(before.attempts),
        delayed: after.delayed.saturating_sub(before.delayed),
        waited_ms: u64::try_from(after.waited.saturating_sub(before.waited).as_millis()).unwrap_or(u64::MAX),
    }
}
