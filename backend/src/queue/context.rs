//! A case with its context: the content and its thread (parent post, neighbouring comments or
//! messages), the community, and the author panel (profile, roles, account age, flag history
//! from the moderation feed, prior actions from the console's audit trail, recent posts, ban
//! state). All text stays plain text; the UI renders it as text nodes.

use super::cases::{self, People, data_text};
use crate::Error;
use sqlx::SqlitePool;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use types::{
    audit::{AuditFilter, AuditQuery},
    queue::{AuthorPanel, Case, CaseDetail, CaseKind, ContextItem, PriorAction, ReviewState},
};
use upstream::endpoints::{
    comments::{GetComment, QueryComments},
    messages::QueryMessages,
    moderation::QueryModerationFeed,
    posts::{GetPost, QueryPosts},
    users::GetUser,
};
use upstream::{
    Client,
    content_query::{CommentQuery, FeedTarget, MessageQuery, ModerationFeedQuery, PostQuery},
    wire::{Comment, CommunityUser, Message, Post, PostEnvelope, User},
};

/// Comments or messages shown around the subject.
const NEIGHBOURS: usize = 5;
/// Items of flag history, prior actions and recent content.
const HISTORY: u32 = 20;

/// The case `kind`/`id` with its context; `None` when Social+ does not know it.
/// `feed` is the message feed of a message case.
#[tracing::instrument(skip(upstream, db))]
pub async fn case_detail(
    upstream: &Client,
    db: &SqlitePool,
    kind: CaseKind,
    id: &str,
    feed: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<CaseDetail>, Error> {
    let found = match kind {
        CaseKind::Post => post_thread(upstream, id).await?,
        CaseKind::Comment => comment_thread(upstream, id).await?,
        CaseKind::Message => match feed {
            Some(feed) => message_thread(upstream, feed, id).await?,
            None => None,
        },
        CaseKind::User => user_case(upstream, id).await?,
    };
    let Some(Found { mut case, thread, community, members }) = found else { return Ok(None) };
    let author = author_panel(upstream, db, &case, &members, now).await?;
    if let Some(author) = &author {
        // The feed knows the AI verdict and review state of the author's flagged content.
        if let Some(known) = author.flag_history.iter().find(|c| c.kind == case.kind && c.id == case.id) {
            case = super::merge::merge([case, known.clone()]).remove(0);
        }
    }
    Ok(Some(CaseDetail { case, thread, community, author }))
}

struct Found {
    case: Case,
    thread: Vec<ContextItem>,
    community: Option<(String, String)>,
    members: Vec<CommunityUser>,
}

fn ok_or_none<T>(result: Result<T, upstream::Error>) -> Result<Option<T>, Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn post_item(post: &Post, people: &People<'_>, is_subject: bool) -> ContextItem {
    let author = post.posted_user_id.clone().unwrap_or_default();
    ContextItem {
        kind: CaseKind::Post,
        id: post.post_id.clone(),
        author: Some(people.name(&author)).filter(|n| !n.is_empty()).unwrap_or(author),
        text: post.data.text.clone().unwrap_or_default(),
        created_at: post.created_at.clone(),
        flag_count: post.flag_count,
        is_deleted: post.is_deleted,
        is_subject,
    }
}

fn comment_item(comment: &Comment, people: &People<'_>, subject: &str) -> ContextItem {
    let author = comment.user_id.clone().unwrap_or_default();
    ContextItem {
        kind: CaseKind::Comment,
        id: comment.comment_id.clone(),
        author: Some(people.name(&author)).filter(|n| !n.is_empty()).unwrap_or(author),
        text: data_text(&comment.data),
        created_at: comment.created_at.clone(),
        flag_count: comment.flag_count,
        is_deleted: comment.is_deleted,
        is_subject: comment.comment_id == subject,
    }
}

fn message_item(message: &Message, people: &People<'_>, subject: &str) -> ContextItem {
    let author = people.public_id(message.creator_id.as_deref().unwrap_or_default());
    ContextItem {
        kind: CaseKind::Message,
        id: message.message_id.clone(),
        author: Some(people.name(&author)).filter(|n| !n.is_empty()).unwrap_or(author),
        text: data_text(&message.data),
        created_at: message.created_at.clone(),
        flag_count: message.flag_count,
        is_deleted: message.is_deleted,
        is_subject: message.message_id == subject,
    }
}

fn community_of(post: &Post, envelope: &PostEnvelope) -> Option<(String, String)> {
    let id =
        post.target_id.clone().filter(|_| post.target_type == Some(upstream::wire::TargetType::Community))?;
    let name = envelope.communities.iter().find(|c| c.community_id == id).map(|c| c.display_name.clone());
    Some((id.clone(), name.unwrap_or(id)))
}

/// A post's case, its parent (for a child of a gallery post) and its first comments.
async fn post_thread(upstream: &Client, id: &str) -> Result<Option<Found>, Error> {
    let Some(envelope) = ok_or_none(upstream.send(&GetPost { post_id: id }).await)? else { return Ok(None) };
    let Some(post) = envelope.posts.iter().find(|p| p.post_id == id) else { return Ok(None) };
    let people = People::new(&envelope.users);
    let mut thread = Vec::new();
    if let Some(parent_id) = post.parent_post_id.as_deref().filter(|p| !p.is_empty())
        && let Some(parent) = ok_or_none(upstream.send(&GetPost { post_id: parent_id }).await)?
    {
        let parent_people = People::new(&parent.users);
        thread.extend(
            parent
                .posts
                .iter()
                .filter(|p| p.post_id == parent_id)
                .map(|p| post_item(p, &parent_people, false)),
        );
    }
    thread.push(post_item(post, &people, true));
    let comments = upstream
        .send(&QueryComments(&CommentQuery {
            reference_id: id.to_owned(),
            limit: Some(NEIGHBOURS as u32 * 2),
            ..Default::default()
        }))
        .await?;
    let commenters = People::new(&comments.users);
    thread.extend(comments.comments.iter().map(|c| comment_item(c, &commenters, "")));
    let community = community_of(post, &envelope);
    let mut case = match &community {
        Some(_) => {
            let community =
                envelope.communities.iter().find(|c| Some(&c.community_id) == post.target_id.as_ref());
            match community {
                Some(community) => cases::from_pending_post(post, &people, community),
                None => plain_post_case(post, &people),
            }
        }
        None => plain_post_case(post, &people),
    };
    let reviewing = envelope.feeds.iter().any(|f| {
        Some(&f.feed_id) == post.feed_id.as_ref() && f.feed_type == Some(upstream::wire::FeedType::Reviewing)
    });
    case.state = if reviewing { ReviewState::Pending } else { ReviewState::Open };
    case.last_flagged_at = None;
    Ok(Some(Found { case, thread, community, members: envelope.community_users.clone() }))
}

fn plain_post_case(post: &Post, people: &People<'_>) -> Case {
    let author = post.posted_user_id.clone().unwrap_or_default();
    Case {
        kind: CaseKind::Post,
        id: post.post_id.clone(),
        internal_id: None,
        feed_id: None,
        excerpt: cases::excerpt(post.data.text.as_deref().unwrap_or_default()),
        author_name: people.name(&author),
        author_id: author,
        community_id: None,
        community_name: None,
        flag_count: post.flag_count,
        reporter_count: post.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(post.created_at.clone()),
        last_flagged_at: None,
        state: ReviewState::Open,
    }
}

/// A comment's case: its post first, then the comments around it.
async fn comment_thread(upstream: &Client, id: &str) -> Result<Option<Found>, Error> {
    let Some(envelope) = ok_or_none(upstream.send(&GetComment { comment_id: id }).await)? else {
        return Ok(None);
    };
    let Some(comment) = envelope.comments.iter().find(|c| c.comment_id == id) else { return Ok(None) };
    let people = People::new(&envelope.users);
    let mut thread = Vec::new();
    let mut community = None;
    let mut members = envelope.community_users.clone();
    if let Some(post_id) = comment.reference_id.as_deref()
        && let Some(posts) = ok_or_none(upstream.send(&GetPost { post_id }).await)?
        && let Some(post) = posts.posts.iter().find(|p| p.post_id == post_id)
    {
        thread.push(post_item(post, &People::new(&posts.users), false));
        community = community_of(post, &posts);
        members.extend(posts.community_users.iter().cloned());
        let siblings = upstream
            .send(&QueryComments(&CommentQuery {
                reference_id: post_id.to_owned(),
                limit: Some(100),
                ..Default::default()
            }))
            .await?;
        let sibling_people = People::new(&siblings.users);
        let mut items: Vec<_> =
            siblings.comments.iter().map(|c| comment_item(c, &sibling_people, id)).collect();
        if !items.iter().any(|i| i.is_subject) {
            items.push(comment_item(comment, &people, id));
        }
        items.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        thread.extend(around_subject(items));
    } else {
        thread.push(comment_item(comment, &people, id));
    }
    let author = comment.user_id.clone().unwrap_or_default();
    let case = Case {
        kind: CaseKind::Comment,
        id: id.to_owned(),
        internal_id: None,
        feed_id: None,
        excerpt: cases::excerpt(&data_text(&comment.data)),
        author_name: people.name(&author),
        author_id: author,
        community_id: community.as_ref().map(|c| c.0.clone()),
        community_name: community.as_ref().map(|c| c.1.clone()),
        flag_count: comment.flag_count,
        reporter_count: comment.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(comment.created_at.clone()),
        last_flagged_at: None,
        state: ReviewState::Open,
    };
    Ok(Some(Found { case, thread, community, members }))
}

/// At most [`NEIGHBOURS`] items on each side of the subject.
fn around_subject(items: Vec<ContextItem>) -> Vec<ContextItem> {
    let at = items.iter().position(|i| i.is_subject).unwrap_or(0);
    let start = at.saturating_sub(NEIGHBOURS);
    items.into_iter().skip(start).take(NEIGHBOURS * 2 + 1).collect()
}

/// A message's case with the messages around it in its feed.
async fn message_thread(upstream: &Client, feed: &str, id: &str) -> Result<Option<Found>, Error> {
    let mut found = None;
    for has_flags in [None, Some(true)] {
        let query = MessageQuery {
            message_feed_id: feed.to_owned(),
            has_flags,
            limit: Some(100),
            ..Default::default()
        };
        let Some(envelope) = ok_or_none(upstream.send(&QueryMessages(&query)).await)? else {
            return Ok(None);
        };
        if envelope.messages.iter().any(|m| m.message_id == id) {
            found = Some(envelope);
            break;
        }
    }
    let Some(envelope) = found else { return Ok(None) };
    let people = People::new(&envelope.users);
    let Some(message) = envelope.messages.iter().find(|m| m.message_id == id) else { return Ok(None) };
    let mut items: Vec<_> = envelope.messages.iter().map(|m| message_item(m, &people, id)).collect();
    items.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let author = people.public_id(message.creator_id.as_deref().unwrap_or_default());
    let case = Case {
        kind: CaseKind::Message,
        id: id.to_owned(),
        internal_id: None,
        feed_id: Some(feed.to_owned()),
        excerpt: cases::excerpt(&data_text(&message.data)),
        author_name: people.name(&author),
        author_id: author,
        community_id: None,
        community_name: None,
        flag_count: message.flag_count,
        reporter_count: message.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(message.created_at.clone()),
        last_flagged_at: None,
        state: ReviewState::Open,
    };
    Ok(Some(Found { case, thread: around_subject(items), community: None, members: Vec::new() }))
}

async fn user_case(upstream: &Client, id: &str) -> Result<Option<Found>, Error> {
    let Some(envelope) = ok_or_none(upstream.send(&GetUser { user_id: id }).await)? else { return Ok(None) };
    let Some(user) = envelope.users.iter().find(|u| u.user_id == id) else { return Ok(None) };
    let mut case = cases::from_user(user);
    case.last_flagged_at = None;
    Ok(Some(Found { case, thread: Vec::new(), community: None, members: Vec::new() }))
}

async fn author_panel(
    upstream: &Client,
    db: &SqlitePool,
    case: &Case,
    members: &[CommunityUser],
    now: OffsetDateTime,
) -> Result<Option<AuthorPanel>, Error> {
    if case.author_id.is_empty() {
        return Ok(None);
    }
    let Some(envelope) = ok_or_none(upstream.send(&GetUser { user_id: &case.author_id }).await)? else {
        return Ok(None);
    };
    let Some(user) = envelope.users.iter().find(|u| u.user_id == case.author_id) else { return Ok(None) };
    let internal =
        user.user_internal_id.clone().or_else(|| user.id.clone()).unwrap_or_else(|| user.user_id.clone());
    let history = upstream
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            creator_ids: vec![internal],
            limit: Some(HISTORY),
            ..Default::default()
        }))
        .await?;
    let recent = upstream
        .send(&QueryPosts(&PostQuery {
            target_id: user.user_id.clone(),
            target_type: Some(FeedTarget::User),
            limit: Some(5),
            ..Default::default()
        }))
        .await?;
    let recent_people = People::new(&recent.users);
    Ok(Some(AuthorPanel {
        user_id: user.user_id.clone(),
        display_name: user.display_name.clone().unwrap_or_default(),
        description: user.description.clone().unwrap_or_default(),
        roles: user.roles.clone(),
        created_at: user.created_at.clone(),
        account_age_days: account_age_days(user, now),
        flag_count: user.flag_count,
        is_global_ban: user.is_global_ban,
        is_community_banned: members.iter().any(|m| {
            m.user_id == user.user_id && m.is_banned && Some(&m.community_id) == case.community_id.as_ref()
        }),
        is_deleted: user.is_deleted,
        flag_history: cases::from_feed(&history),
        prior_actions: prior_actions(db, &user.user_id).await?,
        recent_content: recent.posts.iter().map(|p| post_item(p, &recent_people, false)).collect(),
    }))
}

fn account_age_days(user: &User, now: OffsetDateTime) -> i64 {
    OffsetDateTime::parse(&user.created_at, &Rfc3339).map_or(0, |created| (now - created).whole_days().max(0))
}

/// Moderation actions the console recorded against this user (any action naming them as
/// target), newest first; denied attempts and page views are left out.
async fn prior_actions(db: &SqlitePool, user_id: &str) -> Result<Vec<PriorAction>, Error> {
    let query =
        AuditQuery { filter: AuditFilter { target: user_id.to_owned(), ..Default::default() }, cursor: None };
    let page = crate::audit::query::page(db, &query, HISTORY)
        .await
        .map_err(|e| Error::Internal(format!("reading the audit trail: {e}")))?;
    Ok(page
        .items
        .into_iter()
        .filter(|e| e.outcome != "denied" && e.action != "open_page")
        .map(|e| PriorAction {
            at: e.at,
            action: e.action,
            actor_id: e.actor_id,
            reason: e.reason,
            outcome: e.outcome,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, subject: bool) -> ContextItem {
        ContextItem {
            kind: CaseKind::Comment,
            id: id.into(),
            author: String::new(),
            text: String::new(),
            created_at: id.into(),
            flag_count: 0,
            is_deleted: false,
            is_subject: subject,
        }
    }

    #[test]
    fn the_thread_keeps_five_neighbours_on_each_side_of_the_subject() {
        let items: Vec<_> = (0..30).map(|i| item(&format!("{i:02}"), i == 20)).collect();
        let kept = around_subject(items);
        assert_eq!(kept.first().map(|i| i.id.as_str()), Some("15"));
        assert_eq!(kept.last().map(|i| i.id.as_str()), Some("25"));
        assert_eq!(kept.len(), 11);
    }
}
