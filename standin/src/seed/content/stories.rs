//! Stories: one to three per community, the newest still live at the epoch (stories live a
//! day); a few are flagged.

use super::{Ctx, communities::SeedCommunity, flags::write_flags};
use crate::{
    seed::{
        hex_id,
        rows::Batch,
        words::{sentence, skewed},
    },
    time_fmt,
};
use sqlx::{Sqlite, Transaction};
use time::Duration;

const COLUMNS: &[&str] = &[
    "story_id",
    "creator_id",
    "target_id",
    "target_type",
    "data_type",
    "text",
    "flag_count",
    "comments_count",
    "reactions_count",
    "is_deleted",
    "expires_at",
    "created_at",
    "updated_at",
];

/// Inserts the stories of every community.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    seeded: &[SeedCommunity],
    flags: &mut Batch,
) -> anyhow::Result<()> {
    let mut stories = Batch::new("stories", COLUMNS);
    for community in seeded {
        for n in 0..ctx.rng.usize(1..4) {
            insert_one(tx, ctx, community, n == 0, &mut stories, flags).await?;
        }
    }
    stories.flush(tx).await
}

async fn insert_one(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    community: &SeedCommunity,
    newest: bool,
    stories: &mut Batch,
    flags: &mut Batch,
) -> anyhow::Result<()> {
    let creator = community.any_member(&mut ctx.rng);
    let story_id = hex_id(&mut ctx.rng, 24);
    let created_secs = if newest {
        ctx.span - ctx.rng.i64(60..20 * 3_600)
    } else {
        ctx.span - ctx.rng.i64(86_400..30 * 86_400)
    };
    let flag_count = if ctx.rng.u8(..100) < 3 { skewed(&mut ctx.rng, ctx.max_flags.min(4)) } else { 0 };
    let text = sentence(&mut ctx.rng);
    let reactions = i64::from(skewed(&mut ctx.rng, 50) - 1);
    let expires = ctx.start + Duration::seconds(created_secs) + Duration::days(1);
    let row = vec![
        story_id.clone().into(),
        ctx.authors[creator].user_id.clone().into(),
        community.id.clone().into(),
        "community".into(),
        "text".into(),
        text.into(),
        i64::from(flag_count).into(),
        0i64.into(),
        reactions.into(),
        false.into(),
        time_fmt::format(expires).into(),
        ctx.at(created_secs).into(),
        ctx.at(created_secs).into(),
    ];
    stories.push(tx, row).await?;
    if flag_count > 0 {
        write_flags(tx, flags, ctx, ("story", &story_id), flag_count, created_secs).await?;
    }
    Ok(())
}
