//! The live part of the Events page: after hydration an `EventSource` follows
//! `/events/stream` with the page's filter, starting after the newest event the page showed,
//! and puts each new event above the list. Pause closes the stream; resume opens it again
//! after the last event received, so nothing that arrived meanwhile is missed. The browser's
//! own reconnects send `Last-Event-ID`, which the server resumes from (the stream is opened
//! by `crate::event_source`, shared with the Queue page).

use leptos::prelude::*;
use types::event_log::{EventFilter, EventRow};

/// The most live rows kept on the page (older ones are on the next page after a reload).
pub const MAX_LIVE: usize = 500;

/// Pause/resume and the stream's state; fills `rows` while live.
#[component]
pub fn LiveEvents(filter: EventFilter, after: i64, rows: RwSignal<Vec<EventRow>>) -> impl IntoView {
    let paused = RwSignal::new(false);
    // "off" until hydrated: without WASM there is no stream, and the page says so.
    let status = RwSignal::new("off");
    let last = StoredValue::new(after);
    let query = filter.query_string();
    let url = move || {
        let after = last.get_value();
        if query.is_empty() {
            format!("/events/stream?after={after}")
        } else {
            format!("/events/stream?{query}&after={after}")
        }
    };
    #[cfg(feature = "hydrate")]
    {
        let connection = StoredValue::new_local(None::<crate::event_source::Connection>);
        Effect::new(move |_| {
            connection.update_value(|c| {
                if let Some(open) = c.take() {
                    open.close();
                }
            });
            if paused.get() {
                status.set("paused");
                return;
            }
            status.set("connecting");
            let on_row = move |row: EventRow| {
                last.set_value(row.id);
                rows.update(|rows| {
                    rows.insert(0, row);
                    rows.truncate(MAX_LIVE);
                });
            };
            match crate::event_source::connect(&url(), on_row, move |state| status.set(state)) {
                Some(open) => connection.set_value(Some(open)),
                None => status.set("unavailable"),
            }
        });
        on_cleanup(move || {
            connection.try_update_value(|c| {
                if let Some(open) = c.take() {
                    open.close();
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
    let label = move || match status.get() {
        "live" => "Live: new events appear above as they arrive.",
        "connecting" => "Connecting to the live stream…",
        "reconnecting" => "Reconnecting to the live stream…",
        "closed" => "The live stream stopped. Pause and resume to open it again.",
        "paused" => "Paused. Resume to catch up from where you paused.",
        "unavailable" => "The live stream is not available in this browser.",
        _ => "Live updates start once the page's script has loaded.",
    };
    view! {
        <div class="events-live-bar" data-live-status=move || status.get()>
            <p class="events-live-bar__status" role="status">{label}</p>
            <button
                type="button"
                class="button button--quiet"
                aria-pressed=move || paused.get().to_string()
                disabled=move || status.get() == "off"
                on:click=move |_| paused.update(|p| *p = !*p)
            >
                {move || if paused.get() { "Resume" } else { "Pause" }}
            </button>
            <span class="muted">{move || format!("{} new", rows.read().len())}</span>
        </div>
    }
}
