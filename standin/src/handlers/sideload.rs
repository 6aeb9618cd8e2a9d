//! Side-loading: the related objects every content envelope carries (authors, files,
//! communities, memberships, categories, feeds), and the row → wire mappings shared by the
//! content handlers.

use crate::error::ApiError;
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use std::collections::{BTreeSet, HashMap};
use upstream::wire::{
    Comment, Community, CommunityCategory, CommunityUser, Feed, FeedType, File, FileAttributes, FileType,
    HashFlag, Membership, Post, PostData, PostDataType, PostEnvelope, ReferenceType, TargetType, User,
    VideoFileIds,
};

/// Columns of `posts` the mappers read.
pub const POST_COLUMNS: &str = "p.post_id, p.parent_post_id, p.posted_user_id, p.target_id, p.target_type, \
     p.feed_type, p.data_type, p.text, p.file_id, p.metadata, p.tags, p.flag_count, p.reactions_count, \
     p.comments_count, p.has_flagged_comment, p.has_flagged_children, p.is_deleted, p.edited_at, \
     p.created_at, p.updated_at";

/// Columns of `comments` the mappers read.
pub const COMMENT_COLUMNS: &str = "c.comment_id, c.user_id, c.reference_id, c.reference_type, c.parent_id, \
     c.root_id, c.target_id, c.target_type, c.data_type, c.text, c.metadata, c.children_number, \
     c.flag_count, c.reactions_count, c.is_deleted, c.edited_at, c.created_at, c.updated_at";

/// Columns of `communities` the mappers read.
pub const COMMUNITY_COLUMNS: &str = "community_id, channel_id, creator_id, display_name, avatar_file_id, \
     is_official, is_public, only_admin_can_post, need_approval, allow_comment_in_story, tags, metadata, \
     category_ids, posts_count, members_count, is_deleted, created_at, updated_at";

/// A `?, ?, ?` list bound to `values`.
pub fn push_in<'a>(sql: &mut QueryBuilder<'a, Sqlite>, values: impl IntoIterator<Item = &'a str>) {
    sql.push("(");
    let mut separated = sql.separated(", ");
    let mut any = false;
    for value in values {
        separated.push_bind(value);
        any = true;
    }
    if !any {
        // `IN ()` is a syntax error; this matches nothing.
        separated.push("NULL");
    }
    sql.push(")");
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn json_object(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The feed id of a target's feed of one review state (stable, so it needs no table).
pub fn feed_id(target_id: &str, feed_type: &str) -> String {
    format!("{target_id}:{feed_type}")
}

fn target_type(text: &str) -> TargetType {
    match text {
        "community" => TargetType::Community,
        "content" => TargetType::Content,
        "user" => TargetType::User,
        _ => TargetType::Unknown,
    }
}

/// A post row (selected with [`POST_COLUMNS`]) on the wire; `internal` maps public user ids to internal ones.
pub fn post_from_row(row: &SqliteRow, internal: &HashMap<String, String>, children: Vec<String>) -> Post {
    let author: String = row.get("posted_user_id");
    let target_id: String = row.get("target_id");
    let target = target_type(row.get("target_type"));
    let data_type = match row.get::<&str, _>("data_type") {
        "image" => PostDataType::Image,
        "file" => PostDataType::File,
        "video" => PostDataType::Video,
        "text" => PostDataType::Text,
        _ => PostDataType::Unknown,
    };
    let text: String = row.get("text");
    Post {
        post_id: row.get("post_id"),
        parent_post_id: row.get("parent_post_id"),
        posted_user_internal_id: internal.get(&author).cloned(),
        posted_user_id: Some(author),
        target_internal_id: Some(match target {
            TargetType::User => internal.get(&target_id).cloned().unwrap_or_else(|| target_id.clone()),
            _ => target_id.clone(),
        }),
        feed_id: Some(feed_id(&target_id, row.get("feed_type"))),
        target_id: Some(target_id),
        target_type: Some(target),
        data_type: Some(data_type),
        data: post_data(data_type, text, row.get("file_id")),
        metadata: json_object(row.get("metadata")),
        flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
        hash_flag: Some(HashFlag::default()),
        edited_at: row.get("edited_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        reactions_count: row.get::<i64, _>("reactions_count").max(0) as u64,
        comments_count: row.get::<i64, _>("comments_count").max(0) as u64,
        comments: Vec::new(),
        children,
        is_deleted: row.get("is_deleted"),
        has_flagged_comment: row.get("has_flagged_comment"),
        has_flagged_children: row.get("has_flagged_children"),
        tags: json_list(row.get("tags")),
    }
}

/// A post's body: a video's file is its `videoFileId.original`, with its thumbnail beside it.
fn post_data(data_type: PostDataType, text: String, file_id: Option<String>) -> PostData {
    let text = (!text.is_empty() || data_type == PostDataType::Text).then_some(text);
    match (data_type, file_id) {
        (PostDataType::Video, Some(video)) => PostData {
            text,
            file_id: None,
            thumbnail_file_id: Some(crate::media::video_thumbnail_id(&video)),
            video_file_id: Some(VideoFileIds { original: Some(video), ..VideoFileIds::default() }),
        },
        (_, file_id) => PostData { text, file_id, thumbnail_file_id: None, video_file_id: None },
    }
}

/// A comment row (selected with [`COMMENT_COLUMNS`]) on the wire.
pub fn comment_from_row(
    row: &SqliteRow,
    internal: &HashMap<String, String>,
    children: Vec<String>,
) -> Comment {
    let author: String = row.get("user_id");
    let mut data = Map::new();
    data.insert("text".into(), Value::String(row.get("text")));
    Comment {
        comment_id: row.get("comment_id"),
        user_internal_id: internal.get(&author).cloned(),
        user_id: Some(author),
        parent_id: row.get("parent_id"),
        root_id: row.get("root_id"),
        reference_id: Some(row.get("reference_id")),
        reference_type: Some(match row.get::<&str, _>("reference_type") {
            "post" => ReferenceType::Post,
            "story" => ReferenceType::Story,
            "content" => ReferenceType::Content,
            _ => ReferenceType::Unknown,
        }),
        data_type: Some(row.get("data_type")),
        data,
        metadata: json_object(row.get("metadata")),
        children_number: row.get::<i64, _>("children_number").max(0) as u64,
        flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
        hash_flag: Some(HashFlag::default()),
        reactions_count: row.get::<i64, _>("reactions_count").max(0) as u64,
        is_deleted: row.get("is_deleted"),
        edited_at: row.get("edited_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        children,
        target_id: row.get("target_id"),
        target_type: row.get::<Option<&str>, _>("target_type").map(target_type),
    }
}

/// A community row (selected with [`COMMUNITY_COLUMNS`]) on the wire.
pub fn community_from_row(row: &SqliteRow, moderators: u64, flagged: (bool, bool)) -> Community {
    Community {
        community_id: row.get("community_id"),
        channel_id: row.get("channel_id"),
        user_id: Some(row.get("creator_id")),
        display_name: row.get("display_name"),
        avatar_file_id: row.get("avatar_file_id"),
        is_official: row.get("is_official"),
        is_public: row.get("is_public"),
        only_admin_can_post: row.get("only_admin_can_post"),
        tags: json_list(row.get("tags")),
        metadata: json_object(row.get("metadata")),
        posts_count: row.get::<i64, _>("posts_count").max(0) as u64,
        members_count: row.get::<i64, _>("members_count").max(0) as u64,
        category_ids: json_list(row.get("category_ids")),
        is_deleted: row.get("is_deleted"),
        created_at: Some(row.get("created_at")),
        updated_at: Some(row.get("updated_at")),
        has_flagged_post: flagged.0,
        has_flagged_comment: flagged.1,
        need_approval_on_post_creation: row.get("need_approval"),
        moderator_member_count: moderators,
        allow_comment_in_story: Some(row.get("allow_comment_in_story")),
    }
}

/// Users by public id, with the files their avatars point to.
pub async fn users(db: &SqlitePool, user_ids: &BTreeSet<String>) -> Result<(Vec<User>, Vec<File>), ApiError> {
    if user_ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT internal_id, user_id, display_name, description, avatar_file_id, avatar_custom_url, roles, \
         metadata, flag_count, is_global_ban, is_brand, is_deleted, created_at, updated_at FROM users WHERE user_id IN ",
    );
    push_in(&mut sql, user_ids.iter().map(String::as_str));
    sql.push(" ORDER BY user_id");
    let rows = sql.build().fetch_all(db).await?;
    let users: Vec<User> = rows
        .iter()
        .map(|row| {
            let internal_id: String = row.get("internal_id");
            let user_id: String = row.get("user_id");
            User {
                id: Some(internal_id.clone()),
                user_public_id: Some(user_id.clone()),
                user_internal_id: Some(internal_id),
                user_id,
                display_name: Some(row.get("display_name")),
                description: None,
                avatar_file_id: row.get("avatar_file_id"),
                avatar_custom_url: row.get("avatar_custom_url"),
                roles: json_list(row.get("roles")),
                permissions: Vec::new(),
                metadata: json_object(row.get("metadata")),
                flag_count: row.get::<i64, _>("flag_count").max(0) as u64,
                hash_flag: Some(HashFlag::default()),
                is_global_ban: row.get("is_global_ban"),
                is_brand: row.get("is_brand"),
                is_deleted: row.get("is_deleted"),
                created_at: row.get("created_at"),
                updated_at: row.get("updated_at"),
            }
        })
        .collect();
    let avatars: BTreeSet<String> = users.iter().filter_map(|u| u.avatar_file_id.clone()).collect();
    let files = files(db, &avatars).await?;
    Ok((users, files))
}

/// Public → internal user ids.
pub async fn internal_ids(
    db: &SqlitePool,
    user_ids: &BTreeSet<String>,
) -> Result<HashMap<String, String>, ApiError> {
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new("SELECT user_id, internal_id FROM users WHERE user_id IN ");
    push_in(&mut sql, user_ids.iter().map(String::as_str));
    let rows = sql.build().fetch_all(db).await?;
    Ok(rows.iter().map(|r| (r.get("user_id"), r.get("internal_id"))).collect())
}

/// Files by id.
pub async fn files(db: &SqlitePool, file_ids: &BTreeSet<String>) -> Result<Vec<File>, ApiError> {
    if file_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT file_id, coalesce((SELECT base_url FROM served_origin WHERE id = 1), '') || file_url AS file_url, \
         type, name, extension, size, mime_type, created_at, updated_at FROM files WHERE file_id IN ",
    );
    push_in(&mut sql, file_ids.iter().map(String::as_str));
    sql.push(" ORDER BY file_id");
    let rows = sql.build().fetch_all(db).await?;
    Ok(rows
        .iter()
        .map(|row| File {
            file_id: row.get("file_id"),
            file_url: Some(row.get("file_url")),
            file_type: Some(match row.get::<&str, _>("type") {
                "image" => FileType::Image,
                "video" => FileType::Video,
                _ => FileType::File,
            }),
            created_at: Some(row.get("created_at")),
            updated_at: Some(row.get("updated_at")),
            attributes: Some(FileAttributes {
                name: Some(row.get("name")),
                extension: Some(row.get("extension")),
                size: Some(row.get::<i64, _>("size") as f64),
                mime_type: Some(row.get("mime_type")),
                metadata: None,
            }),
        })
        .collect())
}

/// Communities by id, with their categories.
pub async fn communities(
    db: &SqlitePool,
    community_ids: &BTreeSet<String>,
) -> Result<(Vec<Community>, Vec<CommunityCategory>), ApiError> {
    if community_ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COMMUNITY_COLUMNS} FROM communities WHERE community_id IN "
    ));
    push_in(&mut sql, community_ids.iter().map(String::as_str));
    let rows = sql.build().fetch_all(db).await?;
    communities_from_rows(db, &rows).await
}

/// Maps community rows, computing moderator counts and flagged markers, and loads categories.
pub async fn communities_from_rows(
    db: &SqlitePool,
    rows: &[SqliteRow],
) -> Result<(Vec<Community>, Vec<CommunityCategory>), ApiError> {
    let mut communities = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.get("community_id");
        let moderators: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM community_members WHERE community_id = ? AND membership = 'member' \
             AND roles LIKE '%moderator%'",
        )
        .bind(&id)
        .fetch_one(db)
        .await?;
        let flagged_post: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM moderation_feed WHERE target_id = ? AND content_type = 'post' \
             AND flag_count > 0)",
        )
        .bind(&id)
        .fetch_one(db)
        .await?;
        let flagged_comment: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM moderation_feed WHERE target_id = ? AND content_type = 'comment' \
             AND flag_count > 0)",
        )
        .bind(&id)
        .fetch_one(db)
        .await?;
        communities.push(community_from_row(row, moderators.max(0) as u64, (flagged_post, flagged_comment)));
    }
    let category_ids: BTreeSet<String> = communities.iter().flat_map(|c| c.category_ids.clone()).collect();
    let categories = categories(db, &category_ids).await?;
    Ok((communities, categories))
}

/// Categories by id.
pub async fn categories(db: &SqlitePool, ids: &BTreeSet<String>) -> Result<Vec<CommunityCategory>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT category_id, name, avatar_file_id, metadata, is_deleted, created_at, updated_at \
         FROM community_categories WHERE category_id IN ",
    );
    push_in(&mut sql, ids.iter().map(String::as_str));
    sql.push(" ORDER BY name");
    let rows = sql.build().fetch_all(db).await?;
    Ok(rows
        .iter()
        .map(|row| CommunityCategory {
            category_id: row.get("category_id"),
            name: row.get("name"),
            metadata: json_object(row.get("metadata")),
            avatar_file_id: row.get("avatar_file_id"),
            is_deleted: row.get("is_deleted"),
            created_at: Some(row.get("created_at")),
            updated_at: Some(row.get("updated_at")),
        })
        .collect())
}

/// A membership row on the wire.
pub fn community_user_from_row(row: &SqliteRow, internal: &HashMap<String, String>) -> CommunityUser {
    let user_id: String = row.get("user_id");
    let membership = match row.get::<&str, _>("membership") {
        "member" => Membership::Member,
        "banned" => Membership::Banned,
        "none" => Membership::None,
        _ => Membership::Unknown,
    };
    CommunityUser {
        user_internal_id: internal.get(&user_id).cloned(),
        user_id,
        channel_id: row.get("channel_id"),
        community_id: row.get("community_id"),
        community_membership: membership,
        is_banned: membership == Membership::Banned,
        last_activity: Some(row.get("last_activity")),
        roles: json_list(row.get("roles")),
        created_at: Some(row.get("created_at")),
        updated_at: Some(row.get("updated_at")),
    }
}

/// Memberships of `user_ids` in `community_ids`.
pub async fn community_users(
    db: &SqlitePool,
    community_ids: &BTreeSet<String>,
    user_ids: &BTreeSet<String>,
    internal: &HashMap<String, String>,
) -> Result<Vec<CommunityUser>, ApiError> {
    if community_ids.is_empty() || user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT m.community_id, m.user_id, m.membership, m.roles, m.last_activity, m.created_at, m.updated_at, \
         c.channel_id FROM community_members m JOIN communities c ON c.community_id = m.community_id \
         WHERE m.community_id IN ",
    );
    push_in(&mut sql, community_ids.iter().map(String::as_str));
    sql.push(" AND m.user_id IN ");
    push_in(&mut sql, user_ids.iter().map(String::as_str));
    sql.push(" ORDER BY m.community_id, m.user_id");
    let rows = sql.build().fetch_all(db).await?;
    Ok(rows.iter().map(|row| community_user_from_row(row, internal)).collect())
}

/// The post envelope for these post rows: children, authors, files, communities,
/// memberships, categories and feeds.
pub async fn post_envelope(db: &SqlitePool, rows: &[SqliteRow]) -> Result<PostEnvelope, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.get("post_id")).collect();
    let child_rows = if ids.is_empty() {
        Vec::new()
    } else {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {POST_COLUMNS} FROM posts p WHERE p.parent_post_id IN "
        ));
        push_in(&mut sql, ids.iter().map(String::as_str));
        sql.push(" ORDER BY p.created_at, p.post_id");
        sql.build().fetch_all(db).await?
    };
    let mut user_ids = BTreeSet::new();
    let mut community_ids = BTreeSet::new();
    let mut file_ids = BTreeSet::new();
    let mut feeds: BTreeSet<(String, String, String)> = BTreeSet::new();
    for row in rows.iter().chain(&child_rows) {
        user_ids.insert(row.get::<String, _>("posted_user_id"));
        let target: String = row.get("target_id");
        let kind: String = row.get("target_type");
        if kind == "community" {
            community_ids.insert(target.clone());
        } else {
            user_ids.insert(target.clone());
        }
        if let Some(file) = row.get::<Option<String>, _>("file_id") {
            if row.get::<&str, _>("data_type") == "video" {
                file_ids.insert(crate::media::video_thumbnail_id(&file));
            }
            file_ids.insert(file);
        }
        feeds.insert((target, kind, row.get("feed_type")));
    }
    let internal = internal_ids(db, &user_ids).await?;
    let mut children_of: HashMap<String, Vec<String>> = HashMap::new();
    for child in &child_rows {
        if let Some(parent) = child.get::<Option<String>, _>("parent_post_id") {
            children_of.entry(parent).or_default().push(child.get("post_id"));
        }
    }
    let posts = rows
        .iter()
        .map(|row| {
            let children = children_of.remove(row.get::<&str, _>("post_id")).unwrap_or_default();
            post_from_row(row, &internal, children)
        })
        .collect();
    let post_children = child_rows.iter().map(|row| post_from_row(row, &internal, Vec::new())).collect();
    let (users, avatar_files) = users(db, &user_ids).await?;
    let mut files = files(db, &file_ids).await?;
    files.extend(avatar_files);
    let (communities, categories) = communities(db, &community_ids).await?;
    let community_users = community_users(db, &community_ids, &user_ids, &internal).await?;
    let mut feed_list = Vec::with_capacity(feeds.len());
    for (target, kind, feed_type) in feeds {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM posts WHERE target_id = ? AND feed_type = ? AND parent_post_id IS NULL \
             AND is_deleted = 0",
        )
        .bind(&target)
        .bind(&feed_type)
        .fetch_one(db)
        .await?;
        feed_list.push(Feed {
            feed_id: feed_id(&target, &feed_type),
            target_type: Some(target_type(&kind)),
            feed_type: Some(match feed_type.as_str() {
                "published" => FeedType::Published,
                "reviewing" => FeedType::Reviewing,
                "declined" => FeedType::Declined,
                _ => FeedType::Unknown,
            }),
            target_id: Some(target),
            post_count: Some(count.max(0) as u64),
            created_at: None,
            updated_at: None,
        });
    }
    Ok(PostEnvelope {
        posts,
        post_children,
        comments: Vec::new(),
        users,
        files,
        communities,
        community_users,
        categories,
        feeds: feed_list,
        video_streamings: Vec::new(),
        polls: Vec::new(),
        paging: None,
    })
}

/// How many of a post's newest top-level comments ride along with it, as a preview.
pub const LATEST_COMMENTS: i64 = 5;

/// Adds each post's newest top-level comments that are not deleted: their ids in
/// `post.comments` (newest first), the comments and their authors side-loaded. The
/// moderation feed does not call this: it side-loads the flagged comments instead.
pub async fn with_latest_comments(db: &SqlitePool, envelope: &mut PostEnvelope) -> Result<(), ApiError> {
    if envelope.posts.is_empty() {
        return Ok(());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COMMENT_COLUMNS} FROM (SELECT *, row_number() OVER (PARTITION BY reference_id \
         ORDER BY created_at DESC, comment_id DESC) AS newest FROM comments \
         WHERE reference_type = 'post' AND parent_id IS NULL AND is_deleted = 0 AND reference_id IN "
    ));
    push_in(&mut sql, envelope.posts.iter().map(|post| post.post_id.as_str()));
    sql.push(") c WHERE c.newest <= ").push_bind(LATEST_COMMENTS);
    sql.push(" ORDER BY c.created_at DESC, c.comment_id DESC");
    let rows = sql.build().fetch_all(db).await?;
    let authors: BTreeSet<String> = rows.iter().map(|row| row.get("user_id")).collect();
    let internal = internal_ids(db, &authors).await?;
    let mut latest: HashMap<String, Vec<String>> = HashMap::new();
    for row in &rows {
        latest.entry(row.get("reference_id")).or_default().push(row.get("comment_id"));
    }
    for post in &mut envelope.posts {
        post.comments = latest.remove(&post.post_id).unwrap_or_default();
    }
    envelope.comments.extend(rows.iter().map(|row| comment_from_row(row, &internal, Vec::new())));
    let missing: BTreeSet<String> =
        authors.into_iter().filter(|id| !envelope.users.iter().any(|known| &known.user_id == id)).collect();
    let (users, files) = users(db, &missing).await?;
    envelope.users.extend(users);
    envelope.files.extend(files);
    Ok(())
}

/// Reads a JSON request body; an empty body is `{}`. Problems answer 400 like the API.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { bytes };
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(vec![format!("body: {e}")]))
}
