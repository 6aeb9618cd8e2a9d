//! `/healthz`: the process is up. `/readyz`: it can do its job — Social+ answers with the
//! admin token and the database accepts writes. The upstream probe is cached for a few
//! seconds, so a busy load balancer cannot spend the network's request budget.
//!
//! Both are public (orchestrators probe without a session), so `/readyz` answers the status
//! only; which check failed and why (error text that can name hosts, files or the upstream's
//! answer) goes to the log.

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

/// `GET /readyz`: 200 `{"status":"ready"}`, or 503 `{"status":"not_ready"}` with the
/// failing checks in the log.
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
            if !report.is_ready() {
                // Once per fresh check, not once per probe.
                tracing::warn!(report = %report.to_json(), "not ready");
            }
            report
        }
    };
    answer(&report)
}

fn answer(report: &Report) -> Response {
    if report.is_ready() {
        (StatusCode::OK, Json(json!({ "status": "ready" }))).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "not_ready" }))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finding_12_a_failing_check_shows_its_status_but_not_its_error_text() {
        let report = Report {
            upstream: Err("error sending request for url (http://10.0.0.7:8443/api/v3/users)".into()),
            database: Err("database not writable: unable to open /srv/console/data.sqlite".into()),
        };
        let response = answer(&report);
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.expect("body");
        assert_eq!(body.as_ref(), br#"{"status":"not_ready"}"#);
    }
}
