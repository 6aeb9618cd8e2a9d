//! `GET /api/v1/reports/user-last-activity`: CSV of every user's last activity (docs:
//! `generate-user-last-activity-report.mdx`; in no spec). Activity comes from the
//! `user_activity` table: seeded history, session registrations and user-token calls.
//! Users never seen active have an empty `last_active_utc`.

use crate::{State, error::ApiError};
use axum::{
    Router,
    extract::State as AxumState,
    http::header::{CONTENT_DISPOSITION, CONTENT_TYPE},
    response::IntoResponse,
    routing::get,
};
use sqlx::Row;
use upstream::wire::{LastActivity, last_activity_csv};

/// The report routes.
pub fn routes() -> Router<State> {
    Router::new().route("/api/v1/reports/user-last-activity", get(user_last_activity))
}

/// Every user (deleted ones too, as the report covers the whole network), most recently
/// active first, never-active last.
pub async fn user_last_activity(AxumState(state): AxumState<State>) -> Result<impl IntoResponse, ApiError> {
    let rows = sqlx::query(
        "SELECT u.internal_id, u.user_id, u.display_name, a.last_active_at FROM users u \
         LEFT JOIN user_activity a ON a.user_internal_id = u.internal_id \
         ORDER BY a.last_active_at IS NULL, a.last_active_at DESC, u.user_id",
    )
    .fetch_all(&state.db)
    .await?;
    let report: Vec<LastActivity> = rows
        .iter()
        .map(|row| LastActivity {
            user_id: row.get("internal_id"),
            user_public_id: row.get("user_id"),
            display_name: row.get("display_name"),
            last_active_utc: row.get::<Option<String>, _>("last_active_at").unwrap_or_default(),
        })
        .collect();
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"user-last-activity.csv\""),
        ],
        last_activity_csv(&report),
    ))
}
