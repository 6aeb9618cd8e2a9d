//! `GET /users/export.csv?<the users list's query>`: the current filtered users list as a
//! download. Permission `view_users` (the same rows the list shows, page after page);
//! denied attempts and exports are audited. Bounded to `EXPORT_LIMIT` rows (the
//! `x-export-truncated` header says when cut), fetched through the request budget. Each person
//! waits a cooldown between two exports and runs a few at most at once (`[limits]`; 429 with
//! `Retry-After` beyond).

use app::{AppError, state::AppState};
use axum::{
    Extension,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use backend::audit::Outcome;
use serde_json::json;
use types::csv::line;
use types::{CurrentUser, Permission, users::UserListQuery, users::UserRow};

/// The most users one export holds.
pub const EXPORT_LIMIT: usize = 10_000;

/// The CSV download.
pub async fn export_csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let db = &state.services.db;
    let (user, request_id) = match crate::download_audit::require(
        db,
        user,
        &headers,
        "export_users",
        Permission::ViewUsers,
        json!({}),
    )
    .await
    {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let _running = match crate::download_audit::throttled(
        &state.services,
        &user,
        backend::throttle::Work::UsersExport,
    ) {
        Ok(permit) => permit,
        Err(refused) => return refused,
    };
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
    let query = UserListQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).at(None);
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, "export_users", outcome, details)
    };
    let mut rows: Vec<UserRow> = Vec::new();
    let mut page_query = query.clone();
    let truncated = loop {
        let page = match backend::users::list_users(state.services.upstream.as_ref(), &page_query).await {
            Ok(page) => page,
            Err(error) => {
                tracing::warn!(incident = %request_id, %error, "users export failed");
                audit(Outcome::Failed, json!({ "filter": query.to_query_string(), "rows": rows.len() }))
                    .await;
                let message = "Social+ did not answer while the export was being read. Please try again.";
                let error = AppError::Upstream { message: message.into(), upstream_code: None };
                return error.into_response();
            }
        };
        rows.extend(page.items);
        if rows.len() >= EXPORT_LIMIT {
            rows.truncate(EXPORT_LIMIT);
            break page.next.is_some();
        }
        match page.next {
            Some(cursor) => page_query = query.at(Some(cursor)),
            None => break false,
        }
    };
    audit(
        Outcome::Success,
        json!({ "filter": query.to_query_string(), "rows": rows.len(), "truncated": truncated }),
    )
    .await;
    let mut response = to_csv(&rows).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"users.csv\""));
    if truncated {
        headers.insert("x-export-truncated", HeaderValue::from_static("true"));
    }
    response
}

/// The columns an import reads back (`userId`, `displayName`, `roles`) first, then the rest.
fn to_csv(rows: &[UserRow]) -> String {
    let mut out =
        line(["userId", "displayName", "roles", "flagCount", "isGlobalBan", "isDeleted", "createdAt"]);
    for row in rows {
        out.push_str(&line([
            row.user_id.clone(),
            row.display_name.clone(),
            row.roles.join(";"),
            row.flag_count.to_string(),
            row.is_global_ban.to_string(),
            row.is_deleted.to_string(),
            row.created_at.clone(),
        ]));
    }
    out
}
