//! Generated content: community categories, communities with members and community roles
//! (a few banned), posts in community and user feeds (text, image and file kinds; gallery
//! posts with children; ~3 % waiting for review, ~1 % declined, ~1 % soft-deleted), comments
//! with replies, one message feed per community with messages, stories, and flags from
//! other members with reasons (~3 % of posts, ~2 % of comments and messages). Flagged and
//! AI-moderated posts and comments are in the moderation feed, some already reviewed.
//! Authors are the seeded users ([`super::user`]); sizes follow `SeedOptions::posts`.
//!
//! One PRNG stream feeds every generator in a fixed order (communities, posts with their
//! comments, messages, stories), so the same options always give the same rows. Rows are
//! written with [`super::rows::Batch`] inside the caller's transaction.

mod comments;
mod communities;
mod flags;
mod messages;
mod posts;
mod stories;

use super::{EPOCH, SeedOptions, rows::Batch, user};
use crate::time_fmt;
use sqlx::{Sqlite, Transaction};
use time::{Duration, OffsetDateTime};

pub use communities::community_count;

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

/// A seeded user who writes content.
struct Author {
    user_id: String,
    internal_id: String,
}

/// What every generator shares: the PRNG stream, the authors and the year the content spans.
struct Ctx {
    rng: fastrand::Rng,
    /// Live, unbanned users.
    authors: Vec<Author>,
    /// Each reporter flags an item once, so an item has at most as many flags as authors.
    max_flags: u32,
    start: OffsetDateTime,
    /// Seconds from `start` to the epoch.
    span: i64,
}

impl Ctx {
    /// `None` when no user can write content.
    fn new(options: &SeedOptions) -> Option<Self> {
        let rng = fastrand::Rng::with_seed(options.seed.wrapping_mul(31).wrapping_add(0xC0_47E7));
        // Everyone is regenerated from the seed.
        let authors: Vec<Author> = (0..options.users)
            .map(|i| user(options.seed, i))
            .filter(|u| !u.is_deleted && !u.is_global_ban)
            .map(|u| Author { user_id: u.user_id, internal_id: u.internal_id })
            .collect();
        if authors.is_empty() {
            return None;
        }
        let max_flags = u32::try_from(authors.len()).unwrap_or(u32::MAX);
        let start = EPOCH - Duration::days(365);
        Some(Self { rng, authors, max_flags, start, span: (EPOCH - start).whole_seconds() })
    }

    /// The time `secs` after the start (kept inside the span), formatted.
    fn at(&self, secs: i64) -> String {
        time_fmt::format(self.start + Duration::seconds(secs.clamp(0, self.span)))
    }

    /// A random time `base` plus a draw from `offset` seconds, formatted.
    fn at_random(&mut self, base: i64, offset: std::ops::Range<i64>) -> String {
        let offset = self.rng.i64(offset);
        self.at(base + offset)
    }

    /// A uniformly chosen author.
    fn any_author(&mut self) -> usize {
        self.rng.usize(..self.authors.len())
    }
}

/// The batches several generators add to: every kind of content can be flagged, and posts
/// and comments enter the moderation feed.
struct Shared {
    flags: Batch,
    feed: Batch,
}

/// Inserts the content of the network described by `options`.
pub async fn insert(tx: &mut Transaction<'_, Sqlite>, options: &SeedOptions) -> anyhow::Result<()> {
    if options.users == 0 {
        return Ok(());
    }
    let Some(mut ctx) = Ctx::new(options) else {
        return Ok(());
    };
    let seeded = communities::insert(tx, &mut ctx, options).await?;
    let mut shared = Shared { flags: flags::batch(), feed: flags::feed_batch() };
    let written = posts::insert(tx, &mut ctx, options, &seeded, &mut shared).await?;
    messages::insert(tx, &mut ctx, options, &seeded, &mut shared.flags).await?;
    stories::insert(tx, &mut ctx, &seeded, &mut shared.flags).await?;
    shared.flags.flush(tx).await?;
    shared.feed.flush(tx).await?;
    tracing::debug!(
        posts = written.posts,
        comments = written.comments,
        flags = shared.flags.written,
        "content seeded"
    );
    Ok(())
}

#[cfg(test)]
mod tests;
