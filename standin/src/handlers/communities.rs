//! Communities: query, get, update, delete, members (`memberships[]`), ban / unban members,
//! add / remove community roles (`spec: v3/community/api.yaml`, `v4/community/api.yaml`).
//! Deleting is soft (`isDeleted`); banning keeps the membership row with `banned` and
//! lowers `membersCount`; unbanning makes the user a member again.

use super::{
    posts::cursor_param,
    sideload::{
        COMMUNITY_COLUMNS, communities_from_rows, community_user_from_row, internal_ids, json_body, push_in,
        users,
    },
};
use crate::{State, error::ApiError, keyset::Keyset, params::Params};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, RawQuery, State as AxumState},
    routing::{get, post, put},
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use std::collections::BTreeSet;
use upstream::wire::{CommunityEnvelope, SuccessFlag};

/// The community routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/communities", get(query_communities))
        .route(
            "/api/v3/communities/{community_id}",
            get(get_community).put(update_community).delete(delete_community),
        )
        .route("/api/v3/communities/{community_id}/users", get(query_members))
        .route("/api/v3/communities/{community_id}/users/ban", put(ban_members))
        .route("/api/v3/communities/{community_id}/users/unban", put(unban_members))
        .route("/api/v4/communities/{community_id}/users/roles", post(add_roles).delete(remove_roles))
}

/// `GET /api/v3/communities`.
async fn query_communities(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let keyword = params.string("keyword", 100).filter(|k| !k.trim().is_empty());
    let category_id = params.string("categoryId", 50);
    let tags = params.array("tags");
    let sort_by = params.one_of("sortBy", &["lastCreated", "firstCreated", "displayName"], "lastCreated");
    let is_deleted = params.boolean("isDeleted");
    let has_flag = params.boolean("hasFlag");
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);
    let keyset = match sort_by {
        "firstCreated" => Keyset { key: "created_at", id: "community_id", descending: false },
        "displayName" => Keyset { key: "display_name_folded", id: "community_id", descending: false },
        _ => Keyset { key: "created_at", id: "community_id", descending: true },
    };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COMMUNITY_COLUMNS}{} FROM communities WHERE 1 = 1",
        keyset.columns()
    ));
    if let Some(keyword) = keyword {
        sql.push(" AND instr(display_name_folded, ").push_bind(keyword.trim().to_lowercase()).push(") > 0");
    }
    if let Some(category_id) = category_id {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(category_ids) WHERE value = ")
            .push_bind(category_id)
            .push(")");
    }
    for tag in tags {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ").push_bind(tag).push(")");
    }
    if let Some(is_deleted) = is_deleted {
        sql.push(" AND is_deleted = ").push_bind(is_deleted);
    }
    if let Some(has_flag) = has_flag {
        sql.push(if has_flag { " AND EXISTS" } else { " AND NOT EXISTS" });
        sql.push(" (SELECT 1 FROM moderation_feed f WHERE f.target_id = communities.community_id AND f.flag_count > 0)");
    }
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let rows = sql.build().fetch_all(&state.db).await?;
    let (rows, paging) = keyset.page(rows, cursor.as_ref(), limit);
    let mut envelope = community_envelope(&state.db, &rows, &[]).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

/// Communities with their categories, creators and (for `members`) those memberships.
async fn community_envelope(
    db: &SqlitePool,
    rows: &[SqliteRow],
    member_rows: &[SqliteRow],
) -> Result<CommunityEnvelope, ApiError> {
    let (communities, categories) = communities_from_rows(db, rows).await?;
    let mut user_ids: BTreeSet<String> = communities.iter().filter_map(|c| c.user_id.clone()).collect();
    user_ids.extend(member_rows.iter().map(|r| r.get::<String, _>("user_id")));
    let internal = internal_ids(db, &user_ids).await?;
    let community_users = member_rows.iter().map(|row| community_user_from_row(row, &internal)).collect();
    let (users, files) = users(db, &user_ids).await?;
    Ok(CommunityEnvelope {
        communities,
        community_users,
        files,
        users,
        categories,
        feeds: Vec::new(),
        paging: None,
    })
}

async fn community_row(db: &SqlitePool, community_id: &str) -> Result<SqliteRow, ApiError> {
    sqlx::query(&format!("SELECT {COMMUNITY_COLUMNS} FROM communities WHERE community_id = ?"))
        .bind(community_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Community"))
}

const MEMBER_COLUMNS: &str = "m.community_id, m.user_id, m.membership, m.roles, m.last_activity, m.created_at, \
     m.updated_at, c.channel_id";

/// The community with the memberships of `user_ids`.
async fn with_members(
    db: &SqlitePool,
    community_id: &str,
    user_ids: &[String],
) -> Result<CommunityEnvelope, ApiError> {
    let row = community_row(db, community_id).await?;
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {MEMBER_COLUMNS} FROM community_members m JOIN communities c ON c.community_id = m.community_id \
         WHERE m.community_id = "
    ));
    sql.push_bind(community_id).push(" AND m.user_id IN ");
    push_in(&mut sql, user_ids.iter().map(String::as_str));
    sql.push(" ORDER BY m.user_id");
    let members = sql.build().fetch_all(db).await?;
    community_envelope(db, &[row], &members).await
}

/// `GET /api/v3/communities/{communityId}`.
async fn get_community(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let row = community_row(&state.db, &community_id).await?;
    Ok(Json(community_envelope(&state.db, &[row], &[]).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommunityUpdateBody {
    display_name: Option<String>,
    is_public: Option<bool>,
    is_official: Option<bool>,
    only_admin_can_post: Option<bool>,
    need_approval_on_post_creation: Option<bool>,
    allow_comment_in_story: Option<bool>,
    tags: Option<Vec<String>>,
    metadata: Option<Map<String, Value>>,
    category_ids: Option<Vec<String>>,
    avatar_file_id: Option<String>,
}

/// `PUT /api/v3/communities/{communityId}`.
async fn update_community(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    body: Bytes,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let body: CommunityUpdateBody = json_body(&body)?;
    if body.display_name.as_ref().is_some_and(|n| n.trim().is_empty() || n.chars().count() > 100) {
        return Err(ApiError::bad_request(vec!["displayName must be 1 to 100 characters".into()]));
    }
    community_row(&state.db, &community_id).await?;
    let at = super::review::now();
    sqlx::query(
        "UPDATE communities SET display_name = coalesce(?, display_name), \
         display_name_folded = coalesce(lower(?), display_name_folded), is_public = coalesce(?, is_public), \
         is_official = coalesce(?, is_official), only_admin_can_post = coalesce(?, only_admin_can_post), \
         need_approval = coalesce(?, need_approval), allow_comment_in_story = coalesce(?, allow_comment_in_story), \
         tags = coalesce(?, tags), metadata = coalesce(?, metadata), category_ids = coalesce(?, category_ids), \
         avatar_file_id = coalesce(?, avatar_file_id), updated_at = ? WHERE community_id = ?",
    )
    .bind(&body.display_name)
    .bind(&body.display_name)
    .bind(body.is_public)
    .bind(body.is_official)
    .bind(body.only_admin_can_post)
    .bind(body.need_approval_on_post_creation)
    .bind(body.allow_comment_in_story)
    .bind(body.tags.map(|t| json!(t).to_string()))
    .bind(body.metadata.map(|m| Value::Object(m).to_string()))
    .bind(body.category_ids.map(|c| json!(c).to_string()))
    .bind(body.avatar_file_id)
    .bind(at)
    .bind(&community_id)
    .execute(&state.db)
    .await?;
    let row = community_row(&state.db, &community_id).await?;
    let envelope = community_envelope(&state.db, &[row], &[]).await?;
    state.events.emit("v3.community.didUpdate", json!(envelope));
    Ok(Json(envelope))
}

/// `DELETE /api/v3/communities/{communityId}` (soft).
async fn delete_community(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
) -> Result<Json<SuccessFlag>, ApiError> {
    community_row(&state.db, &community_id).await?;
    sqlx::query("UPDATE communities SET is_deleted = 1, updated_at = ? WHERE community_id = ?")
        .bind(super::review::now())
        .bind(&community_id)
        .execute(&state.db)
        .await?;
    let row = community_row(&state.db, &community_id).await?;
    let envelope = community_envelope(&state.db, &[row], &[]).await?;
    state.events.emit("v3.community.didDelete", json!(envelope));
    Ok(Json(SuccessFlag { success: true }))
}

/// `GET /api/v3/communities/{communityId}/users`.
async fn query_members(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let mut memberships = params.array("memberships");
    if memberships.iter().any(|m| m != "member" && m != "banned") {
        params.problem("memberships items must be member or banned");
    }
    if memberships.is_empty() {
        memberships.push("member".into());
    }
    let roles = params.array("roles");
    let search = params.string("search", 10_000).filter(|s| !s.trim().is_empty());
    let sort_by = params.one_of("sortBy", &["lastCreated", "firstCreated", "displayName"], "lastCreated");
    let limit = params.integer("options[limit]", 1..=100);
    let cursor = cursor_param(&mut params);
    params.finish()?;
    let limit = cursor.as_ref().map_or(limit.unwrap_or(10), |c| c.limit);
    let row = community_row(&state.db, &community_id).await?;
    let keyset = match sort_by {
        "firstCreated" => Keyset { key: "m.created_at", id: "m.user_id", descending: false },
        "displayName" => Keyset { key: "u.display_name_folded", id: "m.user_id", descending: false },
        _ => Keyset { key: "m.created_at", id: "m.user_id", descending: true },
    };
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {MEMBER_COLUMNS}{} FROM community_members m JOIN communities c ON c.community_id = m.community_id \
         JOIN users u ON u.user_id = m.user_id WHERE m.community_id = ",
        keyset.columns()
    ));
    sql.push_bind(community_id.clone());
    sql.push(" AND m.membership IN ");
    push_in(&mut sql, memberships.iter().map(String::as_str));
    if !roles.is_empty() {
        sql.push(" AND EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value IN ");
        push_in(&mut sql, roles.iter().map(String::as_str));
        sql.push(")");
    }
    if let Some(search) = search {
        sql.push(" AND instr(u.display_name_folded, ").push_bind(search.trim().to_lowercase()).push(") > 0");
    }
    keyset.push(&mut sql, cursor.as_ref(), limit);
    let members = sql.build().fetch_all(&state.db).await?;
    let (members, paging) = keyset.page(members, cursor.as_ref(), limit);
    let mut envelope = community_envelope(&state.db, &[row], &members).await?;
    envelope.paging = Some(paging);
    Ok(Json(envelope))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserIdsBody {
    user_ids: Option<Vec<String>>,
    roles: Option<Vec<String>>,
}

fn required(list: Option<Vec<String>>, name: &str) -> Result<Vec<String>, ApiError> {
    match list {
        Some(list) if !list.is_empty() && list.len() <= 100 => Ok(list),
        _ => Err(ApiError::bad_request(vec![format!("{name} must have 1 to 100 items")])),
    }
}

async fn set_membership(
    state: &State,
    community_id: &str,
    body: &Bytes,
    banned: bool,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let body: UserIdsBody = json_body(body)?;
    let user_ids = required(body.user_ids, "userIds")?;
    community_row(&state.db, community_id).await?;
    let at = super::review::now();
    let mut tx = state.db.begin().await?;
    for user_id in &user_ids {
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM users WHERE user_id = ?")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(ApiError::not_found("User"));
        }
        // Banning a non-member records the ban too, so the user cannot join later.
        sqlx::query(
            "INSERT INTO community_members (community_id, user_id, membership, roles, last_activity, created_at, updated_at) \
             VALUES (?, ?, ?, '[]', ?, ?, ?) \
             ON CONFLICT (community_id, user_id) DO UPDATE SET membership = excluded.membership, updated_at = excluded.updated_at",
        )
        .bind(community_id)
        .bind(user_id)
        .bind(if banned { "banned" } else { "member" })
        .bind(&at)
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE communities SET members_count = (SELECT count(*) FROM community_members m WHERE \
         m.community_id = communities.community_id AND m.membership = 'member'), updated_at = ? WHERE community_id = ?",
    )
    .bind(&at)
    .bind(community_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let envelope = with_members(&state.db, community_id, &user_ids).await?;
    state.events.emit(if banned { "v3.community.didBan" } else { "v3.community.didUnban" }, json!(envelope));
    Ok(Json(envelope))
}

/// `PUT /api/v3/communities/{communityId}/users/ban`.
async fn ban_members(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    body: Bytes,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    set_membership(&state, &community_id, &body, true).await
}

/// `PUT /api/v3/communities/{communityId}/users/unban`.
async fn unban_members(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    body: Bytes,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    set_membership(&state, &community_id, &body, false).await
}

async fn change_roles(
    state: &State,
    community_id: &str,
    user_ids: Vec<String>,
    roles: Vec<String>,
    add: bool,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    community_row(&state.db, community_id).await?;
    let at = super::review::now();
    let mut tx = state.db.begin().await?;
    for user_id in &user_ids {
        let current: Option<String> =
            sqlx::query_scalar("SELECT roles FROM community_members WHERE community_id = ? AND user_id = ? AND membership = 'member'")
                .bind(community_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(current) = current else {
            return Err(ApiError::not_found("Community member"));
        };
        let mut list: Vec<String> = serde_json::from_str(&current).unwrap_or_default();
        if add {
            for role in &roles {
                if !list.contains(role) {
                    list.push(role.clone());
                }
            }
        } else {
            list.retain(|r| !roles.contains(r));
        }
        sqlx::query(
            "UPDATE community_members SET roles = ?, updated_at = ? WHERE community_id = ? AND user_id = ?",
        )
        .bind(json!(list).to_string())
        .bind(&at)
        .bind(community_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let envelope = with_members(&state.db, community_id, &user_ids).await?;
    state.events.emit("v3.community.didRoleChange", json!(envelope));
    Ok(Json(envelope))
}

/// `POST /api/v4/communities/{communityId}/users/roles` with `{userIds, roles}`.
async fn add_roles(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    body: Bytes,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let body: UserIdsBody = json_body(&body)?;
    let user_ids = required(body.user_ids, "userIds")?;
    let roles = required(body.roles, "roles")?;
    change_roles(&state, &community_id, user_ids, roles, true).await
}

/// `DELETE /api/v4/communities/{communityId}/users/roles?roles[]=&userIds[]=`.
async fn remove_roles(
    AxumState(state): AxumState<State>,
    Path(community_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CommunityEnvelope>, ApiError> {
    let params = Params::parse(raw.as_deref());
    let user_ids = required(Some(params.array("userIds")), "userIds")?;
    let roles = required(Some(params.array("roles")), "roles")?;
    change_roles(&state, &community_id, user_ids, roles, false).await
}
