//! Comments: `GET /api/v3/comments` by reference, get, delete (soft / permanent), flag and
//! clear flags (`spec: v3/comment/api.yaml`, `v4/comment/api.yaml`). By default only top-level
//! comments are listed (`filterByParentId` defaults to true with no `parentId`).

use super::{
    posts::{FlagBody, cursor_param},
    review::{self, ADMIN_ACTOR, Kind},
    sideload::{COMMENT_COLUMNS, comment_from_row, community_users, internal_ids, json_body, push_in, users},
};
use crate::{State, error::ApiError, keyset::Keyset, params::Params};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, RawQuery, State as AxumState},
    routing::{delete, get, post},
};
use serde_json::json;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use std::collections::{BTreeSet, HashMap};
use upstream::wire::{CommentEnvelope, DeleteResult, SuccessFlag};

/// The comment routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/comments", get(query_comments))
        .route("/api/v3/comments/{comment_id}", get(get_comment))
        .route("/api/v4/comments/{comment_id}", delete(delete_comment))
        .route("/api/v3/comments/{comment_id}/flag", post(flag_comment))
        .route("/api/v3/comments/{comment_id}/flags", delete(clear_comment_flags))
}

/// `GET /api/v3/comments`.
async fn query_comments(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommentEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let reference_id = params.string("referenceId", 900);
    if reference_id.is_none() {
        params.problem("referenceId is required");
    }
    let reference_type = params.one_of("referenceType", &["post", "content", "story"], "post");
    let parent_id = params.string("parentId", 900);
    let by_parent = params.boolean("filterByParentId").unwrap_or(true);
    let has_flag = params.boolean("hasFlag");
    let is_deleted = params.boolean("isDeleted");
    let sort_by = params.one_of(
        "sortBy",
        &["lastCreated", "firstCreated", "lastUpdated", "firstUpdated"],
        "lastCreated",
    );
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);
    let keyset = match sort_by {
        "firstCreated" => Keyset { key: "c.created_at", id: "c.comment_id", descending: false },
        "lastUpdated" => Keyset { key: "c.updated_at", id: "c.comment_id", descending: true },
        "firstUpdated" => Keyset { key: "c.updated_at", id: "c.comment_id", descending: false },
        _ => Keyset { key: "c.created_at", id: "c.comment_id", descending: true },
    };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COMMENT_COLUMNS}{} FROM comments c WHERE c.reference_id = ",
        keyset.columns()
    ));
    sql.push_bind(reference_id.unwrap_or_default());
    sql.push(" AND c.reference_type = ").push_bind(reference_type);
    match (&parent_id, by_parent) {
        (Some(parent), _) => {
            sql.push(" AND c.parent_id = ").push_bind(parent.clone());
        }
        (None, true) => {
            sql.push(" AND c.parent_id IS NULL");
        }
        (None, false) => {}
    }
    match has_flag {
        Some(true) => sql.push(" AND c.flag_count > 0"),
        Some(false) => sql.push(" AND c.flag_count = 0"),
        None => &mut sql,
    };
    if let Some(is_deleted) = is_deleted {
        sql.push(" AND c.is_deleted = ").push_bind(is_deleted);
    }
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);
    let mut envelope = comment_envelope(&state.db, &rows).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

/// Comments with their replies, authors and the authors' memberships.
pub async fn comment_envelope(db: &SqlitePool, rows: &[SqliteRow]) -> Result<CommentEnvelope, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.get("comment_id")).collect();
    let child_rows = if ids.is_empty() {
        Vec::new()
    } else {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.parent_id IN "
        ));
        push_in(&mut sql, ids.iter().map(String::as_str));
        sql.push(" ORDER BY c.created_at, c.comment_id");
        sql.build().fetch_all(db).await?
    };
    let user_ids: BTreeSet<String> = rows.iter().chain(&child_rows).map(|r| r.get("user_id")).collect();
    let communities: BTreeSet<String> = rows
        .iter()
        .filter(|r| r.get::<Option<&str>, _>("target_type") == Some("community"))
        .filter_map(|r| r.get::<Option<String>, _>("target_id"))
        .collect();
    let internal = internal_ids(db, &user_ids).await?;
    let mut children_of: HashMap<String, Vec<String>> = HashMap::new();
    for child in &child_rows {
        if let Some(parent) = child.get::<Option<String>, _>("parent_id") {
            children_of.entry(parent).or_default().push(child.get("comment_id"));
        }
    }
    let comments = rows
        .iter()
        .map(|row| {
            let children = children_of.remove(row.get::<&str, _>("comment_id")).unwrap_or_default();
            comment_from_row(row, &internal, children)
        })
        .collect();
    let comment_children =
        child_rows.iter().map(|row| comment_from_row(row, &internal, Vec::new())).collect();
    let (users, files) = users(db, &user_ids).await?;
    let community_users = community_users(db, &communities, &user_ids, &internal).await?;
    Ok(CommentEnvelope { comments, comment_children, community_users, users, files, paging: None })
}

/// The envelope of one comment, or 404.
pub async fn one_comment(db: &SqlitePool, comment_id: &str) -> Result<CommentEnvelope, ApiError> {
    let row = sqlx::query(&format!("SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.comment_id = ?"))
        .bind(comment_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Comment"))?;
    comment_envelope(db, &[row]).await
}

/// `GET /api/v3/comments/{commentId}`.
async fn get_comment(
    AxumState(state): AxumState<State>,
    Path(comment_id): Path<String>,
) -> Result<Json<CommentEnvelope>, ApiError> {
    Ok(Json(one_comment(&state.db, &comment_id).await?))
}

/// `DELETE /api/v4/comments/{commentId}?permanent=`.
async fn delete_comment(
    AxumState(state): AxumState<State>,
    Path(comment_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DeleteResult>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let permanent = params.boolean("permanent").unwrap_or(false);
    params.finish()?;
    let before = one_comment(&state.db, &comment_id).await?;
    let mut tx = state.db.begin().await?;
    review::delete(&mut tx, Kind::Comment, &comment_id, permanent, ADMIN_ACTOR, &review::now()).await?;
    sqlx::query(
        "UPDATE posts SET comments_count = max(comments_count - 1, 0) WHERE post_id = \
         (SELECT reference_id FROM comments WHERE comment_id = ? AND reference_type = 'post')",
    )
    .bind(&comment_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let after = if permanent { before } else { one_comment(&state.db, &comment_id).await? };
    state.events.emit("v3.comment.didDelete", json!(after));
    Ok(Json(DeleteResult { status: "success".into(), data: SuccessFlag { success: true } }))
}

/// `POST /api/v3/comments/{commentId}/flag`.
async fn flag_comment(
    AxumState(state): AxumState<State>,
    Path(comment_id): Path<String>,
    body: Bytes,
) -> Result<Json<CommentEnvelope>, ApiError> {
    let body: FlagBody = json_body(&body)?;
    let (user_id, reason) = body.reporter();
    let mut tx = state.db.begin().await?;
    let changed = review::flag(&mut tx, Kind::Comment, &comment_id, user_id, reason, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_comment(&state.db, &comment_id).await?;
    let mut data = json!(envelope);
    data["flaggedUserId"] = json!(user_id);
    if changed {
        state.events.emit("v3.comment.didFlag", data);
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v3/comments/{commentId}/flags`.
async fn clear_comment_flags(
    AxumState(state): AxumState<State>,
    Path(comment_id): Path<String>,
) -> Result<Json<CommentEnvelope>, ApiError> {
    let mut tx = state.db.begin().await?;
    review::clear_flags(&mut tx, Kind::Comment, &comment_id, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_comment(&state.db, &comment_id).await?;
    state.events.emit("v3.comment.didUnflag", json!(envelope));
    Ok(Json(envelope))
}
