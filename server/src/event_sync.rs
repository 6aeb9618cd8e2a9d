//! `POST /backfill`: reconcile recent users, posts, comments and flags from the network into
//! `events` now, instead of waiting for the schedule (`[events] backfill_minutes`).
//! `ManageSettings` (it spends the request budget in bulk); audited.

use app::{AppError, state::AppState};
use axum::{
    Extension, Json,
    extract::State,
    http::{HeaderMap, StatusCode},
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
    let request_id = app::ctx::request_id_of(&headers);
    let Some(Extension(user)) = user else {
        return (StatusCode::UNAUTHORIZED, Json(AppError::Unauthenticated)).into_response();
    };
    let db = &state.services.db;
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, "backfill_events", outcome, details)
    };
    if !user.can(Permission::ManageSettings) {
        audit(Outcome::Denied, json!({ "permission": Permission::ManageSettings })).await;
        return (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
    }
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
            (StatusCode::BAD_GATEWAY, Json(error)).into_response()
        }
    }
}
