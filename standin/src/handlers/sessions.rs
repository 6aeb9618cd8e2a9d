//! Sessions and tokens (spec: `v4/session/api.yaml`, `v3/session/api.yaml`,
//! `v4/authentication/api.yaml`).
//!
//! `POST /api/v4/sessions` (API key) and `POST /api/v4/authentication/token` (server key) sit
//! outside the bearer check: [`key_routes`]. The rest need a bearer token: [`routes`].

use super::user_admin::body_as;
use crate::{
    State,
    auth::Caller,
    error::ApiError,
    keys::{self, KeyKind},
    params::Params,
    seed::{EPOCH, hex_id},
    sessions::{self, Device},
    time_fmt,
};
use axum::{
    Extension, Json, Router,
    extract::{Path, RawQuery, State as AxumState},
    http::{HeaderMap, StatusCode, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use serde_json::{Value, json};
use sqlx::Row;
use time::{Duration, OffsetDateTime};
use upstream::wire::{Session, SessionCheck, SessionRequest, Success, code};

/// How long an auth token may wait before it is used (docs: about ten minutes).
const AUTH_TOKEN_LIFETIME: Duration = Duration::minutes(10);

/// Routes authenticated by a network key instead of a bearer token.
pub fn key_routes() -> Router<State> {
    Router::new()
        .route("/api/v4/sessions", post(register_session))
        .route("/api/v4/authentication/token", post(auth_token))
}

/// Routes behind the bearer check.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/sessions", get(verify_session))
        .route("/api/v4/sessions", delete(revoke))
        .route("/api/v4/sessions/users/{user_id}", delete(revoke_by_path))
}

fn problems_of(request: &SessionRequest) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |field: &str, value: Option<&str>, min: usize, max: usize| {
        if let Some(value) = value {
            let n = value.chars().count();
            if n < min || n > max {
                problems.push(format!("{field} must be {min} to {max} characters"));
            }
        }
    };
    check("userId", Some(&request.user_id), 1, 50);
    check("deviceId", Some(&request.device_id), 1, 150);
    check("displayName", request.display_name.as_deref(), 0, 100);
    check("authToken", request.auth_token.as_deref(), 1, 100);
    if let Some(info) = &request.device_info {
        check("deviceInfo.model", info.model.as_deref(), 0, 100);
        check("deviceInfo.sdkVersion", info.sdk_version.as_deref(), 0, 30);
    }
    problems
}

/// `POST /api/v4/sessions` with `x-api-key`: creates the user if missing, updates the display
/// name if given, and issues a 30-day access token. A banned user gets 403 / 400312, a deleted
/// one 401 / 400100. An `authToken`, when sent, must be a live one issued for this user.
pub async fn register_session(
    AxumState(state): AxumState<State>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Result<Json<Session>, ApiError> {
    keys::require(&state.db, &headers, KeyKind::Api).await?;
    let request: SessionRequest = body_as(body)?;
    let problems = problems_of(&request);
    if !problems.is_empty() {
        return Err(ApiError::bad_request(problems));
    }
    if let Some(token) = &request.auth_token {
        let used = sqlx::query("DELETE FROM auth_tokens WHERE token = ? AND user_id = ? AND expires_at > ?")
            .bind(token)
            .bind(&request.user_id)
            .bind(now())
            .execute(&state.db)
            .await?
            .rows_affected();
        if used == 0 {
            return Err(ApiError::unauthorized());
        }
    }
    let existing = sqlx::query(
        "SELECT internal_id, display_name, is_global_ban, is_deleted FROM users WHERE user_id = ?",
    )
    .bind(&request.user_id)
    .fetch_optional(&state.db)
    .await?;
    let internal_id = match existing {
        Some(row) => {
            if row.get::<bool, _>("is_deleted") {
                return Err(ApiError::unauthorized());
            }
            if row.get::<bool, _>("is_global_ban") {
                return Err(ApiError::global_ban());
            }
            let internal_id: String = row.get("internal_id");
            if let Some(name) =
                request.display_name.as_ref().filter(|n| **n != row.get::<String, _>("display_name"))
            {
                sqlx::query("UPDATE users SET display_name = ?, display_name_folded = ?, updated_at = ? WHERE internal_id = ?")
                    .bind(name)
                    .bind(name.to_lowercase())
                    .bind(now())
                    .bind(&internal_id)
                    .execute(&state.db)
                    .await?;
                let users = user_data(&state, &request.user_id).await?;
                state.events.emit("user.didUpdate", users);
            }
            internal_id
        }
        None => {
            let internal_id = hex_id(&mut fastrand::Rng::new(), 24);
            let name = request.display_name.clone().unwrap_or_else(|| request.user_id.clone());
            let at = now();
            sqlx::query(
                "INSERT INTO users (internal_id, user_id, display_name, display_name_folded, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&internal_id)
            .bind(&request.user_id)
            .bind(&name)
            .bind(name.to_lowercase())
            .bind(&at)
            .bind(&at)
            .execute(&state.db)
            .await?;
            let users = user_data(&state, &request.user_id).await?;
            state.events.emit("user.didCreate", users);
            internal_id
        }
    };
    let info = request.device_info.as_ref();
    let kind = info.and_then(|i| i.kind).map(|k| match k {
        upstream::wire::DeviceKind::Ios => "ios",
        upstream::wire::DeviceKind::Android => "android",
        upstream::wire::DeviceKind::Web => "web",
        upstream::wire::DeviceKind::Node => "node",
    });
    let device = Device {
        id: &request.device_id,
        kind,
        model: info.and_then(|i| i.model.as_deref()),
        sdk_version: info.and_then(|i| i.sdk_version.as_deref()),
    };
    let issued = sessions::issue(&state.db, &internal_id, &device).await?;
    let envelope = super::users::get_envelope(&state.db, &request.user_id).await?;
    Ok(Json(Session {
        access_token: issued.access_token,
        refresh_token: Some(issued.refresh_token),
        issued_at: Some(issued.issued_at),
        expires_at: Some(issued.expires_at),
        users: envelope.users,
        files: envelope.files,
    }))
}

async fn user_data(state: &State, user_id: &str) -> Result<Value, ApiError> {
    let envelope = super::users::get_envelope(&state.db, user_id).await?;
    Ok(json!({ "users": envelope.users, "files": envelope.files }))
}

/// `POST /api/v4/authentication/token` with `x-server-key`: a single-use token binding a
/// session registration to `userId`. Answers `text/plain`, as do its 401s (spec).
pub async fn auth_token(
    AxumState(state): AxumState<State>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if keys::require(&state.db, &headers, KeyKind::Server).await.is_err() {
        return (StatusCode::UNAUTHORIZED, [(CONTENT_TYPE, "text/plain")], "Unauthorized").into_response();
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let user_id = body.get("userId").and_then(Value::as_str).unwrap_or_default();
    if user_id.is_empty() || user_id.chars().count() > 50 {
        let body = json!({
            "status": "error",
            "code": code::UNEXPECTED,
            "message": "Parameters error.",
            "data": { "detail": ["userId is required and must be at most 50 characters"] },
        });
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    }
    let token = crate::generate_token()[..42].to_owned();
    let expires_at = time_fmt::format(OffsetDateTime::now_utc() + AUTH_TOKEN_LIFETIME);
    let stored = sqlx::query("INSERT INTO auth_tokens (token, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(&token)
        .bind(user_id)
        .bind(&expires_at)
        .execute(&state.db)
        .await;
    match stored {
        Ok(_) => (StatusCode::OK, [(CONTENT_TYPE, "text/plain")], token).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// `GET /api/v3/sessions`: the bearer check already refused dead, revoked and banned tokens.
pub async fn verify_session() -> Json<SessionCheck> {
    Json(SessionCheck { last_cache_purge: Some(time_fmt::format(EPOCH)) })
}

/// `DELETE /api/v4/sessions?userId=&isPublic=`: with `userId` (admin token only) revokes
/// every token of that user; without it revokes the caller's own token.
pub async fn revoke(
    AxumState(state): AxumState<State>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Success>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let user_id = params.string("userId", 50).filter(|id| !id.is_empty());
    let is_public = params.boolean("isPublic").unwrap_or(true);
    params.finish()?;
    match (user_id, caller) {
        (Some(user_id), Caller::Admin) => revoke_user(&state, &user_id, is_public).await,
        (Some(_), Caller::User(_)) => Err(ApiError::permission_denied()),
        (None, Caller::User(me)) => {
            sessions::revoke_token(&state.db, &me.token_id).await?;
            Ok(Json(Success { success: true }))
        }
        (None, Caller::Admin) => {
            Err(ApiError::bad_request(vec!["userId is required with the admin token".into()]))
        }
    }
}

/// `DELETE /api/v4/sessions/users/{userId}?isPublic=`: revokes every token of the user.
pub async fn revoke_by_path(
    AxumState(state): AxumState<State>,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Success>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let is_public = params.boolean("isPublic").unwrap_or(true);
    params.finish()?;
    revoke_user(&state, &user_id, is_public).await
}

async fn revoke_user(state: &State, user_id: &str, is_public: bool) -> Result<Json<Success>, ApiError> {
    let column = if is_public { "user_id" } else { "internal_id" };
    let internal_id: Option<(String,)> =
        sqlx::query_as(&format!("SELECT internal_id FROM users WHERE {column} = ?"))
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let (internal_id,) = internal_id.ok_or_else(|| ApiError::not_found("UserId"))?;
    sessions::revoke_user(&state.db, &internal_id).await?;
    Ok(Json(Success { success: true }))
}

fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}
