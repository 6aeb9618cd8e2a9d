//! New cases without a reload. After hydration the page follows the stored webhook events
//! that can change the queue (`GET /events/stream?kind=queue` through `crate::event_source`;
//! which events those are is `backend::queue::events`); a burst of them, coalesced for
//! [`COALESCE`], makes it read the first page of the same query once and count the cases it
//! has not shown yet. They appear only when the moderator asks (the "N new"
//! button), inserted above, with the cursor moved along so the row under it stays current
//! and in place.
//!
//! Reading the queue spends the upstream request budget, so it happens only when an event
//! says something changed, at most once per [`MIN_GAP`], plus a slow [`SLOW_POLL`] for
//! deliveries Social+ dropped. While the stream is down (connecting, reconnecting, closed)
//! the page polls every [`POLL_EVERY`] as before, and opens a closed stream again. Who is on
//! each case shown ([`super::claims`]) is console-internal and refreshed every
//! [`POLL_EVERY`] regardless.
//!
//! Pending posts and flagged messages come from a per-community sweep the server reuses for
//! a while (`backend::queue::SweepCache`); such a case may show on the read after the
//! sweep's reuse time rather than on the one its event triggered.

use super::{
    api::list_queue,
    claims::{self, Claims},
};
use leptos::{prelude::*, task::spawn_local};
use std::{collections::BTreeSet, time::Duration};
use types::queue::{Case, QueueQuery};

/// How often claims are refreshed, and the queue polled while the event stream is down.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// How long events are gathered before the queue is read once for all of them.
pub const COALESCE: Duration = Duration::from_millis(500);

/// The least time between two reads triggered by events (a busy network costs no more than
/// the old poll did).
pub const MIN_GAP: Duration = POLL_EVERY;

/// The longest the queue goes unread while the stream is live (a delivery Social+ dropped).
pub const SLOW_POLL: Duration = Duration::from_secs(60);

/// [`SLOW_POLL`] in [`POLL_EVERY`] ticks.
const SLOW_POLL_TICKS: u32 = (SLOW_POLL.as_secs() / POLL_EVERY.as_secs()) as u32;

/// The stream's URL.
const STREAM: &str = "/events/stream?kind=queue";

/// Where the event-triggered read stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    /// The next event starts a read after [`COALESCE`].
    Open,
    /// A read is scheduled; events join it.
    Waiting,
    /// A read just ran; an event now (`dirty`) means another read when [`MIN_GAP`] is over.
    Cooling { dirty: bool },
}

/// The counter's state, shared by the stream's callback, the timers and the poll.
#[derive(Clone, Copy)]
struct Refresher {
    query: StoredValue<QueueQuery>,
    seen: StoredValue<BTreeSet<String>>,
    fresh: RwSignal<Vec<Case>>,
    gate: StoredValue<Gate>,
    /// Ticks since the last read.
    idle_ticks: StoredValue<u32>,
}

impl Refresher {
    /// Reads the first page once and keeps the cases not shown yet.
    fn read(self) {
        self.idle_ticks.set_value(0);
        let Some(query) = self.query.try_get_value() else { return };
        spawn_local(async move {
            let Ok(view) = list_queue(query).await else { return };
            let new = self.seen.try_with_value(|seen| {
                view.cases.items.into_iter().filter(|c| !seen.contains(&c.key())).collect::<Vec<_>>()
            });
            if let Some(new) = new {
                self.fresh.try_set(new);
            }
        });
    }

    /// An event that can change the queue arrived.
    fn on_event(self) {
        match self.gate.try_get_value() {
            Some(Gate::Open) => {
                self.gate.set_value(Gate::Waiting);
                set_timeout(move || self.fire(), COALESCE);
            }
            Some(Gate::Cooling { .. }) => self.gate.set_value(Gate::Cooling { dirty: true }),
            Some(Gate::Waiting) | None => {}
        }
    }

    /// Reads now, then holds further event-triggered reads for [`MIN_GAP`].
    fn fire(self) {
        if self.gate.try_get_value().is_none() {
            return; // The page is gone.
        }
        self.gate.set_value(Gate::Cooling { dirty: false });
        self.read();
        set_timeout(move || self.cooled(), MIN_GAP);
    }

    /// [`MIN_GAP`] is over: read again if events came meanwhile, else wait for the next one.
    fn cooled(self) {
        match self.gate.try_get_value() {
            Some(Gate::Cooling { dirty: true }) => self.fire(),
            Some(_) => self.gate.set_value(Gate::Open),
            None => {}
        }
    }

    /// Every [`POLL_EVERY`]: read if the stream is not live, or if it has been quiet too long.
    fn tick(self, live: bool) {
        let idle = self.idle_ticks.try_update_value(|ticks| {
            *ticks += 1;
            *ticks
        });
        if !live || idle.is_some_and(|ticks| ticks >= SLOW_POLL_TICKS) {
            self.read();
        }
    }
}

/// The "N new" button; follows the queue's events while mounted, and refreshes `claims` of
/// the rows shown.
#[component]
pub fn LiveCounter(
    query: QueueQuery,
    rows: RwSignal<Vec<Case>>,
    cursor: RwSignal<usize>,
    claims: RwSignal<Claims>,
) -> impl IntoView {
    let fresh = RwSignal::new(Vec::<Case>::new());
    // Cases shown once stay "seen" even after an action removed them from the table.
    let seen = StoredValue::new(rows.with_untracked(|r| r.iter().map(Case::key).collect::<BTreeSet<_>>()));
    let refresher = Refresher {
        query: StoredValue::new(query),
        seen,
        fresh,
        gate: StoredValue::new(Gate::Open),
        idle_ticks: StoredValue::new(0),
    };
    // "off" until hydrated; then the stream's state ("live" while it is open).
    let status = RwSignal::new("off");
    let on_event = move |_: types::event_log::EventRow| refresher.on_event();
    #[cfg(not(feature = "hydrate"))]
    let _ = (on_event, STREAM);
    #[cfg(feature = "hydrate")]
    let connection = StoredValue::new_local(None::<crate::event_source::Connection>);
    #[cfg(feature = "hydrate")]
    let open = move || {
        connection.update_value(|c| {
            if let Some(old) = c.take() {
                old.close();
            }
        });
        status.set("connecting");
        let on_status = move |state| {
            status.try_set(state);
        };
        match crate::event_source::connect(STREAM, on_event, on_status) {
            Some(open) => connection.set_value(Some(open)),
            None => status.set("closed"),
        }
    };
    Effect::new(move |_| {
        let refresh_claims =
            move || claims::refresh(rows.with_untracked(|r| r.iter().map(Case::key).collect()), claims);
        refresh_claims();
        #[cfg(feature = "hydrate")]
        open();
        let every_tick = move || {
            refresh_claims();
            let state = status.get_untracked();
            refresher.tick(state == "live");
            #[cfg(feature = "hydrate")]
            if state == "closed" {
                open();
            }
        };
        let handle = set_interval_with_handle(every_tick, POLL_EVERY).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        connection.try_update_value(|c| {
            if let Some(open) = c.take() {
                open.close();
            }
        });
    });
    let show = move |_| {
        let new = fresh.get_untracked();
        if new.is_empty() {
            return;
        }
        seen.update_value(|seen| seen.extend(new.iter().map(Case::key)));
        let added = new.len();
        rows.update(|rows| {
            let mut merged = new;
            merged.append(rows);
            *rows = merged;
        });
        cursor.update(|at| *at += added);
        fresh.set(Vec::new());
    };
    view! {
        <span class="queue-bar__live" data-live-status=move || status.get()>
            <button
                type="button"
                class="button button--quiet queue-live"
                hidden=move || fresh.read().is_empty()
                on:click=show
            >
                {move || format!("{} new", fresh.read().len())}
            </button>
        </span>
    }
}
