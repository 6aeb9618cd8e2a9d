//! The moderation queue: cases built from the moderation feed, flagged users, pending posts
//! and flagged messages ([`sources`]), plus the cases automation rules opened
//! ([`rule_cases`]), merged, filtered, sorted and paged ([`merge`]), and
//! each case's context and author ([`context`]).
//!
//! What the upstream filters server-side: the feed's content type (post/comment), community,
//! reviewed-or-not and its order (flag count or last flag). Everything else — the AI
//! category, minimum flags, age, search, the order across sources and paging — is done here
//! over a window of at most [`sources::WINDOW`] items per source; [`QueueView::truncated`]
//! says when a source had more, so the count shown is a floor, never a guess.

pub mod cases;
pub mod context;
pub mod events;
pub mod merge;
pub mod rule_cases;
pub mod sources;

use crate::Error;
use sqlx::SqlitePool;
use std::sync::Arc;
use time::OffsetDateTime;
use types::queue::{KindFilter, QueueQuery, QueueSort, QueueTab, QueueView};
use upstream::{
    Client,
    content_query::{ModerationContentType, ModerationSortBy, SortOrder},
};

pub use sources::SweepCache;

/// The current time, for callers that do not otherwise depend on `time`.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The page of the queue `query` asks for, as of `now`.
#[tracing::instrument(skip(upstream, sweep, db), fields(tab = ?query.tab, kind = ?query.kind))]
pub async fn list_queue(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    query: &QueueQuery,
    now: OffsetDateTime,
) -> Result<QueueView, Error> {
    let found = matching(upstream, sweep, db, query, now).await?;
    Ok(QueueView {
        total: found.cases.len() as u64,
        cases: merge::page(found.cases, query.cursor.as_deref()),
        truncated: found.truncated,
        communities: found.communities,
        ai_categories: found.ai_categories,
    })
}

/// Every case of `query` (all pages, in its order; the cursor is ignored) with the filter
/// menus' options: what the Queue page shows, and what a bulk "all matching" acts on.
pub struct Matching {
    /// The cases, sorted.
    pub cases: Vec<types::queue::Case>,
    /// A source had more than the queue reads at once.
    pub truncated: bool,
    /// Communities on the tab, for the community filter.
    pub communities: Vec<(String, String)>,
    /// AI categories on the tab, for the AI filter.
    pub ai_categories: Vec<String>,
}

/// The cases `query` matches, as of `now`.
pub async fn matching(
    upstream: &Arc<Client>,
    sweep: &SweepCache,
    db: &SqlitePool,
    query: &QueueQuery,
    now: OffsetDateTime,
) -> Result<Matching, Error> {
    let kind = query.kind;
    let wants_feed = query.tab != QueueTab::Pending
        && matches!(kind, KindFilter::All | KindFilter::Post | KindFilter::Comment);
    let wants_users = query.tab == QueueTab::ToReview && matches!(kind, KindFilter::All | KindFilter::User);
    // The sweep also runs for flagged posts: a pending post that is flagged belongs on the
    // Pending tab, and only the sweep knows it is pending.
    let wants_sweep = query.tab != QueueTab::Reviewed
        && matches!(kind, KindFilter::All | KindFilter::Post | KindFilter::Message);

    let wants_rule_cases = query.tab == QueueTab::ToReview;

    let ask = feed_ask(query);
    let (feed, users, swept, ruled) = tokio::join!(
        async { if wants_feed { sources::feed(upstream.as_ref(), &ask).await.map(Some) } else { Ok(None) } },
        async {
            if wants_users { sources::flagged_users(upstream.as_ref()).await.map(Some) } else { Ok(None) }
        },
        async { if wants_sweep { sweep.get(upstream).await.map(Some) } else { Ok(None) } },
        async { if wants_rule_cases { rule_cases::open(db).await.map(Some) } else { Ok(None) } },
    );
    let (feed, users, swept, ruled) = (feed?, users?, swept?, ruled?);
    let truncated = feed.as_ref().is_some_and(|r| r.truncated)
        || users.as_ref().is_some_and(|r| r.truncated)
        || swept.as_ref().is_some_and(|s| s.truncated)
        || ruled.as_ref().is_some_and(|r| r.truncated);
    let all = merge::merge(
        feed.into_iter()
            .flat_map(|r| r.cases)
            .chain(users.into_iter().flat_map(|r| r.cases))
            .chain(swept.iter().flat_map(|s| s.cases.iter().cloned()))
            .chain(ruled.into_iter().flat_map(|r| r.cases)),
    );
    let on_tab: Vec<_> = all.into_iter().filter(|c| merge::on_tab(c, query.tab)).collect();
    let (communities, ai_categories) = merge::facets(&on_tab);
    let mut cases: Vec<_> = on_tab.into_iter().filter(|c| merge::admits(c, query, now)).collect();
    merge::sort(&mut cases, query.sort);
    Ok(Matching { cases, truncated, communities, ai_categories })
}

/// The feed request for a query: what the feed can filter and order itself.
fn feed_ask(query: &QueueQuery) -> sources::FeedAsk {
    let content_types = match query.kind {
        KindFilter::Post => vec![ModerationContentType::Post],
        KindFilter::Comment => vec![ModerationContentType::Comment],
        _ => Vec::new(),
    };
    let sort = match (query.tab, query.sort) {
        (QueueTab::Reviewed, _) => (ModerationSortBy::LastReviewedAt, SortOrder::Desc),
        (_, QueueSort::MostFlagged) => (ModerationSortBy::FlagCount, SortOrder::Desc),
        (_, QueueSort::Oldest) => (ModerationSortBy::LastFlaggedAt, SortOrder::Asc),
        (_, QueueSort::Newest | QueueSort::LastFlagged) => (ModerationSortBy::LastFlaggedAt, SortOrder::Desc),
    };
    sources::FeedAsk {
        content_types,
        community: Some(query.community.clone()).filter(|c| !c.is_empty()),
        reviewed: (query.tab == QueueTab::ToReview).then_some(false),
        sort,
    }
}
