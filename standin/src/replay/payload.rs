//! The webhook `data` of a logged happening, built from the network as it is now, with the
//! time it happened as the object's `updatedAt` (and `createdAt` for creations, which the
//! seed already wrote), so a receiver dates it by the payload. Bodies are lean: the object,
//! the people involved and their files, the shape of the spec's webhook responses without
//! the optional community side-loads.

use crate::{
    error::ApiError,
    handlers::sideload::{self, COMMENT_COLUMNS, POST_COLUMNS},
};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use std::collections::BTreeSet;

/// One row of `history_events`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Logged {
    pub seq: i64,
    pub at: String,
    pub name: String,
    pub object_id: String,
    pub actor_id: Option<String>,
}

/// The `data` of the event, or `None` when its object is gone (deleted for good since).
pub async fn data(db: &SqlitePool, event: &Logged) -> Result<Option<Value>, ApiError> {
    match event.name.as_str() {
        "user.didCreate" | "user.didUpdate" => user(db, event).await,
        "v3.comment.didCreate" => comment(db, event).await,
        "v3.community.didJoin" => join(db, event).await,
        _ => post(db, event).await,
    }
}

/// Users by public id with their avatar files, as JSON.
async fn people(
    db: &SqlitePool,
    ids: impl IntoIterator<Item = String>,
) -> Result<(Value, Vec<Value>), ApiError> {
    let ids: BTreeSet<String> = ids.into_iter().collect();
    let (users, files) = sideload::users(db, &ids).await?;
    let files = files.into_iter().map(|f| json!(f)).collect();
    Ok((json!(users), files))
}

async fn user(db: &SqlitePool, event: &Logged) -> Result<Option<Value>, ApiError> {
    let (mut users, files) = people(db, [event.object_id.clone()]).await?;
    let Some(user) = users.get_mut(0) else { return Ok(None) };
    user["updatedAt"] = json!(event.at);
    Ok(Some(json!({ "users": users, "files": files })))
}

async fn post(db: &SqlitePool, event: &Logged) -> Result<Option<Value>, ApiError> {
    let row = sqlx::query(&format!("SELECT {POST_COLUMNS} FROM posts p WHERE p.post_id = ?"))
        .bind(&event.object_id)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let author: String = sqlx::Row::get(&row, "posted_user_id");
    let ids: BTreeSet<String> = [author].into_iter().chain(event.actor_id.clone()).collect();
    let internal = sideload::internal_ids(db, &ids).await?;
    let mut post = json!(sideload::post_from_row(&row, &internal, Vec::new()));
    post["updatedAt"] = json!(event.at);
    let (users, mut files) = people(db, ids).await?;
    let file_ids: BTreeSet<String> = ["fileId", "thumbnailFileId"]
        .iter()
        .filter_map(|key| post["data"][key].as_str().map(str::to_owned))
        .chain(post["data"]["videoFileId"]["original"].as_str().map(str::to_owned))
        .collect();
    files.extend(sideload::files(db, &file_ids).await?.into_iter().map(|f| json!(f)));
    let mut data = json!({ "posts": [post], "users": users, "files": files });
    match (event.name.as_str(), &event.actor_id) {
        ("v3.post.didFlag", Some(flagger)) => data["flaggedUserId"] = json!(flagger),
        ("v3.post.didAddReaction", Some(reactor)) => {
            let internal_id = internal.get(reactor).cloned();
            data["reactor"] = json!({ "reactionName": "like", "userId": reactor, "userInternalId": internal_id,
                "createdAt": event.at });
        }
        _ => {}
    }
    Ok(Some(data))
}

async fn comment(db: &SqlitePool, event: &Logged) -> Result<Option<Value>, ApiError> {
    let row = sqlx::query(&format!("SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.comment_id = ?"))
        .bind(&event.object_id)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let author: String = sqlx::Row::get(&row, "user_id");
    let ids: BTreeSet<String> = [author].into_iter().collect();
    let internal = sideload::internal_ids(db, &ids).await?;
    let mut comment = json!(sideload::comment_from_row(&row, &internal, Vec::new()));
    comment["updatedAt"] = json!(event.at);
    let (users, files) = people(db, ids).await?;
    Ok(Some(json!({ "comments": [comment], "users": users, "files": files })))
}

/// `v3.community.didJoin`: the community, the new membership and the member.
async fn join(db: &SqlitePool, event: &Logged) -> Result<Option<Value>, ApiError> {
    let Some(member) = &event.actor_id else { return Ok(None) };
    let ids: BTreeSet<String> = [event.object_id.clone()].into_iter().collect();
    let (communities, categories) = sideload::communities(db, &ids).await?;
    if communities.is_empty() {
        return Ok(None);
    }
    let internal = sideload::internal_ids(db, &[member.clone()].into_iter().collect()).await?;
    let (users, files) = people(db, [member.clone()]).await?;
    Ok(Some(json!({
        "communities": communities,
        "communityUsers": [{
            "communityId": event.object_id, "userId": member, "userInternalId": internal.get(member),
            "communityMembership": "member", "roles": [], "createdAt": event.at, "updatedAt": event.at,
        }],
        "categories": categories,
        "users": users,
        "files": files,
    })))
}
