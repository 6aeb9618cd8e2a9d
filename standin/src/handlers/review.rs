//! The effects moderation has on content, shared by the per-type endpoints and the bulk
//! moderation-feed actions: flagging raises `flagCount` and puts posts and comments in the
//! moderation feed; clearing flags and deleting mark the feed item reviewed
//! (`manualReview{reviewedType, reviewedAt, reviewedBy}`).

use crate::{error::ApiError, time_fmt};
use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;

/// Who acts when the admin token calls: the console's moderators act through it, and the
/// real API records the token's owner; the stand-in has one fixed actor.
pub const ADMIN_ACTOR: &str = "standin-admin";

/// A flaggable kind of content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `posts`.
    Post,
    /// `comments`.
    Comment,
    /// `messages`.
    Message,
    /// `stories`.
    Story,
}

impl Kind {
    /// The value stored in `flags.content_type` and `moderation_feed.content_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Post => "post",
            Kind::Comment => "comment",
            Kind::Message => "message",
            Kind::Story => "story",
        }
    }

    pub(crate) fn table(self) -> (&'static str, &'static str) {
        match self {
            Kind::Post => ("posts", "post_id"),
            Kind::Comment => ("comments", "comment_id"),
            Kind::Message => ("messages", "message_id"),
            Kind::Story => ("stories", "story_id"),
        }
    }

    /// Posts and comments are what the admin moderation feed lists.
    fn in_moderation_feed(self) -> bool {
        matches!(self, Kind::Post | Kind::Comment)
    }
}

/// The current time in the API's format.
pub fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}

/// 404 unless the content exists.
pub async fn require(tx: &mut Transaction<'_, Sqlite>, kind: Kind, id: &str) -> Result<(), ApiError> {
    let (table, column) = kind.table();
    let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE {column} = ?"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    found.map(|_| ()).ok_or_else(|| {
        ApiError::not_found(match kind {
            Kind::Post => "Post",
            Kind::Comment => "Comment",
            Kind::Message => "Message",
            Kind::Story => "Story",
        })
    })
}

/// Records `user_id`'s flag (once per user) and updates counters and the moderation feed.
/// `false` when that user had flagged it already (nothing changed).
pub async fn flag(
    tx: &mut Transaction<'_, Sqlite>,
    kind: Kind,
    id: &str,
    user_id: &str,
    reason: &str,
    at: &str,
) -> Result<bool, ApiError> {
    require(tx, kind, id).await?;
    let inserted = sqlx::query(
        "INSERT OR IGNORE INTO flags (content_type, content_id, user_id, reason, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(kind.as_str())
    .bind(id)
    .bind(user_id)
    .bind(reason)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    let (table, column) = kind.table();
    sqlx::query(&format!("UPDATE {table} SET flag_count = flag_count + 1 WHERE {column} = ?"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if kind.in_moderation_feed() {
        enter_feed(tx, kind, id).await?;
        // A new flag puts reviewed content back in front of moderators.
        sqlx::query(
            "UPDATE moderation_feed SET flag_count = flag_count + 1, last_flagged_at = ?, is_flag_cleared = 0 \
             WHERE content_id = ?",
        )
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    mark_parents(tx, kind, id).await?;
    Ok(true)
}

/// Removes `user_id`'s own flag; `false` when there was none.
pub async fn unflag(
    tx: &mut Transaction<'_, Sqlite>,
    kind: Kind,
    id: &str,
    user_id: &str,
) -> Result<bool, ApiError> {
    require(tx, kind, id).await?;
    let removed = sqlx::query("DELETE FROM flags WHERE content_type = ? AND content_id = ? AND user_id = ?")
        .bind(kind.as_str())
        .bind(id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Ok(false);
    }
    let (table, column) = kind.table();
    sqlx::query(&format!("UPDATE {table} SET flag_count = max(flag_count - 1, 0) WHERE {column} = ?"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE moderation_feed SET flag_count = max(flag_count - 1, 0) WHERE content_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Clears every flag and marks the feed item reviewed with `clearFlag`.
pub async fn clear_flags(
    tx: &mut Transaction<'_, Sqlite>,
    kind: Kind,
    id: &str,
    actor: &str,
    at: &str,
) -> Result<(), ApiError> {
    require(tx, kind, id).await?;
    sqlx::query("DELETE FROM flags WHERE content_type = ? AND content_id = ?")
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let (table, column) = kind.table();
    sqlx::query(&format!("UPDATE {table} SET flag_count = 0 WHERE {column} = ?"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE moderation_feed SET flag_count = 0, is_flag_cleared = 1, reviewed_type = 'clearFlag', \
         reviewed_by = ?, last_reviewed_at = ? WHERE content_id = ?",
    )
    .bind(actor)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes softly (`isDeleted`) or permanently, and marks the feed item reviewed with `delete`.
/// Deleting a post deletes its children and comments the same way.
pub async fn delete(
    tx: &mut Transaction<'_, Sqlite>,
    kind: Kind,
    id: &str,
    permanent: bool,
    actor: &str,
    at: &str,
) -> Result<(), ApiError> {
    require(tx, kind, id).await?;
    let (table, column) = kind.table();
    let mut ids = vec![id.to_owned()];
    if kind == Kind::Post {
        let children: Vec<String> = sqlx::query_scalar("SELECT post_id FROM posts WHERE parent_post_id = ?")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
        ids.extend(children);
    }
    for target in &ids {
        if permanent {
            sqlx::query(&format!("DELETE FROM {table} WHERE {column} = ?"))
                .bind(target)
                .execute(&mut **tx)
                .await?;
        } else {
            sqlx::query(&format!("UPDATE {table} SET is_deleted = 1, updated_at = ? WHERE {column} = ?"))
                .bind(at)
                .bind(target)
                .execute(&mut **tx)
                .await?;
        }
        if kind == Kind::Post {
            if permanent {
                sqlx::query("DELETE FROM comments WHERE reference_type = 'post' AND reference_id = ?")
                    .bind(target)
                    .execute(&mut **tx)
                    .await?;
            } else {
                sqlx::query(
                    "UPDATE comments SET is_deleted = 1, updated_at = ? WHERE reference_type = 'post' \
                     AND reference_id = ?",
                )
                .bind(at)
                .bind(target)
                .execute(&mut **tx)
                .await?;
            }
        }
        if kind == Kind::Comment && permanent {
            sqlx::query("DELETE FROM comments WHERE parent_id = ?").bind(target).execute(&mut **tx).await?;
        }
        sqlx::query(
            "UPDATE moderation_feed SET is_deleted = 1, reviewed_type = 'delete', reviewed_by = ?, \
             last_reviewed_at = ? WHERE content_id = ?",
        )
        .bind(actor)
        .bind(at)
        .bind(target)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds a post or comment to the moderation feed if it is not there yet.
async fn enter_feed(tx: &mut Transaction<'_, Sqlite>, kind: Kind, id: &str) -> Result<(), ApiError> {
    let sql = match kind {
        Kind::Post => {
            "INSERT OR IGNORE INTO moderation_feed (content_id, content_type, media_type, target_id, target_type, \
             creator_id, tags) \
             SELECT p.post_id, 'post', CASE p.data_type WHEN 'image' THEN 'photo' WHEN 'video' THEN 'video' \
             WHEN 'file' THEN 'file' ELSE 'text' END, \
             CASE p.target_type WHEN 'user' THEN coalesce(t.internal_id, p.target_id) ELSE p.target_id END, \
             p.target_type, coalesce(a.internal_id, p.posted_user_id), p.tags \
             FROM posts p LEFT JOIN users a ON a.user_id = p.posted_user_id \
             LEFT JOIN users t ON t.user_id = p.target_id WHERE p.post_id = ?"
        }
        _ => {
            "INSERT OR IGNORE INTO moderation_feed (content_id, content_type, media_type, target_id, target_type, \
             creator_id, tags) \
             SELECT c.comment_id, 'comment', 'text', \
             CASE c.target_type WHEN 'user' THEN coalesce(t.internal_id, c.target_id) ELSE coalesce(c.target_id, '') END, \
             coalesce(c.target_type, 'community'), coalesce(a.internal_id, c.user_id), '[]' \
             FROM comments c LEFT JOIN users a ON a.user_id = c.user_id \
             LEFT JOIN users t ON t.user_id = c.target_id WHERE c.comment_id = ?"
        }
    };
    sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// `hasFlaggedComment` / `hasFlaggedChildren` on the post above a flagged comment or child.
async fn mark_parents(tx: &mut Transaction<'_, Sqlite>, kind: Kind, id: &str) -> Result<(), ApiError> {
    match kind {
        Kind::Comment => {
            sqlx::query(
                "UPDATE posts SET has_flagged_comment = 1 WHERE post_id = \
                 (SELECT reference_id FROM comments WHERE comment_id = ? AND reference_type = 'post')",
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        Kind::Post => {
            sqlx::query(
                "UPDATE posts SET has_flagged_children = 1 WHERE post_id = \
                 (SELECT parent_post_id FROM posts WHERE post_id = ?)",
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        Kind::Message | Kind::Story => {}
    }
    Ok(())
}
