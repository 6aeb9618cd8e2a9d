//! Gap repair: webhooks can be lost (the network drops a delivery that takes over 1.5 s and
//! documents no retry), so a periodic sync reads recent activity from the REST API and adds
//! what `events` lacks, with `source = 'backfill'`:
//!
//! * new users — `GET /api/v3/users?sortBy=lastCreated` until older than the window;
//! * recent posts and their latest comments — the first page of communities, then each
//!   community's newest posts (`GET /api/v4/posts`, comments side-loaded);
//! * flags — the moderation feed by `lastFlaggedAt`: a flag is added only when no flag of that
//!   content is on record since its `lastFlaggedAt` (the feed does not say who flagged).
//!
//! A happening already reported by a webhook has the same `dedupe_key` (see
//! [`super::normalise`]) and is not added twice. Every call goes through the upstream client,
//! so the request budget applies.

use super::{
    normalise::{self, NewEvent, Source},
    store,
};
use crate::{Error, Services};
use serde_json::{Map, Value, json};
use std::time::Duration;
use upstream::endpoints::{
    communities::QueryCommunities, moderation::QueryModerationFeed, posts::QueryPosts, users::QueryUsers,
};
use upstream::{
    content_query::{
        CommunityQuery, CommunitySortBy, ContentSortBy, FeedTarget, ModerationSortBy, PostQuery, SortOrder,
    },
    query::{UserQuery, UserSortBy},
    wire::ContentType,
};

/// What one sync covers and how much it may read.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Only happenings newer than this many milliseconds before now.
    pub lookback_ms: i64,
    /// Communities whose newest posts are read.
    pub communities: u32,
    /// Posts read per community.
    pub posts_per_community: u32,
    /// Pages of newest users read at most.
    pub user_pages: u32,
}

impl Default for Window {
    fn default() -> Self {
        Self { lookback_ms: 2 * 86_400_000, communities: 50, posts_per_community: 20, user_pages: 5 }
    }
}

/// What a sync added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Repaired {
    /// Objects read from the API.
    pub seen: usize,
    /// `events` rows added (the rest were already known).
    pub added: usize,
    /// Upstream calls made.
    pub calls: usize,
}

fn as_data(key: &str, object: &impl serde::Serialize) -> Result<Map<String, Value>, Error> {
    let value = serde_json::to_value(object).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(json!({ key: [value] }).as_object().cloned().unwrap_or_default())
}

/// Reconciles the window ending `now` (Unix ms).
pub async fn sync(services: &Services, now: i64, window: Window) -> Result<Repaired, Error> {
    let since = now - window.lookback_ms;
    let recent = |at: &str| normalise::parse_time(at).is_some_and(|t| t >= since);
    let mut found: Vec<NewEvent> = Vec::new();
    let mut repaired = Repaired::default();
    let api = &services.upstream;

    let mut token = None;
    for _ in 0..window.user_pages {
        let query = UserQuery {
            sort_by: UserSortBy::LastCreated,
            limit: Some(100),
            token: token.take(),
            ..UserQuery::default()
        };
        let page = api.send(&QueryUsers(&query)).await?;
        repaired.calls += 1;
        let mut older = false;
        for user in &page.users {
            if recent(&user.created_at) {
                found.push(normalise::from_data(
                    "user.didCreate",
                    &as_data("users", user)?,
                    Source::Backfill,
                    None,
                    now,
                ));
            } else {
                older = true;
            }
        }
        token = page.paging.as_ref().and_then(|p| p.next.clone());
        if older || token.is_none() {
            break;
        }
    }

    let communities = api
        .send(&QueryCommunities(&CommunityQuery {
            sort_by: Some(CommunitySortBy::LastCreated),
            is_deleted: Some(false),
            limit: Some(window.communities.clamp(1, 100)),
            ..CommunityQuery::default()
        }))
        .await?;
    repaired.calls += 1;
    for community in &communities.communities {
        let posts = api
            .send(&QueryPosts(&PostQuery {
                target_id: community.community_id.clone(),
                target_type: Some(FeedTarget::Community),
                sort_by: Some(ContentSortBy::LastCreated),
                limit: Some(window.posts_per_community.clamp(1, 100)),
                ..PostQuery::default()
            }))
            .await?;
        repaired.calls += 1;
        for post in posts.posts.iter().filter(|p| recent(&p.created_at)) {
            found.push(normalise::from_data(
                "v3.post.didCreate",
                &as_data("posts", post)?,
                Source::Backfill,
                None,
                now,
            ));
        }
        for comment in posts.comments.iter().filter(|c| recent(&c.created_at)) {
            found.push(normalise::from_data(
                "v3.comment.didCreate",
                &as_data("comments", comment)?,
                Source::Backfill,
                None,
                now,
            ));
        }
    }
    repaired.seen = found.len();

    let feed = api
        .send(&QueryModerationFeed(&upstream::content_query::ModerationFeedQuery {
            sort_by: Some(ModerationSortBy::LastFlaggedAt),
            order: Some(SortOrder::Desc),
            limit: Some(100),
            ..Default::default()
        }))
        .await?;
    repaired.calls += 1;
    let mut flags = Vec::new();
    for item in &feed.contents {
        let Some(flagged_at) = item.last_flagged_at.as_deref().and_then(normalise::parse_time) else {
            continue;
        };
        if flagged_at < since {
            continue;
        }
        let (kind, name, key) = match item.content_type {
            ContentType::Post => ("post", "v3.post.didFlag", "posts"),
            ContentType::Comment => ("comment", "v3.comment.didFlag", "comments"),
            ContentType::Unknown => continue,
        };
        let id = item.content_public_id.clone().unwrap_or_else(|| item.content_id.clone());
        let object = json!({ format!("{kind}Id"): id, "updatedAt": item.last_flagged_at, "targetId": item.target_id,
            "targetType": item.target_type, "userId": item.user_id, "flagCount": item.flag_count });
        let mut event = normalise::from_data(
            name,
            &json!({ key: [object] }).as_object().cloned().unwrap_or_default(),
            Source::Backfill,
            None,
            now,
        );
        event.dedupe_key = format!("{}:{id}:feed:{flagged_at}", name.trim_start_matches("v3."));
        event.occurred_at = flagged_at;
        flags.push((kind, id, flagged_at, event));
    }
    repaired.seen += flags.len();

    let mut tx = services.db.begin().await?;
    for event in &found {
        if store::insert(&mut tx, event).await? {
            repaired.added += 1;
        }
    }
    for (kind, id, flagged_at, event) in &flags {
        // Any flag of this content on record since the feed's last flag: nothing is missing.
        let known: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE object_kind = ? AND object_id = ? AND name LIKE '%.didFlag' \
             AND occurred_at >= ?",
        )
        .bind(kind)
        .bind(id)
        .bind(flagged_at - FLAG_CLOCK_SLACK_MS)
        .fetch_one(&mut *tx)
        .await?;
        if known == 0 && store::insert(&mut tx, event).await? {
            repaired.added += 1;
        }
    }
    tx.commit().await?;
    Ok(repaired)
}

/// How far the webhook's time of a flag may be from the feed's `lastFlaggedAt`.
const FLAG_CLOCK_SLACK_MS: i64 = 5_000;

/// Syncs every `every`, the first time after `first_after` (gap repair after downtime).
pub async fn run_periodically(services: Services, first_after: Duration, every: Duration, window: Window) {
    tokio::time::sleep(first_after).await;
    loop {
        match sync(&services, super::now_ms(), window).await {
            Ok(repaired) => tracing::info!(?repaired, "event backfill done"),
            Err(error) => tracing::warn!(%error, "event backfill failed; the next run retries"),
        }
        tokio::time::sleep(every).await;
    }
}
