//! Reading the queue's sources from Social+.
//!
//! * The moderation feed and flagged users are read on every request (one call each, the
//!   feed with its server-side filters: content type, community, reviewed or not, order).
//! * Pending posts and flagged messages have no network-wide endpoint: both are read per
//!   community (`GET /api/v4/posts?feedType[]=reviewing` for communities that review posts,
//!   `GET /api/v5/messages?hasFlags=true` on each community's chat). That sweep costs one
//!   call per community, so it is cached for [`SWEEP_TTL`] and covers at most
//!   [`SWEEP_COMMUNITIES`] communities; the view says when it was cut.

use super::cases::{self, People};
use crate::Error;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::{sync::Mutex, task::JoinSet};
use types::queue::Case;
use upstream::{
    content_query::{
        CommunityQuery, FeedTarget, MessageQuery, ModerationContentType, ModerationFeedQuery,
        ModerationSortBy, PostFeedType, PostQuery, SortOrder,
    },
    prelude::*,
    query::{UserQuery, UserQueryFilter, UserSortBy},
    wire::Community,
};

/// Items read from the feed and from flagged users per request (the API's maximum page).
pub const WINDOW: u32 = 100;
/// How long the per-community sweep is reused.
pub const SWEEP_TTL: Duration = Duration::from_secs(10);
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
pub async fn feed(upstream: &dyn UpstreamApi, ask: &FeedAsk) -> Result<Read, Error> {
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
    let envelope = upstream.moderation_feed(&query).await?;
    let truncated = envelope.side.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
    Ok(Read { cases: cases::from_feed(&envelope), truncated })
}

/// Users flagged as people, newest accounts first.
pub async fn flagged_users(upstream: &dyn UpstreamApi) -> Result<Read, Error> {
    let query = UserQuery {
        filter: UserQueryFilter::Flagged,
        sort_by: UserSortBy::LastCreated,
        is_deleted: Some(false),
        limit: Some(WINDOW),
        ..UserQuery::default()
    };
    let envelope = upstream.query_users(&query).await?;
    let truncated = envelope.paging.as_ref().and_then(|p| p.next.as_ref()).is_some();
    Ok(Read { cases: envelope.users.iter().map(cases::from_user).collect(), truncated })
}

/// Pending posts and flagged messages of every community (up to [`SWEEP_COMMUNITIES`]),
/// reused for [`SWEEP_TTL`].
#[derive(Clone, Default)]
pub struct SweepCache {
    last: Arc<Mutex<LastSweep>>,
}

/// When the last sweep ran and what it found.
type LastSweep = Option<(Instant, Arc<Sweep>)>;

/// The result of one sweep.
pub struct Sweep {
    /// Pending posts and flagged messages.
    pub cases: Vec<Case>,
    /// Not every community was read.
    pub truncated: bool,
}

impl SweepCache {
    /// The last sweep if fresh, else a new one. Concurrent callers wait for one sweep.
    pub async fn get(&self, upstream: &Arc<dyn UpstreamApi>) -> Result<Arc<Sweep>, Error> {
        let mut last = self.last.lock().await;
        if let Some((at, sweep)) = last.as_ref()
            && at.elapsed() < SWEEP_TTL
        {
            return Ok(sweep.clone());
        }
        let sweep = Arc::new(sweep(upstream).await?);
        *last = Some((Instant::now(), sweep.clone()));
        Ok(sweep)
    }

    /// Forgets the last sweep, so the next read sees an action's effect.
    pub async fn invalidate(&self) {
        *self.last.lock().await = None;
    }
}

async fn communities(upstream: &dyn UpstreamApi) -> Result<(Vec<Community>, bool), Error> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let query = CommunityQuery { is_deleted: Some(false), limit: Some(100), token, ..Default::default() };
        let envelope = upstream.query_communities(&query).await?;
        all.extend(envelope.communities);
        token = envelope.paging.and_then(|p| p.next);
        if all.len() >= SWEEP_COMMUNITIES {
            all.truncate(SWEEP_COMMUNITIES);
            return Ok((all, token.is_some()));
        }
        if token.is_none() {
            return Ok((all, false));
        }
    }
}

async fn sweep(upstream: &Arc<dyn UpstreamApi>) -> Result<Sweep, Error> {
    let (communities, mut truncated) = communities(upstream.as_ref()).await?;
    let mut tasks = JoinSet::new();
    for community in communities {
        let upstream = upstream.clone();
        tasks.spawn(async move { one_community(upstream.as_ref(), &community).await });
    }
    let mut cases = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (found, cut) = joined.map_err(|e| Error::Internal(format!("queue sweep task: {e}")))??;
        cases.extend(found);
        truncated |= cut;
    }
    Ok(Sweep { cases, truncated })
}

async fn one_community(
    upstream: &dyn UpstreamApi,
    community: &Community,
) -> Result<(Vec<Case>, bool), Error> {
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
        let envelope = upstream.query_posts(&query).await?;
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
        match upstream.query_messages(&query).await {
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
