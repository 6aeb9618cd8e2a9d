//! Reading the network's users through the Social+ API; [`manage`] changes them.

pub mod activity;
pub mod bulk;
pub mod manage;

use crate::Error;
use serde_json::{Value, json};
use sqlx::SqlitePool;
use types::{
    Page,
    audit::{AuditEntry, AuditFilter, AuditQuery},
    users::{ContentLine, FileInfo, UserDetail, UserFilter, UserListQuery, UserRow, UserSort},
};
use upstream::endpoints::{
    posts::QueryPosts,
    users::{GetUser, QueryUsers},
};
use upstream::{
    Client,
    content_query::{ContentSortBy, FeedTarget, PostQuery},
    query::{UserQuery, UserQueryFilter, UserSortBy},
    wire::{User, UserEnvelope},
};

/// Rows per page of the Users table.
pub const PAGE_SIZE: u32 = 25;

/// Upstream pages of 100 read at most for one console page when the console filters
/// itself (banned, role): 1,000 users, 10 requests of the budget.
pub const SCAN_PAGES: u32 = 10;

/// Recent posts shown on the detail page.
pub const RECENT_POSTS: u32 = 5;

/// Audit entries shown on the detail page.
pub const RECENT_AUDIT: u32 = 20;

/// One page of users matching `query`.
///
/// Social+ filters by keyword, flagged and deleted itself. It cannot filter by ban state or
/// role, so for those the console reads upstream pages of 100 and keeps the matching rows,
/// until it has a page's worth or has read [`SCAN_PAGES`] pages; the next link continues
/// the scan where it stopped. Such a page may therefore hold fewer (even zero) rows while a
/// next page exists. Paging back is not offered during a scan.
#[tracing::instrument(skip(upstream), fields(keyword = %query.keyword, filter = ?query.filter))]
pub async fn list_users(upstream: &Client, query: &UserListQuery) -> Result<Page<UserRow>, Error> {
    if !query.scans() {
        let envelope = upstream.send(&QueryUsers(&upstream_query(query))).await?;
        let paging = envelope.paging.unwrap_or_default();
        return Ok(Page {
            items: envelope.users.iter().map(row_from).collect(),
            next: paging.next,
            previous: paging.previous,
        });
    }
    let mut upstream_query = upstream_query(query);
    upstream_query.limit = Some(100);
    let mut items = Vec::new();
    let mut next = query.cursor.clone();
    for _ in 0..SCAN_PAGES {
        upstream_query.token = next.clone();
        let envelope = upstream.send(&QueryUsers(&upstream_query)).await?;
        items.extend(envelope.users.iter().filter(|u| keeps(query, u)).map(row_from));
        next = envelope.paging.and_then(|p| p.next);
        if next.is_none() || items.len() >= PAGE_SIZE as usize {
            break;
        }
    }
    Ok(Page { items, next, previous: None })
}

/// The console-side part of a filter.
fn keeps(query: &UserListQuery, user: &User) -> bool {
    let banned = query.filter != UserFilter::Banned || user.is_global_ban;
    let role = query.role.is_empty() || user.roles.contains(&query.role);
    banned && role
}

/// The fields of a user the audit trail keeps before and after a change.
pub fn snapshot(user: &User) -> Value {
    json!({
        "userId": user.user_id,
        "displayName": user.display_name,
        "description": user.description,
        "avatarCustomUrl": user.avatar_custom_url,
        "roles": user.roles,
        "metadata": user.metadata,
        "flagCount": user.flag_count,
        "isGlobalBan": user.is_global_ban,
        "isDeleted": user.is_deleted,
    })
}

/// The audit target of a user.
pub fn audit_target(user_id: &str) -> String {
    format!("user:{user_id}")
}

/// The newest audit entries about `user_id`.
pub async fn audit_entries(db: &SqlitePool, user_id: &str) -> Result<Vec<AuditEntry>, Error> {
    let target = audit_target(user_id);
    let query =
        AuditQuery { filter: AuditFilter { target: target.clone(), ..Default::default() }, cursor: None };
    // The trail matches targets by substring ("user:ann" is in "user:anna"); keep exact ones.
    let page = crate::audit::query::page(db, &query, RECENT_AUDIT * 2)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(page
        .items
        .into_iter()
        .filter(|e| e.target.as_deref() == Some(target.as_str()))
        .take(RECENT_AUDIT as usize)
        .collect())
}

/// The latest posts on the user's own feed.
pub async fn recent_posts(upstream: &Client, user_id: &str) -> Result<Vec<ContentLine>, Error> {
    let query = PostQuery {
        target_id: user_id.to_owned(),
        target_type: Some(FeedTarget::User),
        sort_by: Some(ContentSortBy::LastCreated),
        limit: Some(RECENT_POSTS),
        ..Default::default()
    };
    let envelope = upstream.send(&QueryPosts(&query)).await?;
    Ok(envelope
        .posts
        .iter()
        .map(|post| ContentLine {
            id: post.post_id.clone(),
            excerpt: excerpt(post.data.text.as_deref().unwrap_or("(no text)")),
            created_at: post.created_at.clone(),
            flag_count: post.flag_count,
            is_deleted: post.is_deleted,
        })
        .collect())
}

/// The first 140 characters of `text`, with an ellipsis when cut.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(140).collect();
    if text.chars().count() > 140 {
        out.push('…');
    }
    out
}

/// One user with everything the detail page shows; `None` if Social+ does not know them.
#[tracing::instrument(skip(upstream))]
pub async fn get_user(upstream: &Client, user_id: &str) -> Result<Option<UserDetail>, Error> {
    let envelope = match upstream.send(&GetUser { user_id }).await {
        Ok(envelope) => envelope,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(envelope.users.first().map(|user| detail_from(user, &envelope)))
}

/// The upstream parameters for a console query. Deleted users are left out, as the
/// upstream does by default; the console asks explicitly so the intent is visible.
pub fn upstream_query(query: &UserListQuery) -> UserQuery {
    UserQuery {
        keyword: Some(query.keyword.clone()).filter(|k| !k.is_empty()),
        exact_match_keyword: false,
        filter: match query.filter {
            UserFilter::Flagged => UserQueryFilter::Flagged,
            UserFilter::All | UserFilter::Banned | UserFilter::Deleted => UserQueryFilter::All,
        },
        sort_by: match query.sort {
            UserSort::Name => UserSortBy::DisplayName,
            UserSort::Newest => UserSortBy::LastCreated,
            UserSort::Oldest => UserSortBy::FirstCreated,
        },
        is_deleted: Some(query.filter == UserFilter::Deleted),
        limit: Some(PAGE_SIZE),
        token: query.cursor.clone(),
    }
}

fn row_from(user: &User) -> UserRow {
    UserRow {
        user_id: user.user_id.clone(),
        display_name: user.display_name.clone().unwrap_or_default(),
        roles: user.roles.clone(),
        flag_count: user.flag_count,
        is_global_ban: user.is_global_ban,
        is_deleted: user.is_deleted,
        created_at: user.created_at.clone(),
    }
}

fn detail_from(user: &User, envelope: &UserEnvelope) -> UserDetail {
    let avatar = user.avatar_file_id.as_deref().map(|file_id| {
        let file = envelope.file(file_id);
        let attributes = file.and_then(|f| f.attributes.as_ref());
        FileInfo {
            file_id: file_id.to_owned(),
            name: attributes.and_then(|a| a.name.clone()),
            mime_type: attributes.and_then(|a| a.mime_type.clone()),
            size: attributes.and_then(|a| a.size).map(|s| s.max(0.0) as u64),
        }
    });
    UserDetail {
        row: row_from(user),
        user_public_id: user.user_public_id.clone(),
        user_internal_id: user.user_internal_id.clone(),
        description: user.description.clone().unwrap_or_default(),
        permissions: user.permissions.clone(),
        metadata_json: serde_json::to_string_pretty(&user.metadata).unwrap_or_else(|_| "{}".into()),
        avatar,
        avatar_custom_url: user.avatar_custom_url.clone(),
        is_brand: user.is_brand,
        updated_at: user.updated_at.clone(),
        recent_posts: Vec::new(),
        audit: Vec::new(),
        timed_bans: Vec::new(),
        your_permissions: Vec::new(),
        last_activity: None,
        communities: Default::default(),
        ban_history: Vec::new(),
        flag_events: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_query_maps_to_upstream_parameters() {
        let query = UserListQuery {
            keyword: "ann".into(),
            filter: UserFilter::Flagged,
            sort: UserSort::Newest,
            cursor: Some("tok".into()),
            ..Default::default()
        };
        let upstream = upstream_query(&query);
        assert_eq!(upstream.keyword.as_deref(), Some("ann"));
        assert_eq!(upstream.filter, UserQueryFilter::Flagged);
        assert_eq!(upstream.sort_by, UserSortBy::LastCreated);
        assert_eq!(upstream.is_deleted, Some(false));
        assert_eq!(upstream.limit, Some(PAGE_SIZE));
        assert_eq!(upstream.token.as_deref(), Some("tok"));
        assert_eq!(upstream_query(&UserListQuery::default()).keyword, None);
        let deleted = UserListQuery { filter: UserFilter::Deleted, ..Default::default() };
        assert_eq!(upstream_query(&deleted).is_deleted, Some(true));
        let banned = UserListQuery { filter: UserFilter::Banned, ..Default::default() };
        assert_eq!(upstream_query(&banned).filter, UserQueryFilter::All, "Social+ has no banned filter");
    }

    #[test]
    fn the_console_keeps_only_banned_users_or_holders_of_the_role() {
        let user = |banned: bool, roles: &[&str]| User {
            user_id: "u".into(),
            is_global_ban: banned,
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            ..Default::default()
        };
        let banned = UserListQuery { filter: UserFilter::Banned, ..Default::default() };
        assert!(keeps(&banned, &user(true, &[])));
        assert!(!keeps(&banned, &user(false, &[])));
        let role = UserListQuery { role: "vip".into(), ..Default::default() };
        assert!(keeps(&role, &user(false, &["member", "vip"])));
        assert!(!keeps(&role, &user(false, &["vipx"])));
        assert!(!keeps(&UserListQuery { filter: UserFilter::Banned, ..role }, &user(false, &["vip"])));
    }

    #[test]
    fn excerpts_are_cut_at_140_characters() {
        assert_eq!(excerpt("short"), "short");
        let cut = excerpt(&"é".repeat(200));
        assert_eq!(cut.chars().count(), 141);
        assert!(cut.ends_with('…'));
    }
}
