//! The network's outgoing events. Every mutation handler emits one, named as the official
//! webhook catalogue names it (`v3.post.didCreate`, `v3.comment.didFlag`, …), with `data`
//! holding the side-loaded arrays of the affected objects. Webhook delivery, the traffic
//! simulator's observers and tests all subscribe here.
//!
//! Overflow policy: emitting never blocks or fails a handler. Each subscriber has a bounded
//! buffer; one that falls more than its capacity behind loses the oldest events and learns how
//! many (`RecvError::Lagged`), which the webhook worker logs.

use serde_json::Value;
use tokio::sync::broadcast;

/// One event, before it is signed and delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Webhook event name, e.g. `v3.post.didFlag`.
    pub name: String,
    /// The `data` object of the webhook body (side-loaded arrays).
    pub data: Value,
}

/// Where handlers publish events. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Events {
    sender: broadcast::Sender<Event>,
}

impl Default for Events {
    fn default() -> Self {
        // Room for bursts from bulk endpoints; a subscriber that falls further behind is
        // told how many it missed (`RecvError::Lagged`) rather than blocking handlers.
        let (sender, _) = broadcast::channel(16_384);
        Self { sender }
    }
}

impl Events {
    /// Publishes an event to every current subscriber (none is fine).
    pub fn emit(&self, name: &str, data: Value) {
        let _ = self.sender.send(Event { name: name.to_owned(), data });
    }

    /// A receiver of every event emitted from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
