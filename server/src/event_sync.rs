//! `POST /backfill`: reconcile recent users, posts, comments and flags from the network into
//! `events` now, instead of waiting for the schedule (`[events] backfill_minutes`).
//! `ManageSettings` (it spends the request budget in bulk); audited.

use app::{AppError, state::AppState};
use axum::{
    Extension, Json,
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use backend::{audit::Outcome, events::backfill};
use serde_json::json;
use types::{CurrentUser, Permission};

/// The handler.
pub async fn backfill_now(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
) -> Response {
    let db = &state.services.db;
    const ACTION: &str = "backfill_events";
    let (user, request_id) = match crate::download_audit::require(
        db,
        user,
        &headers,
        ACTION,
        Permission::ManageSettings,
        json!({}),
    )
    .await
    {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, ACTION, outcome, details)
    };
    match backfill::sync(&state.services, backend::events::now_ms(), backfill::Window::default()).await {
        Ok(repaired) => {
            let details = json!({ "seen": repaired.seen, "added": repaired.added, "calls": repaired.calls });
            audit(Outcome::Success, details.clone()).await;
            Json(details).into_response()
        }
        Err(error) => {
            tracing::warn!(incident = %request_id, %error, "backfill failed");
            audit(Outcome::Failed, json!({})).await;
            let error = AppError::Upstream {
                message: "The backfill could not read Social+. Please try again.".into(),
                upstream_code: None,
            };
            error.into_response()
        }
    }
}
