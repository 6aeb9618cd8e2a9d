//! Generated content: community categories, communities with members and community roles
//! (a few banned), posts in community and user feeds (text, image and file kinds; gallery
//! posts with children; ~3 % waiting for review, ~1 % declined, ~1 % soft-deleted), comments
//! with replies, one message feed per community with messages, stories, and flags from
//! other members with reasons (~3 % of posts, ~2 % of comments and messages). Flagged and
//! AI-moderated posts and comments are in the moderation feed, some already reviewed.
//! Authors are the seeded users ([`super::user`]); sizes follow `SeedOptions::posts`.
//!
//! Rows are written with multi-row `INSERT`s (one statement per ~500 rows) inside the
//! caller's transaction, so a million posts seed in seconds rather than minutes.

use super::{EPOCH, SeedOptions, hex_id, user};
use crate::time_fmt;
use serde_json::json;
use sqlx::{QueryBuilder, Sqlite, Transaction};
use time::Duration;

/// The tables this module fills (emptied before a reseed).
pub const TABLES: &[&str] = &[
    "community_categories",
    "communities",
    "community_members",
    "posts",
    "comments",
    "message_feeds",
    "messages",
    "stories",
    "flags",
    "moderation_feed",
];

const CATEGORIES: &[&str] = &[
    "Sports",
    "Gaming",
    "Music",
    "Travel",
    "Food & Drink",
    "Tech",
    "Books",
    "Photography",
    "Parenting",
    "Fitness",
];
const TOPICS: &[&str] = &[
    "Trail Runners",
    "Indie Game Devs",
    "Sourdough Bakers",
    "Street Photography",
    "Vinyl Collectors",
    "Home Baristas",
    "Weekend Hikers",
    "Rust Programmers",
    "Plant Parents",
    "Board Game Night",
    "Marathon Training",
    "Jazz Lovers",
    "Budget Travel",
    "Retro Consoles",
    "Book Club",
    "Urban Cycling",
    "Film Photography",
    "Chess Openings",
    "Climbing Crew",
    "K-Drama Fans",
];
const PLACES: &[&str] =
    &["Berlin", "Lisbon", "Seoul", "Lagos", "São Paulo", "Kraków", "Osaka", "Austin", "Bangkok", "Auckland"];
const OPENERS: &[&str] = &[
    "Just finished",
    "Can anyone recommend",
    "Hot take:",
    "Throwback to",
    "Anyone else tried",
    "Week 3 update on",
    "Quick question about",
    "So proud of",
    "Looking for advice on",
    "Here's my take on",
];
const SUBJECTS: &[&str] = &[
    "my first 10k",
    "a new espresso grinder",
    "the weekend meetup",
    "this recipe",
    "the latest patch",
    "a beginner setup",
    "the trail up north",
    "my reading list",
    "the tournament results",
    "this photo walk",
];
const CLOSERS: &[&str] =
    &["🙌", "Thoughts?", "", "Would love feedback!", "🔥🔥", "#community", "Cheers!", "😅"];
const COMMENTS: &[&str] = &[
    "Love this!",
    "Great tip, thanks for sharing.",
    "I disagree, but fair point.",
    "Where was this taken?",
    "Same here 😂",
    "Following for updates",
    "Congrats!!",
    "Can you post the link?",
    "This is so helpful.",
    "Not sure that's right…",
];
const ABUSE: &[&str] = &[
    "Buy followers cheap!!! visit spam.example",
    "You are all idiots",
    "DM me for crypto gains 🚀🚀🚀",
    "This is fake news, wake up",
    "Click here for free gift cards",
];
const REASONS: &[&str] = &[
    "CommunityGuidelines",
    "HarassmentOrBullying",
    "SelfHarmOrSuicide",
    "ViolenceOrThreateningContent",
    "SellingRestrictedItems",
    "SexualContentOrNudity",
    "SpamOrScams",
    "FalseInformation",
    "Others",
];
const AI_CATEGORIES: &[&str] = &[
    "Explicit Nudity",
    "Suggestive",
    "Violence",
    "Visually Disturbing",
    "Rude Gestures",
    "Drugs",
    "Hate Symbols",
    "Insult",
    "Harassment",
];
const TAGS: &[&str] = &["announcement", "question", "event", "tips", "showcase", "news"];

/// A bound value of a generated row.
enum Val {
    Text(String),
    Int(i64),
    Null,
}

impl From<&str> for Val {
    fn from(value: &str) -> Self {
        Val::Text(value.to_owned())
    }
}
impl From<String> for Val {
    fn from(value: String) -> Self {
        Val::Text(value)
    }
}
impl From<i64> for Val {
    fn from(value: i64) -> Self {
        Val::Int(value)
    }
}
impl From<bool> for Val {
    fn from(value: bool) -> Self {
        Val::Int(i64::from(value))
    }
}
impl From<Option<String>> for Val {
    fn from(value: Option<String>) -> Self {
        value.map_or(Val::Null, Val::Text)
    }
}

/// Rows of one table, written in multi-row statements as they fill up.
struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
    written: u64,
}

impl Batch {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self { table, columns, rows: Vec::new(), written: 0 }
    }

    /// Rows per statement: well under SQLite's 32,766 bound parameters.
    fn capacity(&self) -> usize {
        (30_000 / self.columns.len()).min(1_000)
    }

    async fn push(&mut self, tx: &mut Transaction<'_, Sqlite>, row: Vec<Val>) -> anyhow::Result<()> {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
        if self.rows.len() >= self.capacity() {
            self.flush(tx).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Transaction<'_, Sqlite>) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut sql =
            QueryBuilder::<Sqlite>::new(format!("INSERT INTO {} ({}) ", self.table, self.columns.join(", ")));
        let rows = std::mem::take(&mut self.rows);
        self.written += rows.len() as u64;
        sql.push_values(rows, |mut b, row| {
            for value in row {
                match value {
                    Val::Text(text) => b.push_bind(text),
                    Val::Int(n) => b.push_bind(n),
                    Val::Null => b.push_bind(None::<String>),
                };
            }
        });
        sql.build().execute(&mut **tx).await?;
        Ok(())
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

fn sentence(rng: &mut fastrand::Rng) -> String {
    let closer = pick(rng, CLOSERS);
    format!("{} {} {}", pick(rng, OPENERS), pick(rng, SUBJECTS), closer).trim_end().to_owned()
}

/// A skewed count in `1..=max`: mostly small, occasionally large.
fn skewed(rng: &mut fastrand::Rng, max: u32) -> u32 {
    let r = rng.f64();
    1 + (r * r * r * f64::from(max - 1)) as u32
}

/// How many communities a network of this size has.
pub fn community_count(options: &SeedOptions) -> u32 {
    (options.posts / 200).clamp(8, 5_000)
}

/// An AI verdict with category scores, as the moderation feed shows it.
fn ai_verdict(rng: &mut fastrand::Rng, kind: &str, at: &str) -> String {
    let n = 1 + rng.usize(..3);
    let mut categories = Vec::with_capacity(n);
    for i in 0..n {
        let score = if i == 0 { 0.6 + rng.f64() * 0.39 } else { rng.f64() * 0.5 };
        categories
            .push(json!({"name": pick(rng, AI_CATEGORIES), "score": (score * 1000.0).round() / 1000.0}));
    }
    let action = if rng.u8(..100) < 25 { "delete" } else { "flag" };
    json!({"type": kind, "moderatedAction": action, "moderatedAt": at, "categories": categories}).to_string()
}

struct Author {
    user_id: String,
    internal_id: String,
}

/// Inserts the content of the network described by `options`.
pub async fn insert(tx: &mut Transaction<'_, Sqlite>, options: &SeedOptions) -> anyhow::Result<()> {
    if options.users == 0 {
        return Ok(());
    }
    let mut rng = fastrand::Rng::with_seed(options.seed.wrapping_mul(31).wrapping_add(0xC0_47E7));
    // Live, unbanned users write content; everyone is regenerated from the seed.
    let authors: Vec<Author> = (0..options.users)
        .map(|i| user(options.seed, i))
        .filter(|u| !u.is_deleted && !u.is_global_ban)
        .map(|u| Author { user_id: u.user_id, internal_id: u.internal_id })
        .collect();
    if authors.is_empty() {
        return Ok(());
    }
    // Each reporter flags an item once, so an item has at most as many flags as authors.
    let max_flags = u32::try_from(authors.len()).unwrap_or(u32::MAX);
    let start = EPOCH - Duration::days(365);
    let span = (EPOCH - start).whole_seconds();
    let at = |secs: i64| time_fmt::format(start + Duration::seconds(secs.clamp(0, span)));

    // Categories.
    let mut categories =
        Batch::new("community_categories", &["category_id", "name", "metadata", "created_at", "updated_at"]);
    let category_ids: Vec<String> = CATEGORIES.iter().map(|_| hex_id(&mut rng, 24)).collect();
    for (id, name) in category_ids.iter().zip(CATEGORIES) {
        let created = time_fmt::format(start - Duration::days(400));
        categories
            .push(
                tx,
                vec![id.clone().into(), (*name).into(), "{}".into(), created.clone().into(), created.into()],
            )
            .await?;
    }
    categories.flush(tx).await?;

    // Communities and members.
    let mut communities = Batch::new(
        "communities",
        &[
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
        ],
    );
    let mut members = Batch::new(
        "community_members",
        &["community_id", "user_id", "membership", "roles", "last_activity", "created_at", "updated_at"],
    );
    let mut message_feeds = Batch::new(
        "message_feeds",
        &[
            "message_feed_id",
            "channel_id",
            "channel_type",
            "name",
            "creator_id",
            "is_deleted",
            "created_at",
            "updated_at",
        ],
    );
    struct SeedCommunity {
        id: String,
        channel_id: String,
        feed_id: String,
        members: Vec<usize>,
        need_approval: bool,
    }
    let community_total = community_count(options);
    let mut seeded = Vec::with_capacity(community_total as usize);
    for index in 0..community_total {
        let id = hex_id(&mut rng, 24);
        let channel_id = hex_id(&mut rng, 24);
        let name = if index < TOPICS.len() as u32 {
            TOPICS[index as usize].to_owned()
        } else {
            format!("{} {}", pick(&mut rng, TOPICS), pick(&mut rng, PLACES))
        };
        let created_secs = rng.i64(0..span / 4);
        let created = at(created_secs);
        let is_public = rng.u8(..100) < 75;
        let need_approval = rng.u8(..100) < 20;
        let member_count = (skewed(&mut rng, 120) + 4).min(authors.len() as u32) as usize;
        let mut member_indexes: Vec<usize> = (0..member_count).map(|_| rng.usize(..authors.len())).collect();
        member_indexes.sort_unstable();
        member_indexes.dedup();
        let creator = member_indexes[0];
        let category = vec![category_ids[rng.usize(..category_ids.len())].clone()];
        let mut banned = 0;
        for (position, &member) in member_indexes.iter().enumerate() {
            let is_banned = position > 0 && rng.u8(..100) < 3;
            banned += i64::from(is_banned);
            // The creator and a few members moderate.
            let roles =
                if position == 0 || rng.u8(..100) < 4 { json!(["community-moderator"]) } else { json!([]) };
            let joined = at(created_secs + rng.i64(0..span / 2));
            members
                .push(
                    tx,
                    vec![
                        id.clone().into(),
                        authors[member].user_id.clone().into(),
                        (if is_banned { "banned" } else { "member" }).into(),
                        roles.to_string().into(),
                        at(created_secs + span / 2 + rng.i64(0..span / 2)).into(),
                        joined.clone().into(),
                        joined.into(),
                    ],
                )
                .await?;
        }
        // A channel's default message feed shares the channel's id.
        let feed_id = channel_id.clone();
        message_feeds
            .push(
                tx,
                vec![
                    feed_id.clone().into(),
                    channel_id.clone().into(),
                    "community".into(),
                    name.clone().into(),
                    authors[creator].user_id.clone().into(),
                    false.into(),
                    created.clone().into(),
                    created.clone().into(),
                ],
            )
            .await?;
        communities
            .push(
                tx,
                vec![
                    id.clone().into(),
                    channel_id.clone().into(),
                    authors[creator].user_id.clone().into(),
                    name.clone().into(),
                    name.to_lowercase().into(),
                    format!("A place for {} fans.", name.to_lowercase()).into(),
                    (rng.u8(..100) < 10).into(),
                    is_public.into(),
                    (rng.u8(..100) < 5).into(),
                    need_approval.into(),
                    json!([pick(&mut rng, TAGS)]).to_string().into(),
                    json!({"region": pick(&mut rng, PLACES)}).to_string().into(),
                    json!(category).to_string().into(),
                    0i64.into(),
                    (member_indexes.len() as i64 - banned).into(),
                    (rng.u8(..100) < 2).into(),
                    created.clone().into(),
                    created.into(),
                ],
            )
            .await?;
        seeded.push(SeedCommunity { id, channel_id, feed_id, members: member_indexes, need_approval });
    }
    communities.flush(tx).await?;
    members.flush(tx).await?;
    message_feeds.flush(tx).await?;

    // Posts, comments, flags and the moderation feed.
    let mut posts = Batch::new(
        "posts",
        &[
            "post_id",
            "parent_post_id",
            "posted_user_id",
            "target_id",
            "target_type",
            "feed_type",
            "data_type",
            "text",
            "file_id",
            "tags",
            "flag_count",
            "reactions_count",
            "comments_count",
            "has_flagged_comment",
            "is_deleted",
            "created_at",
            "updated_at",
        ],
    );
    let mut comments = Batch::new(
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
    );
    let mut files = Batch::new(
        "files",
        &[
            "file_id",
            "file_url",
            "type",
            "name",
            "extension",
            "size",
            "mime_type",
            "created_at",
            "updated_at",
        ],
    );
    let mut flags = Batch::new("flags", &["content_type", "content_id", "user_id", "reason", "created_at"]);
    let mut feed = Batch::new(
        "moderation_feed",
        &[
            "content_id",
            "content_type",
            "media_type",
            "target_id",
            "target_type",
            "creator_id",
            "tags",
            "flag_count",
            "last_flagged_at",
            "last_reviewed_at",
            "reviewed_type",
            "reviewed_by",
            "is_deleted",
            "is_flag_cleared",
            "ai_moderation",
        ],
    );

    for _ in 0..options.posts {
        let in_community = rng.u8(..100) < 80;
        let community = in_community.then(|| &seeded[rng.usize(..seeded.len())]);
        let (target_id, target_internal, target_type, poster, need_approval) = match community {
            Some(community) => {
                let poster = community.members[rng.usize(..community.members.len())];
                (community.id.clone(), community.id.clone(), "community", poster, community.need_approval)
            }
            None => {
                let poster = rng.usize(..authors.len());
                (authors[poster].user_id.clone(), authors[poster].internal_id.clone(), "user", poster, false)
            }
        };
        let post_id = hex_id(&mut rng, 24);
        let created_secs = rng.i64(0..span);
        let created = at(created_secs);
        let feed_type = match rng.u8(..100) {
            0..=14 if need_approval => "reviewing",
            15..=19 if need_approval => "declined",
            _ => "published",
        };
        let abusive = rng.u8(..100) < 4;
        let text = if abusive { pick(&mut rng, ABUSE).to_owned() } else { sentence(&mut rng) };
        let (data_type, media, children) = match rng.u8(..100) {
            0..=19 => ("image", "photo", 0),
            20..=24 => ("text", "photo", 2 + rng.u32(..3)),
            25..=27 => ("file", "file", 0),
            _ => ("text", "text", 0),
        };
        let file_id = if data_type == "text" { None } else { Some(hex_id(&mut rng, 24)) };
        if let Some(file_id) = &file_id {
            let (kind, ext, mime) = if data_type == "image" {
                ("image", "jpg", "image/jpeg")
            } else {
                ("file", "pdf", "application/pdf")
            };
            files
                .push(
                    tx,
                    vec![
                        file_id.clone().into(),
                        format!("https://files.standin.invalid/{file_id}").into(),
                        kind.into(),
                        format!("upload-{file_id}.{ext}").into(),
                        ext.into(),
                        rng.i64(30_000..4_000_000).into(),
                        mime.into(),
                        created.clone().into(),
                        created.clone().into(),
                    ],
                )
                .await?;
        }
        let is_deleted = rng.u16(..1000) < 10;
        let tags = if rng.u8(..100) < 15 { json!([pick(&mut rng, TAGS)]) } else { json!([]) };
        let flag_count = if abusive || rng.u8(..100) < 2 { skewed(&mut rng, max_flags.min(12)) } else { 0 };
        let comment_count = if feed_type == "published" { skewed(&mut rng, 8) - 1 } else { 0 };
        let updated = at(created_secs + rng.i64(0..3_600));

        // Comments first, to know whether one of them is flagged.
        let mut has_flagged_comment = false;
        let mut thread: Vec<String> = Vec::new();
        for n in 0..comment_count {
            let comment_id = hex_id(&mut rng, 24);
            let reply_to = (n > 0 && rng.u8(..100) < 30).then(|| thread[rng.usize(..thread.len())].clone());
            let commenter = match community {
                Some(c) => c.members[rng.usize(..c.members.len())],
                None => rng.usize(..authors.len()),
            };
            let comment_abusive = rng.u8(..100) < 2;
            let comment_flags = if comment_abusive { skewed(&mut rng, max_flags.min(6)) } else { 0 };
            has_flagged_comment |= comment_flags > 0;
            let comment_at = at(created_secs + 60 + rng.i64(0..86_400));
            let comment_text = if comment_abusive {
                pick(&mut rng, ABUSE).to_owned()
            } else {
                pick(&mut rng, COMMENTS).to_owned()
            };
            comments
                .push(
                    tx,
                    vec![
                        comment_id.clone().into(),
                        authors[commenter].user_id.clone().into(),
                        post_id.clone().into(),
                        "post".into(),
                        reply_to.clone().into(),
                        reply_to.clone().into(),
                        target_id.clone().into(),
                        target_type.into(),
                        comment_text.into(),
                        0i64.into(),
                        i64::from(comment_flags).into(),
                        i64::from(skewed(&mut rng, 30) - 1).into(),
                        false.into(),
                        comment_at.clone().into(),
                        comment_at.clone().into(),
                    ],
                )
                .await?;
            if comment_flags > 0 {
                let last = write_flags(
                    tx,
                    &mut flags,
                    &mut rng,
                    "comment",
                    &comment_id,
                    comment_flags,
                    created_secs,
                    &authors,
                    &at,
                )
                .await?;
                feed.push(
                    tx,
                    vec![
                        comment_id.clone().into(),
                        "comment".into(),
                        "text".into(),
                        target_internal.clone().into(),
                        target_type.into(),
                        authors[commenter].internal_id.clone().into(),
                        "[]".into(),
                        i64::from(comment_flags).into(),
                        last.into(),
                        Val::Null,
                        Val::Null,
                        Val::Null,
                        false.into(),
                        false.into(),
                        Val::Null,
                    ],
                )
                .await?;
            }
            if reply_to.is_none() {
                thread.push(comment_id);
            }
        }

        posts
            .push(
                tx,
                vec![
                    post_id.clone().into(),
                    Val::Null,
                    authors[poster].user_id.clone().into(),
                    target_id.clone().into(),
                    target_type.into(),
                    feed_type.into(),
                    data_type.into(),
                    text.into(),
                    file_id.into(),
                    tags.to_string().into(),
                    i64::from(flag_count).into(),
                    i64::from(skewed(&mut rng, 200) - 1).into(),
                    i64::from(comment_count).into(),
                    has_flagged_comment.into(),
                    is_deleted.into(),
                    created.clone().into(),
                    updated.into(),
                ],
            )
            .await?;
        for _ in 0..children {
            let child_id = hex_id(&mut rng, 24);
            let child_file = hex_id(&mut rng, 24);
            files
                .push(
                    tx,
                    vec![
                        child_file.clone().into(),
                        format!("https://files.standin.invalid/{child_file}").into(),
                        "image".into(),
                        format!("photo-{child_file}.jpg").into(),
                        "jpg".into(),
                        rng.i64(200_000..6_000_000).into(),
                        "image/jpeg".into(),
                        created.clone().into(),
                        created.clone().into(),
                    ],
                )
                .await?;
            posts
                .push(
                    tx,
                    vec![
                        child_id.into(),
                        post_id.clone().into(),
                        authors[poster].user_id.clone().into(),
                        target_id.clone().into(),
                        target_type.into(),
                        feed_type.into(),
                        "image".into(),
                        "".into(),
                        Some(child_file).into(),
                        "[]".into(),
                        0i64.into(),
                        0i64.into(),
                        0i64.into(),
                        false.into(),
                        is_deleted.into(),
                        created.clone().into(),
                        created.clone().into(),
                    ],
                )
                .await?;
        }
        // Flagged or AI-moderated posts enter the moderation feed; some were reviewed already.
        let ai = (abusive || rng.u16(..1000) < 5).then(|| {
            let kind = if media == "photo" { "image" } else { "text" };
            ai_verdict(&mut rng, kind, &at(created_secs + 5))
        });
        if flag_count > 0 || ai.is_some() {
            let last = if flag_count > 0 {
                Some(
                    write_flags(
                        tx,
                        &mut flags,
                        &mut rng,
                        "post",
                        &post_id,
                        flag_count,
                        created_secs,
                        &authors,
                        &at,
                    )
                    .await?,
                )
            } else {
                None
            };
            let reviewed =
                if rng.u8(..100) < 25 { Some(if is_deleted { "delete" } else { "clearFlag" }) } else { None };
            let reviewed_at = reviewed.map(|_| at(created_secs + 86_400 + rng.i64(0..86_400)));
            feed.push(
                tx,
                vec![
                    post_id.clone().into(),
                    "post".into(),
                    media.into(),
                    target_internal.clone().into(),
                    target_type.into(),
                    authors[poster].internal_id.clone().into(),
                    tags.to_string().into(),
                    i64::from(flag_count).into(),
                    last.into(),
                    reviewed_at.into(),
                    reviewed.map(str::to_owned).into(),
                    reviewed.map(|_| "standin-admin".to_owned()).into(),
                    (reviewed == Some("delete")).into(),
                    (reviewed == Some("clearFlag")).into(),
                    ai.into(),
                ],
            )
            .await?;
        }
    }
    posts.flush(tx).await?;
    comments.flush(tx).await?;
    files.flush(tx).await?;
    sqlx::query(
        "UPDATE communities SET posts_count = (SELECT count(*) FROM posts p WHERE p.target_id = communities.community_id \
         AND p.parent_post_id IS NULL AND p.feed_type = 'published' AND p.is_deleted = 0)",
    )
    .execute(&mut **tx)
    .await?;

    // Messages: the community chats.
    let mut messages = Batch::new(
        "messages",
        &[
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
        ],
    );
    let message_total = options.posts / 4;
    let mut segments = vec![0i64; seeded.len()];
    for _ in 0..message_total {
        let c = rng.usize(..seeded.len());
        segments[c] += 1;
        let community = &seeded[c];
        let sender = community.members[rng.usize(..community.members.len())];
        let message_id = hex_id(&mut rng, 24);
        let created_secs = rng.i64(0..span);
        let abusive = rng.u8(..100) < 2;
        let flag_count = if abusive { skewed(&mut rng, max_flags.min(5)) } else { 0 };
        let text =
            if abusive { pick(&mut rng, ABUSE).to_owned() } else { pick(&mut rng, COMMENTS).to_owned() };
        // Segments follow time within a feed, so order them by a running counter of creation.
        messages
            .push(
                tx,
                vec![
                    message_id.clone().into(),
                    community.feed_id.clone().into(),
                    community.channel_id.clone().into(),
                    "community".into(),
                    segments[c].into(),
                    text.into(),
                    authors[sender].user_id.clone().into(),
                    i64::from(flag_count).into(),
                    (rng.u16(..1000) < 5).into(),
                    at(created_secs).into(),
                    at(created_secs).into(),
                ],
            )
            .await?;
        if flag_count > 0 {
            write_flags(
                tx,
                &mut flags,
                &mut rng,
                "message",
                &message_id,
                flag_count,
                created_secs,
                &authors,
                &at,
            )
            .await?;
        }
    }
    messages.flush(tx).await?;
    // Message times follow segments within each feed.
    sqlx::query(
        "UPDATE message_feeds SET child_count = (SELECT count(*) FROM messages m WHERE m.message_feed_id = \
         message_feeds.message_feed_id), last_message_id = (SELECT message_id FROM messages m WHERE \
         m.message_feed_id = message_feeds.message_feed_id ORDER BY segment DESC LIMIT 1)",
    )
    .execute(&mut **tx)
    .await?;

    // Stories: a few per community, the newest still live.
    let mut stories = Batch::new(
        "stories",
        &[
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
        ],
    );
    for community in &seeded {
        for n in 0..rng.usize(1..4) {
            let creator = community.members[rng.usize(..community.members.len())];
            let story_id = hex_id(&mut rng, 24);
            // The newest story of each community is still live at the epoch (stories live a day).
            let created_secs =
                if n == 0 { span - rng.i64(60..20 * 3_600) } else { span - rng.i64(86_400..30 * 86_400) };
            let flag_count = if rng.u8(..100) < 3 { skewed(&mut rng, max_flags.min(4)) } else { 0 };
            stories
                .push(
                    tx,
                    vec![
                        story_id.clone().into(),
                        authors[creator].user_id.clone().into(),
                        community.id.clone().into(),
                        "community".into(),
                        "text".into(),
                        sentence(&mut rng).into(),
                        i64::from(flag_count).into(),
                        0i64.into(),
                        i64::from(skewed(&mut rng, 50) - 1).into(),
                        false.into(),
                        time_fmt::format(start + Duration::seconds(created_secs) + Duration::days(1)).into(),
                        at(created_secs).into(),
                        at(created_secs).into(),
                    ],
                )
                .await?;
            if flag_count > 0 {
                write_flags(
                    tx,
                    &mut flags,
                    &mut rng,
                    "story",
                    &story_id,
                    flag_count,
                    created_secs,
                    &authors,
                    &at,
                )
                .await?;
            }
        }
    }
    stories.flush(tx).await?;
    flags.flush(tx).await?;
    feed.flush(tx).await?;
    tracing::debug!(
        posts = posts.written,
        comments = comments.written,
        flags = flags.written,
        "content seeded"
    );
    Ok(())
}

/// `count` flags on one item from distinct reporters; returns the time of the last one.
#[expect(clippy::too_many_arguments, reason = "one call site per content kind, all the same shape")]
async fn write_flags(
    tx: &mut Transaction<'_, Sqlite>,
    flags: &mut Batch,
    rng: &mut fastrand::Rng,
    kind: &str,
    id: &str,
    count: u32,
    created_secs: i64,
    authors: &[Author],
    at: &dyn Fn(i64) -> String,
) -> anyhow::Result<String> {
    // Distinct reporters: consecutive authors from a random start (count ≤ authors, see max_flags).
    let first = rng.usize(..authors.len());
    let reporters: Vec<usize> = (0..count as usize).map(|k| (first + k) % authors.len()).collect();
    let mut last_secs = created_secs;
    let mut times: Vec<i64> = reporters.iter().map(|_| created_secs + 30 + rng.i64(0..172_800)).collect();
    times.sort_unstable();
    for (reporter, secs) in reporters.iter().zip(times) {
        last_secs = last_secs.max(secs);
        flags
            .push(
                tx,
                vec![
                    kind.into(),
                    id.into(),
                    authors[*reporter].user_id.clone().into(),
                    pick(rng, REASONS).into(),
                    at(secs).into(),
                ],
            )
            .await?;
    }
    Ok(at(last_secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Storage, db, seed::ensure};

    async fn seeded(options: SeedOptions) -> sqlx::SqlitePool {
        let pool = db::open(&Storage::Memory).await.expect("database");
        ensure(&pool, &options).await.expect("seed");
        pool
    }

    async fn count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
    }

    #[tokio::test]
    async fn a_network_has_believable_content() {
        let pool = seeded(SeedOptions { users: 500, seed: 3, posts: 2_000 }).await;
        let parents = count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NULL").await;
        assert_eq!(parents, 2_000);
        let share = |n: i64| n as f64 / parents as f64;
        let flagged = count(&pool, "SELECT count(*) FROM posts WHERE flag_count > 0").await;
        assert!((0.02..0.12).contains(&share(flagged)), "flagged share {}", share(flagged));
        assert!(count(&pool, "SELECT count(*) FROM posts WHERE feed_type = 'reviewing'").await > 0);
        assert!(
            count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NOT NULL").await > 0,
            "galleries"
        );
        assert!(
            count(&pool, "SELECT count(*) FROM comments WHERE parent_id IS NOT NULL").await > 0,
            "replies"
        );
        assert!(count(&pool, "SELECT count(*) FROM community_members WHERE membership = 'banned'").await > 0);
        assert!(
            count(&pool, "SELECT count(*) FROM moderation_feed WHERE ai_moderation IS NOT NULL").await > 0
        );
        assert!(
            count(&pool, "SELECT count(*) FROM moderation_feed WHERE reviewed_type IS NOT NULL").await > 0
        );
        assert!(count(&pool, "SELECT count(*) FROM messages WHERE flag_count > 0").await > 0);
        // Counters agree with the flags recorded, and every feed item was flagged or AI-moderated.
        let mismatched = count(
            &pool,
            "SELECT count(*) FROM posts p WHERE p.flag_count != (SELECT count(*) FROM flags f \
             WHERE f.content_type = 'post' AND f.content_id = p.post_id)",
        )
        .await;
        assert_eq!(mismatched, 0);
        let unexplained = count(
            &pool,
            "SELECT count(*) FROM moderation_feed WHERE flag_count = 0 AND ai_moderation IS NULL",
        )
        .await;
        assert_eq!(unexplained, 0);
        let orphans = count(
            &pool,
            "SELECT count(*) FROM posts p WHERE p.posted_user_id NOT IN (SELECT user_id FROM users)",
        )
        .await;
        assert_eq!(orphans, 0, "authors are seeded users");
    }

    #[tokio::test]
    async fn the_same_options_give_the_same_content_and_new_sizes_reseed() {
        let options = SeedOptions { users: 200, seed: 9, posts: 300 };
        let ids = |pool: sqlx::SqlitePool| async move {
            let ids: Vec<String> = sqlx::query_scalar("SELECT post_id FROM posts ORDER BY post_id")
                .fetch_all(&pool)
                .await
                .expect("ids");
            ids
        };
        assert_eq!(ids(seeded(options).await).await, ids(seeded(options).await).await);
        let pool = seeded(options).await;
        ensure(&pool, &SeedOptions { posts: 400, ..options }).await.expect("reseed");
        assert_eq!(count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NULL").await, 400);
    }
}
