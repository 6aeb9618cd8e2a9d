//! `GET /events/stream?type=&user=&community=&after=&kind=`: the live event stream
//! (Server-Sent Events). Permission `view_events`; with `kind=queue` only the events that can
//! change the moderation queue ([`backend::queue::events`]), without their payload, for
//! anyone who may read the queue (`view_queue`): the Queue page's live counter follows it.
//!
//! The cursor is `events.id`: the stream starts after `Last-Event-ID` (a browser's automatic
//! reconnect), else after `after` (the newest id the page showed), else after the newest
//! stored event. New rows come from the one shared poller ([`backend::live_events`]), which
//! reads the table every 250 ms for every stream together; the stream reads the table itself
//! only to catch up (from its cursor to the poller's position, or across a gap after it fell
//! behind). It sends each new row that passes the filter as an `event` message whose `id` is
//! the row id; the first message, `ready`, carries the starting cursor as its `id`, so a
//! reconnect before any event resumes from there too and nothing stored in between is
//! missed. A stream ends after [`LIFETIME`] (the browser reconnects with `Last-Event-ID`,
//! losing nothing) so a graceful shutdown never waits on an open stream for long.
//!
//! Open streams are capped per person and in total (`events.stream_max_per_user`,
//! `events.stream_max_total`); one more is answered `429` with `Retry-After`.

use app::{AppError, state::AppState};
use axum::{
    Extension, Json,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use backend::{
    event_stream::{self, STREAM_BATCH},
    live_events::{Batch, Slot},
};
use serde::Deserialize;
use sqlx::SqlitePool;
use std::{
    collections::VecDeque,
    convert::Infallible,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::broadcast::{Receiver, error::RecvError};
use types::{
    CurrentUser, Permission,
    event_log::{EventFilter, EventRow},
};

/// How long one stream stays open before the browser is asked to reconnect.
pub const LIFETIME: Duration = Duration::from_secs(15);

/// How long the browser waits before reconnecting.
const RETRY: Duration = Duration::from_millis(500);

/// The query: the filter and where to start.
#[derive(Debug, Default, Deserialize)]
pub struct StreamParams {
    /// Event type (exact or `prefix*`).
    #[serde(default, rename = "type")]
    pub event_type: String,
    /// Actor or subject user.
    #[serde(default)]
    pub user: String,
    /// Community.
    #[serde(default)]
    pub community: String,
    /// Start after this event id.
    #[serde(default)]
    pub after: Option<i64>,
    /// Which events: empty for every event, `queue` for those that can change the queue.
    #[serde(default)]
    pub kind: String,
}

/// Which events a stream follows, and who may open it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every stored event (the Events page).
    All,
    /// The events that can change the queue, payload left out (the Queue page).
    Queue,
}

impl Scope {
    /// The scope named by `kind`; `None` for a name this server does not know.
    pub fn parse(kind: &str) -> Option<Self> {
        match kind.trim() {
            "" => Some(Self::All),
            "queue" => Some(Self::Queue),
            _ => None,
        }
    }

    /// The permission the stream needs.
    pub fn permission(self) -> Permission {
        match self {
            Self::All => Permission::ViewEvents,
            Self::Queue => Permission::ViewQueue,
        }
    }

    /// The SQL condition narrowing the rows, if any.
    fn condition(self) -> Option<&'static str> {
        match self {
            Self::All => None,
            Self::Queue => Some(backend::queue::events::QUEUE_EVENTS_SQL),
        }
    }

    /// The same condition for a row in memory.
    fn admits(self, row: &EventRow) -> bool {
        match self {
            Self::All => true,
            Self::Queue => {
                backend::queue::events::changes_queue(row.object_kind.as_deref(), &row.name, &row.data)
            }
        }
    }
}

/// The answer past a cap on open streams.
fn too_many(refused: backend::live_events::StreamRefused) -> Response {
    let body = serde_json::json!({ "code": "too_many_streams", "message": refused.to_string() });
    let retry = (axum::http::header::RETRY_AFTER, LIFETIME.as_secs().to_string());
    (StatusCode::TOO_MANY_REQUESTS, [retry], Json(body)).into_response()
}

/// The stream handler.
pub async fn stream(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Response {
    let Some(Extension(user)) = user else {
        return AppError::Unauthenticated.into_response();
    };
    let Some(scope) = Scope::parse(&params.kind) else {
        let error =
            AppError::InvalidInput { field: "kind".into(), message: "must be empty or `queue`".into() };
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    if !user.can(scope.permission()) {
        return AppError::Forbidden.into_response();
    }
    let live = &state.services.live_events;
    let slot = match live.claim(&user.id) {
        Ok(slot) => slot,
        Err(refused) => {
            tracing::warn!(user = %user.id, %refused, "a live event stream was refused");
            return too_many(refused);
        }
    };
    let db = state.services.db.clone();
    let resumed =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    let started = async {
        let subscription = live.subscribe().await?;
        let cursor = match resumed.or(params.after) {
            Some(cursor) => cursor,
            None => event_stream::newest_id(&db).await?,
        };
        Ok::<_, sqlx::Error>((subscription, cursor))
    }
    .await;
    let (subscription, cursor) = match started {
        Ok(started) => started,
        Err(error) => {
            let incident = app::ctx::request_id_of(&headers);
            tracing::error!(%incident, %error, "the event stream could not start");
            return AppError::Internal { incident }.into_response();
        }
    };
    let filter =
        EventFilter { event_type: params.event_type, user: params.user, community: params.community };
    let follower = Follower {
        db,
        cursor,
        seen: cursor,
        target: subscription.position,
        held: None,
        receiver: subscription.receiver,
        filter,
        scope,
        pending: VecDeque::new(),
        ends_at: Instant::now() + LIFETIME,
        greeted: false,
        _slot: slot,
    };
    let events = futures::stream::unfold(follower, |mut follower| async move {
        follower.next().await.map(|event| (Ok::<Event, Infallible>(event), follower))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

/// One stream's position in the table.
struct Follower {
    db: SqlitePool,
    /// Where the stream started (the `ready` message's id).
    cursor: i64,
    /// Every row up to here has been looked at.
    seen: i64,
    /// Rows up to here are read from the table (they were broadcast before this stream
    /// listened, or while it lagged behind).
    target: i64,
    /// A broadcast batch waiting until the rows before it are read from the table.
    held: Option<Arc<Batch>>,
    receiver: Receiver<Arc<Batch>>,
    filter: EventFilter,
    scope: Scope,
    pending: VecDeque<EventRow>,
    ends_at: Instant,
    greeted: bool,
    /// Its place among the open streams, given back when the stream ends.
    _slot: Slot,
}

impl Follower {
    /// The next message, waiting for new rows; `None` when the stream's lifetime is over.
    async fn next(&mut self) -> Option<Event> {
        if !self.greeted {
            // Tells the browser how soon to reconnect, and where the stream starts.
            self.greeted = true;
            let cursor = self.cursor.to_string();
            return Some(Event::default().event("ready").retry(RETRY).id(cursor.clone()).data(cursor));
        }
        loop {
            if let Some(mut row) = self.pending.pop_front() {
                if self.scope == Scope::Queue {
                    // The queue only needs to know that something changed; it reads the
                    // cases through `list_queue`.
                    row.data = String::new();
                }
                let data = serde_json::to_string(&row).unwrap_or_default();
                return Some(Event::default().id(row.id.to_string()).event("event").data(data));
            }
            let now = Instant::now();
            if now >= self.ends_at {
                return None;
            }
            if self.seen < self.target {
                self.catch_up().await;
                continue;
            }
            if let Some(batch) = self.held.take() {
                self.take(&batch);
                continue;
            }
            match tokio::time::timeout(self.ends_at - now, self.receiver.recv()).await {
                Err(_) | Ok(Err(RecvError::Closed)) => return None,
                Ok(Ok(batch)) => {
                    // Rows between what this stream has seen and the batch come from the table.
                    self.target = self.target.max(batch.after);
                    self.held = Some(batch);
                }
                // Batches were dropped for this slow stream: the next one it receives starts
                // after rows it has not seen, and that gap is read from the table.
                Ok(Err(RecvError::Lagged(_))) => {}
            }
        }
    }

    /// Reads the rows after `seen` up to `target` from the table, a batch at a time.
    async fn catch_up(&mut self) {
        let condition = self.scope.condition();
        let read =
            event_stream::between_in(&self.db, self.seen, self.target, &self.filter, condition, STREAM_BATCH);
        match read.await {
            Ok(rows) => {
                self.seen = match rows.last() {
                    Some(last) if rows.len() == STREAM_BATCH as usize => last.id,
                    _ => self.target,
                };
                self.pending.extend(rows);
            }
            Err(error) => {
                tracing::error!(%error, "the event stream could not read events");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }

    /// The rows of a broadcast batch this stream has not seen and that pass its filter.
    fn take(&mut self, batch: &Batch) {
        let (seen, filter, scope) = (self.seen, &self.filter, self.scope);
        let fresh = batch.rows.iter().filter(|row| row.id > seen);
        self.pending
            .extend(fresh.filter(|row| event_stream::passes(filter, row) && scope.admits(row)).cloned());
        self.seen = self.seen.max(batch.upto);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_stream_needs_the_queue_permission_and_unknown_kinds_are_refused() {
        assert_eq!(Scope::parse("queue").map(Scope::permission), Some(Permission::ViewQueue));
        assert_eq!(Scope::parse("").map(Scope::permission), Some(Permission::ViewEvents));
        assert_eq!(Scope::parse("everything"), None, "never widened to every event");
        assert!(Scope::Queue.condition().is_some() && Scope::All.condition().is_none());
    }
}
