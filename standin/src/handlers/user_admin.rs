//! Changing users: `PUT /api/v3/users`, `DELETE /api/v4/users/{userId}`,
//! `POST /api/v2/users/ban|unban`, `DELETE /api/v2/users/{userId}/flags` and the user-context
//! flag `POST|DELETE /api/v4/me/flags/{userId}` (spec: `v3/user`, `v4/user`, `v2/user`).
//!
//! Profile text is not checked against the blocklist: the docs apply the blocklist to
//! messages, posts and comments only.

use super::review::{self, Kind};
use super::users::{USER_COLUMNS, envelope_for, role_permissions, user_from_row};
use crate::{State, auth::Caller, error::ApiError, params::Params, sessions, time_fmt};
use axum::{
    Extension, Json, Router,
    extract::{Path, RawQuery, State as AxumState},
    routing::{delete, post, put},
};
use serde_json::{Value, json};
use sqlx::{SqlitePool, sqlite::SqliteRow};
use time::OffsetDateTime;
use upstream::wire::{Success, UserEnvelope, UserUpdate};

/// The display name upstream gives a deleted user.
pub const DELETED_USER_NAME: &str = "Deleted user";

/// The user-changing routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/users", put(update_user))
        .route("/api/v4/users/{user_id}", delete(delete_user))
        .route("/api/v2/users/ban", post(ban_user))
        .route("/api/v2/users/unban", post(unban_user))
        .route("/api/v2/users/{user_id}/flags", delete(clear_flags))
        .route("/api/v4/me/flags/{user_id}", post(flag_user).delete(unflag_user))
}

/// Reads a JSON body into `T`, answering 400 with serde's reason when it does not fit.
pub(crate) fn body_as<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|e| ApiError::bad_request(vec![e.to_string()]))
}

async fn user_row(db: &SqlitePool, user_id: &str) -> Result<SqliteRow, ApiError> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = ?"))
        .bind(user_id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))
}

async fn live_user_row(db: &SqlitePool, user_id: &str) -> Result<SqliteRow, ApiError> {
    let row = user_row(db, user_id).await?;
    if sqlx::Row::get::<bool, _>(&row, "is_deleted") {
        return Err(ApiError::not_found("User"));
    }
    Ok(row)
}

fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}

/// The user's envelope after a change, and the `data` of its webhook event.
async fn changed(db: &SqlitePool, user_id: &str) -> Result<(UserEnvelope, Value), ApiError> {
    let row = user_row(db, user_id).await?;
    let envelope = envelope_for(db, &[row]).await?;
    let data = json!({ "users": envelope.users, "files": envelope.files });
    Ok((envelope, data))
}

/// `PUT /api/v3/users`.
pub async fn update_user(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<UserEnvelope>, ApiError> {
    let update: UserUpdate = body_as(body)?;
    let problems = update.problems();
    if !problems.is_empty() {
        return Err(ApiError::bad_request(problems));
    }
    live_user_row(&state.db, &update.user_id).await?;
    if let Some(file_id) = &update.avatar_file_id {
        let exists: Option<(String,)> = sqlx::query_as("SELECT file_id FROM files WHERE file_id = ?")
            .bind(file_id)
            .fetch_optional(&state.db)
            .await?;
        if exists.is_none() {
            return Err(ApiError::not_found("File"));
        }
    }
    let mut sql = sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE users SET updated_at = ");
    sql.push_bind(now());
    if let Some(name) = &update.display_name {
        sql.push(", display_name = ").push_bind(name.clone());
        sql.push(", display_name_folded = ").push_bind(name.to_lowercase());
    }
    if let Some(description) = &update.description {
        sql.push(", description = ").push_bind(description.clone());
    }
    if let Some(roles) = &update.roles {
        let mut roles = roles.clone();
        roles.dedup();
        sql.push(", roles = ").push_bind(serde_json::to_string(&roles).map_err(ApiError::unexpected)?);
    }
    if let Some(metadata) = &update.metadata {
        sql.push(", metadata = ").push_bind(serde_json::to_string(metadata).map_err(ApiError::unexpected)?);
    }
    if let Some(file_id) = &update.avatar_file_id {
        sql.push(", avatar_file_id = ").push_bind(file_id.clone());
    }
    if let Some(url) = &update.avatar_custom_url {
        sql.push(", avatar_custom_url = ").push_bind(url.clone());
    }
    sql.push(" WHERE user_id = ").push_bind(update.user_id.clone());
    sql.build().execute(&state.db).await?;
    let (envelope, data) = changed(&state.db, &update.user_id).await?;
    state.events.emit("user.didUpdate", data);
    Ok(Json(envelope))
}

/// `DELETE /api/v4/users/{userId}?deleteAll&markMessageDeleted&hardDeletePost&hardDeleteComment`.
/// The user is kept as a tombstone (`isDeleted`, "Deleted user", no description) and every
/// session is revoked, in one transaction with the content the options name: `hardDeletePost`
/// removes the user's posts (with their comments), `hardDeleteComment` their comments,
/// `markMessageDeleted` their messages (the spec says it hard-deletes them), `deleteAll` all
/// three. Without options the content stays, as upstream. The stand-in keeps reactions and
/// polls as counts only, so there is nothing more to remove.
pub async fn delete_user(
    AxumState(state): AxumState<State>,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Success>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let mut option = |name| params.boolean(name).unwrap_or(false);
    let delete_all = option("deleteAll");
    let content = ContentRemoval {
        messages: delete_all || option("markMessageDeleted"),
        posts: delete_all || option("hardDeletePost"),
        comments: delete_all || option("hardDeleteComment"),
    };
    params.finish()?;
    let row = user_row(&state.db, &user_id).await?;
    if sqlx::Row::get::<bool, _>(&row, "is_deleted") {
        return Err(ApiError::bad_request(vec!["User is already deleted".into()]));
    }
    let internal_id: String = sqlx::Row::get(&row, "internal_id");
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE users SET is_deleted = 1, display_name = ?, display_name_folded = ?, description = '', \
         updated_at = ? WHERE user_id = ?",
    )
    .bind(DELETED_USER_NAME)
    .bind(DELETED_USER_NAME.to_lowercase())
    .bind(now())
    .bind(&user_id)
    .execute(&mut *tx)
    .await?;
    content.remove(&mut tx, &user_id).await?;
    tx.commit().await?;
    sessions::revoke_user(&state.db, &internal_id).await?;
    let (_, data) = changed(&state.db, &user_id).await?;
    state.events.emit("user.didUpdate", data);
    Ok(Json(Success { success: true }))
}

/// What a user deletion hard-deletes besides the user (the `DELETE /api/v4/users` options).
struct ContentRemoval {
    posts: bool,
    comments: bool,
    messages: bool,
}

impl ContentRemoval {
    /// Hard-deletes the chosen content of `user_id` through the same path as a permanent
    /// delete of one item, so comments under a removed post and feed entries go with it.
    async fn remove(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        user_id: &str,
    ) -> Result<(), ApiError> {
        let kinds = [
            (self.posts, Kind::Post, "SELECT post_id FROM posts WHERE posted_user_id = ?"),
            (self.comments, Kind::Comment, "SELECT comment_id FROM comments WHERE user_id = ?"),
            (self.messages, Kind::Message, "SELECT message_id FROM messages WHERE creator_id = ?"),
        ];
        let at = review::now();
        for (chosen, kind, select) in kinds {
            if !chosen {
                continue;
            }
            let ids: Vec<String> = sqlx::query_scalar(select).bind(user_id).fetch_all(&mut **tx).await?;
            for id in ids {
                // An earlier removal (a post's comments, a post's children) may have taken it.
                let still_there: Option<i64> = sqlx::query_scalar(&format!(
                    "SELECT 1 FROM {} WHERE {} = ?",
                    kind.table().0,
                    kind.table().1
                ))
                .bind(&id)
                .fetch_optional(&mut **tx)
                .await?;
                if still_there.is_some() {
                    review::delete(tx, kind, &id, true, review::ADMIN_ACTOR, &at).await?;
                }
            }
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserIdBody {
    user_id: String,
}

async fn set_global_ban(state: &State, body: Value, banned: bool) -> Result<Json<Success>, ApiError> {
    let UserIdBody { user_id } = body_as(body)?;
    live_user_row(&state.db, &user_id).await?;
    sqlx::query("UPDATE users SET is_global_ban = ?, updated_at = ? WHERE user_id = ?")
        .bind(banned)
        .bind(now())
        .bind(&user_id)
        .execute(&state.db)
        .await?;
    let (_, data) = changed(&state.db, &user_id).await?;
    state.events.emit("user.didUpdate", data);
    Ok(Json(Success { success: true }))
}

/// `POST /api/v2/users/ban {userId}`: the user's tokens then answer 403 / 400312.
pub async fn ban_user(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Success>, ApiError> {
    set_global_ban(&state, body, true).await
}

/// `POST /api/v2/users/unban {userId}`.
pub async fn unban_user(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Success>, ApiError> {
    set_global_ban(&state, body, false).await
}

/// `DELETE /api/v2/users/{userId}/flags`: answers the bare `User` object of `schema/user.yaml`.
pub async fn clear_flags(
    AxumState(state): AxumState<State>,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = live_user_row(&state.db, &user_id).await?;
    let internal_id: String = sqlx::Row::get(&row, "internal_id");
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM user_flags WHERE user_internal_id = ?")
        .bind(&internal_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET flag_count = 0, updated_at = ? WHERE user_id = ?")
        .bind(now())
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let (_, data) = changed(&state.db, &user_id).await?;
    state.events.emit("user.didClearFlag", data);
    let permissions = role_permissions(&state.db).await?;
    let user = user_from_row(&user_row(&state.db, &user_id).await?, &permissions);
    Ok(Json(json!({
        "_id": user.id,
        "userId": user.user_id,
        "roles": user.roles,
        "displayName": user.display_name,
        "flagCount": user.flag_count,
        "hashFlag": user.hash_flag,
        "metadata": user.metadata,
        "isDeleted": user.is_deleted,
        "createdAt": user.created_at,
        "updatedAt": user.updated_at,
    })))
}

fn flagger(caller: &Caller) -> Result<&sessions::SessionUser, ApiError> {
    match caller {
        Caller::User(user) => Ok(user),
        // Flags are "flagged by me": only a user token has a "me".
        Caller::Admin => Err(ApiError::permission_denied()),
    }
}

/// `POST /api/v4/me/flags/{userId}`: the caller flags the user once; answers `{users, files}`.
pub async fn flag_user(
    AxumState(state): AxumState<State>,
    Extension(caller): Extension<Caller>,
    Path(user_id): Path<String>,
) -> Result<Json<UserEnvelope>, ApiError> {
    let me = flagger(&caller)?;
    let row = live_user_row(&state.db, &user_id).await?;
    let internal_id: String = sqlx::Row::get(&row, "internal_id");
    let mut tx = state.db.begin().await?;
    let added = sqlx::query(
        "INSERT INTO user_flags (flagger_internal_id, user_internal_id, created_at) VALUES (?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&me.internal_id)
    .bind(&internal_id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added > 0 {
        sqlx::query("UPDATE users SET flag_count = flag_count + 1, updated_at = ? WHERE internal_id = ?")
            .bind(now())
            .bind(&internal_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let (envelope, data) = changed(&state.db, &user_id).await?;
    if added > 0 {
        state.events.emit("user.didFlag", data);
    }
    Ok(Json(envelope))
}

/// `DELETE /api/v4/me/flags/{userId}`: withdraws the caller's flag.
pub async fn unflag_user(
    AxumState(state): AxumState<State>,
    Extension(caller): Extension<Caller>,
    Path(user_id): Path<String>,
) -> Result<Json<UserEnvelope>, ApiError> {
    let me = flagger(&caller)?;
    let row = live_user_row(&state.db, &user_id).await?;
    let internal_id: String = sqlx::Row::get(&row, "internal_id");
    let mut tx = state.db.begin().await?;
    let removed =
        sqlx::query("DELETE FROM user_flags WHERE flagger_internal_id = ? AND user_internal_id = ?")
            .bind(&me.internal_id)
            .bind(&internal_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if removed > 0 {
        sqlx::query(
            "UPDATE users SET flag_count = max(flag_count - 1, 0), updated_at = ? WHERE internal_id = ?",
        )
        .bind(now())
        .bind(&internal_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let (envelope, data) = changed(&state.db, &user_id).await?;
    if removed > 0 {
        state.events.emit("user.didUnflag", data);
    }
    Ok(Json(envelope))
}
