//! Following `GET /events/stream` in the browser, after hydration: the Events page's live list
//! and the Queue page's live counter both open an `EventSource` through [`connect`].
//!
//! The server ends each stream after a while and the browser reconnects by itself, sending
//! `Last-Event-ID` (an event's id, or the `ready` message's starting cursor), so nothing
//! stored in between is missed. A stream the browser gave up on (an error answer instead of a
//! stream) is reported as "closed": the page decides whether and when to open it again.

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

/// Opens `url`; `on_row` gets each event, `on_status` "live" once the stream is open,
/// "reconnecting" while the browser retries, "closed" when it stopped retrying. `None` when
/// the browser cannot open one.
pub fn connect(
    url: &str,
    on_row: impl Fn(EventRow) + 'static,
    on_status: impl Fn(&'static str) + Clone + 'static,
) -> Option<Connection> {
    let source = EventSource::new(url).ok()?;
    let on_event = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        if let Some(text) = message.data().as_string()
            && let Ok(row) = serde_json::from_str::<EventRow>(&text)
        {
            on_row(row);
        }
    });
    let ready_status = on_status.clone();
    let on_ready = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| ready_status("live"));
    let watched = source.clone();
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        on_status(if watched.ready_state() == EventSource::CLOSED { "closed" } else { "reconnecting" })
    });
    source.add_event_listener_with_callback("event", on_event.as_ref().unchecked_ref()).ok()?;
    source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref()).ok()?;
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Connection { source, _on_event: on_event, _on_ready: on_ready, _on_error: on_error })
}
