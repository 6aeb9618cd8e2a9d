//! `POST /hooks/webhook` (path configurable): the network's signed webhook deliveries.
//!
//! Order of checks, cheapest and safest first: body size (413), `x-amity-signature` against
//! every configured secret over the raw bytes, before anything parses them (401), the
//! `{"event", "data"}` shape (400), then the raw body is committed to the inbox and only then
//! answered `200 {}`. Nothing is stored for a refused delivery. A redelivered identical body
//! is answered 200 and counted, not stored again. Processing into `events` happens afterwards
//! (`backend::events::process`), so the answer comes in milliseconds, far inside the
//! network's 1.5 s timeout.
//!
//! The route sits outside the console's session and cross-site layers but has its own: a
//! request id generated here (a sender's `x-request-id` is only logged, as
//! `client_request_id`), a trace span, and a read timeout (`webhooks.read_timeout_secs`,
//! answered 408) so a body dripped in slowly cannot hold a connection open. Stored deliveries
//! are pruned after `webhooks.retention_days` (never sooner than the one-day dedupe window;
//! pending ones are kept until processed).
//!
//! Secrets: `[webhooks] secrets = [{ label, secret }]`, the file `webhooks.secrets_file`
//! (one `label=secret` per line) and `CONSOLE_WEBHOOK_SECRETS` (`label=secret` entries
//! separated by commas or new lines). They are never logged or sent to a browser; logs and
//! the delivery log show only the label. Without any secret the endpoint answers 404.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::post,
};
use backend::events::{Delivery, Inbox, InboxError, Stored, WebhookSecret, normalise, signature};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use std::{path::PathBuf, sync::Arc, time::Duration};
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

/// The header the network signs with.
pub const SIGNATURE_HEADER: &str = "x-amity-signature";
/// The legacy header of duplicate deliveries the network may still send (CONTRACT.md §g).
const LEGACY_SIGNATURE_HEADER: &str = "x-eko-signature";

/// `[webhooks]`.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksSettings {
    /// Where the network posts deliveries.
    pub path: String,
    /// Secrets in force, each with a label; two during a rotation.
    pub secrets: Vec<SecretSetting>,
    /// A file with more secrets, one `label=secret` per line (`#` starts a comment).
    pub secrets_file: Option<PathBuf>,
    /// Largest delivery body accepted.
    pub max_body_bytes: usize,
    /// With the embedded stand-in: have it deliver to this intake with a secret generated
    /// per start.
    pub embedded_delivery: bool,
    /// A delivery whose request (body included) takes longer than this is answered 408.
    pub read_timeout_secs: u64,
    /// Stored deliveries older than this many days are deleted (processed or failed ones;
    /// the events made from them stay). At least 1, the dedupe window; 0 keeps them forever.
    pub retention_days: u32,
    /// `CONSOLE_WEBHOOK_SECRETS`, read verbatim by `Settings::load`.
    #[serde(skip)]
    pub env_secrets: Option<SecretString>,
}

impl Default for WebhooksSettings {
    fn default() -> Self {
        Self {
            path: "/hooks/webhook".into(),
            secrets: Vec::new(),
            secrets_file: None,
            max_body_bytes: 1024 * 1024,
            embedded_delivery: true,
            read_timeout_secs: 5,
            retention_days: 30,
            env_secrets: None,
        }
    }
}

/// `[events]`: the periodic gap repair and the last-activity report schedule.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsSettings {
    /// Reconcile recent users, posts, comments and flags from the API this often; 0 = never.
    pub backfill_minutes: u64,
    /// How far back each reconciliation looks.
    pub backfill_days: u64,
    /// Fetch the user last-activity report this often; 0 = only on demand.
    pub report_hours: u64,
    /// Write the CSV export of `metrics_export_charts` this often; 0 = only on demand.
    pub metrics_export_hours: u64,
    /// The Analytics charts (ids, e.g. `active_users`) the metrics export holds.
    pub metrics_export_charts: Vec<String>,
    /// Days the metrics export covers, up to today.
    pub metrics_export_days: u32,
    /// Live event streams (`/events/stream`) one person may have open at once.
    pub stream_max_per_user: usize,
    /// Live event streams open at once for everyone together.
    pub stream_max_total: usize,
}

impl Default for EventsSettings {
    fn default() -> Self {
        Self {
            backfill_minutes: 15,
            backfill_days: 2,
            report_hours: 24,
            metrics_export_hours: 24,
            metrics_export_charts: ["active_users", "new_users", "content", "flags", "moderation_actions"]
                .map(String::from)
                .to_vec(),
            metrics_export_days: 30,
            stream_max_per_user: 8,
            stream_max_total: 200,
        }
    }
}

impl EventsSettings {
    /// What the metrics export holds.
    pub fn metrics_export_plan(&self) -> backend::analytics::exports::ExportPlan {
        backend::analytics::exports::ExportPlan {
            charts: self.metrics_export_charts.clone(),
            days: self.metrics_export_days.clamp(1, 366),
        }
    }

    /// The caps on open live event streams (at least one each).
    pub fn stream_limits(&self) -> backend::live_events::StreamLimits {
        backend::live_events::StreamLimits {
            per_user: self.stream_max_per_user.max(1),
            total: self.stream_max_total.max(1),
        }
    }

    /// The background schedules these settings ask for, spawned.
    pub fn spawn(&self, services: &backend::Services) -> Vec<tokio::task::JoinHandle<()>> {
        use backend::events::{backfill, reports};
        use std::time::Duration;
        let mut tasks = Vec::new();
        if self.backfill_minutes > 0 {
            let window = backfill::Window {
                lookback_ms: i64::try_from(self.backfill_days.max(1).saturating_mul(86_400_000))
                    .unwrap_or(i64::MAX),
                ..backfill::Window::default()
            };
            tasks.push(tokio::spawn(backfill::run_periodically(
                services.clone(),
                // Soon after a start, to repair what was lost while the console was down.
                Duration::from_secs(120),
                Duration::from_secs(self.backfill_minutes.saturating_mul(60)),
                window,
            )));
        }
        if self.report_hours > 0 {
            tasks.push(tokio::spawn(reports::run_periodically(
                services.clone(),
                Duration::from_secs(600),
                Duration::from_secs(self.report_hours.saturating_mul(3600)),
            )));
        }
        if self.metrics_export_hours > 0 {
            tasks.push(tokio::spawn(backend::analytics::exports::run_periodically(
                services.db.clone(),
                services.metrics_export.clone(),
                Duration::from_secs(900),
                Duration::from_secs(self.metrics_export_hours.saturating_mul(3600)),
            )));
        }
        tasks
    }
}

/// One `{ label, secret }` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSetting {
    /// Shown in logs and the delivery log.
    pub label: String,
    /// The key the network issued.
    pub secret: SecretString,
}

/// The validated intake settings.
#[derive(Clone, Debug)]
pub struct WebhooksConfig {
    /// Route path.
    pub path: String,
    /// Configured secrets (the embedded stand-in's is added at start).
    pub secrets: Vec<WebhookSecret>,
    /// Largest body.
    pub max_body_bytes: usize,
    /// Whether the embedded stand-in delivers here.
    pub embedded_delivery: bool,
    /// Longest a delivery request may take, body included.
    pub read_timeout: Duration,
    /// How long stored deliveries are kept (`None` = forever).
    pub retention: Option<Duration>,
}

/// The shortest retention: a redelivery within a day is still recognised as a duplicate.
pub const DEDUPE_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// How often old deliveries are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// `label=secret` entries separated by commas or new lines; `#` lines are comments.
fn parse_entries(text: &str, origin: &str, problems: &mut Vec<String>) -> Vec<WebhookSecret> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|entry| !entry.is_empty() && !entry.starts_with('#'))
        .filter_map(|entry| match entry.split_once('=') {
            Some((label, secret)) if !label.trim().is_empty() && !secret.trim().is_empty() => {
                Some(WebhookSecret {
                    label: label.trim().to_owned(),
                    key: SecretString::from(secret.trim().to_owned()),
                })
            }
            _ => {
                problems.push(format!("{origin}: an entry is not `label=secret`"));
                None
            }
        })
        .collect()
}

impl WebhooksSettings {
    /// Checks the path and gathers the secrets from all three places.
    pub fn validate(&self, problems: &mut Vec<String>) -> WebhooksConfig {
        if !self.path.starts_with('/') || self.path.contains(['{', '}', '*', '?', '#']) || self.path == "/" {
            problems
                .push(format!("webhooks.path `{}` must be a plain path such as /hooks/webhook", self.path));
        }
        if self.max_body_bytes < 1024 {
            problems.push("webhooks.max_body_bytes must be at least 1024".into());
        }
        if !(1..=60).contains(&self.read_timeout_secs) {
            problems.push("webhooks.read_timeout_secs must be between 1 and 60".into());
        }
        let mut secrets: Vec<WebhookSecret> = self
            .secrets
            .iter()
            .map(|s| WebhookSecret { label: s.label.trim().to_owned(), key: s.secret.clone() })
            .collect();
        if let Some(path) = &self.secrets_file {
            match std::fs::read_to_string(path) {
                Ok(text) => secrets.extend(parse_entries(
                    &text,
                    &format!("webhooks.secrets_file `{}`", path.display()),
                    problems,
                )),
                Err(error) => problems
                    .push(format!("webhooks.secrets_file `{}` cannot be read: {error}", path.display())),
            }
        }
        if let Some(text) = &self.env_secrets {
            secrets.extend(parse_entries(text.expose_secret(), "CONSOLE_WEBHOOK_SECRETS", problems));
        }
        let mut labels = std::collections::BTreeSet::new();
        for secret in &secrets {
            if secret.label.is_empty() || secret.key.expose_secret().is_empty() {
                problems.push("every webhook secret needs a label and a non-empty secret".into());
            } else if !labels.insert(secret.label.clone()) {
                problems.push(format!("webhook secret label `{}` is used twice", secret.label));
            }
        }
        WebhooksConfig {
            path: self.path.clone(),
            secrets,
            max_body_bytes: self.max_body_bytes,
            embedded_delivery: self.embedded_delivery,
            read_timeout: Duration::from_secs(self.read_timeout_secs),
            // Whole days, so never shorter than the dedupe window.
            retention: (self.retention_days > 0)
                .then(|| Duration::from_secs(u64::from(self.retention_days) * 86_400).max(DEDUPE_WINDOW)),
        }
    }
}

/// Deletes stored deliveries older than the retention, now and every hour; `None` when they
/// are kept forever.
pub fn spawn_pruning(
    config: &WebhooksConfig,
    services: &backend::Services,
) -> Option<tokio::task::JoinHandle<()>> {
    let retention = config.retention?;
    let (db, gate) = (services.db.clone(), services.write_gate.clone());
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        loop {
            tick.tick().await;
            let before = backend::events::now_ms() - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
            match backend::events::inbox::prune(&db, &gate, before).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "deleted webhook deliveries past their retention"),
                Err(error) => tracing::error!(%error, "could not prune old webhook deliveries"),
            }
        }
    }))
}

/// What the handler needs.
#[derive(Clone)]
pub struct Intake {
    secrets: Arc<[WebhookSecret]>,
    inbox: Inbox,
}

/// The intake route, to merge into the console's router. It sits outside the session,
/// cross-site and IP-allowlist layers: the network is not a person with a session, and the
/// signature is its authentication. Its own layers, outermost first: request id → trace span
/// → read timeout (408) → body limit.
pub fn router(config: &WebhooksConfig, inbox: Inbox) -> Router {
    let intake = Intake { secrets: config.secrets.clone().into(), inbox };
    Router::new()
        .route(&config.path, post(receive))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.read_timeout))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("webhook", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(middleware::from_fn(fresh_request_id))
        .with_state(intake)
}

/// The request id header.
const REQUEST_ID: &str = "x-request-id";

/// Gives every delivery a request id of our own, also on the answer; a sender's
/// `x-request-id` is only logged, as `client_request_id`.
async fn fresh_request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    if let Some(theirs) = request.headers().get(REQUEST_ID) {
        let theirs: String = String::from_utf8_lossy(theirs.as_bytes()).chars().take(128).collect();
        tracing::info!(request_id = %id, client_request_id = %theirs, "webhook request");
    }
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("-"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// With the embedded stand-in: a secret generated for this start, added to the intake's
/// secrets as `embedded`, and the stand-in target that delivers to this console's intake on
/// the loopback address. `None` when `webhooks.embedded_delivery` is off.
pub fn embedded_target(
    webhooks: &mut WebhooksConfig,
    listening: std::net::SocketAddr,
) -> Option<standin::WebhookTarget> {
    if !webhooks.embedded_delivery {
        return None;
    }
    let secret = standin::generate_token();
    webhooks.secrets.retain(|s| s.label != EMBEDDED_LABEL);
    webhooks
        .secrets
        .push(WebhookSecret { label: EMBEDDED_LABEL.into(), key: SecretString::from(secret.clone()) });
    let host = match listening.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
        std::net::IpAddr::V4(ip) => ip.to_string(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
    };
    Some(standin::WebhookTarget {
        url: format!("http://{host}:{}{}", listening.port(), webhooks.path),
        secret,
    })
}

/// The label of the secret generated for the embedded stand-in.
pub const EMBEDDED_LABEL: &str = "embedded";

fn answer(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn receive(State(intake): State<Intake>, headers: HeaderMap, body: Bytes) -> Response {
    if intake.secrets.is_empty() {
        return answer(StatusCode::NOT_FOUND, "webhook intake is not configured");
    }
    let Some(signature) = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()) else {
        if headers.contains_key(LEGACY_SIGNATURE_HEADER) {
            // The legacy copy of a delivery that also comes signed the current way.
            return (StatusCode::OK, Json(json!({}))).into_response();
        }
        tracing::warn!("webhook refused: no signature");
        return answer(StatusCode::UNAUTHORIZED, "missing x-amity-signature");
    };
    let Some(verified) = signature::verify(&intake.secrets, &body, signature) else {
        tracing::warn!(bytes = body.len(), "webhook refused: the signature matches no configured secret");
        return answer(StatusCode::UNAUTHORIZED, "bad signature");
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return answer(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected application/json");
    }
    let event_name = match normalise::event_name(&body) {
        Ok(name) => name,
        Err(why) => {
            tracing::warn!(%why, "webhook refused: not an event");
            return answer(StatusCode::BAD_REQUEST, "expected {\"event\": name, \"data\": {...}}");
        }
    };
    let delivery = Delivery {
        body_sha256: signature::body_sha256(&body),
        body: body.to_vec(),
        secret_label: verified.label,
        signature_kind: verified.kind.as_str(),
        event_name,
        received_at: backend::events::now_ms(),
    };
    match intake.inbox.store(delivery).await {
        Ok(Stored::New(_) | Stored::Duplicate(_)) => (StatusCode::OK, Json(json!({}))).into_response(),
        Err(InboxError::Full) => {
            tracing::warn!("webhook intake is over capacity; asked the sender to retry");
            ([(header::RETRY_AFTER, "1")], answer(StatusCode::SERVICE_UNAVAILABLE, "busy, retry"))
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "webhook delivery not stored");
            answer(StatusCode::SERVICE_UNAVAILABLE, "the delivery could not be stored; retry")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_come_from_the_file_the_environment_and_the_list_with_unique_labels() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("secrets");
        std::fs::write(&file, "# rotated in March\nold=first-secret\n\nnew=second-secret\n").expect("file");
        let settings = WebhooksSettings {
            secrets: vec![SecretSetting { label: "listed".into(), secret: SecretString::from("third") }],
            secrets_file: Some(file),
            env_secrets: Some(SecretString::from("env=fourth, env2=fifth")),
            ..WebhooksSettings::default()
        };
        let mut problems = Vec::new();
        let config = settings.validate(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let labels: Vec<_> = config.secrets.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["listed", "old", "new", "env", "env2"]);
    }

    #[test]
    fn finding_8_webhook_retention_keeps_the_dedupe_window_and_the_read_timeout_is_bounded() {
        let mut problems = Vec::new();
        let config = WebhooksSettings::default().validate(&mut problems);
        assert_eq!(config.retention, Some(Duration::from_secs(30 * 86_400)));
        assert_eq!(config.read_timeout, Duration::from_secs(5));
        let forever = WebhooksSettings { retention_days: 0, ..WebhooksSettings::default() };
        assert_eq!(forever.validate(&mut problems).retention, None);
        let shortest = WebhooksSettings { retention_days: 1, ..WebhooksSettings::default() };
        assert!(shortest.validate(&mut problems).retention >= Some(DEDUPE_WINDOW));
        assert!(problems.is_empty(), "{problems:?}");
        let endless = WebhooksSettings { read_timeout_secs: 0, ..WebhooksSettings::default() };
        endless.validate(&mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn a_bad_entry_a_repeated_label_or_a_bad_path_is_reported_without_the_secret() {
        let settings = WebhooksSettings {
            path: "hooks".into(),
            env_secrets: Some(SecretString::from("a=hunter2,a=hunter3,nolabel")),
            ..WebhooksSettings::default()
        };
        let mut problems = Vec::new();
        settings.validate(&mut problems);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|p| !p.contains("hunter")), "{problems:?}");
    }
}
