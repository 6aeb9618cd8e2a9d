//! Reading the queue's sources from Social+.
//!
//! * The moderation feed and flagged users are read on every request (one call each, the
//!   feed with its server-side filters: content type, community, reviewed or not, order).
//! * Pending posts and flagged messages have no network-wide endpoint: both are read per
//!   community (`GET /api/v4/posts?feedType[]=reviewing` for communities that review posts,
//!   `GET /api/v5/messages?hasFlags=true` on each community's chat). That sweep costs one
//!   or two calls per community, so it covers at most [`SWEEP_COMMUNITIES`] communities (the
//!   view says when it was cut) and is reused for at least [`SWEEP_TTL`] — longer when the
//!   upstream request budget is small, so the sweep never takes more than
//!   [`SWEEP_BUDGET_SHARE`] of it ([`sweep_ttl`]). An action on a case drops that case from
//!   the reused sweep ([`SweepCache::forget`]) instead of sweeping again.

use super::cases::{self, People};
use crate::Error;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::{sync::Mutex, task::JoinSet};
use types::queue::Case;
use upstream::endpoints::{
    communities::QueryCommunities, messages::QueryMessages, moderation::QueryModerationFeed,
    posts::QueryPosts, users::QueryUsers,
};
use upstream::{
    Client,
    content_query::{
        CommunityQuery, FeedTarget, MessageQuery, ModerationContentType, ModerationFeedQuery,
        ModerationSortBy, PostFeedType, PostQuery, SortOrder,
    },
    query::{UserQuery, UserQueryFilter, UserSortBy},
    wire::Community,
};

/// Items read from the feed and from flagged users per request (the API's maximum page).
pub const WINDOW: u32 = 100;
/// How long the per-community sweep is reused at least.
pub const SWEEP_TTL: Duration = Duration::from_secs(10);
/// The largest share of the upstream request budget the sweep may use over time.
pub const SWEEP_BUDGET_SHARE: f64 = 0.25;
/// Most communities the sweep reads.
pub const SWEEP_COMMUNITIES: usize = 200;

/// What one source answered, and whether it had more than was read.
pub struct Read {
    /// The cases.
    pub cases: Vec<Case>,
    /// The source had more than [`WINDOW`] items.
    pub truncated: bool,
}

/// How to ask the moderation feed.
pub struct FeedAsk {
    /// Only these kinds (post and/or comment); empty for both.
    pub content_types: Vec<ModerationContentType>,
    /// Only this community.
    pub community: Option<String>,
    /// `Some(false)`: only unreviewed items; `None`: every item.
    pub reviewed: Option<bool>,
    /// Order key and direction.
    pub sort: (ModerationSortBy, SortOrder),
}

/// One page of the moderation feed as cases.
pub async fn feed(upstream: &Client, ask: &FeedAsk) -> Result<Read, Error> {
    let query = ModerationFeedQuery {
        content_types: ask.content_types.clone(),
        target_type: ask.community.as_ref().map(|_| FeedTarget::Community),
        target_ids: ask.community.iter().cloned().collect(),
        is_deleted: ask.reviewed,
        is_flag_cleared: ask.reviewed,
        sort_by: Some(ask.sort.0),
        order: Some(ask.sort.1),
        limit: Some(WINDOW),
        ..ModerationFeedQuery::default()
    };
    let envelope = upstream.send(&QueryModerationFeed(&query)).await?;
    let truncated = envelope.side.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
    Ok(Read { cases: cases::from_feed(&envelope), truncated })
}

/// Users flagged as people, newest accounts first.
pub async fn flagged_users(upstream: &Client) -> Result<Read, Error> {
    let query = UserQuery {
        filter: UserQueryFilter::Flagged,
        sort_by: UserSortBy::LastCreated,
        is_deleted: Some(false),
        limit: Some(WINDOW),
        ..UserQuery::default()
    };
    let envelope = upstream.send(&QueryUsers(&query)).await?;
    let truncated = envelope.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
    Ok(Read { cases: envelope.users.iter().map(cases::from_user).collect(), truncated })
}

/// Pending posts and flagged messages of every community (up to [`SWEEP_COMMUNITIES`]),
/// reused for [`SweepCache::ttl`] after each sweep.
#[derive(Clone, Default)]
pub struct SweepCache {
    last: Arc<Mutex<LastSweep>>,
    /// The upstream request budget per second (`None` = unlimited).
    budget_per_second: Option<u32>,
}

/// When the last sweep is stale, and what it found.
type LastSweep = Option<(Instant, Arc<Sweep>)>;

/// The result of one sweep.
pub struct Sweep {
    /// Pending posts and flagged messages.
    pub cases: Vec<Case>,
    /// Not every community was read.
    pub truncated: bool,
    /// Upstream calls the sweep made.
    pub calls: u32,
}

/// How long a sweep that made `calls` upstream calls is reused under a budget of
/// `budget_per_second`: at least [`SWEEP_TTL`], and long enough that sweeping again and
/// again uses at most [`SWEEP_BUDGET_SHARE`] of the budget, leaving the rest to actions,
/// the feed read and other pages.
pub fn sweep_ttl(calls: u32, budget_per_second: Option<u32>) -> Duration {
    match budget_per_second.filter(|b| *b > 0) {
        None => SWEEP_TTL,
        Some(budget) => {
            let spread = f64::from(calls) / (f64::from(budget) * SWEEP_BUDGET_SHARE);
            SWEEP_TTL.max(Duration::from_secs_f64(spread))
        }
    }
}

impl SweepCache {
    /// A cache that scales its reuse time with `budget_per_second` (see [`sweep_ttl`]).
    pub fn new(budget_per_second: Option<u32>) -> Self {
        Self { last: Arc::default(), budget_per_second }
    }

    /// How long a sweep of `calls` calls is reused by this cache.
    pub fn ttl(&self, calls: u32) -> Duration {
        sweep_ttl(calls, self.budget_per_second)
    }

    /// The last sweep if fresh, else a new one. Concurrent callers wait for one sweep.
    pub async fn get(&self, upstream: &Arc<Client>) -> Result<Arc<Sweep>, Error> {
        let mut last = self.last.lock().await;
        if let Some((stale_at, sweep)) = last.as_ref()
            && Instant::now() < *stale_at
        {
            return Ok(sweep.clone());
        }
        let started = Instant::now();
        let sweep = Arc::new(sweep(upstream).await?);
        *last = Some((started + self.ttl(sweep.calls), sweep.clone()));
        Ok(sweep)
    }

    /// Drops the case `key` ([`Case::key`]) from the reused sweep after an action on it, so
    /// the next read does not show it again without paying for a new sweep.
    pub async fn forget(&self, key: &str) {
        let mut last = self.last.lock().await;
        if let Some((stale_at, sweep)) = last.as_ref()
            && sweep.cases.iter().any(|c| c.key() == key)
        {
            let cases = sweep.cases.iter().filter(|c| c.key() != key).cloned().collect();
            let kept = Sweep { cases, truncated: sweep.truncated, calls: sweep.calls };
            *last = Some((*stale_at, Arc::new(kept)));
        }
    }

    /// Forgets the last sweep, so the next read sweeps again.
    pub async fn invalidate(&self) {
        *self.last.lock().await = None;
    }
}

/// The communities to sweep, whether there were more, and the calls it took.
async fn communities(upstream: &Client) -> Result<(Vec<Community>, bool, u32), Error> {
    let mut all = Vec::new();
    let mut token = None;
    let mut calls = 0;
    loop {
        let query = CommunityQuery { is_deleted: Some(false), limit: Some(100), token, ..Default::default() };
        let envelope = upstream.send(&QueryCommunities(&query)).await?;
        calls += 1;
        all.extend(envelope.communities);
        token = envelope.paging.and_then(|p| p.next);
        if all.len() >= SWEEP_COMMUNITIES {
            all.truncate(SWEEP_COMMUNITIES);
            return Ok((all, token.is_some(), calls));
        }
        if token.is_none() {
            return Ok((all, false, calls));
        }
    }
}

async fn sweep(upstream: &Arc<Client>) -> Result<Sweep, Error> {
    let (communities, mut truncated, mut calls) = communities(upstream.as_ref()).await?;
    let mut tasks = JoinSet::new();
    for community in communities {
        let upstream = upstream.clone();
        // Every call of a community is counted, even when the community has nothing.
        calls +=
            u32::from(community.need_approval_on_post_creation) + u32::from(!community.channel_id.is_empty());
        tasks.spawn(async move { one_community(upstream.as_ref(), &community).await });
    }
    let mut cases = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (found, cut) = joined.map_err(|e| Error::Internal(format!("queue sweep task: {e}")))??;
        cases.extend(found);
        truncated |= cut;
    }
    Ok(Sweep { cases, truncated, calls })
}

async fn one_community(upstream: &Client, community: &Community) -> Result<(Vec<Case>, bool), Error> {
    let mut cases = Vec::new();
    let mut truncated = false;
    if community.need_approval_on_post_creation {
        let query = PostQuery {
            target_id: community.community_id.clone(),
            target_type: Some(FeedTarget::Community),
            feed_types: vec![PostFeedType::Reviewing],
            is_deleted: Some(false),
            limit: Some(WINDOW),
            ..PostQuery::default()
        };
        let envelope = upstream.send(&QueryPosts(&query)).await?;
        truncated |= envelope.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
        let people = People::new(&envelope.users);
        cases.extend(envelope.posts.iter().map(|p| cases::from_pending_post(p, &people, community)));
    }
    if !community.channel_id.is_empty() {
        let query = MessageQuery {
            message_feed_id: community.channel_id.clone(),
            has_flags: Some(true),
            limit: Some(WINDOW),
            ..MessageQuery::default()
        };
        match upstream.send(&QueryMessages(&query)).await {
            Ok(envelope) => {
                truncated |= envelope.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
                let people = People::new(&envelope.users);
                cases.extend(envelope.messages.iter().map(|m| cases::from_message(m, &people, community)));
            }
            // A community without a chat has no message feed.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((cases, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_is_reused_long_enough_to_stay_within_a_quarter_of_the_budget() {
        assert_eq!(sweep_ttl(400, None), SWEEP_TTL, "no budget: the floor");
        assert_eq!(sweep_ttl(20, Some(100)), SWEEP_TTL, "a cheap sweep under a large budget");
        // 401 calls at 10 requests/s: a quarter of the budget is 2.5 calls/s, so 160.4 s.
        let ttl = sweep_ttl(401, Some(10));
        assert_eq!(ttl, Duration::from_secs_f64(160.4));
        assert!(401.0 / ttl.as_secs_f64() <= 10.0 * SWEEP_BUDGET_SHARE + 1e-9);
        assert!(sweep_ttl(401, Some(5)) > ttl, "a smaller budget waits longer");
        assert_eq!(sweep_ttl(401, Some(0)), SWEEP_TTL, "0 means unlimited, as in the config");
    }
}
