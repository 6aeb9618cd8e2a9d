//! The admin moderation feed `GET /admin/v1/moderation-feeds` and its bulk actions
//! `DELETE /admin/v1/contents` and `DELETE /admin/v1/contents/flags` (JSON bodies), per
//! `spec/apidocs-index-newer/v1-admin/`. `isDeleted` / `isFlagCleared` filter on what a
//! review did; omitted, both states are listed. Default order: `lastFlaggedAt` descending.

use super::{
    posts::{cursor_param, one_post},
    review::{self, ADMIN_ACTOR, Kind},
    sideload::{
        COMMENT_COLUMNS, POST_COLUMNS, comment_from_row, internal_ids, json_body, post_envelope, push_in,
    },
};
use crate::{State, error::ApiError, keyset::Keyset, params::Params};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{RawQuery, State as AxumState},
    routing::{delete, get},
};
use serde::Deserialize;
use serde_json::json;
use sqlx::{QueryBuilder, Row, Sqlite};
use std::collections::BTreeSet;
use upstream::wire::{
    AiModeration, Content, ContentType, ManualReview, ModerationFeedEnvelope, ReviewedType, StatusResult,
};

/// The moderation routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/admin/v1/moderation-feeds", get(moderation_feed))
        .route("/admin/v1/contents", delete(delete_contents))
        .route("/admin/v1/contents/flags", delete(clear_content_flags))
}

/// `GET /admin/v1/moderation-feeds`.
async fn moderation_feed(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ModerationFeedEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let target_type = params.get("targetType").map(str::to_owned);
    if target_type.as_deref().is_some_and(|t| t != "user" && t != "community") {
        params.problem("targetType must be user or community");
    }
    let target_ids = params.array("targetIds");
    let creator_ids = params.array("creatorIds");
    let content_types = params.array("contentTypes");
    if content_types.iter().any(|t| !["post", "comment", "photo", "video", "file"].contains(&t.as_str())) {
        params.problem("contentTypes items must be post, comment, photo, video or file");
    }
    let tags = params.array("tags");
    let is_deleted = params.boolean("isDeleted");
    let is_flag_cleared = params.boolean("isFlagCleared");
    let sort =
        params.one_of("sortBy[type]", &["lastFlaggedAt", "flagCount", "lastReviewedAt"], "lastFlaggedAt");
    let order = params.one_of("sortBy[order]", &["asc", "desc"], "desc");
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(20), |c| c.limit);
    let descending = order == "desc";
    let keyset = match sort {
        "flagCount" => Keyset { key: "flag_count", id: "content_id", descending },
        "lastReviewedAt" => Keyset { key: "coalesce(last_reviewed_at, '')", id: "content_id", descending },
        _ => Keyset { key: "coalesce(last_flagged_at, '')", id: "content_id", descending },
    };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT content_id, content_type, target_id, target_type, creator_id, tags, flag_count, last_flagged_at, \
         last_reviewed_at, reviewed_type, reviewed_by, ai_moderation{} FROM moderation_feed WHERE 1 = 1",
        keyset.columns()
    ));
    if let Some(target_type) = target_type {
        sql.push(" AND target_type = ").push_bind(target_type);
    }
    if !target_ids.is_empty() {
        sql.push(" AND target_id IN ");
        push_in(&mut sql, target_ids.iter().map(String::as_str));
    }
    if !creator_ids.is_empty() {
        sql.push(" AND creator_id IN ");
        push_in(&mut sql, creator_ids.iter().map(String::as_str));
    }
    if !content_types.is_empty() {
        // `post` and `comment` name the kind; `photo`, `video`, `file` name a post's media.
        sql.push(" AND (content_type IN ");
        push_in(&mut sql, content_types.iter().map(String::as_str));
        sql.push(" OR (content_type = 'post' AND media_type IN ");
        push_in(&mut sql, content_types.iter().map(String::as_str));
        sql.push("))");
    }
    for tag in &tags {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ")
            .push_bind(tag.clone())
            .push(")");
    }
    if let Some(is_deleted) = is_deleted {
        sql.push(" AND is_deleted = ").push_bind(is_deleted);
    }
    if let Some(cleared) = is_flag_cleared {
        sql.push(" AND is_flag_cleared = ").push_bind(cleared);
    }
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);

    let mut contents = Vec::with_capacity(rows.len());
    let mut post_ids = Vec::new();
    let mut comment_ids = Vec::new();
    for row in &rows {
        let id: String = row.get("content_id");
        let content_type = match row.get::<&str, _>("content_type") {
            "post" => {
                post_ids.push(id.clone());
                ContentType::Post
            }
            "comment" => {
                comment_ids.push(id.clone());
                ContentType::Comment
            }
            _ => ContentType::Unknown,
        };
        let manual_review = row.get::<Option<&str>, _>("reviewed_type").map(|kind| ManualReview {
            reviewed_type: match kind {
                "delete" => ReviewedType::Delete,
                "clearFlag" => ReviewedType::ClearFlag,
                _ => ReviewedType::Unknown,
            },
            reviewed_at: row.get("last_reviewed_at"),
            reviewed_by: row.get("reviewed_by"),
        });
        let ai_moderation: Option<AiModeration> =
            row.get::<Option<&str>, _>("ai_moderation").and_then(|text| serde_json::from_str(text).ok());
        contents.push(Content {
            content_public_id: Some(id.clone()),
            content_id: id,
            content_type,
            flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
            last_flagged_at: row.get("last_flagged_at"),
            last_reviewed_at: row.get("last_reviewed_at"),
            manual_review,
            tags: serde_json::from_str(row.get("tags")).unwrap_or_default(),
            ai_moderation,
            target_id: Some(row.get("target_id")),
            target_type: Some(row.get("target_type")),
            user_id: Some(row.get("creator_id")),
        });
    }
    // Comments are side-loaded with the posts they belong to.
    let comment_rows = if comment_ids.is_empty() {
        Vec::new()
    } else {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.comment_id IN "
        ));
        push_in(&mut sql, comment_ids.iter().map(String::as_str));
        sql.build().fetch_all(&state.db).await?
    };
    for row in &comment_rows {
        if row.get::<&str, _>("reference_type") == "post" {
            post_ids.push(row.get("reference_id"));
        }
    }
    post_ids.sort();
    post_ids.dedup();
    let post_rows = if post_ids.is_empty() {
        Vec::new()
    } else {
        let mut sql =
            QueryBuilder::<Sqlite>::new(format!("SELECT {POST_COLUMNS} FROM posts p WHERE p.post_id IN "));
        push_in(&mut sql, post_ids.iter().map(String::as_str));
        sql.build().fetch_all(&state.db).await?
    };
    let mut side = post_envelope(&state.db, &post_rows).await?;
    let commenters: BTreeSet<String> = comment_rows.iter().map(|r| r.get("user_id")).collect();
    let internal = internal_ids(&state.db, &commenters).await?;
    side.comments = comment_rows.iter().map(|row| comment_from_row(row, &internal, Vec::new())).collect();
    let missing: BTreeSet<String> =
        commenters.into_iter().filter(|u| !side.users.iter().any(|known| &known.user_id == u)).collect();
    let (users, files) = super::sideload::users(&state.db, &missing).await?;
    side.users.extend(users);
    side.files.extend(files);
    side.paging = Some(paging);
    Ok(Json(ModerationFeedEnvelope { contents, comment_children: Vec::new(), side }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContentIds {
    content_ids: Option<Vec<String>>,
}

fn content_ids(body: &Bytes) -> Result<Vec<String>, ApiError> {
    let body: ContentIds = json_body(body)?;
    let Some(ids) = body.content_ids else {
        return Err(ApiError::bad_request(vec!["contentIds is required".into()]));
    };
    if ids.len() > 100 {
        return Err(ApiError::bad_request(vec!["contentIds must have at most 100 items".into()]));
    }
    Ok(ids)
}

/// The kind of each id that is in the moderation feed; unknown ids are skipped, like a bulk
/// job that reports success for the batch.
async fn kinds(state: &State, ids: &[String]) -> Result<Vec<(String, Kind)>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT content_id, content_type FROM moderation_feed WHERE content_id IN ",
    );
    push_in(&mut sql, ids.iter().map(String::as_str));
    let rows = sql.build().fetch_all(&state.db).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let kind =
                if row.get::<&str, _>("content_type") == "comment" { Kind::Comment } else { Kind::Post };
            (row.get("content_id"), kind)
        })
        .collect())
}

/// `DELETE /admin/v1/contents` with `{contentIds}`: soft-deletes each item.
async fn delete_contents(
    AxumState(state): AxumState<State>,
    body: Bytes,
) -> Result<Json<StatusResult>, ApiError> {
    let ids = content_ids(&body)?;
    let items = kinds(&state, &ids).await?;
    let at = review::now();
    let mut tx = state.db.begin().await?;
    let mut done = Vec::new();
    for (id, kind) in &items {
        // Content deleted since it was flagged is gone from its table; the review still counts.
        if review::require(&mut tx, *kind, id).await.is_ok() {
            review::delete(&mut tx, *kind, id, false, ADMIN_ACTOR, &at).await?;
            done.push((id.clone(), *kind));
        }
    }
    tx.commit().await?;
    for (id, kind) in done {
        emit(&state, &id, kind, "didDelete").await?;
    }
    Ok(Json(StatusResult { status: "success".into() }))
}

/// `DELETE /admin/v1/contents/flags` with `{contentIds}`: clears each item's flags.
async fn clear_content_flags(
    AxumState(state): AxumState<State>,
    body: Bytes,
) -> Result<Json<StatusResult>, ApiError> {
    let ids = content_ids(&body)?;
    let items = kinds(&state, &ids).await?;
    let at = review::now();
    let mut tx = state.db.begin().await?;
    let mut done = Vec::new();
    for (id, kind) in &items {
        if review::require(&mut tx, *kind, id).await.is_ok() {
            review::clear_flags(&mut tx, *kind, id, ADMIN_ACTOR, &at).await?;
            done.push((id.clone(), *kind));
        }
    }
    tx.commit().await?;
    for (id, kind) in done {
        emit(&state, &id, kind, "didUnflag").await?;
    }
    Ok(Json(StatusResult { status: "success".into() }))
}

async fn emit(state: &State, id: &str, kind: Kind, what: &str) -> Result<(), ApiError> {
    match kind {
        Kind::Post => {
            let envelope = one_post(&state.db, id).await?;
            state.events.emit(&format!("v3.post.{what}"), json!(envelope));
        }
        _ => {
            let envelope = super::comments::one_comment(&state.db, id).await?;
            state.events.emit(&format!("v3.comment.{what}"), json!(envelope));
        }
    }
    Ok(())
}
