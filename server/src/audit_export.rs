//! `GET /audit/export.csv` and `GET /audit/export.json`: the audit trail of the current
//! filter as a download. Permission `export_audit`; denied attempts and exports are audited.
//! Bounded to `EXPORT_LIMIT` entries (the `x-export-truncated` header says when cut).

use app::{AppError, state::AppState};
use axum::{
    Extension,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use backend::audit::{
    Outcome,
    query::{QueryError, export},
};
use serde_json::json;
use types::csv::line;
use types::{
    CurrentUser, Permission,
    audit::{AuditEntry, AuditFilter},
};

/// The CSV download.
pub async fn export_csv(
    state: State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    filter: Query<AuditFilter>,
) -> Response {
    run(state, user, headers, filter, Format::Csv).await
}

/// The JSON download.
pub async fn export_json(
    state: State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    filter: Query<AuditFilter>,
) -> Response {
    run(state, user, headers, filter, Format::Json).await
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Json,
}

async fn run(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Query(filter): Query<AuditFilter>,
    format: Format,
) -> Response {
    let db = &state.services.db;
    let (user, request_id) = match crate::download_audit::require(
        db,
        user,
        &headers,
        "export_audit",
        Permission::ExportAudit,
        json!({}),
    )
    .await
    {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let format_name = match format {
        Format::Csv => "csv",
        Format::Json => "json",
    };
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, "export_audit", outcome, details)
    };
    let (entries, truncated) = match export(db, &filter).await {
        Ok(found) => found,
        Err(QueryError::Invalid { field, message }) => {
            let error = AppError::InvalidInput { field: field.into(), message };
            return error.into_response();
        }
        Err(QueryError::Database(error)) => {
            tracing::error!(incident = %request_id, %error, "audit export failed");
            return AppError::Internal { incident: request_id.clone() }.into_response();
        }
    };
    audit(
        Outcome::Success,
        json!({ "format": format_name, "filter": filter.query_string(), "entries": entries.len() }),
    )
    .await;
    let (content_type, body) = match format {
        Format::Csv => ("text/csv; charset=utf-8", to_csv(&entries)),
        Format::Json => ("application/json", serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"audit.{format_name}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if truncated {
        headers.insert("x-export-truncated", HeaderValue::from_static("true"));
    }
    response
}

const CSV_HEADER: &str =
    "id,at,actor_id,actor_role,action,target,outcome,reason,before,after,upstream_status,request_id,details";

/// RFC 4180 CSV, one line per entry.
fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::with_capacity(64 * (entries.len() + 1));
    out.push_str(&line(CSV_HEADER.split(',')));
    for e in entries {
        let fields = [
            e.id.to_string(),
            e.at.clone(),
            e.actor_id.clone(),
            e.actor_role.clone().unwrap_or_default(),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            e.outcome.clone(),
            e.reason.clone().unwrap_or_default(),
            e.before.clone().unwrap_or_default(),
            e.after.clone().unwrap_or_default(),
            e.upstream_status.map(|s| s.to_string()).unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.details.clone(),
        ];
        out.push_str(&line(&fields));
    }
    out
}
