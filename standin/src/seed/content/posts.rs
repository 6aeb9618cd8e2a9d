//! Posts in community and user feeds: text, image, file, video and gallery posts (a text
//! parent with image children), a few waiting for review or declined, a few soft-deleted, each with
//! its comments; flagged or AI-moderated posts enter the moderation feed.

use super::{
    Ctx, SeedOptions, Shared,
    comments::{self, Thread},
    communities::SeedCommunity,
    flags::{FeedItem, FeedState, ai_verdict, feed_row, write_flags},
};
use crate::{
    media,
    seed::{
        hex_id,
        rows::{Batch, Val},
        words::{ABUSE, TAGS, pick, sentence, skewed},
    },
};
use serde_json::json;
use sqlx::{Sqlite, Transaction};

const POST_COLUMNS: &[&str] = &[
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
];
const FILE_COLUMNS: &[&str] =
    &["file_id", "file_url", "type", "name", "extension", "size", "mime_type", "created_at", "updated_at"];

/// The tables posts write to besides the shared flags and feed.
pub(super) struct Batches {
    pub posts: Batch,
    pub comments: Batch,
    pub files: Batch,
}

/// Rows written, for the log.
pub(super) struct Written {
    pub posts: u64,
    pub comments: u64,
}

/// Where a post goes and who writes it.
pub(super) struct Target<'a> {
    pub community: Option<&'a SeedCommunity>,
    /// Public id of the community or user.
    pub id: String,
    /// Internal id of the community or user (the moderation feed's).
    pub internal: String,
    /// `community` or `user`.
    pub kind: &'static str,
    /// Index into the authors.
    pub poster: usize,
    pub need_approval: bool,
}

/// A post's attributes, drawn before its comments.
struct Drawn {
    post_id: String,
    created_secs: i64,
    created: String,
    feed_type: &'static str,
    abusive: bool,
    text: String,
    data_type: &'static str,
    /// `photo`, `file` or `text`: the moderation feed's media type.
    media: &'static str,
    children: u32,
    file_id: Option<String>,
}

/// Inserts `options.posts` top-level posts (with children and comments), then sets each
/// community's post count.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    options: &SeedOptions,
    seeded: &[SeedCommunity],
    shared: &mut Shared,
) -> anyhow::Result<Written> {
    let mut batches = Batches {
        posts: Batch::new("posts", POST_COLUMNS),
        comments: comments::batch(),
        files: Batch::new("files", FILE_COLUMNS),
    };
    for _ in 0..options.posts {
        let target = choose_target(ctx, seeded);
        insert_one(tx, ctx, &target, &mut batches, shared).await?;
    }
    batches.posts.flush(tx).await?;
    batches.comments.flush(tx).await?;
    batches.files.flush(tx).await?;
    sqlx::query(
        "UPDATE communities SET posts_count = (SELECT count(*) FROM posts p WHERE p.target_id = communities.community_id \
         AND p.parent_post_id IS NULL AND p.feed_type = 'published' AND p.is_deleted = 0)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(Written { posts: batches.posts.written, comments: batches.comments.written })
}

/// Four posts in five go to a community (by one of its members), the rest to a user's feed.
fn choose_target<'a>(ctx: &mut Ctx, seeded: &'a [SeedCommunity]) -> Target<'a> {
    let in_community = ctx.rng.u8(..100) < 80;
    let community = in_community.then(|| &seeded[ctx.rng.usize(..seeded.len())]);
    match community {
        Some(c) => {
            let poster = c.any_member(&mut ctx.rng);
            let (id, kind, need_approval) = (c.id.clone(), "community", c.need_approval);
            Target { community, internal: id.clone(), id, kind, poster, need_approval }
        }
        None => {
            let poster = ctx.any_author();
            let author = &ctx.authors[poster];
            let (id, internal) = (author.user_id.clone(), author.internal_id.clone());
            Target { community, id, internal, kind: "user", poster, need_approval: false }
        }
    }
}

async fn insert_one(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    target: &Target<'_>,
    batches: &mut Batches,
    shared: &mut Shared,
) -> anyhow::Result<()> {
    let drawn = draw(ctx, target);
    insert_files(tx, ctx, &drawn, &mut batches.files).await?;
    let is_deleted = ctx.rng.u16(..1000) < 10;
    let tags = if ctx.rng.u8(..100) < 15 { json!([pick(&mut ctx.rng, TAGS)]) } else { json!([]) };
    let flag_count =
        if drawn.abusive || ctx.rng.u8(..100) < 2 { skewed(&mut ctx.rng, ctx.max_flags.min(12)) } else { 0 };
    let comment_count = if drawn.feed_type == "published" { skewed(&mut ctx.rng, 8) - 1 } else { 0 };
    let updated = ctx.at_random(drawn.created_secs, 0..3_600);
    let thread = Thread { post_id: &drawn.post_id, target, created_secs: drawn.created_secs };
    let has_flagged_comment =
        comments::insert(tx, ctx, &thread, comment_count, &mut batches.comments, shared).await?;
    let reactions = i64::from(skewed(&mut ctx.rng, 200) - 1);
    let row = vec![
        drawn.post_id.clone().into(),
        Val::Null,
        ctx.authors[target.poster].user_id.clone().into(),
        target.id.clone().into(),
        target.kind.into(),
        drawn.feed_type.into(),
        drawn.data_type.into(),
        drawn.text.clone().into(),
        drawn.file_id.clone().into(),
        tags.to_string().into(),
        i64::from(flag_count).into(),
        reactions.into(),
        i64::from(comment_count).into(),
        has_flagged_comment.into(),
        is_deleted.into(),
        drawn.created.clone().into(),
        updated.into(),
    ];
    batches.posts.push(tx, row).await?;
    insert_children(tx, ctx, target, &drawn, is_deleted, batches).await?;
    let item = FeedItem {
        content_id: &drawn.post_id,
        content_type: "post",
        media_type: drawn.media,
        target_internal: &target.internal,
        target_type: target.kind,
        creator_internal: &ctx.authors[target.poster].internal_id.clone(),
        tags: tags.to_string(),
    };
    review(tx, ctx, item, &drawn, flag_count, is_deleted, shared).await
}

/// The post's id, time, review state, text and kind, in the generator's fixed order.
fn draw(ctx: &mut Ctx, target: &Target<'_>) -> Drawn {
    let post_id = hex_id(&mut ctx.rng, 24);
    let created_secs = ctx.rng.i64(0..ctx.span);
    let created = ctx.at(created_secs);
    let feed_type = match ctx.rng.u8(..100) {
        0..=14 if target.need_approval => "reviewing",
        15..=19 if target.need_approval => "declined",
        _ => "published",
    };
    let abusive = ctx.rng.u8(..100) < 4;
    let text = if abusive { pick(&mut ctx.rng, ABUSE).to_owned() } else { sentence(&mut ctx.rng) };
    let (data_type, media, children) = match ctx.rng.u8(..100) {
        0..=19 => ("image", "photo", 0),
        20..=24 => ("text", "photo", 2 + ctx.rng.u32(..3)),
        25..=26 => ("file", "file", 0),
        27 => ("video", "video", 0),
        _ => ("text", "text", 0),
    };
    let file_id = if data_type == "text" { None } else { Some(hex_id(&mut ctx.rng, 24)) };
    Drawn { post_id, created_secs, created, feed_type, abusive, text, data_type, media, children, file_id }
}

/// The file of an image, file or video post: a generated picture, the sample PDF or the
/// sample video (`crate::media`). A video also gets its thumbnail picture.
async fn insert_files(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    drawn: &Drawn,
    files: &mut Batch,
) -> anyhow::Result<()> {
    let Some(file_id) = &drawn.file_id else {
        return Ok(());
    };
    // Drawn for every kind so the stream stays the same; only pictures keep it.
    let drawn_size = ctx.rng.i64(200_000..2_500_000);
    let (kind, ext, mime, size) = match drawn.data_type {
        "image" => {
            let (ext, mime) = media::picture_type(file_id);
            ("image", ext, mime, drawn_size)
        }
        "video" => ("video", "webm", "video/webm", media::SAMPLE_VIDEO.len() as i64),
        _ => ("file", "pdf", "application/pdf", media::SAMPLE_PDF.len() as i64),
    };
    let name = format!("upload-{file_id}.{ext}");
    files.push(tx, file_row(file_id, kind, &name, (ext, mime), size, &drawn.created)).await?;
    if kind == "video" {
        let thumbnail = media::video_thumbnail_id(file_id);
        let (ext, mime) = media::picture_type(&thumbnail);
        let name = format!("thumbnail-{thumbnail}.{ext}");
        let size = 150_000 + (media::picture::seed_of(&thumbnail) % 100_000) as i64;
        files.push(tx, file_row(&thumbnail, "image", &name, (ext, mime), size, &drawn.created)).await?;
    }
    Ok(())
}

/// A `files` row of a file the stand-in serves.
fn file_row(
    file_id: &str,
    kind: &str,
    name: &str,
    (ext, mime): (&str, &str),
    size: i64,
    created: &str,
) -> Vec<Val> {
    vec![
        file_id.into(),
        media::download_path(file_id).into(),
        kind.into(),
        name.into(),
        ext.into(),
        size.into(),
        mime.into(),
        created.into(),
        created.into(),
    ]
}

/// A gallery's image children, each with its photo.
async fn insert_children(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    target: &Target<'_>,
    drawn: &Drawn,
    is_deleted: bool,
    batches: &mut Batches,
) -> anyhow::Result<()> {
    let created = &drawn.created;
    for _ in 0..drawn.children {
        let child_id = hex_id(&mut ctx.rng, 24);
        let child_file = hex_id(&mut ctx.rng, 24);
        let (ext, mime) = media::picture_type(&child_file);
        let size = ctx.rng.i64(250_000..3_000_000);
        let name = format!("photo-{child_file}.{ext}");
        batches.files.push(tx, file_row(&child_file, "image", &name, (ext, mime), size, created)).await?;
        let row = vec![
            child_id.into(),
            drawn.post_id.clone().into(),
            ctx.authors[target.poster].user_id.clone().into(),
            target.id.clone().into(),
            target.kind.into(),
            drawn.feed_type.into(),
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
        ];
        batches.posts.push(tx, row).await?;
    }
    Ok(())
}

/// Flagged or AI-moderated posts enter the moderation feed; some were reviewed already.
async fn review(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &mut Ctx,
    item: FeedItem<'_>,
    drawn: &Drawn,
    flag_count: u32,
    is_deleted: bool,
    shared: &mut Shared,
) -> anyhow::Result<()> {
    let ai = (drawn.abusive || ctx.rng.u16(..1000) < 5).then(|| {
        let kind = if drawn.media == "photo" { "image" } else { "text" };
        let at = ctx.at(drawn.created_secs + 5);
        ai_verdict(&mut ctx.rng, kind, &at)
    });
    if flag_count == 0 && ai.is_none() {
        return Ok(());
    }
    let last_flagged_at = if flag_count > 0 {
        let item = ("post", item.content_id);
        Some(write_flags(tx, &mut shared.flags, ctx, item, flag_count, drawn.created_secs).await?)
    } else {
        None
    };
    let reviewed =
        if ctx.rng.u8(..100) < 25 { Some(if is_deleted { "delete" } else { "clearFlag" }) } else { None };
    let reviewed_at = reviewed.map(|_| ctx.at_random(drawn.created_secs + 86_400, 0..86_400));
    let state = FeedState { flag_count, last_flagged_at, reviewed_at, reviewed, ai };
    shared.feed.push(tx, feed_row(item, state)).await
}
