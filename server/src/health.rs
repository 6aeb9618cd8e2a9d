//! `/healthz`: the process is up. `/readyz`: it can do its job — Social+ answers with the
//! admin token and the database accepts writes. The upstream probe is cached for a few
//! seconds, so a busy load balancer cannot spend the network's request budget.

use app::state::AppState;
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use backend::readiness::{self, Report};
use serde_json::json;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long a readiness result is reused.
const READINESS_CACHE: Duration = Duration::from_secs(5);

/// The last readiness report and when it was taken.
#[derive(Clone, Default)]
pub struct ReadinessCache(Arc<Mutex<Option<(Instant, Report)>>>);

/// `GET /healthz`.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: 200 when ready, 503 with the failing checks otherwise.
pub async fn readyz(State(state): State<AppState>, cache: axum::Extension<ReadinessCache>) -> Response {
    let cached = cache.0.0.lock().ok().and_then(|slot| {
        slot.as_ref().filter(|(at, _)| at.elapsed() < READINESS_CACHE).map(|(_, r)| r.clone())
    });
    let report = match cached {
        Some(report) => report,
        None => {
            let report = readiness::check(&state.services).await;
            if let Ok(mut slot) = cache.0.0.lock() {
                *slot = Some((Instant::now(), report.clone()));
            }
            report
        }
    };
    let status = if report.is_ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    if !report.is_ready() {
        tracing::warn!(report = %report.to_json(), "not ready");
    }
    (status, Json(report.to_json())).into_response()
}
