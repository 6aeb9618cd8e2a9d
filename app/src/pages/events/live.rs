//! The live part of the Events page: after hydration an `EventSource` follows
//! `/events/stream` with the page's filter, starting after the newest event the page showed,
//! and puts each new event above the list. Pause closes the stream; resume opens it again
//! after the last event received, so nothing that arrived meanwhile is missed. The browser's
//! own reconnects send `Last-Event-ID`, which the server resumes from.

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
        let connection = StoredValue::new_local(None::<browser::Connection>);
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
            match browser::connect(&url(), on_row, move |state| status.set(state)) {
                Ok(open) => connection.set_value(Some(open)),
                Err(()) => status.set("unavailable"),
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

#[cfg(feature = "hydrate")]
mod browser {
    use types::event_log::EventRow;
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{Event, EventSource, MessageEvent};

    /// An open stream and the callbacks it holds (dropped with it).
    pub struct Connection {
        source: EventSource,
        _on_event: Closure<dyn FnMut(MessageEvent)>,
        _on_ready: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    impl Connection {
        /// Stops the stream (the browser will not reconnect).
        pub fn close(&self) {
            self.source.close();
        }
    }

    /// Opens `url`; `on_row` gets each event, `on_status` "live" or "reconnecting".
    pub fn connect(
        url: &str,
        on_row: impl Fn(EventRow) + 'static,
        on_status: impl Fn(&'static str) + Clone + 'static,
    ) -> Result<Connection, ()> {
        let source = EventSource::new(url).map_err(|_| ())?;
        let on_event = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            if let Some(text) = message.data().as_string()
                && let Ok(row) = serde_json::from_str::<EventRow>(&text)
            {
                on_row(row);
            }
        });
        let ready_status = on_status.clone();
        let on_ready = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| ready_status("live"));
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| on_status("reconnecting"));
        source
            .add_event_listener_with_callback("event", on_event.as_ref().unchecked_ref())
            .map_err(|_| ())?;
        source
            .add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref())
            .map_err(|_| ())?;
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Connection { source, _on_event: on_event, _on_ready: on_ready, _on_error: on_error })
    }
}
