//! `GET|POST /api/v3/roles`, `GET|PUT|DELETE /api/v3/roles/{roleId}` (spec: `v3/role/api.yaml`).
//! Answers are `{status, data: [role]}`. Deleting a role takes it away from every user; the
//! system roles (`admin`, `moderator`) cannot be deleted.

use super::user_admin::body_as;
use crate::{State, error::ApiError, paging::PageToken, params::Params, time_fmt};
use axum::{
    Json, Router,
    extract::{Path, RawQuery, State as AxumState},
    http::StatusCode,
    routing::get,
};
use serde_json::{Value, json};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use time::OffsetDateTime;
use upstream::wire::{PERMISSIONS, Role, RoleEnvelope, RoleInput, SYSTEM_ROLES, code};

/// The role routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/roles", get(query_roles).post(create_role))
        .route("/api/v3/roles/{role_id}", get(get_role).put(update_role).delete(delete_role))
}

fn role_from_row(row: &SqliteRow) -> Role {
    Role {
        role_id: row.get("role_id"),
        display_name: Some(row.get("display_name")),
        permissions: serde_json::from_str(row.get::<&str, _>("permissions")).unwrap_or_default(),
        is_deleted: false,
        updated_at: row.get("updated_at"),
    }
}

fn answer(data: Vec<Role>) -> Json<RoleEnvelope> {
    Json(RoleEnvelope { status: Some("success".into()), data })
}

async fn role_row(db: &SqlitePool, role_id: &str) -> Result<SqliteRow, ApiError> {
    sqlx::query(
        "SELECT role_id, display_name, permissions, created_at, updated_at FROM roles WHERE role_id = ?",
    )
    .bind(role_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::not_found("Role"))
}

fn validate(input: &RoleInput) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if input.role_id.is_empty() || input.role_id.chars().count() > 100 {
        problems.push("roleId must be 1 to 100 characters".to_owned());
    }
    if input.display_name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        problems.push("displayName must be at most 100 characters".to_owned());
    }
    for permission in &input.permissions {
        if !PERMISSIONS.contains(&permission.as_str()) {
            problems.push(format!("permissions: `{permission}` is not a permission"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ApiError::bad_request(problems)) }
}

fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}

/// `GET /api/v3/roles?keyword=&sortBy=&options[limit]=&options[token]=`. `keyword` is required
/// (it may be empty) and matches role ids and names, case-insensitively.
pub async fn query_roles(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RoleEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let keyword = params.string("keyword", 100);
    if keyword.is_none() {
        params.problem("keyword is required");
    }
    let sort_by = params.one_of("sortBy", &["lastCreated", "firstCreated", "displayName"], "lastCreated");
    let limit = params.integer("options[limit]", 1..=100).unwrap_or(10);
    let page = match params.string("options[token]", 1000) {
        Some(token) => PageToken::decode(&token).unwrap_or_else(|| {
            params.problem("options[token] is not a valid paging token");
            PageToken { skip: 0, limit }
        }),
        None => PageToken { skip: 0, limit },
    };
    params.finish()?;
    let folded = keyword.unwrap_or_default().to_lowercase();
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT role_id, display_name, permissions, created_at, updated_at FROM roles WHERE (instr(lower(role_id), ",
    );
    sql.push_bind(folded.clone())
        .push(") > 0 OR instr(lower(display_name), ")
        .push_bind(folded)
        .push(") > 0)");
    sql.push(match sort_by {
        "firstCreated" => " ORDER BY created_at ASC, role_id ASC",
        "displayName" => " ORDER BY lower(display_name) ASC, role_id ASC",
        _ => " ORDER BY created_at DESC, role_id DESC",
    });
    sql.push(" LIMIT ").push_bind(i64::from(page.limit));
    sql.push(" OFFSET ").push_bind(i64::try_from(page.skip).unwrap_or(i64::MAX));
    let rows = sql.build().fetch_all(&state.db).await?;
    Ok(answer(rows.iter().map(role_from_row).collect()))
}

/// `POST /api/v3/roles`: 400 / 400315 when the id is taken.
pub async fn create_role(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<RoleEnvelope>, ApiError> {
    let input: RoleInput = body_as(body)?;
    validate(&input)?;
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO roles (role_id, display_name, permissions, created_at, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (role_id) DO NOTHING",
    )
    .bind(&input.role_id)
    .bind(input.display_name.clone().unwrap_or_else(|| input.role_id.clone()))
    .bind(serde_json::to_string(&input.permissions).map_err(ApiError::unexpected)?)
    .bind(&at)
    .bind(&at)
    .execute(&state.db)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(ApiError::with_code(StatusCode::BAD_REQUEST, code::DUPLICATE, "Role already exists."));
    }
    Ok(answer(vec![role_from_row(&role_row(&state.db, &input.role_id).await?)]))
}

/// `GET /api/v3/roles/{roleId}`.
pub async fn get_role(
    AxumState(state): AxumState<State>,
    Path(role_id): Path<String>,
) -> Result<Json<RoleEnvelope>, ApiError> {
    Ok(answer(vec![role_from_row(&role_row(&state.db, &role_id).await?)]))
}

/// `PUT /api/v3/roles/{roleId}`: replaces the permissions (and the name, when given). The
/// permissions of every holder change with it.
pub async fn update_role(
    AxumState(state): AxumState<State>,
    Path(role_id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<RoleEnvelope>, ApiError> {
    let input: RoleInput = body_as(body)?;
    validate(&input)?;
    if input.role_id != role_id {
        return Err(ApiError::bad_request(vec!["roleId in the body must match the path".into()]));
    }
    let current = role_row(&state.db, &role_id).await?;
    let name = input.display_name.clone().unwrap_or_else(|| current.get("display_name"));
    sqlx::query("UPDATE roles SET display_name = ?, permissions = ?, updated_at = ? WHERE role_id = ?")
        .bind(name)
        .bind(serde_json::to_string(&input.permissions).map_err(ApiError::unexpected)?)
        .bind(now())
        .bind(&role_id)
        .execute(&state.db)
        .await?;
    Ok(answer(vec![role_from_row(&role_row(&state.db, &role_id).await?)]))
}

/// `DELETE /api/v3/roles/{roleId}`: removes the role and takes it from every user (each
/// changed user emits `user.didUpdate`); answers the role with `isDeleted: true`.
pub async fn delete_role(
    AxumState(state): AxumState<State>,
    Path(role_id): Path<String>,
) -> Result<Json<RoleEnvelope>, ApiError> {
    if SYSTEM_ROLES.contains(&role_id.as_str()) {
        return Err(ApiError::permission_denied());
    }
    let mut role = role_from_row(&role_row(&state.db, &role_id).await?);
    let at = now();
    let mut tx = state.db.begin().await?;
    let holders: Vec<(String,)> = sqlx::query_as(
        "SELECT user_id FROM users WHERE EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = ?)",
    )
    .bind(&role_id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET roles = (SELECT json_group_array(value) FROM json_each(users.roles) WHERE value != ?), \
         updated_at = ? WHERE EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = ?)",
    )
    .bind(&role_id)
    .bind(&at)
    .bind(&role_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM roles WHERE role_id = ?").bind(&role_id).execute(&mut *tx).await?;
    tx.commit().await?;
    for (user_id,) in holders {
        let envelope = super::users::get_envelope(&state.db, &user_id).await?;
        state.events.emit("user.didUpdate", json!({ "users": envelope.users, "files": envelope.files }));
    }
    role.is_deleted = true;
    role.updated_at = at;
    Ok(answer(vec![role]))
}
