//! Comments under a post: a thread of top-level comments with replies to them, by members of
//! the post's community (anyone on a user feed); a few are abusive, flagged and in the
//! moderation feed.

use super::{
    Ctx, Shared,
    flags::{FeedItem, FeedState, feed_row, write_flags},
    posts::Target,
};
use crate::seed::{
    hex_id,
    rows::Batch,
    words::{ABUSE, COMMENTS, pick, skewed},
};
use sqlx::{Sqlite, Transaction};

/// The `comments` table.
pub(super) fn batch() -> Batch {
    Batch::new(
        "comments",
        &[
            "comment_id",
            "user_id",
            "reference_id",
            "reference_type",
            "parent_id",
            "root_id",
            "target_id",
            "target_type",
            "text",
            "children_number",
            "flag_count",
            "reactions_count",
            "is_deleted",
            "created_at",
            "updated_at",
        ],
    )
}

/// The post a thread belongs to.
pub(super) struct Thread<'a> {
    pub post_id: &'a str,
    pub target: &'a Target<'a>,
    pub created_secs: i64,
}

/// Inserts `count` comments on the post; whether one of them is flagged.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    thread: &Thread<'_>,
    count: u32,
    comments: &mut Batch,
    shared: &mut Shared,
) -> anyhow::Result<bool> {
    let mut has_flagged_comment = false;
    let mut top_level: Vec<String> = Vec::new();
    for n in 0..count {
        let comment_id = hex_id(&mut ctx.rng, 24);
        let reply_to =
            (n > 0 && ctx.rng.u8(..100) < 30).then(|| top_level[ctx.rng.usize(..top_level.len())].clone());
        let commenter = match thread.target.community {
            Some(c) => c.any_member(&mut ctx.rng),
            None => ctx.any_author(),
        };
        let abusive = ctx.rng.u8(..100) < 2;
        let flags = if abusive { skewed(&mut ctx.rng, ctx.max_flags.min(6)) } else { 0 };
        has_flagged_comment |= flags > 0;
        let at = ctx.at_random(thread.created_secs + 60, 0..86_400);
        let text = pick(&mut ctx.rng, if abusive { ABUSE } else { COMMENTS }).to_owned();
        let reactions = i64::from(skewed(&mut ctx.rng, 30) - 1);
        let row = vec![
            comment_id.clone().into(),
            ctx.authors[commenter].user_id.clone().into(),
            thread.post_id.into(),
            "post".into(),
            reply_to.clone().into(),
            reply_to.clone().into(),
            thread.target.id.clone().into(),
            thread.target.kind.into(),
            text.into(),
            0i64.into(),
            i64::from(flags).into(),
            reactions.into(),
            false.into(),
            at.clone().into(),
            at.into(),
        ];
        comments.push(tx, row).await?;
        if flags > 0 {
            flag(tx, ctx, thread, &comment_id, commenter, flags, shared).await?;
        }
        if reply_to.is_none() {
            top_level.push(comment_id);
        }
    }
    Ok(has_flagged_comment)
}

/// The flags of an abusive comment and its moderation feed row.
async fn flag(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    thread: &Thread<'_>,
    comment_id: &str,
    commenter: usize,
    flags: u32,
    shared: &mut Shared,
) -> anyhow::Result<()> {
    let item = ("comment", comment_id);
    let last = write_flags(tx, &mut shared.flags, ctx, item, flags, thread.created_secs).await?;
    let creator = ctx.authors[commenter].internal_id.clone();
    let item = FeedItem {
        content_id: comment_id,
        content_type: "comment",
        media_type: "text",
        target_internal: &thread.target.internal,
        target_type: thread.target.kind,
        creator_internal: &creator,
        tags: "[]".into(),
    };
    let state = FeedState { flag_count: flags, last_flagged_at: Some(last), ..FeedState::default() };
    shared.feed.push(tx, feed_row(item, state)).await
}
