//! One reader of new `events` rows for every open live stream (`GET /events/stream`), and the
//! caps on how many streams may be open.
//!
//! While at least one stream listens, a single poller reads the rows after its position every
//! [`POLL`] and broadcasts them as a [`Batch`] (`after` < id ≤ `upto`, every row, unfiltered);
//! each stream filters them in memory. A stream reads the database itself only to catch up:
//! from its starting cursor to the poller's position when it opens, and across a gap when it
//! fell behind the broadcast (a lagging receiver) — so a thousand idle streams cost one query
//! every 250 ms, not a thousand. With no stream open the poller stops.
//!
//! Streams are counted per person and in total ([`StreamLimits`]); [`LiveEvents::claim`]
//! refuses one past either cap, and the returned [`Slot`] frees its place when dropped.

use crate::event_stream;
use sqlx::SqlitePool;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};
use tokio::sync::broadcast;
use types::event_log::{EventFilter, EventRow};

/// How often the poller reads the table.
pub const POLL: Duration = Duration::from_millis(250);

/// Most rows in one broadcast batch (more are read at once, without waiting for the next tick).
const POLL_BATCH: u32 = 500;

/// Batches kept for receivers that have not read them yet; a slower stream catches up from
/// the database.
const CHANNEL: usize = 64;

/// New rows, every one with `after < id <= upto`, in id order.
#[derive(Debug)]
pub struct Batch {
    /// The poller's position before this batch.
    pub after: i64,
    /// Its position after it (the last row's id).
    pub upto: i64,
    /// The rows.
    pub rows: Vec<EventRow>,
}

/// How many streams may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    /// For one person.
    pub per_user: usize,
    /// For everyone together.
    pub total: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self { per_user: 8, total: 200 }
    }
}

/// Why a stream was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StreamRefused {
    /// This person has their maximum open.
    #[error("you have {0} live streams open already (the most one person may); close a tab and try again")]
    PerUser(usize),
    /// The console has its maximum open.
    #[error("the console has {0} live streams open (its limit); try again in a little while")]
    Total(usize),
}

/// The shared poller and the stream counts. Cheap to clone.
#[derive(Clone)]
pub struct LiveEvents {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for LiveEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveEvents").field("limits", &self.inner.limits).finish()
    }
}

struct Inner {
    db: SqlitePool,
    sender: broadcast::Sender<Arc<Batch>>,
    /// Whether the poller runs; held while subscribing and while the poller decides to stop.
    running: tokio::sync::Mutex<bool>,
    /// The poller's position: every row up to it has been broadcast.
    position: AtomicI64,
    limits: StreamLimits,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_user: HashMap<String, usize>,
}

/// A place among the open streams, given back when dropped.
pub struct Slot {
    inner: Arc<Inner>,
    user: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.inner.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_user.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.by_user.remove(&self.user);
            }
        }
    }
}

/// A stream's receiver of batches, and the poller's position when it subscribed: rows up to
/// it come from the database, later ones from the receiver.
pub struct Subscription {
    /// New batches.
    pub receiver: broadcast::Receiver<Arc<Batch>>,
    /// Every row up to here was broadcast before the receiver existed.
    pub position: i64,
}

impl LiveEvents {
    /// The hub for `db`; the poller starts with the first subscriber.
    pub fn new(db: SqlitePool, limits: StreamLimits) -> Self {
        let (sender, _) = broadcast::channel(CHANNEL);
        Self {
            inner: Arc::new(Inner {
                db,
                sender,
                running: tokio::sync::Mutex::new(false),
                position: AtomicI64::new(0),
                limits,
                open: Mutex::default(),
            }),
        }
    }

    /// Takes a place for one more stream of `user`, or says which cap refuses it.
    pub fn claim(&self, user: &str) -> Result<Slot, StreamRefused> {
        let limits = self.inner.limits;
        let mut open = self.inner.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if open.total >= limits.total {
            return Err(StreamRefused::Total(limits.total));
        }
        let mine = open.by_user.get(user).copied().unwrap_or(0);
        if mine >= limits.per_user {
            return Err(StreamRefused::PerUser(limits.per_user));
        }
        open.total += 1;
        open.by_user.insert(user.to_owned(), mine + 1);
        Ok(Slot { inner: self.inner.clone(), user: user.to_owned() })
    }

    /// Streams open now: (in total, for `user`).
    pub fn open_streams(&self, user: &str) -> (usize, usize) {
        let open = self.inner.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (open.total, open.by_user.get(user).copied().unwrap_or(0))
    }

    /// Subscribes to new batches, starting the poller if it is not running.
    pub async fn subscribe(&self) -> Result<Subscription, sqlx::Error> {
        let mut running = self.inner.running.lock().await;
        if !*running {
            let start = event_stream::newest_id(&self.inner.db).await?;
            self.inner.position.store(start, Ordering::SeqCst);
            *running = true;
            tokio::spawn(poll(self.inner.clone(), start));
        }
        let receiver = self.inner.sender.subscribe();
        Ok(Subscription { receiver, position: self.inner.position.load(Ordering::SeqCst) })
    }

    /// The poller's position now.
    pub fn position(&self) -> i64 {
        self.inner.position.load(Ordering::SeqCst)
    }
}

/// The poller: reads rows after `position` and broadcasts them, until nobody listens.
async fn poll(inner: Arc<Inner>, mut position: i64) {
    let mut wait = POLL;
    loop {
        tokio::time::sleep(wait).await;
        {
            let mut running = inner.running.lock().await;
            if inner.sender.receiver_count() == 0 {
                *running = false;
                return;
            }
        }
        wait = POLL;
        match event_stream::after(&inner.db, position, &EventFilter::default(), POLL_BATCH).await {
            Ok(rows) => {
                let Some(upto) = rows.last().map(|row| row.id) else { continue };
                if rows.len() == POLL_BATCH as usize {
                    // More are waiting: read them at once.
                    wait = Duration::ZERO;
                }
                inner.position.store(upto, Ordering::SeqCst);
                // No receiver left is fine: the next turn stops the poller.
                let _ = inner.sender.send(Arc::new(Batch { after: position, upto, rows }));
                position = upto;
            }
            Err(error) => {
                tracing::error!(%error, "the live event poller could not read events");
                wait = POLL * 4;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn hub(limits: StreamLimits) -> (tempfile::TempDir, SqlitePool, LiveEvents) {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("db");
        let hub = LiveEvents::new(db.clone(), limits);
        (dir, db, hub)
    }

    async fn insert(db: &SqlitePool, key: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO events (name, occurred_at, day, source, dedupe_key, data) \
             VALUES ('v3.post.didCreate', 0, 0, 'webhook', ?, '{}') RETURNING id",
        )
        .bind(key)
        .fetch_one(db)
        .await
        .expect("event")
    }

    #[tokio::test]
    async fn finding_7_streams_past_the_per_user_or_the_total_cap_are_refused_until_one_closes() {
        let (_dir, _db, hub) = hub(StreamLimits { per_user: 2, total: 3 }).await;
        let first = hub.claim("ann").expect("first");
        let _second = hub.claim("ann").expect("second");
        assert_eq!(hub.claim("ann").err(), Some(StreamRefused::PerUser(2)));
        let _bob = hub.claim("bob").expect("bob has his own count");
        assert_eq!(hub.claim("cid").err(), Some(StreamRefused::Total(3)));
        drop(first);
        assert_eq!(hub.open_streams("ann"), (2, 1));
        assert!(hub.claim("cid").is_ok(), "a closed stream frees its place");
    }

    #[tokio::test]
    async fn finding_7_one_poller_broadcasts_every_new_row_to_every_subscriber_and_stops_when_none_listen() {
        let (_dir, db, hub) = hub(StreamLimits::default()).await;
        let before = insert(&db, "a").await;
        let mut one = hub.subscribe().await.expect("one");
        let mut two = hub.subscribe().await.expect("two");
        assert_eq!((one.position, two.position), (before, before), "starts after the newest row");
        let new = insert(&db, "b").await;
        for subscription in [&mut one, &mut two] {
            let batch = tokio::time::timeout(Duration::from_secs(3), subscription.receiver.recv())
                .await
                .expect("a batch within the poll")
                .expect("open");
            assert_eq!((batch.after, batch.upto), (before, new));
            assert_eq!(batch.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [new]);
        }
        drop((one, two));
        tokio::time::sleep(POLL * 3).await;
        assert!(!*hub.inner.running.lock().await, "the poller stopped with its last listener");
        let again = hub.subscribe().await.expect("again");
        assert_eq!(again.position, new, "a new poller starts at the newest row");
    }
}
