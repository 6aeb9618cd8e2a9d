//! `GET /events/stream?type=&user=&community=&after=`: the live event stream (Server-Sent
//! Events). Permission `view_events`.
//!
//! The cursor is `events.id`: the stream starts after `Last-Event-ID` (a browser's automatic
//! reconnect), else after `after` (the newest id the page showed), else after the newest
//! stored event. It reads the table every [`POLL`] and sends each new row that passes the
//! filter as an `event` message whose `id` is the row id. A stream ends after [`LIFETIME`]
//! (the browser reconnects with `Last-Event-ID`, losing nothing) so a graceful shutdown never
//! waits on an open stream for long.

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
use backend::event_stream::{self, STREAM_BATCH};
use serde::Deserialize;
use sqlx::SqlitePool;
use std::{
    collections::VecDeque,
    convert::Infallible,
    time::{Duration, Instant},
};
use types::{CurrentUser, Permission, event_log::EventFilter};

/// How often the table is read for new rows.
pub const POLL: Duration = Duration::from_millis(250);

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
}

/// The stream handler.
pub async fn stream(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Response {
    let Some(Extension(user)) = user else {
        return (StatusCode::UNAUTHORIZED, Json(AppError::Unauthenticated)).into_response();
    };
    if !user.can(Permission::ViewEvents) {
        return (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
    }
    let db = state.services.db.clone();
    let resumed =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    let cursor = match resumed.or(params.after) {
        Some(cursor) => cursor,
        None => match event_stream::newest_id(&db).await {
            Ok(newest) => newest,
            Err(error) => {
                let incident = app::ctx::request_id_of(&headers);
                tracing::error!(%incident, %error, "the event stream could not start");
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(AppError::Internal { incident }))
                    .into_response();
            }
        },
    };
    let filter =
        EventFilter { event_type: params.event_type, user: params.user, community: params.community };
    let follower = Follower {
        db,
        cursor,
        filter,
        pending: VecDeque::new(),
        ends_at: Instant::now() + LIFETIME,
        greeted: false,
    };
    let events = futures::stream::unfold(follower, |mut follower| async move {
        follower.next().await.map(|event| (Ok::<Event, Infallible>(event), follower))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

/// One stream's position in the table.
struct Follower {
    db: SqlitePool,
    cursor: i64,
    filter: EventFilter,
    pending: VecDeque<types::event_log::EventRow>,
    ends_at: Instant,
    greeted: bool,
}

impl Follower {
    /// The next message, waiting for new rows; `None` when the stream's lifetime is over.
    async fn next(&mut self) -> Option<Event> {
        if !self.greeted {
            // Tells the browser how soon to reconnect, and where the stream starts.
            self.greeted = true;
            return Some(Event::default().event("ready").retry(RETRY).data(self.cursor.to_string()));
        }
        loop {
            if let Some(row) = self.pending.pop_front() {
                let data = serde_json::to_string(&row).unwrap_or_default();
                return Some(Event::default().id(row.id.to_string()).event("event").data(data));
            }
            if Instant::now() >= self.ends_at {
                return None;
            }
            match event_stream::after(&self.db, self.cursor, &self.filter, STREAM_BATCH).await {
                Ok(rows) if !rows.is_empty() => {
                    self.cursor = rows.last().map_or(self.cursor, |r| r.id);
                    self.pending.extend(rows);
                }
                Ok(_) => tokio::time::sleep(POLL).await,
                Err(error) => {
                    tracing::error!(%error, "the event stream could not read events");
                    tokio::time::sleep(POLL * 4).await;
                }
            }
        }
    }
}
