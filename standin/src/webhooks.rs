//! Signed webhook delivery (CONTRACT.md §g). A worker takes every event from the event sink
//! and POSTs `{"event": name, "data": {…}}` to each target with `x-amity-signature` =
//! Base64(HMAC-SHA256(key = the target's secret, msg = the raw body bytes)) and a 1.5 s
//! timeout, like the real network.
//!
//! Deliveries run concurrently (at most [`MAX_IN_FLIGHT`]); order per target is not kept,
//! which the real service does not promise either. A delivery that times out, cannot connect
//! or gets a 429/5xx is tried up to [`ATTEMPTS`] times with a short backoff, then logged and
//! dropped. When every delivery slot is busy the worker stops taking events; if the sink's
//! buffer then overflows, the oldest events are skipped and the count is logged (see
//! [`crate::events`]).

use crate::events::{Event, Events};
use axum::body::Bytes;
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use reqwest::{StatusCode, Url, header::CONTENT_TYPE, redirect};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::{
    sync::{Arc, RwLock},
    time::Duration,
};
use tokio::{
    sync::{Semaphore, broadcast::error::RecvError, oneshot},
    task::{JoinHandle, JoinSet},
};

/// The real network's delivery timeout.
pub const TIMEOUT: Duration = Duration::from_millis(1_500);
/// Tries per delivery, the first included.
pub const ATTEMPTS: u32 = 3;
/// Deliveries in flight at once, over all targets.
pub const MAX_IN_FLIGHT: usize = 64;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-amity-signature";
/// How long `stop` waits for deliveries already under way.
const DRAIN: Duration = Duration::from_secs(2);
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Where events go, and the secret that signs them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookTarget {
    /// An `http` or `https` URL.
    pub url: String,
    /// The HMAC key.
    pub secret: String,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTarget").field("url", &redacted(&self.url)).finish_non_exhaustive()
    }
}

impl WebhookTarget {
    /// `URL=SECRET`, split at the first `=` (a URL with `=` in it is added through
    /// `POST /_standin/webhooks` instead).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (url, secret) =
            spec.split_once('=').ok_or_else(|| format!("webhook `{}` is not URL=SECRET", redacted(spec)))?;
        let target = Self { url: url.trim().to_owned(), secret: secret.to_owned() };
        target.validate()?;
        Ok(target)
    }

    /// Why the target cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        let url = Url::parse(&self.url).map_err(|error| format!("webhook URL: {error}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("webhook URL must be http or https, not `{}`", url.scheme()));
        }
        if self.secret.is_empty() {
            return Err("webhook secret is empty".into());
        }
        Ok(())
    }
}

/// Base64(HMAC-SHA256(key = `secret`, msg = `body`)), the `x-amity-signature` value.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        unreachable!("HMAC accepts keys of any length");
    };
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A URL fit for logs: no user info, query or fragment (they may carry tokens).
fn redacted(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
            url.to_string()
        }
        Err(_) => "<unparsable URL>".into(),
    }
}

/// The targets in force; the control routes change them while the stand-in runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct WebhookTargets(Arc<RwLock<Vec<WebhookTarget>>>);

impl WebhookTargets {
    pub(crate) fn new(targets: Vec<WebhookTarget>) -> Self {
        Self(Arc::new(RwLock::new(targets)))
    }

    pub(crate) fn list(&self) -> Vec<WebhookTarget> {
        // A poisoned lock only means a writer panicked between whole-`Vec` operations.
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Adds a target, replacing one with the same URL.
    pub(crate) fn upsert(&self, target: WebhookTarget) {
        let mut targets = self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        targets.retain(|existing| existing.url != target.url);
        targets.push(target);
    }

    /// Removes the target with this URL; whether there was one.
    pub(crate) fn remove(&self, url: &str) -> bool {
        let mut targets = self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        let before = targets.len();
        targets.retain(|existing| existing.url != url);
        targets.len() != before
    }
}

/// The running delivery worker.
#[derive(Debug)]
pub(crate) struct Delivery {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Delivery {
    /// Subscribes to `events` now (so nothing emitted after this returns is missed) and
    /// delivers in a background task.
    pub(crate) fn spawn(events: &Events, targets: WebhookTargets) -> anyhow::Result<Self> {
        upstream::ensure_tls_provider();
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(redirect::Policy::none())
            .user_agent("social-plus-standin-webhooks")
            .build()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(run(events.subscribe(), targets, client, stopped));
        Ok(Self { stop, task })
    }

    /// Delivers what was already emitted, waits up to 2 s for deliveries under way, then ends.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::error!(%error, "webhook delivery task failed");
        }
    }
}

async fn run(
    mut events: tokio::sync::broadcast::Receiver<Event>,
    targets: WebhookTargets,
    client: reqwest::Client,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut in_flight = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            received = events.recv() => match received {
                Ok(event) => dispatch(&event, &targets, &client, &slots, &mut in_flight).await,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "webhook delivery fell behind; skipped the oldest events");
                }
                Err(RecvError::Closed) => break,
            },
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
        }
    }
    while let Ok(event) = events.try_recv() {
        dispatch(&event, &targets, &client, &slots, &mut in_flight).await;
    }
    let drained = tokio::time::timeout(DRAIN, async { while in_flight.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(abandoned = in_flight.len(), "stopping with webhook deliveries still under way");
    }
}

/// Starts one delivery per target, waiting for a free slot before each.
async fn dispatch(
    event: &Event,
    targets: &WebhookTargets,
    client: &reqwest::Client,
    slots: &Arc<Semaphore>,
    in_flight: &mut JoinSet<()>,
) {
    let targets = targets.list();
    if targets.is_empty() {
        return;
    }
    #[derive(Serialize)]
    struct Body<'a> {
        event: &'a str,
        data: &'a serde_json::Value,
    }
    let body = match serde_json::to_vec(&Body { event: &event.name, data: &event.data }) {
        Ok(body) => Bytes::from(body),
        Err(error) => {
            tracing::error!(%error, event = %event.name, "webhook body does not serialise");
            return;
        }
    };
    for target in targets {
        // The semaphore is never closed, so this only waits.
        let Ok(slot) = Arc::clone(slots).acquire_owned().await else { return };
        let (client, body, name) = (client.clone(), body.clone(), event.name.clone());
        in_flight.spawn(async move {
            deliver(&client, &target, body, &name).await;
            drop(slot);
        });
    }
}

/// POSTs one signed body to one target, with bounded retries.
async fn deliver(client: &reqwest::Client, target: &WebhookTarget, body: Bytes, event: &str) {
    let signature = sign(target.secret.as_bytes(), &body);
    let url = redacted(&target.url);
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=ATTEMPTS {
        let sent = client
            .post(&target.url)
            .header(CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
            .await;
        let retriable = match sent {
            Ok(response) if response.status().is_success() => {
                tracing::debug!(%url, event, status = response.status().as_u16(), "webhook delivered");
                return;
            }
            Ok(response) => {
                let status = response.status();
                tracing::warn!(%url, event, status = status.as_u16(), attempt, "webhook target refused");
                status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            Err(error) => {
                let reason = if error.is_timeout() { "timed out" } else { "transport error" };
                tracing::warn!(%url, event, attempt, reason, "webhook delivery failed");
                true
            }
        };
        if !retriable || attempt == ATTEMPTS {
            break;
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
    tracing::warn!(%url, event, "webhook dropped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_rfc_vector() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") =
        // f7bc83f4…2d1a3cd8, here in Base64.
        assert_eq!(
            sign(b"key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
    }

    #[test]
    fn parses_url_equals_secret() {
        let target = WebhookTarget::parse("http://127.0.0.1:9/hook=s3cr=t").expect("valid");
        assert_eq!(target.url, "http://127.0.0.1:9/hook");
        assert_eq!(target.secret, "s3cr=t");
        for bad in ["http://x/hook", "ftp://x/hook=s", "http://x/hook=", "not a url=s"] {
            assert!(WebhookTarget::parse(bad).is_err(), "`{bad}` should be rejected");
        }
    }

    #[test]
    fn logs_and_debug_output_hide_tokens_and_secrets() {
        assert_eq!(redacted("https://u:p@hooks.example/in?token=abc#x"), "https://hooks.example/in");
        let target = WebhookTarget { url: "https://h.example/?k=v".into(), secret: "hunter2".into() };
        let debug = format!("{target:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("k=v"), "{debug}");
    }

    #[test]
    fn a_target_with_the_same_url_is_replaced() {
        let targets = WebhookTargets::default();
        targets.upsert(WebhookTarget { url: "http://a/".into(), secret: "1".into() });
        targets.upsert(WebhookTarget { url: "http://b/".into(), secret: "2".into() });
        targets.upsert(WebhookTarget { url: "http://a/".into(), secret: "3".into() });
        let secrets: Vec<_> = targets.list().into_iter().map(|t| t.secret).collect();
        assert_eq!(secrets, ["2", "3"]);
        assert!(targets.remove("http://b/"));
        assert!(!targets.remove("http://b/"));
    }
}
