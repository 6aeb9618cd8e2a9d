//! Posts: `GET /api/v4/posts`, read by id, update (members' edits; the blocklist applies),
//! soft and permanent delete, approve / decline (reviewing → published / declined), flag,
//! unflag and clear flags.
//!
//! Semantics follow `spec/apidocs-master-4.92.0/v3/post/api.yaml` and `v4/post/api.yaml`:
//! `feedType[]` defaults to published, `hasFlag` counts the post, its children and its
//! comments, `isDeleted` omitted returns both, `sortBy` defaults to `lastCreated`, only parent
//! posts are listed (`matchingOnlyParentPost` defaults to true). Pages use keyset tokens.

use super::{
    review::{self, ADMIN_ACTOR, Kind},
    sideload::{POST_COLUMNS, json_body, post_envelope, push_in, with_latest_comments},
};
use crate::{
    State,
    error::ApiError,
    keyset::{Cursor, Keyset},
    params::Params,
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, RawQuery, State as AxumState},
    routing::{delete, get, post, put},
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sqlx::{QueryBuilder, Sqlite};
use upstream::wire::{DeleteResult, PostEnvelope, SuccessFlag};

/// The post routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v4/posts", get(query_posts))
        .route("/api/v3/posts/{post_id}", get(get_post).delete(soft_delete_post))
        .route("/api/v4/posts/{post_id}", put(update_post).delete(delete_post))
        .route("/api/v3/posts/{post_id}/approve", post(approve_post))
        .route("/api/v3/posts/{post_id}/decline", post(decline_post))
        .route("/api/v3/posts/{post_id}/flag", post(flag_post))
        .route("/api/v3/posts/{post_id}/unflag", delete(unflag_post))
        .route("/api/v3/posts/{post_id}/flags", delete(clear_post_flags))
}

/// Reads a page token or records why it is not one.
pub fn cursor_param(params: &mut Params) -> Option<Cursor> {
    let token = params.string("options[token]", 1000)?;
    let cursor = Cursor::decode(&token);
    if cursor.is_none() {
        params.problem("options[token] is not a valid paging token");
    }
    cursor
}

/// `GET /api/v4/posts`.
async fn query_posts(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PostEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let target_id = params.string("targetId", 900);
    if target_id.is_none() {
        params.problem("targetId is required");
    }
    let target_type = params.get("targetType").map(str::to_owned);
    if let Some(t) = &target_type
        && !["community", "user", "content"].contains(&t.as_str())
    {
        params.problem(format!("targetType must be one of community, user, content, not `{t}`"));
    }
    let mut feed_types = params.array("feedType");
    if feed_types.iter().any(|f| f != "reviewing" && f != "published") {
        params.problem("feedType items must be reviewing or published");
    }
    if feed_types.is_empty() {
        feed_types.push("published".into());
    }
    let has_flag = params.boolean("hasFlag");
    let is_deleted = params.boolean("isDeleted");
    let sort_by = params.one_of(
        "sortBy",
        &["lastCreated", "firstCreated", "lastUpdated", "firstUpdated"],
        "lastCreated",
    );
    let tags = params.array("tags");
    let only_parents = params.boolean("matchingOnlyParentPost").unwrap_or(true);
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);

    let keyset = match sort_by {
        "firstCreated" => Keyset { key: "p.created_at", id: "p.post_id", descending: false },
        "lastUpdated" => Keyset { key: "p.updated_at", id: "p.post_id", descending: true },
        "firstUpdated" => Keyset { key: "p.updated_at", id: "p.post_id", descending: false },
        _ => Keyset { key: "p.created_at", id: "p.post_id", descending: true },
    };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {POST_COLUMNS}{} FROM posts p WHERE p.target_id = ",
        keyset.columns()
    ));
    sql.push_bind(target_id.unwrap_or_default());
    if let Some(target_type) = target_type {
        sql.push(" AND p.target_type = ").push_bind(target_type);
    }
    sql.push(" AND p.feed_type IN ");
    push_in(&mut sql, feed_types.iter().map(String::as_str));
    if only_parents {
        sql.push(" AND p.parent_post_id IS NULL");
    }
    match has_flag {
        Some(true) => {
            sql.push(" AND (p.flag_count > 0 OR p.has_flagged_comment = 1 OR p.has_flagged_children = 1)");
        }
        Some(false) => {
            sql.push(" AND p.flag_count = 0 AND p.has_flagged_comment = 0 AND p.has_flagged_children = 0");
        }
        None => {}
    }
    if let Some(is_deleted) = is_deleted {
        sql.push(" AND p.is_deleted = ").push_bind(is_deleted);
    }
    for tag in &tags {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value = ")
            .push_bind(tag.clone())
            .push(")");
    }
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);
    let mut envelope = post_envelope(&state.db, &rows).await?;
    with_latest_comments(&state.db, &mut envelope).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

/// The envelope of one post, or 404.
pub async fn one_post(db: &sqlx::SqlitePool, post_id: &str) -> Result<PostEnvelope, ApiError> {
    let row = sqlx::query(&format!("SELECT {POST_COLUMNS} FROM posts p WHERE p.post_id = ?"))
        .bind(post_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Post"))?;
    let mut envelope = post_envelope(db, &[row]).await?;
    with_latest_comments(db, &mut envelope).await?;
    Ok(envelope)
}

/// `GET /api/v3/posts/{postId}`.
async fn get_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
) -> Result<Json<PostEnvelope>, ApiError> {
    Ok(Json(one_post(&state.db, &post_id).await?))
}

#[derive(Deserialize)]
struct PostUpdateBody {
    text: Option<String>,
    data: Option<Map<String, Value>>,
    metadata: Option<Map<String, Value>>,
    tags: Option<Vec<String>>,
}

/// `PUT /api/v4/posts/{postId}`.
async fn update_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
    body: Bytes,
) -> Result<Json<PostEnvelope>, ApiError> {
    let body: PostUpdateBody = json_body(&body)?;
    let text =
        body.text.or_else(|| body.data.as_ref().and_then(|d| d.get("text")?.as_str().map(str::to_owned)));
    if text.as_ref().is_some_and(|t| t.chars().count() > 10_000) {
        return Err(ApiError::bad_request(vec!["text must be at most 10000 characters".into()]));
    }
    // Post text must pass the network's blocklist: 400 / 400308 before anything changes.
    if let Some(text) = &text {
        crate::blocklist::rejection(&state.db, text).await?;
    }
    let at = review::now();
    let mut tx = state.db.begin().await?;
    review::require(&mut tx, Kind::Post, &post_id).await?;
    sqlx::query(
        "UPDATE posts SET text = coalesce(?, text), metadata = coalesce(?, metadata), tags = coalesce(?, tags), \
         edited_at = ?, updated_at = ? WHERE post_id = ?",
    )
    .bind(text)
    .bind(body.metadata.map(|m| Value::Object(m).to_string()))
    .bind(body.tags.map(|t| json!(t).to_string()))
    .bind(&at)
    .bind(&at)
    .bind(&post_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let envelope = one_post(&state.db, &post_id).await?;
    state.events.emit("v3.post.didUpdate", json!(envelope));
    Ok(Json(envelope))
}

async fn delete_and_emit(
    state: &State,
    post_id: &str,
    permanent: bool,
) -> Result<Json<DeleteResult>, ApiError> {
    let before = one_post(&state.db, post_id).await?;
    let mut tx = state.db.begin().await?;
    review::delete(&mut tx, Kind::Post, post_id, permanent, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let after = if permanent { before } else { one_post(&state.db, post_id).await? };
    state.events.emit("v3.post.didDelete", json!(after));
    Ok(Json(DeleteResult { status: "success".into(), data: SuccessFlag { success: true } }))
}

/// `DELETE /api/v3/posts/{postId}` (soft).
async fn soft_delete_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
) -> Result<Json<DeleteResult>, ApiError> {
    delete_and_emit(&state, &post_id, false).await
}

/// `DELETE /api/v4/posts/{postId}?permanent=`.
async fn delete_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DeleteResult>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let permanent = params.boolean("permanent").unwrap_or(false);
    params.finish()?;
    delete_and_emit(&state, &post_id, permanent).await
}

async fn review_post(
    state: &State,
    post_id: &str,
    to: &str,
    event: &str,
) -> Result<Json<PostEnvelope>, ApiError> {
    let mut tx = state.db.begin().await?;
    review::require(&mut tx, Kind::Post, post_id).await?;
    let moved = sqlx::query(
        "UPDATE posts SET feed_type = ?, updated_at = ? WHERE (post_id = ? OR parent_post_id = ?) \
         AND feed_type = 'reviewing'",
    )
    .bind(to)
    .bind(review::now())
    .bind(post_id)
    .bind(post_id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(ApiError::bad_request(vec!["the post is not waiting for review".into()]));
    }
    if to == "published" {
        sqlx::query(
            "UPDATE communities SET posts_count = posts_count + 1 WHERE community_id = \
             (SELECT target_id FROM posts WHERE post_id = ? AND target_type = 'community')",
        )
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let envelope = one_post(&state.db, post_id).await?;
    state.events.emit(event, json!(envelope));
    Ok(Json(envelope))
}

/// `POST /api/v3/posts/{postId}/approve`: reviewing → published.
async fn approve_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
) -> Result<Json<PostEnvelope>, ApiError> {
    review_post(&state, &post_id, "published", "v3.post.didApprove").await
}

/// `POST /api/v3/posts/{postId}/decline`: reviewing → declined.
async fn decline_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
) -> Result<Json<PostEnvelope>, ApiError> {
    review_post(&state, &post_id, "declined", "v3.post.didDecline").await
}

/// The optional body of the flag endpoints. The real API flags as the calling user; with the
/// admin token the stand-in flags as `userId` when given (simulator, tests), else as the admin.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FlagBody {
    /// Reporter's public id.
    pub user_id: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

impl FlagBody {
    /// Reporter and reason.
    pub fn reporter(&self) -> (&str, &str) {
        (self.user_id.as_deref().unwrap_or(ADMIN_ACTOR), self.reason.as_deref().unwrap_or(""))
    }
}

/// `POST /api/v3/posts/{postId}/flag`.
async fn flag_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
    body: Bytes,
) -> Result<Json<PostEnvelope>, ApiError> {
    let body: FlagBody = json_body(&body)?;
    let (user_id, reason) = body.reporter();
    let mut tx = state.db.begin().await?;
    let changed = review::flag(&mut tx, Kind::Post, &post_id, user_id, reason, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_post(&state.db, &post_id).await?;
    let mut data = json!(envelope);
    data["flaggedUserId"] = json!(user_id);
    if changed {
        state.events.emit("v3.post.didFlag", data);
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v3/posts/{postId}/unflag`.
async fn unflag_post(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
    body: Bytes,
) -> Result<Json<PostEnvelope>, ApiError> {
    let body: FlagBody = json_body(&body)?;
    let mut tx = state.db.begin().await?;
    let changed = review::unflag(&mut tx, Kind::Post, &post_id, body.reporter().0).await?;
    tx.commit().await?;
    let envelope = one_post(&state.db, &post_id).await?;
    if changed {
        state.events.emit("v3.post.didUnflag", json!(envelope));
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v3/posts/{postId}/flags`.
async fn clear_post_flags(
    AxumState(state): AxumState<State>,
    Path(post_id): Path<String>,
) -> Result<Json<PostEnvelope>, ApiError> {
    let mut tx = state.db.begin().await?;
    review::clear_flags(&mut tx, Kind::Post, &post_id, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_post(&state.db, &post_id).await?;
    state.events.emit("v3.post.didUnflag", json!(envelope));
    Ok(Json(envelope))
}
