//! What a job kind does with each item. The module that owns a kind implements
//! [`JobHandler`] and registers it at start-up (`server/src/startup.rs`); the runner only
//! claims jobs whose kind it has a handler for, so a console that lacks one leaves them alone.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::SqlitePool;
use std::{collections::BTreeMap, sync::Arc};
use types::jobs::{JobCounts, JobState};
use upstream::Client;

/// The job an item belongs to, and what the handler may use to run it.
pub struct JobContext<'a> {
    /// The job's id.
    pub id: &'a str,
    /// The console account that submitted it (for audit entries).
    pub created_by: &'a str,
    /// The permission its submitter held (stored with the job); a handler whose items may
    /// need more than their kind's usual permission checks it per item.
    pub permission: types::Permission,
    /// The payload given at submission.
    pub payload: &'a Value,
    /// The Social+ client: calls through it share the console's request budget.
    pub upstream: &'a Client,
    /// The console database (for audit entries).
    pub db: &'a SqlitePool,
}

/// One item to run.
#[derive(Clone, Debug, PartialEq)]
pub struct JobItem {
    /// Position in the job, from 0.
    pub seq: u32,
    /// What it is about (a user id, "row 12").
    pub key: String,
    /// Its input, as given at submission.
    pub input: Value,
}

/// A succeeded item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemOutcome {
    /// What happened, in words ("created", "updated").
    pub message: Option<String>,
    /// Anything the result file or the UI needs.
    pub result: Option<Value>,
}

/// A failed item.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemFailure {
    /// Why, in words a person understands.
    pub message: String,
    /// Whether the rest of the job cannot succeed either (e.g. the admin token was refused):
    /// the job then fails and its remaining items are skipped.
    pub stop_job: bool,
}

impl ItemFailure {
    /// This item failed; the others may still work.
    pub fn item(message: impl Into<String>) -> Self {
        Self { message: message.into(), stop_job: false }
    }

    /// Nothing else will work either.
    pub fn fatal(message: impl Into<String>) -> Self {
        Self { message: message.into(), stop_job: true }
    }
}

/// The work of one job kind.
#[async_trait]
pub trait JobHandler: Send + Sync + 'static {
    /// The kind it runs, e.g. `user_import`.
    fn kind(&self) -> &'static str;

    /// Whether an item found half-run after a restart (its call may or may not have reached
    /// Social+) may simply be run again. Say `false` when running it twice would do harm;
    /// such items are then recorded as failed with an explanation.
    fn rerun_interrupted(&self) -> bool {
        true
    }

    /// Runs one item.
    async fn run_item(&self, job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure>;

    /// Called once when the job reaches a final state (e.g. to write a summary audit entry).
    async fn finished(&self, _job: &JobContext<'_>, _state: JobState, _counts: &JobCounts) {}
}

/// The handlers of this process, by kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: BTreeMap<&'static str, Arc<dyn JobHandler>>,
}

impl Registry {
    /// No handlers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `handler` for its kind (a second handler for the same kind replaces the first).
    pub fn register(&mut self, handler: Arc<dyn JobHandler>) -> &mut Self {
        self.handlers.insert(handler.kind(), handler);
        self
    }

    /// The handler for `kind`.
    pub fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }

    /// Every registered kind.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }
}
