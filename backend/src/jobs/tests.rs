//! The runner against a real SQLite file and a recording handler (no Social+ calls: the
//! handler decides each item's outcome from its input).

use super::*;
use async_trait::async_trait;
use serde_json::json;
use sqlx::SqlitePool;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::Notify;
use types::{
    Permission,
    jobs::{ItemStatus, JobItemsQuery, JobState},
};

/// Runs items by their input: `{"fail": true}` fails the item, `{"fatal": true}` fails the
/// job, `{"hang": true}` never returns (a console that dies mid-call).
struct Recording {
    calls: Mutex<Vec<u32>>,
    rerun: bool,
    started_hanging: Notify,
}

impl Recording {
    fn new(rerun: bool) -> Arc<Self> {
        Arc::new(Self { calls: Mutex::new(Vec::new()), rerun, started_hanging: Notify::new() })
    }

    fn calls(&self) -> Vec<u32> {
        self.calls.lock().expect("not poisoned").clone()
    }
}

#[async_trait]
impl JobHandler for Recording {
    fn kind(&self) -> &'static str {
        "test_kind"
    }

    fn rerun_interrupted(&self) -> bool {
        self.rerun
    }

    async fn run_item(&self, _job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure> {
        self.calls.lock().expect("not poisoned").push(item.seq);
        if item.input["hang"] == true {
            self.started_hanging.notify_one();
            std::future::pending::<()>().await;
        }
        if item.input["fatal"] == true {
            return Err(ItemFailure::fatal("the token was refused"));
        }
        if item.input["fail"] == true {
            return Err(ItemFailure::item(format!("{} does not exist", item.key)));
        }
        Ok(ItemOutcome { message: Some("ok".into()), result: Some(json!({ "seq": item.seq })) })
    }
}

async fn database() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = crate::db::open(&dir.path().join("console.db")).await.expect("database");
    (db, dir)
}

fn runner(db: &SqlitePool, handler: Arc<Recording>, lease: Duration) -> Runner {
    // Never called: the recording handler does not use Social+.
    let config = upstream::ClientConfig::new(
        url::Url::parse("http://127.0.0.1:9").expect("url"),
        secrecy::SecretString::from("unused".to_owned()),
    );
    let client = upstream::Client::new(config).expect("client");
    let mut registry = Registry::new();
    registry.register(handler);
    Runner::new(db.clone(), Arc::new(client), registry, RunnerConfig { lease, ..RunnerConfig::default() })
}

fn job(inputs: &[serde_json::Value], delay: Duration) -> NewJob {
    NewJob {
        kind: "test_kind",
        created_by: "ann".into(),
        permission: Permission::BanUsers,
        payload: json!({ "reason": "test" }),
        items: inputs
            .iter()
            .enumerate()
            .map(|(i, input)| NewItem { key: format!("user-{i}"), input: input.clone() })
            .collect(),
        delay,
    }
}

async fn statuses(db: &SqlitePool, id: &str) -> Vec<ItemStatus> {
    let query = JobItemsQuery { limit: 100, ..JobItemsQuery::default() };
    items(db, id, &query).await.expect("items").into_iter().map(|i| i.status).collect()
}

#[tokio::test]
async fn a_submitted_job_runs_every_item_in_order_and_records_results() {
    let (db, _dir) = database().await;
    let handler = Recording::new(true);
    let id = submit(&db, &job(&[json!({}), json!({}), json!({})], Duration::ZERO)).await.expect("submit");
    let waiting = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!(waiting.state, JobState::Waiting);
    assert_eq!((waiting.counts.total, waiting.counts.pending), (3, 3));
    assert_eq!(waiting.permission, Permission::BanUsers);

    assert_eq!(runner(&db, handler.clone(), Duration::from_secs(30)).run_due().await.expect("run"), 1);

    assert_eq!(handler.calls(), vec![0, 1, 2]);
    let done = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!(done.state, JobState::Done);
    assert_eq!((done.counts.done, done.counts.percent()), (3, 100));
    assert!(done.started_at.is_some() && done.finished_at.is_some());
    let listed = items(&db, &id, &JobItemsQuery { limit: 10, ..Default::default() }).await.expect("items");
    assert_eq!(listed[1].key, "user-1");
    assert_eq!(listed[1].result.as_deref(), Some(r#"{"seq":1}"#));
}

#[tokio::test]
async fn a_job_waits_out_its_undo_window_and_cancelling_it_there_does_nothing() {
    let (db, _dir) = database().await;
    let handler = Recording::new(true);
    let runner = runner(&db, handler.clone(), Duration::from_secs(30));
    let id = submit(&db, &job(&[json!({}), json!({})], Duration::from_secs(5))).await.expect("submit");

    assert_eq!(runner.run_due().await.expect("run"), 0, "not due before its window ends");
    assert_eq!(cancel(&db, &id, "bob").await.expect("cancel"), CancelOutcome::CancelledBeforeStart);
    assert_eq!(
        cancel(&db, &id, "bob").await.expect("cancel"),
        CancelOutcome::AlreadyFinished(JobState::Cancelled)
    );

    sqlx::query("UPDATE jobs SET not_before = 0").execute(&db).await.expect("make it due");
    assert_eq!(runner.run_due().await.expect("run"), 0, "a cancelled job never runs");
    assert!(handler.calls().is_empty());
    let view = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!((view.state, view.cancelled_by.as_deref()), (JobState::Cancelled, Some("bob")));
    assert_eq!(statuses(&db, &id).await, vec![ItemStatus::Skipped, ItemStatus::Skipped]);
    assert_eq!(cancel(&db, "no-such-job", "bob").await.expect("cancel"), CancelOutcome::NotFound);
}

#[tokio::test]
async fn a_failing_item_is_recorded_and_the_rest_still_run() {
    let (db, _dir) = database().await;
    let handler = Recording::new(true);
    let id = submit(&db, &job(&[json!({}), json!({ "fail": true }), json!({})], Duration::ZERO))
        .await
        .expect("submit");
    runner(&db, handler.clone(), Duration::from_secs(30)).run_due().await.expect("run");

    assert_eq!(handler.calls(), vec![0, 1, 2]);
    let view = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!(view.state, JobState::Done);
    assert_eq!((view.counts.done, view.counts.failed), (2, 1));
    let failed = items(&db, &id, &JobItemsQuery { status: Some(ItemStatus::Failed), offset: 0, limit: 10 })
        .await
        .expect("items");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].message.as_deref(), Some("user-1 does not exist"));
}

#[tokio::test]
async fn a_fatal_failure_fails_the_job_and_skips_the_rest() {
    let (db, _dir) = database().await;
    let handler = Recording::new(true);
    let id = submit(&db, &job(&[json!({}), json!({ "fatal": true }), json!({})], Duration::ZERO))
        .await
        .expect("submit");
    runner(&db, handler.clone(), Duration::from_secs(30)).run_due().await.expect("run");

    assert_eq!(handler.calls(), vec![0, 1]);
    let view = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!((view.state, view.error.as_deref()), (JobState::Failed, Some("the token was refused")));
    assert_eq!(statuses(&db, &id).await, vec![ItemStatus::Done, ItemStatus::Failed, ItemStatus::Skipped]);
}

/// Runs a job until its item 2 hangs, then kills that runner like a crashed process.
async fn crash_at_item_two(db: &SqlitePool, lease: Duration) -> String {
    let inputs = [json!({}), json!({}), json!({ "hang": true }), json!({}), json!({})];
    let id = submit(db, &job(&inputs, Duration::ZERO)).await.expect("submit");
    let first = Recording::new(true);
    let task = tokio::spawn({
        let runner = runner(db, first.clone(), lease);
        async move { runner.run_due().await }
    });
    first.started_hanging.notified().await;
    task.abort();
    let _ = task.await;
    id
}

#[tokio::test]
async fn after_a_restart_the_job_resumes_at_its_first_unfinished_item() {
    let (db, _dir) = database().await;
    let lease = Duration::from_millis(300);
    let id = crash_at_item_two(&db, lease).await;
    let mid = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!(mid.state, JobState::Running);
    assert_eq!((mid.counts.done, mid.counts.running, mid.counts.pending), (2, 1, 2), "progress");

    // A new process: nothing to do while the dead runner's lease holds, then it takes over.
    let handler = Recording::new(true);
    let second = runner(&db, handler.clone(), lease);
    assert_eq!(second.run_due().await.expect("run"), 0, "the lease keeps a second runner out");
    tokio::time::sleep(lease + Duration::from_millis(100)).await;
    sqlx::query("UPDATE job_items SET input = '{}' WHERE seq = 2").execute(&db).await.expect("unhang");
    assert_eq!(second.run_due().await.expect("run"), 1);

    assert_eq!(handler.calls(), vec![2, 3, 4], "the done items are not run again");
    let view = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!((view.state, view.counts.done), (JobState::Done, 5));
}

#[tokio::test]
async fn an_interrupted_item_that_is_unsafe_to_repeat_is_recorded_as_failed() {
    let (db, _dir) = database().await;
    let lease = Duration::from_millis(200);
    let id = crash_at_item_two(&db, lease).await;
    tokio::time::sleep(lease + Duration::from_millis(100)).await;

    let handler = Recording::new(false);
    runner(&db, handler.clone(), lease).run_due().await.expect("run");

    assert_eq!(handler.calls(), vec![3, 4]);
    let failed = items(&db, &id, &JobItemsQuery { status: Some(ItemStatus::Failed), offset: 0, limit: 10 })
        .await
        .expect("items");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].seq, 2);
    assert!(failed[0].message.as_deref().unwrap_or_default().contains("Interrupted by a console restart"));
}

/// Cancels its own job at item 1, like a person pressing Cancel while it runs.
struct CancelsAtItemOne(Recording);

#[async_trait]
impl JobHandler for CancelsAtItemOne {
    fn kind(&self) -> &'static str {
        "test_kind"
    }

    async fn run_item(&self, job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure> {
        if item.seq == 1 {
            let outcome =
                cancel(job.db, job.id, "carol").await.map_err(|e| ItemFailure::item(e.to_string()))?;
            assert_eq!(outcome, CancelOutcome::StoppedWhileRunning);
        }
        self.0.run_item(job, item).await
    }
}

#[tokio::test]
async fn cancelling_a_running_job_stops_it_before_the_next_item() {
    let (db, _dir) = database().await;
    let id = submit(&db, &job(&[json!({}), json!({}), json!({}), json!({})], Duration::ZERO))
        .await
        .expect("submit");
    let handler = Arc::new(CancelsAtItemOne(Recording {
        calls: Mutex::default(),
        rerun: true,
        started_hanging: Notify::new(),
    }));
    let mut registry = Registry::new();
    registry.register(handler.clone());
    let config = upstream::ClientConfig::new(
        url::Url::parse("http://127.0.0.1:9").expect("url"),
        secrecy::SecretString::from("unused".to_owned()),
    );
    let client = upstream::Client::new(config).expect("client");
    Runner::new(db.clone(), Arc::new(client), registry, RunnerConfig::default())
        .run_due()
        .await
        .expect("run");

    assert_eq!(handler.0.calls(), vec![0, 1], "item 1 finishes; items 2 and 3 never start");
    let view = get(&db, &id).await.expect("get").expect("exists");
    assert_eq!(view.state, JobState::Cancelled);
    assert!(view.finished_at.is_some());
    assert_eq!(
        statuses(&db, &id).await,
        vec![ItemStatus::Done, ItemStatus::Done, ItemStatus::Skipped, ItemStatus::Skipped]
    );
}

#[tokio::test]
async fn a_runner_leaves_kinds_it_has_no_handler_for_alone() {
    let (db, _dir) = database().await;
    let mut other = job(&[json!({})], Duration::ZERO);
    other.kind = "someone_elses_kind";
    let id = submit(&db, &other).await.expect("submit");
    assert_eq!(runner(&db, Recording::new(true), Duration::from_secs(30)).run_due().await.expect("run"), 0);
    assert_eq!(get(&db, &id).await.expect("get").expect("exists").state, JobState::Waiting);
}
