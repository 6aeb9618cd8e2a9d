//! Replaying the seeded activity history (`seed::history`) to a webhook target: each logged
//! happening becomes the signed delivery the network would have sent at the time
//! (`{"event", "data"}`, `x-amity-signature`), with the original time in the payload, sent
//! in time order at a bounded rate. A console takes it in through its real webhook intake,
//! so its events, analytics and reports show the history as if it had been listening.
//!
//! Unlike live delivery (1.5 s, three tries) a replay waits for a slow or not yet serving
//! receiver: 10 s per try and up to [`ATTEMPTS`] tries on timeouts, transport errors, 429 and
//! 5xx. A delivery refused otherwise (a wrong secret: 401) is counted as failed.

mod payload;

use crate::webhooks::{SIGNATURE_HEADER, WebhookTarget, sign};
use payload::Logged;
use serde::Serialize;
use sqlx::SqlitePool;
use std::{sync::Arc, time::Duration};
use tokio::{
    sync::{Semaphore, watch},
    task::{JoinHandle, JoinSet},
    time::Instant,
};

/// Tries per delivery.
pub const ATTEMPTS: u32 = 8;
/// Deliveries in flight at once.
const IN_FLIGHT: usize = 16;
/// Log rows read per query.
const PAGE: i64 = 500;

/// What the seed recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLog {
    /// Days covered.
    pub days: u32,
    /// When it ends (ISO-8601 UTC).
    pub end: String,
    /// Logged happenings.
    pub events: u64,
    /// Seed, users and posts of the network, for [`Self::id`].
    pub network: (i64, i64, i64),
}

impl HistoryLog {
    /// Names this history: a console records which one it took in.
    pub fn id(&self) -> String {
        let (seed, users, posts) = self.network;
        format!("seed {seed}, {users} users, {posts} posts: {} days to {}", self.days, self.end)
    }

    /// The history of the seeded database, if it has one.
    pub async fn of(db: &SqlitePool) -> anyhow::Result<Option<Self>> {
        let info: Option<(i64, i64, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT seed, users, posts, history_days, history_end FROM seed_info WHERE id = 1",
        )
        .fetch_optional(db)
        .await?;
        let Some((seed, users, posts, days, Some(end))) = info.filter(|i| i.3 > 0) else {
            return Ok(None);
        };
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM history_events").fetch_one(db).await?;
        Ok(Some(Self {
            days: u32::try_from(days).unwrap_or(0),
            end,
            events: u64::try_from(events).unwrap_or(0),
            network: (seed, users, posts),
        }))
    }
}

/// How far a replay is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplayProgress {
    /// Happenings to send.
    pub total: u64,
    /// Acknowledged with a 2xx.
    pub delivered: u64,
    /// Given up (refused, or no answer after every try), or whose object is gone.
    pub failed: u64,
    /// Whether the replay is over.
    pub finished: bool,
}

/// A running replay; aborted when dropped with the stand-in.
#[derive(Debug)]
pub struct Replay {
    task: JoinHandle<()>,
}

impl Replay {
    /// Starts replaying the whole log to `target` at most `per_second` deliveries a second.
    pub fn spawn(
        db: SqlitePool,
        target: WebhookTarget,
        per_second: u32,
    ) -> anyhow::Result<(Self, watch::Receiver<ReplayProgress>)> {
        upstream::ensure_tls_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("social-plus-standin-history")
            .build()?;
        let (progress, watcher) = watch::channel(ReplayProgress::default());
        let task = tokio::spawn(async move {
            let started = std::time::Instant::now();
            if let Err(error) = run(&db, &client, &target, per_second.max(1), &progress).await {
                tracing::error!(%error, "history replay stopped");
            }
            progress.send_modify(|p| p.finished = true);
            let done = *progress.borrow();
            tracing::info!(
                delivered = done.delivered,
                failed = done.failed,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "history replayed"
            );
        });
        Ok((Self { task }, watcher))
    }

    /// Stops the replay where it is.
    pub fn abort(&self) {
        self.task.abort();
    }
}

async fn run(
    db: &SqlitePool,
    client: &reqwest::Client,
    target: &WebhookTarget,
    per_second: u32,
    progress: &watch::Sender<ReplayProgress>,
) -> anyhow::Result<()> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM history_events").fetch_one(db).await?;
    progress.send_modify(|p| p.total = u64::try_from(total).unwrap_or(0));
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut in_flight = JoinSet::new();
    let started = Instant::now();
    let mut sent: u64 = 0;
    let mut after = 0;
    loop {
        let page: Vec<Logged> = sqlx::query_as(
            "SELECT seq, at, name, object_id, actor_id FROM history_events WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(PAGE)
        .fetch_all(db)
        .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for event in page {
            // Pace: the n-th delivery starts no earlier than n / rate seconds in.
            tokio::time::sleep_until(started + Duration::from_secs_f64(sent as f64 / f64::from(per_second)))
                .await;
            sent += 1;
            let Some(body) = body(db, &event).await? else {
                progress.send_modify(|p| p.failed += 1);
                continue;
            };
            let slot = Arc::clone(&slots).acquire_owned().await?;
            let (client, target, progress) = (client.clone(), target.clone(), progress.clone());
            in_flight.spawn(async move {
                let delivered = deliver(&client, &target, body).await;
                progress.send_modify(|p| if delivered { p.delivered += 1 } else { p.failed += 1 });
                drop(slot);
            });
            while in_flight.try_join_next().is_some() {}
        }
    }
    while in_flight.join_next().await.is_some() {}
    Ok(())
}

/// The signed body of one happening; `None` when its object is gone.
async fn body(db: &SqlitePool, event: &Logged) -> anyhow::Result<Option<Vec<u8>>> {
    #[derive(Serialize)]
    struct Body<'a> {
        event: &'a str,
        data: &'a serde_json::Value,
    }
    let Some(data) = payload::data(db, event).await.map_err(|e| anyhow::anyhow!("{e:?}"))? else {
        return Ok(None);
    };
    Ok(Some(serde_json::to_vec(&Body { event: &event.name, data: &data })?))
}

/// POSTs one body, retrying what a slow or starting receiver answers; whether it was taken.
async fn deliver(client: &reqwest::Client, target: &WebhookTarget, body: Vec<u8>) -> bool {
    let signature = sign(target.secret.as_bytes(), &body);
    let mut backoff = Duration::from_millis(250);
    for attempt in 1..=ATTEMPTS {
        let sent = client
            .post(&target.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
            .await;
        let retry = match sent {
            Ok(response) if response.status().is_success() => return true,
            Ok(response) => {
                let status = response.status();
                status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            Err(_) => true,
        };
        if !retry || attempt == ATTEMPTS {
            tracing::warn!(attempt, "history delivery not taken");
            return false;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
    false
}
