//! Turning what each upstream source answers into [`Case`]s. Pure functions over wire types:
//! the side-loaded arrays are joined by id here, the way the API expects clients to.

use std::collections::HashMap;
use types::queue::{AiScore, Case, CaseKind, ReviewState};
use upstream::wire::{
    Comment, Community, Content, ContentType, Message, ModerationFeedEnvelope, Post, ReviewedType,
    TargetType, User,
};

/// Characters of text kept in a queue row.
pub const EXCERPT_CHARS: usize = 160;

/// The first [`EXCERPT_CHARS`] characters of `text` on one line.
pub fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(EXCERPT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The text of a comment's or message's free-form `data`.
pub fn data_text(data: &serde_json::Map<String, serde_json::Value>) -> String {
    data.get("text").and_then(|t| t.as_str()).unwrap_or_default().to_owned()
}

/// Display names by public id and public ids by internal id, from side-loaded users.
pub struct People<'a> {
    by_public: HashMap<&'a str, &'a User>,
    by_internal: HashMap<&'a str, &'a User>,
}

impl<'a> People<'a> {
    /// Indexes `users`.
    pub fn new(users: &'a [User]) -> Self {
        let mut by_internal = HashMap::new();
        for user in users {
            for internal in [user.user_internal_id.as_deref(), user.id.as_deref()].into_iter().flatten() {
                by_internal.insert(internal, user);
            }
        }
        Self { by_public: users.iter().map(|u| (u.user_id.as_str(), u)).collect(), by_internal }
    }

    /// The public id for an id that may be internal.
    pub fn public_id(&self, id: &str) -> String {
        self.by_internal.get(id).map_or_else(|| id.to_owned(), |u| u.user_id.clone())
    }

    /// The display name of a public id, or empty.
    pub fn name(&self, public_id: &str) -> String {
        self.by_public.get(public_id).and_then(|u| u.display_name.clone()).unwrap_or_default()
    }
}

/// Community names by id.
pub fn community_names(communities: &[Community]) -> HashMap<String, String> {
    communities.iter().map(|c| (c.community_id.clone(), c.display_name.clone())).collect()
}

fn ai_scores(content: &Content) -> Vec<AiScore> {
    let mut scores: Vec<AiScore> = content
        .ai_moderation
        .iter()
        .flat_map(|ai| ai.categories.iter())
        .map(|c| AiScore { category: c.name.clone(), score: c.score })
        .collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score));
    scores
}

fn review_state(content: &Content) -> ReviewState {
    match content.manual_review.as_ref().map(|r| r.reviewed_type) {
        Some(ReviewedType::Delete) => ReviewState::Deleted,
        Some(ReviewedType::ClearFlag) => ReviewState::Kept,
        _ => ReviewState::Open,
    }
}

/// The cases of one page of the moderation feed. Items whose content was not side-loaded
/// are still listed, with what the feed item itself says.
pub fn from_feed(feed: &ModerationFeedEnvelope) -> Vec<Case> {
    let side = &feed.side;
    let people = People::new(&side.users);
    let communities = community_names(&side.communities);
    let posts: HashMap<&str, &Post> =
        side.posts.iter().chain(&side.post_children).map(|p| (p.post_id.as_str(), p)).collect();
    let comments: HashMap<&str, &Comment> =
        side.comments.iter().chain(&feed.comment_children).map(|c| (c.comment_id.as_str(), c)).collect();
    feed.contents
        .iter()
        .filter_map(|content| {
            let id = content.content_public_id.clone().unwrap_or_else(|| content.content_id.clone());
            let kind = match content.content_type {
                ContentType::Post => CaseKind::Post,
                ContentType::Comment => CaseKind::Comment,
                ContentType::Unknown => return None,
            };
            let (text, author, created_at, post) = match kind {
                CaseKind::Comment => {
                    let comment = comments.get(id.as_str());
                    let post = comment.and_then(|c| c.reference_id.as_deref()).and_then(|p| posts.get(p));
                    (
                        comment.map(|c| data_text(&c.data)).unwrap_or_default(),
                        comment.and_then(|c| c.user_id.clone()),
                        comment.map(|c| c.created_at.clone()),
                        post.copied(),
                    )
                }
                _ => {
                    let post = posts.get(id.as_str()).copied();
                    let text = post.and_then(|p| p.data.text.clone()).unwrap_or_default();
                    (
                        text,
                        post.and_then(|p| p.posted_user_id.clone()),
                        post.map(|p| p.created_at.clone()),
                        post,
                    )
                }
            };
            let author = author
                .or_else(|| content.user_id.as_deref().map(|u| people.public_id(u)))
                .unwrap_or_default();
            let community_id = post
                .filter(|p| p.target_type == Some(TargetType::Community))
                .and_then(|p| p.target_id.clone())
                .or_else(|| {
                    (content.target_type.as_deref() == Some("community"))
                        .then(|| content.target_id.clone())
                        .flatten()
                });
            Some(Case {
                kind,
                internal_id: Some(content.content_id.clone()),
                feed_id: None,
                excerpt: excerpt(&text),
                author_name: people.name(&author),
                author_id: author,
                community_name: community_id.as_ref().and_then(|c| communities.get(c).cloned()),
                community_id,
                flag_count: content.flag_count,
                reporter_count: content.flag_count,
                reasons: Vec::new(),
                ai: ai_scores(content),
                created_at,
                last_flagged_at: content.last_flagged_at.clone(),
                state: review_state(content),
                id,
            })
        })
        .collect()
}

/// A flagged user as a case.
pub fn from_user(user: &User) -> Case {
    let name = user.display_name.clone().unwrap_or_default();
    let about = user.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| name.clone());
    Case {
        kind: CaseKind::User,
        id: user.user_id.clone(),
        internal_id: user.user_internal_id.clone(),
        feed_id: None,
        excerpt: excerpt(&about),
        author_id: user.user_id.clone(),
        author_name: name,
        community_id: None,
        community_name: None,
        flag_count: user.flag_count,
        reporter_count: user.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(user.created_at.clone()),
        // Social+ does not say when a user was last flagged; their last update is the nearest.
        last_flagged_at: Some(user.updated_at.clone()),
        state: ReviewState::Open,
    }
}

/// A post waiting for approval in `community`.
pub fn from_pending_post(post: &Post, people: &People<'_>, community: &Community) -> Case {
    let author = post.posted_user_id.clone().unwrap_or_default();
    Case {
        kind: CaseKind::Post,
        id: post.post_id.clone(),
        internal_id: None,
        feed_id: None,
        excerpt: excerpt(post.data.text.as_deref().unwrap_or_default()),
        author_name: people.name(&author),
        author_id: author,
        community_id: Some(community.community_id.clone()),
        community_name: Some(community.display_name.clone()),
        flag_count: post.flag_count,
        reporter_count: post.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(post.created_at.clone()),
        // Submitted for approval when it was written.
        last_flagged_at: Some(post.created_at.clone()),
        state: ReviewState::Pending,
    }
}

/// A flagged message of `community`'s chat.
pub fn from_message(message: &Message, people: &People<'_>, community: &Community) -> Case {
    let author = people.public_id(message.creator_id.as_deref().unwrap_or_default());
    Case {
        kind: CaseKind::Message,
        id: message.message_id.clone(),
        internal_id: None,
        feed_id: message.message_feed_id.clone(),
        excerpt: excerpt(&data_text(&message.data)),
        author_name: people.name(&author),
        author_id: author,
        community_id: Some(community.community_id.clone()),
        community_name: Some(community.display_name.clone()),
        flag_count: message.flag_count,
        reporter_count: message.flag_count,
        reasons: Vec::new(),
        ai: Vec::new(),
        created_at: Some(message.created_at.clone()),
        // Messages carry no flag time; their last update is the nearest.
        last_flagged_at: Some(message.updated_at.clone()),
        state: ReviewState::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(excerpt("a\n\n b\tc"), "a b c");
        let long = "x".repeat(EXCERPT_CHARS + 10);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn feed_items_join_their_side_loaded_post_author_and_community() {
        let json = serde_json::json!({
            "contents": [
                {"contentId": "i1", "contentPublicId": "p1", "contentType": "post", "flagCount": 3,
                 "lastFlaggedAt": "2026-11-01T00:00:00.000Z", "userId": "int-u1",
                 "targetId": "c1", "targetType": "community",
                 "aiModeration": {"categories": [{"name": "Spam", "score": 0.2}, {"name": "Violence", "score": 0.9}]}},
                {"contentId": "i2", "contentType": "comment", "flagCount": 1,
                 "manualReview": {"reviewedType": "clearFlag"}}
            ],
            "posts": [{"postId": "p1", "postedUserId": "u1", "targetId": "c1", "targetType": "community",
                       "data": {"text": "<script>alert(1)</script>"}, "createdAt": "2026-10-01T00:00:00.000Z",
                       "updatedAt": "2026-10-01T00:00:00.000Z"}],
            "users": [{"userId": "u1", "userInternalId": "int-u1", "displayName": "Ann",
                       "createdAt": "x", "updatedAt": "x"}],
            "communities": [{"communityId": "c1", "channelId": "c1", "displayName": "Gardening"}]
        });
        let feed: ModerationFeedEnvelope = serde_json::from_value(json).expect("feed decodes");
        let cases = from_feed(&feed);
        assert_eq!(cases.len(), 2);
        let post = &cases[0];
        assert_eq!((post.kind, post.id.as_str(), post.author_name.as_str()), (CaseKind::Post, "p1", "Ann"));
        assert_eq!(post.excerpt, "<script>alert(1)</script>");
        assert_eq!(post.community_name.as_deref(), Some("Gardening"));
        assert_eq!(post.ai.first().map(|a| a.category.as_str()), Some("Violence"));
        assert_eq!(post.internal_id.as_deref(), Some("i1"));
        let comment = &cases[1];
        assert_eq!((comment.id.as_str(), comment.state), ("i2", ReviewState::Kept));
    }
}
