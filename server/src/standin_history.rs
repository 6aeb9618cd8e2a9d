//! With the embedded stand-in: its seeded activity history (`[standin] history_days`) is
//! delivered to this console's own webhook intake on the first start, signed with the
//! embedded secret, at a bounded rate, while the console serves. The intake stores, the
//! processor dates each event by its payload, the analytics refresher folds them in: a new
//! console opens on believable charts. A finished replay is recorded in the audit trail
//! (`backend::events::standin_history`), so later starts skip it.

use anyhow::Context;
use backend::events::standin_history::{self, Replayed};
use sqlx::SqlitePool;
use standin::{HistoryLog, RunningStandIn, WebhookTarget};

/// Deliveries per second: well under what the intake takes (about 5,000/s measured), so
/// pages stay responsive while the history arrives.
pub const PER_SECOND: u32 = 1_500;

/// A replay to start once the console serves.
pub struct Plan {
    db: SqlitePool,
    target: WebhookTarget,
    history: HistoryLog,
}

/// A replay when the stand-in has a history, delivers to this console, and this console has
/// not taken that history in yet.
pub async fn plan(
    db: &SqlitePool,
    running: &RunningStandIn,
    target: Option<&WebhookTarget>,
) -> anyhow::Result<Option<Plan>> {
    let Some(target) = target else { return Ok(None) };
    let Some(history) = running.history().await.context("reading the stand-in's history")? else {
        return Ok(None);
    };
    if standin_history::was_taken_in(db, &history.id()).await? {
        return Ok(None);
    }
    Ok(Some(Plan { db: db.clone(), target: target.clone(), history }))
}

impl Plan {
    /// Starts the replay; a task records it when it is over.
    pub fn start(self, running: &mut RunningStandIn) {
        let Plan { db, target, history } = self;
        let mut progress = match running.replay_history(target, PER_SECOND) {
            Ok(progress) => progress,
            Err(error) => {
                tracing::error!(%error, "the stand-in's history could not be replayed");
                return;
            }
        };
        tracing::info!(
            days = history.days,
            events = history.events,
            "delivering the stand-in's history to the webhook intake"
        );
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            // Err: the stand-in stopped first; the next start replays again.
            let Ok(done) = progress.wait_for(|p| p.finished).await.map(|p| *p) else { return };
            let replayed = Replayed {
                total: done.total,
                delivered: done.delivered,
                failed: done.failed,
                elapsed_ms: started.elapsed().as_millis() as u64,
            };
            if let Err(error) = standin_history::record(&db, &history.id(), replayed).await {
                tracing::error!(%error, "recording the history replay failed");
            }
        });
    }
}
