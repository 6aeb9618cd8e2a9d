//! Flags from other members, AI verdicts, and the rows of the admin moderation feed.

use super::Ctx;
use crate::seed::{
    rows::{Batch, Val},
    words::{AI_CATEGORIES, REASONS, pick},
};
use serde_json::json;
use sqlx::{Sqlite, Transaction};

/// The `flags` table.
pub(super) fn batch() -> Batch {
    Batch::new("flags", &["content_type", "content_id", "user_id", "reason", "created_at"])
}

/// The `moderation_feed` table.
pub(super) fn feed_batch() -> Batch {
    Batch::new(
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
    )
}

/// `count` flags on one item from distinct reporters, in the two days after `created_secs`;
/// returns the time of the last one.
pub(super) async fn write_flags(
    tx: &mut Transaction<'_, Sqlite>,
    flags: &mut Batch,
    ctx: &mut Ctx,
    (kind, id): (&str, &str),
    count: u32,
    created_secs: i64,
) -> anyhow::Result<String> {
    // Distinct reporters: consecutive authors from a random start (count ≤ authors, see max_flags).
    let first = ctx.any_author();
    let reporters: Vec<usize> = (0..count as usize).map(|k| (first + k) % ctx.authors.len()).collect();
    let mut last_secs = created_secs;
    let mut times: Vec<i64> = reporters.iter().map(|_| created_secs + 30 + ctx.rng.i64(0..172_800)).collect();
    times.sort_unstable();
    for (reporter, secs) in reporters.iter().zip(times) {
        last_secs = last_secs.max(secs);
        let row = vec![
            kind.into(),
            id.into(),
            ctx.authors[*reporter].user_id.clone().into(),
            pick(&mut ctx.rng, REASONS).into(),
            ctx.at(secs).into(),
        ];
        flags.push(tx, row).await?;
    }
    Ok(ctx.at(last_secs))
}

/// An AI verdict with category scores, as the moderation feed shows it.
pub(super) fn ai_verdict(rng: &mut fastrand::Rng, kind: &str, at: &str) -> String {
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

/// Where an item of the moderation feed lives and who wrote it (internal ids).
pub(super) struct FeedItem<'a> {
    pub content_id: &'a str,
    pub content_type: &'a str,
    pub media_type: &'a str,
    pub target_internal: &'a str,
    pub target_type: &'a str,
    pub creator_internal: &'a str,
    pub tags: String,
}

/// What happened to a feed item: its flags, a review and an AI verdict, each optional.
#[derive(Default)]
pub(super) struct FeedState {
    pub flag_count: u32,
    pub last_flagged_at: Option<String>,
    pub reviewed_at: Option<String>,
    /// `delete` or `clearFlag`.
    pub reviewed: Option<&'static str>,
    pub ai: Option<String>,
}

/// The `moderation_feed` row of an item.
pub(super) fn feed_row(item: FeedItem<'_>, state: FeedState) -> Vec<Val> {
    vec![
        item.content_id.into(),
        item.content_type.into(),
        item.media_type.into(),
        item.target_internal.into(),
        item.target_type.into(),
        item.creator_internal.into(),
        item.tags.into(),
        i64::from(state.flag_count).into(),
        state.last_flagged_at.into(),
        state.reviewed_at.into(),
        state.reviewed.map(str::to_owned).into(),
        state.reviewed.map(|_| "standin-admin".to_owned()).into(),
        (state.reviewed == Some("delete")).into(),
        (state.reviewed == Some("clearFlag")).into(),
        state.ai.into(),
    ]
}
