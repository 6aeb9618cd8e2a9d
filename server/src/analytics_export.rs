//! `GET /analytics/export.csv?chart=<id>&from=&to=&granularity=`: one Analytics chart as CSV,
//! the same table the page draws (same rollups, same formatting). Permission
//! `view_analytics`; denied attempts and exports are audited like the other downloads.

use app::{AppError, state::AppState};
use axum::{
    Extension,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use backend::{analytics, audit::Outcome};
use serde_json::json;
use types::{CurrentUser, Permission, analytics::AnalyticsQuery};

/// The CSV download.
pub async fn export_csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
    let query = AnalyticsQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let chart_id = pairs.iter().find(|(k, _)| k == "chart").map(|(_, v)| v.clone()).unwrap_or_default();
    let db = &state.services.db;
    const ACTION: &str = "export_analytics";
    let denied = json!({ "chart": chart_id });
    let (user, request_id) =
        match crate::download_audit::require(db, user, &headers, ACTION, Permission::ViewAnalytics, denied)
            .await
        {
            Ok(caller) => caller,
            Err(refused) => return refused,
        };
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, ACTION, outcome, details)
    };
    let view = match analytics::report(db, &query, analytics::today()).await {
        Ok(view) => view,
        Err(analytics::ReportError::Invalid { field, message }) => {
            let error = AppError::InvalidInput { field: field.to_owned(), message };
            return error.into_response();
        }
        Err(analytics::ReportError::Database(error)) => {
            tracing::error!(incident = %request_id, %error, "analytics export failed");
            audit(Outcome::Failed, json!({ "chart": chart_id })).await;
            let error = AppError::Internal { incident: request_id.clone() };
            return error.into_response();
        }
    };
    let Some(chart) = view.charts.into_iter().find(|chart| chart.id == chart_id) else {
        let error = AppError::NotFound { what: format!("Chart “{chart_id}”") };
        return error.into_response();
    };
    let range = json!({ "from": view.from, "to": view.to, "granularity": view.granularity.as_str() });
    audit(Outcome::Success, json!({ "chart": chart.id, "range": range, "rows": chart.labels.len() })).await;
    let filename = format!("attachment; filename=\"{}-{}-{}.csv\"", chart.id, view.from, view.to);
    let mut response = chart.to_csv().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
