//! `GET /jobs/{id}/results.csv`: every item of a job with its status and outcome (an
//! import's result file). Needs the permission the job's creator needed; audited.

use app::{AppError, state::AppState};
use axum::{
    Extension,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use backend::audit::{Entry, Outcome, append};
use serde_json::json;
use types::csv::line;
use types::{CurrentUser, jobs::JobItemsQuery};

/// Items read per database query.
const PAGE: u32 = 500;

/// The CSV download.
pub async fn results_csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Path(job_id): Path<String>,
) -> Response {
    let request_id = app::ctx::request_id_of(&headers);
    let Some(Extension(user)) = user else {
        return AppError::Unauthenticated.into_response();
    };
    let db = &state.services.db;
    let internal = |error: backend::Error| {
        tracing::error!(incident = %request_id, %error, "job results failed");
        AppError::Internal { incident: request_id.clone() }.into_response()
    };
    let job = match backend::jobs::get(db, &job_id).await {
        Ok(Some(job)) => job,
        Ok(None) => {
            let error = AppError::NotFound { what: format!("Job “{job_id}”") };
            return error.into_response();
        }
        Err(error) => return internal(error),
    };
    let allowed = user.can(job.permission);
    let entry = Entry {
        actor_id: &user.id,
        actor_role: Some(user.role.as_str()),
        action: "download_job_results",
        target: Some(&job_id),
        outcome: if allowed { Outcome::Success } else { Outcome::Denied },
        request_id: Some(&request_id),
        details: json!({ "kind": job.kind, "permission": job.permission }),
    };
    if let Err(error) = append(db, &entry).await {
        tracing::error!(%error, "could not write the audit entry");
    }
    if !allowed {
        return AppError::Forbidden.into_response();
    }
    let mut out = line(["item", "key", "status", "message", "result"]);
    let mut offset = 0;
    loop {
        let query = JobItemsQuery { status: None, offset, limit: PAGE };
        let items = match backend::jobs::items(db, &job_id, &query).await {
            Ok(items) => items,
            Err(error) => return internal(error),
        };
        for item in &items {
            out.push_str(&line([
                (item.seq + 1).to_string().as_str(),
                &item.key,
                item.status.as_str(),
                item.message.as_deref().unwrap_or_default(),
                item.result.as_deref().unwrap_or_default(),
            ]));
        }
        if items.len() < PAGE as usize {
            break;
        }
        offset += PAGE;
    }
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"{}-{job_id}.csv\"", job.kind);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
