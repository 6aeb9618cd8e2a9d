//! `GET /api/v3/users`, `GET /api/v3/users/list`, `GET /api/v3/users/{userId}`.
//!
//! Semantics follow `spec/apidocs-master-4.92.0/v3/user/api.yaml`: `isDeleted` defaults to
//! `false` (live users only), `sortBy` defaults to `displayName`, `options[limit]` is 1..=100
//! (default 10), and paging tokens are base64 `{"skip","limit"}`.

use crate::{State, error::ApiError, paging::PageToken, params::Params};
use axum::{
    Json, Router,
    extract::{Path, RawQuery, State as AxumState},
    routing::get,
};
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use std::collections::{BTreeSet, HashMap};
use upstream::wire::{HashFlag, Paging, User, UserEnvelope};

pub(super) const USER_COLUMNS: &str = "internal_id, user_id, display_name, description, avatar_file_id, \
     avatar_custom_url, roles, metadata, flag_count, is_global_ban, is_brand, is_deleted, \
     created_at, updated_at";

/// The user routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/users", get(query_users))
        .route("/api/v3/users/list", get(list_users_by_ids))
        .route("/api/v3/users/{user_id}", get(get_user))
}

/// `GET /api/v3/users`.
pub async fn query_users(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<UserEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let keyword = params.string("keyword", 100).filter(|k| !k.trim().is_empty());
    let exact = params.boolean("exactMatchKeyword").unwrap_or(false);
    let filter = params.one_of("filter", &["all", "flagged"], "all");
    let sort_by = params.one_of("sortBy", &["displayName", "firstCreated", "lastCreated"], "displayName");
    let is_deleted = params.boolean("isDeleted").unwrap_or(false);
    let limit = params.integer("options[limit]", 1..=100);
    let token = params.string("options[token]", 1000);
    let page = match token {
        Some(token) => match PageToken::decode(&token) {
            Some(page) => page,
            None => {
                params.problem("options[token] is not a valid paging token");
                PageToken { skip: 0, limit: 10 }
            }
        },
        None => PageToken { skip: 0, limit: limit.unwrap_or(10) },
    };
    params.finish()?;

    let mut sql =
        QueryBuilder::<Sqlite>::new(format!("SELECT {USER_COLUMNS} FROM users WHERE is_deleted = "));
    sql.push_bind(is_deleted);
    if let Some(keyword) = &keyword {
        let folded = keyword.trim().to_lowercase();
        if exact {
            sql.push(" AND (display_name_folded = ").push_bind(folded.clone());
            sql.push(" OR lower(user_id) = ").push_bind(folded).push(")");
        } else {
            sql.push(" AND (instr(display_name_folded, ").push_bind(folded.clone());
            sql.push(") > 0 OR instr(lower(user_id), ").push_bind(folded).push(") > 0)");
        }
    }
    if filter == "flagged" {
        sql.push(" AND flag_count > 0");
    }
    sql.push(match sort_by {
        "firstCreated" => " ORDER BY created_at ASC, user_id ASC",
        "lastCreated" => " ORDER BY created_at DESC, user_id DESC",
        _ => " ORDER BY display_name_folded ASC, user_id ASC",
    });
    // One row more than the page tells whether a next page exists.
    sql.push(" LIMIT ").push_bind(i64::from(page.limit) + 1);
    sql.push(" OFFSET ").push_bind(i64::try_from(page.skip).unwrap_or(i64::MAX));
    let mut rows = sql.build().fetch_all(&state.db).await?;
    let has_more = rows.len() > page.limit as usize;
    rows.truncate(page.limit as usize);

    let mut envelope = envelope_for(&state.db, &rows).await?;
    envelope.paging = Some(Paging {
        next: page.next(has_more).map(PageToken::encode),
        previous: page.previous().map(PageToken::encode),
        total: None,
    });
    Ok(Json(envelope))
}

/// `GET /api/v3/users/list?userIds[]=…` (at most 100). Unknown ids are left out.
pub async fn list_users_by_ids(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<UserEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let ids = params.array("userIds");
    if ids.is_empty() {
        params.problem("userIds is required");
    }
    if ids.len() > 100 {
        params.problem("userIds must have at most 100 items");
    }
    params.finish()?;
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {USER_COLUMNS} FROM users WHERE user_id IN ("));
    let mut separated = sql.separated(", ");
    for id in &ids {
        separated.push_bind(id);
    }
    sql.push(")");
    let rows = sql.build().fetch_all(&state.db).await?;
    // Answer in the order asked.
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut rows = rows;
    rows.sort_by_key(|row| position.get(row.get::<&str, _>("user_id")).copied().unwrap_or(usize::MAX));
    Ok(Json(envelope_for(&state.db, &rows).await?))
}

/// `GET /api/v3/users/{userId}?type=public|internal`.
pub async fn get_user(
    AxumState(state): AxumState<State>,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<UserEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let id_type = params.one_of("type", &["public", "internal"], "public");
    params.finish()?;
    let column = if id_type == "internal" { "internal_id" } else { "user_id" };
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = ?"))
        .bind(&user_id)
        .fetch_optional(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    Ok(Json(envelope_for(&state.db, &[row]).await?))
}

/// One user (deleted ones too) by public id, with its avatar file; 404 when unknown.
pub(super) async fn get_envelope(db: &SqlitePool, user_id: &str) -> Result<UserEnvelope, ApiError> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = ?"))
        .bind(user_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    envelope_for(db, &[row]).await
}

/// Maps rows to users and side-loads their avatar files.
pub(super) async fn envelope_for(db: &SqlitePool, rows: &[SqliteRow]) -> Result<UserEnvelope, ApiError> {
    let permissions = role_permissions(db).await?;
    let users: Vec<User> = rows.iter().map(|row| user_from_row(row, &permissions)).collect();
    let file_ids: BTreeSet<String> = users.iter().filter_map(|u| u.avatar_file_id.clone()).collect();
    let files = super::sideload::files(db, &file_ids).await?;
    Ok(UserEnvelope { users, files, paging: None })
}

pub(super) async fn role_permissions(db: &SqlitePool) -> Result<HashMap<String, Vec<String>>, ApiError> {
    let rows = sqlx::query("SELECT role_id, permissions FROM roles").fetch_all(db).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let permissions: Vec<String> =
                serde_json::from_str(row.get::<&str, _>("permissions")).unwrap_or_default();
            (row.get::<String, _>("role_id"), permissions)
        })
        .collect())
}

pub(super) fn user_from_row(row: &SqliteRow, role_permissions: &HashMap<String, Vec<String>>) -> User {
    let roles: Vec<String> = serde_json::from_str(row.get::<&str, _>("roles")).unwrap_or_default();
    let mut permissions: Vec<String> =
        roles.iter().filter_map(|r| role_permissions.get(r)).flatten().cloned().collect();
    permissions.sort();
    permissions.dedup();
    let metadata: Map<String, Value> =
        serde_json::from_str(row.get::<&str, _>("metadata")).unwrap_or_default();
    let internal_id: String = row.get("internal_id");
    let user_id: String = row.get("user_id");
    User {
        id: Some(internal_id.clone()),
        user_public_id: Some(user_id.clone()),
        user_internal_id: Some(internal_id),
        user_id,
        display_name: Some(row.get("display_name")),
        description: Some(row.get("description")),
        avatar_file_id: row.get("avatar_file_id"),
        avatar_custom_url: row.get("avatar_custom_url"),
        roles,
        permissions,
        metadata,
        flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
        hash_flag: Some(HashFlag::default()),
        is_global_ban: row.get("is_global_ban"),
        is_brand: row.get("is_brand"),
        is_deleted: row.get("is_deleted"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}
