//! Messages in the community chats, a few abusive and flagged; each feed's message count
//! and last message follow.

use super::{Ctx, SeedOptions, communities::SeedCommunity, flags::write_flags};
use crate::seed::{
    hex_id,
    rows::Batch,
    words::{ABUSE, COMMENTS, pick, skewed},
};
use sqlx::{Sqlite, Transaction};

const COLUMNS: &[&str] = &[
    "message_id",
    "message_feed_id",
    "channel_id",
    "channel_type",
    "segment",
    "text",
    "creator_id",
    "flag_count",
    "is_deleted",
    "created_at",
    "updated_at",
];

/// Inserts a quarter as many messages as posts, in random communities.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    options: &SeedOptions,
    seeded: &[SeedCommunity],
    flags: &mut Batch,
) -> anyhow::Result<()> {
    let mut messages = Batch::new("messages", COLUMNS);
    let mut segments = vec![0i64; seeded.len()];
    for _ in 0..options.posts / 4 {
        let c = ctx.rng.usize(..seeded.len());
        // Segments number a feed's messages in the order they were generated.
        segments[c] += 1;
        insert_one(tx, ctx, &seeded[c], segments[c], &mut messages, flags).await?;
    }
    messages.flush(tx).await?;
    sqlx::query(
        "UPDATE message_feeds SET child_count = (SELECT count(*) FROM messages m WHERE m.message_feed_id = \
         message_feeds.message_feed_id), last_message_id = (SELECT message_id FROM messages m WHERE \
         m.message_feed_id = message_feeds.message_feed_id ORDER BY segment DESC LIMIT 1)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_one(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    community: &SeedCommunity,
    segment: i64,
    messages: &mut Batch,
    flags: &mut Batch,
) -> anyhow::Result<()> {
    let sender = community.any_member(&mut ctx.rng);
    let message_id = hex_id(&mut ctx.rng, 24);
    let created_secs = ctx.rng.i64(0..ctx.span);
    let abusive = ctx.rng.u8(..100) < 2;
    let flag_count = if abusive { skewed(&mut ctx.rng, ctx.max_flags.min(5)) } else { 0 };
    let text = pick(&mut ctx.rng, if abusive { ABUSE } else { COMMENTS }).to_owned();
    let is_deleted = ctx.rng.u16(..1000) < 5;
    let row = vec![
        message_id.clone().into(),
        community.feed_id.clone().into(),
        community.channel_id.clone().into(),
        "community".into(),
        segment.into(),
        text.into(),
        ctx.authors[sender].user_id.clone().into(),
        i64::from(flag_count).into(),
        is_deleted.into(),
        ctx.at(created_secs).into(),
        ctx.at(created_secs).into(),
    ];
    messages.push(tx, row).await?;
    if flag_count > 0 {
        write_flags(tx, flags, ctx, ("message", &message_id), flag_count, created_secs).await?;
    }
    Ok(())
}
