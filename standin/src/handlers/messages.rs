//! Messages v5: `GET /api/v5/messages` by feed (with `hasFlags`), delete (soft / permanent),
//! flag and clear all flags (`spec: v5/message/api.yaml`). `isDeleted` defaults to false;
//! `options[sortBy]` is `segmentDesc` (newest first) or `segmentAsc`.

use super::{
    posts::{FlagBody, cursor_param},
    review::{self, ADMIN_ACTOR, Kind},
    sideload::{internal_ids, json_body, push_in, users},
};
use crate::{State, error::ApiError, keyset::Keyset, params::Params};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, RawQuery, State as AxumState},
    routing::{delete, get},
};
use serde_json::{Map, Value, json};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use std::collections::BTreeSet;
use upstream::wire::{Message, MessageEnvelope, MessageFeed};

const MESSAGE_COLUMNS: &str = "message_id, message_feed_id, channel_id, channel_type, segment, data_type, text, \
     creator_id, parent_id, tags, flag_count, is_deleted, edited_at, created_at, updated_at";

/// The message routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v5/messages", get(query_messages))
        .route("/api/v5/messages/{message_id}", delete(delete_message))
        .route("/api/v5/messages/{message_id}/flags", axum::routing::post(flag_message))
        .route("/api/v5/messages/{message_id}/flags/all", delete(clear_message_flags))
}

/// `GET /api/v5/messages`.
async fn query_messages(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<MessageEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let feed_id = params.string("messageFeedId", 30);
    if feed_id.is_none() {
        params.problem("messageFeedId is required");
    }
    let has_flags = params.boolean("hasFlags");
    let is_deleted = params.boolean("isDeleted").unwrap_or(false);
    let sort = params.one_of("options[sortBy]", &["segmentDesc", "segmentAsc"], "segmentDesc");
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);
    let feed_id = feed_id.unwrap_or_default();
    let feeds = message_feeds(&state.db, &BTreeSet::from([feed_id.clone()])).await?;
    if feeds.is_empty() {
        return Err(ApiError::not_found("Message feed"));
    }
    let keyset = Keyset { key: "segment", id: "message_id", descending: sort == "segmentDesc" };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {MESSAGE_COLUMNS}{} FROM messages WHERE message_feed_id = ",
        keyset.columns()
    ));
    sql.push_bind(feed_id).push(" AND is_deleted = ").push_bind(is_deleted);
    match has_flags {
        Some(true) => sql.push(" AND flag_count > 0"),
        Some(false) => sql.push(" AND flag_count = 0"),
        None => &mut sql,
    };
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);
    let mut envelope = message_envelope(&state.db, &rows).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

/// A message row on the wire; `creatorId` is the author's internal id (the spec caps it at 24 chars).
fn message_from_row(row: &SqliteRow, internal: &std::collections::HashMap<String, String>) -> Message {
    let mut data = Map::new();
    data.insert("text".into(), Value::String(row.get("text")));
    Message {
        message_id: row.get("message_id"),
        channel_id: Some(row.get("channel_id")),
        channel_type: Some(row.get("channel_type")),
        message_feed_id: Some(row.get("message_feed_id")),
        segment: row.get::<i64, _>("segment").max(0) as u64,
        data_type: Some(row.get("data_type")),
        data,
        tags: serde_json::from_str(row.get("tags")).unwrap_or_default(),
        creator_id: {
            let public: String = row.get("creator_id");
            Some(internal.get(&public).cloned().unwrap_or(public))
        },
        parent_id: row.get("parent_id"),
        flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
        is_deleted: row.get("is_deleted"),
        edited_at: row.get("edited_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

async fn message_feeds(db: &SqlitePool, ids: &BTreeSet<String>) -> Result<Vec<MessageFeed>, ApiError> {
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT message_feed_id, channel_id, channel_type, name, creator_id, child_count, last_message_id, \
         is_deleted, created_at, updated_at FROM message_feeds WHERE message_feed_id IN ",
    );
    push_in(&mut sql, ids.iter().map(String::as_str));
    let rows = sql.build().fetch_all(db).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let channel_id: String = row.get("channel_id");
            let id: String = row.get("message_feed_id");
            MessageFeed {
                path: format!("{channel_id}/{id}"),
                message_feed_id: id,
                channel_public_id: channel_id.clone(),
                channel_id,
                channel_type: row.get("channel_type"),
                name: row.get("name"),
                last_message_id: row.get("last_message_id"),
                last_message_timestamp: None,
                creator_id: row.get("creator_id"),
                child_count: row.get::<i64, _>("child_count").max(0) as u64,
                is_deleted: row.get("is_deleted"),
                created_at: row.get("created_at"),
                updated_at: row.get("updated_at"),
            }
        })
        .collect())
}

async fn message_envelope(db: &SqlitePool, rows: &[SqliteRow]) -> Result<MessageEnvelope, ApiError> {
    let user_ids: BTreeSet<String> = rows.iter().map(|r| r.get("creator_id")).collect();
    let internal = internal_ids(db, &user_ids).await?;
    let messages: Vec<Message> = rows.iter().map(|row| message_from_row(row, &internal)).collect();
    let feed_ids: BTreeSet<String> = messages.iter().filter_map(|m| m.message_feed_id.clone()).collect();
    let message_feeds = message_feeds(db, &feed_ids).await?;
    let (users, files) = users(db, &user_ids).await?;
    Ok(MessageEnvelope { messages, message_feeds, files, users, paging: None })
}

async fn one_message(db: &SqlitePool, message_id: &str) -> Result<MessageEnvelope, ApiError> {
    let row = sqlx::query(&format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE message_id = ?"))
        .bind(message_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Message"))?;
    message_envelope(db, &[row]).await
}

/// `DELETE /api/v5/messages/{messageId}?permanent=`; answers the deleted message.
async fn delete_message(
    AxumState(state): AxumState<State>,
    Path(message_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<MessageEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let permanent = params.boolean("permanent").unwrap_or(false);
    params.finish()?;
    let before = one_message(&state.db, &message_id).await?;
    let mut tx = state.db.begin().await?;
    review::delete(&mut tx, Kind::Message, &message_id, permanent, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let after = if permanent { before } else { one_message(&state.db, &message_id).await? };
    state.events.emit("v5.message.didDelete", json!(after));
    Ok(Json(after))
}

/// `POST /api/v5/messages/{messageId}/flags`.
async fn flag_message(
    AxumState(state): AxumState<State>,
    Path(message_id): Path<String>,
    body: Bytes,
) -> Result<Json<MessageEnvelope>, ApiError> {
    let body: FlagBody = json_body(&body)?;
    let (user_id, reason) = body.reporter();
    let mut tx = state.db.begin().await?;
    let changed = review::flag(&mut tx, Kind::Message, &message_id, user_id, reason, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_message(&state.db, &message_id).await?;
    if changed {
        state.events.emit("message.didFlag", json!(envelope));
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v5/messages/{messageId}/flags/all`.
async fn clear_message_flags(
    AxumState(state): AxumState<State>,
    Path(message_id): Path<String>,
) -> Result<Json<MessageEnvelope>, ApiError> {
    let mut tx = state.db.begin().await?;
    review::clear_flags(&mut tx, Kind::Message, &message_id, ADMIN_ACTOR, &review::now()).await?;
    tx.commit().await?;
    let envelope = one_message(&state.db, &message_id).await?;
    state.events.emit("message.didClearflag", json!(envelope));
    Ok(Json(envelope))
}
