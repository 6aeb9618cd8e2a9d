//! Small JSON pictures of a target's moderation state, for the audit trail's before/after.
//! Only what moderation changes: flags, deletion, review state, bans, and the author.

use serde_json::{Value, json};
use upstream::wire::{CommentEnvelope, PostEnvelope, User};

/// A post and the review state of its feed; `None` when the envelope does not hold it.
pub fn post(envelope: &PostEnvelope, post_id: &str) -> Option<(Value, Option<String>)> {
    let post = envelope.posts.iter().find(|p| p.post_id == post_id)?;
    let feed_type = envelope
        .feeds
        .iter()
        .find(|f| Some(&f.feed_id) == post.feed_id.as_ref())
        .and_then(|f| f.feed_type)
        .map(|t| t.as_str());
    let value = json!({
        "postId": post.post_id,
        "flagCount": post.flag_count,
        "isDeleted": post.is_deleted,
        "feedType": feed_type,
        "postedUserId": post.posted_user_id,
    });
    Some((value, post.posted_user_id.clone()))
}

/// A comment; `None` when the envelope does not hold it.
pub fn comment(envelope: &CommentEnvelope, comment_id: &str) -> Option<(Value, Option<String>)> {
    let comment = envelope.comments.iter().find(|c| c.comment_id == comment_id)?;
    let value = json!({
        "commentId": comment.comment_id,
        "flagCount": comment.flag_count,
        "isDeleted": comment.is_deleted,
        "userId": comment.user_id,
    });
    Some((value, comment.user_id.clone()))
}

/// A user.
pub fn user(user: &User) -> Value {
    json!({
        "userId": user.user_id,
        "flagCount": user.flag_count,
        "isGlobalBan": user.is_global_ban,
        "isDeleted": user.is_deleted,
    })
}
