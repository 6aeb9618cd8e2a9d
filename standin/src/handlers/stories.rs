//! Stories: `GET /api/v4/stories` by target, get, delete (soft / permanent), flag and clear
//! all flags (`spec: v4/story/api.yaml`). `isExpired=false` (the default) lists stories that
//! have not expired at the seed's epoch (the stand-in's story clock), so seeded stories
//! stay visible whenever the network is read.

use super::{
    posts::{FlagBody, cursor_param},
    review::{self, ADMIN_ACTOR, Kind},
    sideload::{communities, json_body, users},
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
use std::collections::BTreeSet;
use upstream::wire::{HashFlag, Story, StoryData, StoryEnvelope, SuccessFlag, TargetType};

const STORY_COLUMNS: &str = "story_id, creator_id, target_id, target_type, data_type, text, file_id, flag_count, \
     comments_count, reactions_count, is_deleted, expires_at, created_at, updated_at";

/// The story routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v4/stories", get(query_stories))
        .route("/api/v4/stories/{story_id}", get(get_story).delete(delete_story))
        .route("/api/v4/stories/{story_id}/flags", post(flag_story))
        .route("/api/v4/stories/{story_id}/flags/all", delete(clear_story_flags))
}

/// The instant expiry is measured against: the seed's epoch, so the generated network reads
/// the same whenever it is read (stories live a day).
fn clock() -> String {
    crate::time_fmt::format(crate::seed::EPOCH)
}

/// `GET /api/v4/stories`.
async fn query_stories(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<StoryEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let target_id = params.string("targetId", 900);
    if target_id.is_none() {
        params.problem("targetId is required");
    }
    if params.get("targetType").is_none() {
        params.problem("targetType is required");
    }
    let target_type = params.one_of("targetType", &["community", "user"], "community");
    let is_expired = params.boolean("isExpired").unwrap_or(false);
    let order = params.one_of("options[orderBy]", &["desc", "asc"], "desc");
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);
    let keyset = Keyset { key: "created_at", id: "story_id", descending: order == "desc" };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {STORY_COLUMNS}{} FROM stories WHERE target_id = ",
        keyset.columns()
    ));
    sql.push_bind(target_id.unwrap_or_default()).push(" AND target_type = ").push_bind(target_type);
    sql.push(if is_expired { " AND expires_at <= " } else { " AND expires_at > " }).push_bind(clock());
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);
    let mut envelope = story_envelope(&state.db, &rows).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

fn story_from_row(row: &SqliteRow) -> Story {
    let text: String = row.get("text");
    Story {
        story_id: row.get("story_id"),
        creator_id: Some(row.get("creator_id")),
        target_id: Some(row.get("target_id")),
        target_type: Some(if row.get::<&str, _>("target_type") == "user" {
            TargetType::User
        } else {
            TargetType::Community
        }),
        data_type: Some(row.get("data_type")),
        data: StoryData { text: (!text.is_empty()).then_some(text), file_id: row.get("file_id") },
        metadata: serde_json::Map::new(),
        flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
        hash_flag: Some(HashFlag::default()),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        expires_at: Some(row.get("expires_at")),
        reactions_count: row.get::<i64, _>("reactions_count").max(0) as u64,
        comments_count: row.get::<i64, _>("comments_count").max(0) as u64,
        is_deleted: row.get("is_deleted"),
    }
}

async fn story_envelope(db: &SqlitePool, rows: &[SqliteRow]) -> Result<StoryEnvelope, ApiError> {
    let stories: Vec<Story> = rows.iter().map(story_from_row).collect();
    let user_ids: BTreeSet<String> = stories.iter().filter_map(|s| s.creator_id.clone()).collect();
    let community_ids: BTreeSet<String> = stories
        .iter()
        .filter(|s| s.target_type == Some(TargetType::Community))
        .filter_map(|s| s.target_id.clone())
        .collect();
    let (users, files) = users(db, &user_ids).await?;
    let (communities, categories) = communities(db, &community_ids).await?;
    Ok(StoryEnvelope {
        stories,
        comments: Vec::new(),
        files,
        users,
        communities,
        community_users: Vec::new(),
        categories,
        paging: None,
    })
}

async fn one_story(db: &SqlitePool, story_id: &str) -> Result<StoryEnvelope, ApiError> {
    let row = sqlx::query(&format!("SELECT {STORY_COLUMNS} FROM stories WHERE story_id = ?"))
        .bind(story_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Story"))?;
    story_envelope(db, &[row]).await
}

/// `GET /api/v4/stories/{storyId}`.
async fn get_story(
    AxumState(state): AxumState<State>,
    Path(story_id): Path<String>,
) -> Result<Json<StoryEnvelope>, ApiError> {
    Ok(Json(one_story(&state.db, &story_id).await?))
}

/// `DELETE /api/v4/stories/{storyId}?permanent=`.
async fn delete_story(
    AxumState(state): AxumState<State>,
    Path(story_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SuccessFlag>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let permanent = params.boolean("permanent").unwrap_or(false);
    params.finish()?;
    let before = one_story(&state.db, &story_id).await?;
    let mut tx = state.db.begin().await?;
    review::delete(&mut tx, Kind::Story, &story_id, permanent, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let after = if permanent { before } else { one_story(&state.db, &story_id).await? };
    state.events.emit("story.didDelete", json!(after));
    Ok(Json(SuccessFlag { success: true }))
}

/// `POST /api/v4/stories/{storyId}/flags`.
async fn flag_story(
    AxumState(state): AxumState<State>,
    Path(story_id): Path<String>,
    body: Bytes,
) -> Result<Json<StoryEnvelope>, ApiError> {
    let body: FlagBody = json_body(&body)?;
    let (user_id, reason) = body.reporter();
    let mut tx = state.db.begin().await?;
    let changed = review::flag(&mut tx, Kind::Story, &story_id, user_id, reason, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_story(&state.db, &story_id).await?;
    if changed {
        state.events.emit("story.didFlag", json!(envelope));
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v4/stories/{storyId}/flags/all`.
async fn clear_story_flags(
    AxumState(state): AxumState<State>,
    Path(story_id): Path<String>,
) -> Result<Json<StoryEnvelope>, ApiError> {
    let mut tx = state.db.begin().await?;
    review::clear_flags(&mut tx, Kind::Story, &story_id, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_story(&state.db, &story_id).await?;
    state.events.emit("story.didClearFlags", json!(envelope));
    Ok(Json(envelope))
}
