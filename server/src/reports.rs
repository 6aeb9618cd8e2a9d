//! The user last-activity report routes (`ViewAnalytics`, each audited):
//!
//! * `GET /reports/last-activity` — the stored reports, newest first (JSON);
//! * `POST /reports/last-activity` — fetch the report from the network now, store it and
//!   import its activity into `events`; answers the stored report (JSON); a person waits
//!   `limits.report_fetch_cooldown_minutes` between two fetches (429 with `Retry-After`);
//! * `GET /reports/last-activity/{id}` — one stored report as CSV, display names defused for
//!   spreadsheets.

use app::{AppError, state::AppState};
use axum::{
    Extension, Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use backend::{audit::Outcome, events::reports};
use serde_json::json;
use types::csv::line;
use types::{CurrentUser, Permission};

/// Reports listed at most.
const LISTED: i64 = 200;

fn row(report: &reports::StoredReport) -> serde_json::Value {
    json!({ "id": report.id, "fetchedAt": report.fetched_at, "requestedBy": report.requested_by,
        "rows": report.row_count, "activeRows": report.active_rows, "imported": report.imported })
}

/// Who may use the routes; audits a refusal.
async fn allowed(
    state: &AppState,
    user: Option<Extension<CurrentUser>>,
    headers: &HeaderMap,
    action: &str,
) -> Result<(CurrentUser, String), Response> {
    crate::download_audit::require(
        &state.services.db,
        user,
        headers,
        action,
        Permission::ViewAnalytics,
        json!({}),
    )
    .await
}

fn internal(request_id: &str, error: &backend::Error) -> Response {
    tracing::error!(incident = %request_id, %error, "last-activity report failed");
    AppError::Internal { incident: request_id.to_owned() }.into_response()
}

/// `GET /reports/last-activity`.
pub async fn list(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
) -> Response {
    let (_, request_id) = match allowed(&state, user, &headers, "list_activity_reports").await {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    match reports::list(&state.services.db, LISTED).await {
        Ok(reports) => Json(reports.iter().map(row).collect::<Vec<_>>()).into_response(),
        Err(error) => internal(&request_id, &error),
    }
}

/// `POST /reports/last-activity`.
pub async fn fetch(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
) -> Response {
    let (user, request_id) = match allowed(&state, user, &headers, "fetch_activity_report").await {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let _running = match crate::download_audit::throttled(
        &state.services,
        &user,
        backend::throttle::Work::ReportFetch,
    ) {
        Ok(permit) => permit,
        Err(refused) => return refused,
    };
    let db = &state.services.db;
    match reports::fetch(&state.services, &user.id).await {
        Ok(report) => {
            let details = row(&report);
            crate::download_audit::record(
                db,
                &user,
                &request_id,
                "fetch_activity_report",
                Outcome::Success,
                details,
            )
            .await;
            Json(row(&report)).into_response()
        }
        Err(backend::Error::Upstream(error)) => {
            tracing::warn!(incident = %request_id, %error, "the network did not give the report");
            crate::download_audit::record(
                db,
                &user,
                &request_id,
                "fetch_activity_report",
                Outcome::Failed,
                json!({}),
            )
            .await;
            let message = "Social+ did not give the last-activity report. Please try again.";
            let error = AppError::Upstream { message: message.into(), upstream_code: None };
            error.into_response()
        }
        Err(error) => internal(&request_id, &error),
    }
}

/// `GET /reports/last-activity/{id}`.
pub async fn download(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let (user, request_id) = match allowed(&state, user, &headers, "download_activity_report").await {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let db = &state.services.db;
    let stored = match reports::csv(db, id).await {
        Ok(Some(csv)) => csv,
        Ok(None) => {
            let error = AppError::NotFound { what: format!("Report {id}") };
            return error.into_response();
        }
        Err(error) => return internal(&request_id, &error),
    };
    let rows = match upstream::wire::parse_last_activity_csv(&String::from_utf8_lossy(&stored)) {
        Ok(rows) => rows,
        Err(why) => return internal(&request_id, &backend::Error::Internal(why)),
    };
    crate::download_audit::record(
        db,
        &user,
        &request_id,
        "download_activity_report",
        Outcome::Success,
        json!({ "report": id, "rows": rows.len() }),
    )
    .await;
    let mut out = line(upstream::wire::LAST_ACTIVITY_COLUMNS);
    for r in &rows {
        let cells = [&r.user_id, &r.user_public_id, &r.display_name, &r.last_active_utc];
        out.push_str(&line(cells));
    }
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"last-activity-{id}.csv\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /reports/metrics/{id}`: a stored metrics export, as it was written (its cells were
/// defused when it was made).
pub async fn download_metrics(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let (user, request_id) = match allowed(&state, user, &headers, "download_metrics_export").await {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let db = &state.services.db;
    let csv = match backend::analytics::exports::csv(db, id).await {
        Ok(Some(csv)) => csv,
        Ok(None) => {
            let error = AppError::NotFound { what: format!("Metrics export {id}") };
            return error.into_response();
        }
        Err(error) => return internal(&request_id, &error),
    };
    let details = json!({ "export": id, "bytes": csv.len() });
    crate::download_audit::record(
        db,
        &user,
        &request_id,
        "download_metrics_export",
        Outcome::Success,
        details,
    )
    .await;
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"metrics-{id}.csv\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
