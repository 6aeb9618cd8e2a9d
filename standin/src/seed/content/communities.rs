//! Community categories, communities, their members (a few banned, some moderating) and the
//! community chat's message feed.

use super::{Ctx, SeedOptions};
use crate::{
    seed::{
        hex_id,
        rows::{Batch, Val},
        words::{CATEGORIES, PLACES, TAGS, TOPICS, pick, skewed},
    },
    time_fmt,
};
use serde_json::json;
use sqlx::{Sqlite, Transaction};
use time::Duration;

/// A generated community, as the posts, messages and stories generators need it.
pub(super) struct SeedCommunity {
    pub id: String,
    pub channel_id: String,
    pub feed_id: String,
    /// Indexes into the authors, sorted; the first created the community.
    pub members: Vec<usize>,
    pub need_approval: bool,
}

impl SeedCommunity {
    /// A uniformly chosen member (an index into the authors).
    pub fn any_member(&self, rng: &mut fastrand::Rng) -> usize {
        self.members[rng.usize(..self.members.len())]
    }
}

/// How many communities a network of this size has.
pub fn community_count(options: &SeedOptions) -> u32 {
    (options.posts / 200).clamp(8, 5_000)
}

const COMMUNITY_COLUMNS: &[&str] = &[
    "community_id",
    "channel_id",
    "creator_id",
    "display_name",
    "display_name_folded",
    "description",
    "is_official",
    "is_public",
    "only_admin_can_post",
    "need_approval",
    "tags",
    "metadata",
    "category_ids",
    "posts_count",
    "members_count",
    "is_deleted",
    "created_at",
    "updated_at",
];
const MEMBER_COLUMNS: &[&str] =
    &["community_id", "user_id", "membership", "roles", "last_activity", "created_at", "updated_at"];
const FEED_COLUMNS: &[&str] = &[
    "message_feed_id",
    "channel_id",
    "channel_type",
    "name",
    "creator_id",
    "is_deleted",
    "created_at",
    "updated_at",
];

/// The three tables a community writes to.
struct Batches {
    communities: Batch,
    members: Batch,
    message_feeds: Batch,
}

/// Inserts the categories and the communities with their members and message feeds.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    options: &SeedOptions,
) -> anyhow::Result<Vec<SeedCommunity>> {
    let category_ids = insert_categories(tx, ctx).await?;
    let mut batches = Batches {
        communities: Batch::new("communities", COMMUNITY_COLUMNS),
        members: Batch::new("community_members", MEMBER_COLUMNS),
        message_feeds: Batch::new("message_feeds", FEED_COLUMNS),
    };
    let total = community_count(options);
    let mut seeded = Vec::with_capacity(total as usize);
    for index in 0..total {
        seeded.push(insert_one(tx, ctx, &mut batches, index, &category_ids).await?);
    }
    batches.communities.flush(tx).await?;
    batches.members.flush(tx).await?;
    batches.message_feeds.flush(tx).await?;
    Ok(seeded)
}

/// One category per name, created before any content.
async fn insert_categories(tx: &mut Transaction<'_, Sqlite>, ctx: &mut Ctx) -> anyhow::Result<Vec<String>> {
    let mut categories =
        Batch::new("community_categories", &["category_id", "name", "metadata", "created_at", "updated_at"]);
    let category_ids: Vec<String> = CATEGORIES.iter().map(|_| hex_id(&mut ctx.rng, 24)).collect();
    for (id, name) in category_ids.iter().zip(CATEGORIES) {
        let created = time_fmt::format(ctx.start - Duration::days(400));
        let row =
            vec![id.clone().into(), (*name).into(), "{}".into(), created.clone().into(), created.into()];
        categories.push(tx, row).await?;
    }
    categories.flush(tx).await?;
    Ok(category_ids)
}

async fn insert_one(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    batches: &mut Batches,
    index: u32,
    category_ids: &[String],
) -> anyhow::Result<SeedCommunity> {
    let id = hex_id(&mut ctx.rng, 24);
    let channel_id = hex_id(&mut ctx.rng, 24);
    let name = if index < TOPICS.len() as u32 {
        TOPICS[index as usize].to_owned()
    } else {
        format!("{} {}", pick(&mut ctx.rng, TOPICS), pick(&mut ctx.rng, PLACES))
    };
    let created_secs = ctx.rng.i64(0..ctx.span / 4);
    let is_public = ctx.rng.u8(..100) < 75;
    let need_approval = ctx.rng.u8(..100) < 20;
    let member_count = (skewed(&mut ctx.rng, 120) + 4).min(ctx.authors.len() as u32) as usize;
    let mut members: Vec<usize> = (0..member_count).map(|_| ctx.any_author()).collect();
    members.sort_unstable();
    members.dedup();
    let category = vec![category_ids[ctx.rng.usize(..category_ids.len())].clone()];
    let banned = insert_members(tx, ctx, &mut batches.members, &id, &members, created_secs).await?;
    // A channel's default message feed shares the channel's id.
    let feed_id = channel_id.clone();
    let community = SeedCommunity { id, channel_id, feed_id, members, need_approval };
    let created = ctx.at(created_secs);
    let creator = ctx.authors[community.members[0]].user_id.clone();
    let feed_row = vec![
        community.feed_id.clone().into(),
        community.channel_id.clone().into(),
        "community".into(),
        name.clone().into(),
        creator.into(),
        false.into(),
        created.clone().into(),
        created.clone().into(),
    ];
    batches.message_feeds.push(tx, feed_row).await?;
    let row = community_row(ctx, &community, &name, is_public, category, banned, created);
    batches.communities.push(tx, row).await?;
    Ok(community)
}

/// The members (the first one created the community and moderates it); returns how many are
/// banned.
async fn insert_members(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    members: &mut Batch,
    community_id: &str,
    member_indexes: &[usize],
    created_secs: i64,
) -> anyhow::Result<i64> {
    let span = ctx.span;
    let mut banned = 0;
    for (position, &member) in member_indexes.iter().enumerate() {
        let is_banned = position > 0 && ctx.rng.u8(..100) < 3;
        banned += i64::from(is_banned);
        // The creator and a few members moderate.
        let roles =
            if position == 0 || ctx.rng.u8(..100) < 4 { json!(["community-moderator"]) } else { json!([]) };
        let joined = ctx.at_random(created_secs, 0..span / 2);
        let last_activity = ctx.at_random(created_secs + span / 2, 0..span / 2);
        let row = vec![
            community_id.into(),
            ctx.authors[member].user_id.clone().into(),
            (if is_banned { "banned" } else { "member" }).into(),
            roles.to_string().into(),
            last_activity.into(),
            joined.clone().into(),
            joined.into(),
        ];
        members.push(tx, row).await?;
    }
    Ok(banned)
}

/// The `communities` row; draws the remaining flags, tag and region in a fixed order.
fn community_row(
    ctx: &mut Ctx,
    community: &SeedCommunity,
    name: &str,
    is_public: bool,
    category: Vec<String>,
    banned: i64,
    created: String,
) -> Vec<Val> {
    let is_official = ctx.rng.u8(..100) < 10;
    let only_admin_can_post = ctx.rng.u8(..100) < 5;
    let tags = json!([pick(&mut ctx.rng, TAGS)]);
    let metadata = json!({"region": pick(&mut ctx.rng, PLACES)});
    let is_deleted = ctx.rng.u8(..100) < 2;
    let creator = ctx.authors[community.members[0]].user_id.clone();
    vec![
        community.id.clone().into(),
        community.channel_id.clone().into(),
        creator.into(),
        name.into(),
        name.to_lowercase().into(),
        format!("A place for {} fans.", name.to_lowercase()).into(),
        is_official.into(),
        is_public.into(),
        only_admin_can_post.into(),
        community.need_approval.into(),
        tags.to_string().into(),
        metadata.to_string().into(),
        json!(category).to_string().into(),
        0i64.into(),
        (community.members.len() as i64 - banned).into(),
        is_deleted.into(),
        created.clone().into(),
        created.into(),
    ]
}
