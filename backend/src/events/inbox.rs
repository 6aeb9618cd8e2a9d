//! The webhook inbox: a verified delivery is written to `webhook_deliveries` and committed
//! with `synchronous = FULL` (the WAL is fsynced) *before* the intake answers 200, so an
//! acknowledged delivery survives a crash or power cut.
//!
//! One writer task owns a dedicated connection and commits in groups: it takes every
//! delivery waiting in its channel (up to [`MAX_GROUP`]), inserts them in one transaction,
//! commits once, then answers each waiting request. Under load one fsync covers hundreds of
//! deliveries; when idle a single delivery is committed at once. An identical body (same
//! SHA-256) is stored once; later copies only count in `duplicates`.
//!
//! [`prune`] deletes deliveries past their retention (never pending ones), in small batches,
//! each taking its turn at the [`WriteGate`] so acknowledgements are not held up.

use sqlx::{
    Connection, QueryBuilder, Sqlite, SqliteConnection, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteSynchronous},
};
use std::sync::Arc;
use tokio::sync::{Notify, mpsc, oneshot};

/// Most deliveries committed together.
pub const MAX_GROUP: usize = 2_048;
/// Deliveries waiting for the writer before new ones are turned away with 503.
const QUEUE: usize = 8_192;

/// A verified delivery, ready to store.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The raw body exactly as signed.
    pub body: Vec<u8>,
    /// Its SHA-256 (lowercase hex).
    pub body_sha256: String,
    /// The label of the secret that verified it.
    pub secret_label: String,
    /// `base64` or `hex`.
    pub signature_kind: &'static str,
    /// The `event` field of the body.
    pub event_name: String,
    /// Unix milliseconds.
    pub received_at: i64,
}

/// What became of a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, with this id.
    New(i64),
    /// An identical body was already stored under this id; counted as a duplicate.
    Duplicate(i64),
}

/// Why a delivery could not be stored (the sender will retry on a non-2xx answer).
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// Too many deliveries are waiting for the disk.
    #[error("the inbox is full")]
    Full,
    /// The writer stopped.
    #[error("the inbox writer stopped")]
    Closed,
    /// The database refused the group.
    #[error("storing the delivery failed: {0}")]
    Database(String),
}

type Waiting = (Delivery, oneshot::Sender<Result<Stored, String>>);

/// Taken around every write transaction of the inbox writer and the processor, so they take
/// turns in the process instead of meeting SQLite's lock, whose busy handler sleeps in steps
/// of up to 100 ms and would stall the acknowledgements.
pub type WriteGate = Arc<tokio::sync::Mutex<()>>;

/// A handle to the inbox writer; cheap to clone.
#[derive(Clone, Debug)]
pub struct Inbox {
    sender: mpsc::Sender<Waiting>,
}

impl Inbox {
    /// Opens the writer's own connection to the console database (same file and options as
    /// `db`, but fully synchronous) and starts the writer. `stored` is notified after every
    /// commit that stored something new, so the processor wakes at once.
    pub async fn open(db: &SqlitePool, stored: Arc<Notify>, gate: WriteGate) -> Result<Self, sqlx::Error> {
        let options = db.connect_options().as_ref().clone().synchronous(SqliteSynchronous::Full);
        let connection = SqliteConnection::connect_with(&options).await?;
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(connection, options, receiver, stored, gate));
        Ok(Self { sender })
    }

    /// Stores one delivery and returns once it is durable.
    pub async fn store(&self, delivery: Delivery) -> Result<Stored, InboxError> {
        let (answer, answered) = oneshot::channel();
        self.sender.try_send((delivery, answer)).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => InboxError::Full,
            mpsc::error::TrySendError::Closed(_) => InboxError::Closed,
        })?;
        answered.await.map_err(|_| InboxError::Closed)?.map_err(InboxError::Database)
    }
}

async fn write_groups(
    mut connection: SqliteConnection,
    options: SqliteConnectOptions,
    mut receiver: mpsc::Receiver<Waiting>,
    stored: Arc<Notify>,
    gate: WriteGate,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while receiver.recv_many(&mut group, MAX_GROUP).await > 0 {
        let turn = gate.lock().await;
        // Whatever arrived while waiting for the turn joins this group.
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(waiting) => group.push(waiting),
                Err(_) => break,
            }
        }
        let written = write_group(&mut connection, &group).await;
        drop(turn);
        match written {
            Ok(outcomes) => {
                let any_new = outcomes.iter().any(|o| matches!(o, Stored::New(_)));
                for ((_, answer), outcome) in group.drain(..).zip(outcomes) {
                    let _ = answer.send(Ok(outcome));
                }
                if any_new {
                    stored.notify_one();
                }
            }
            Err(error) => {
                tracing::error!(%error, deliveries = group.len(), "could not store webhook deliveries");
                for (_, answer) in group.drain(..) {
                    let _ = answer.send(Err(error.to_string()));
                }
                // A broken connection is replaced; a busy database just fails this group.
                match SqliteConnection::connect_with(&options).await {
                    Ok(fresh) => connection = fresh,
                    Err(error) => tracing::error!(%error, "could not reopen the inbox connection"),
                }
            }
        }
    }
}

async fn write_group(
    connection: &mut SqliteConnection,
    group: &[Waiting],
) -> Result<Vec<Stored>, sqlx::Error> {
    let mut tx = connection.begin().await?;
    let mut outcomes = Vec::with_capacity(group.len());
    for (delivery, _) in group {
        let (id, duplicates): (i64, i64) = sqlx::query_as(
            "INSERT INTO webhook_deliveries \
             (received_at, body, body_sha256, secret_label, signature_kind, event_name, next_attempt_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?1) \
             ON CONFLICT (body_sha256) DO UPDATE SET duplicates = duplicates + 1 \
             RETURNING id, duplicates",
        )
        .bind(delivery.received_at)
        .bind(&delivery.body)
        .bind(&delivery.body_sha256)
        .bind(&delivery.secret_label)
        .bind(delivery.signature_kind)
        .bind(&delivery.event_name)
        .fetch_one(&mut *tx)
        .await?;
        outcomes.push(if duplicates == 0 { Stored::New(id) } else { Stored::Duplicate(id) });
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Deliveries deleted per transaction by [`prune`].
const PRUNE_BATCH: i64 = 500;

/// Deletes the deliveries received before `before` (Unix ms) that are no longer pending;
/// events made from them stay, without the link. Answers how many were deleted.
pub async fn prune(db: &SqlitePool, gate: &WriteGate, before: i64) -> Result<u64, sqlx::Error> {
    let mut pruned = 0;
    loop {
        let turn = gate.lock().await;
        let mut tx = db.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM webhook_deliveries WHERE received_at < ? AND state != 'pending' ORDER BY id LIMIT ?",
        )
        .bind(before)
        .bind(PRUNE_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if ids.is_empty() {
            return Ok(pruned);
        }
        for statement in [
            "UPDATE events SET delivery_id = NULL WHERE delivery_id IN (",
            "DELETE FROM webhook_deliveries WHERE id IN (",
        ] {
            let mut query = QueryBuilder::<Sqlite>::new(statement);
            let mut list = query.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            query.push(")");
            let done = query.build().execute(&mut *tx).await?;
            if statement.starts_with("DELETE") {
                pruned += done.rows_affected();
            }
        }
        tx.commit().await?;
        drop(turn);
        if (ids.len() as i64) < PRUNE_BATCH {
            return Ok(pruned);
        }
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finding_8_webhook_deliveries_past_their_retention_are_pruned_and_their_events_stay() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("db");
        let insert = |at: i64, sha: &'static str, state: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO webhook_deliveries (received_at, body, body_sha256, secret_label, signature_kind, \
                     event_name, state, next_attempt_at) VALUES (?, x'7b7d', ?, 'l', 'hex', 'e', ?, ?) RETURNING id",
                )
                .bind(at)
                .bind(sha)
                .bind(state)
                .bind(at)
                .fetch_one(&db)
                .await
                .expect("delivery")
            }
        };
        let old = insert(1_000, "old", "processed").await;
        insert(2_000, "old-failed", "failed").await;
        insert(3_000, "old-pending", "pending").await;
        insert(9_000, "new", "processed").await;
        sqlx::query(
            "INSERT INTO events (name, occurred_at, day, source, delivery_id, dedupe_key, data) \
             VALUES ('v3.post.didCreate', 1000, 0, 'webhook', ?, 'k', '{}')",
        )
        .bind(old)
        .execute(&db)
        .await
        .expect("event");

        let pruned = prune(&db, &WriteGate::default(), 5_000).await.expect("pruned");

        assert_eq!(pruned, 2);
        let left: Vec<String> = sqlx::query_scalar("SELECT body_sha256 FROM webhook_deliveries ORDER BY id")
            .fetch_all(&db)
            .await
            .expect("rows");
        assert_eq!(left, ["old-pending", "new"], "pending and recent deliveries stay");
        let link: Option<i64> = sqlx::query_scalar("SELECT delivery_id FROM events WHERE dedupe_key = 'k'")
            .fetch_one(&db)
            .await
            .expect("event");
        assert_eq!(link, None, "the event stays, without the link");
    }
}
