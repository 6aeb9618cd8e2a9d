//! Typed query parameters of the content endpoints (posts, comments, messages, stories,
//! communities, the moderation feed), in the API's `qs` bracket style. `None` and empty
//! fields are left out so the API's defaults apply.

/// An enum with fixed wire values.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// The wire value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }
    };
}

wire_enum!(
    /// `sortBy` of posts and comments.
    ContentSortBy {
        /// Newest first (the API's default).
        LastCreated => "lastCreated",
        /// Oldest first.
        FirstCreated => "firstCreated",
        /// Most recently updated first.
        LastUpdated => "lastUpdated",
        /// Least recently updated first.
        FirstUpdated => "firstUpdated",
    }
);

wire_enum!(
    /// `feedType[]` of `GET /api/v4/posts`.
    PostFeedType {
        /// Published posts.
        Published => "published",
        /// Posts waiting for review.
        Reviewing => "reviewing",
    }
);

wire_enum!(
    /// `targetType` of posts and stories.
    FeedTarget {
        /// A community.
        Community => "community",
        /// A user.
        User => "user",
        /// Custom content.
        Content => "content",
    }
);

wire_enum!(
    /// `sortBy` of communities and community members.
    CommunitySortBy {
        /// Newest first (the API's default).
        LastCreated => "lastCreated",
        /// Oldest first.
        FirstCreated => "firstCreated",
        /// By name.
        DisplayName => "displayName",
    }
);

wire_enum!(
    /// `memberships[]` of `GET /api/v3/communities/{communityId}/users`.
    MembershipFilter {
        /// Members.
        Member => "member",
        /// Banned users.
        Banned => "banned",
    }
);

wire_enum!(
    /// `contentTypes[]` of the moderation feed.
    ModerationContentType {
        /// Posts.
        Post => "post",
        /// Comments.
        Comment => "comment",
        /// Image posts.
        Photo => "photo",
        /// Video posts.
        Video => "video",
        /// File posts.
        File => "file",
    }
);

wire_enum!(
    /// `sortBy[type]` of the moderation feed.
    ModerationSortBy {
        /// Latest flag (the API's default).
        LastFlaggedAt => "lastFlaggedAt",
        /// Number of flags.
        FlagCount => "flagCount",
        /// Latest review.
        LastReviewedAt => "lastReviewedAt",
    }
);

wire_enum!(
    /// `asc` / `desc`.
    SortOrder {
        /// Ascending.
        Asc => "asc",
        /// Descending.
        Desc => "desc",
    }
);

/// Builds bracket-style pairs.
#[derive(Default)]
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn add(&mut self, key: &str, value: impl ToString) {
        self.0.push((key.to_owned(), value.to_string()));
    }
    fn opt(&mut self, key: &str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.add(key, value);
        }
    }
    fn text(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.add(key, value);
        }
    }
    fn list<T: ToString>(&mut self, key: &str, values: impl IntoIterator<Item = T>) {
        for value in values {
            self.add(&format!("{key}[]"), value);
        }
    }
    fn paging(&mut self, limit: Option<u32>, token: Option<&str>) {
        self.opt("options[limit]", limit);
        self.text("options[token]", token);
    }
}

/// Parameters of `GET /api/v4/posts`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostQuery {
    /// Community id or user id whose feed to read (required).
    pub target_id: String,
    /// Kind of target.
    pub target_type: Option<FeedTarget>,
    /// Published and/or reviewing (API default: published).
    pub feed_types: Vec<PostFeedType>,
    /// `true`: the post, a child or a comment is flagged; `false`: none is.
    pub has_flag: Option<bool>,
    /// `true`: only deleted; `false`: only live; `None`: both.
    pub is_deleted: Option<bool>,
    /// Order.
    pub sort_by: Option<ContentSortBy>,
    /// Only posts with these tags.
    pub tags: Vec<String>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl PostQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.add("targetId", &self.target_id);
        pairs.opt("targetType", self.target_type.map(FeedTarget::as_str));
        pairs.list("feedType", self.feed_types.iter().map(|f| f.as_str()));
        pairs.opt("hasFlag", self.has_flag);
        pairs.opt("isDeleted", self.is_deleted);
        pairs.opt("sortBy", self.sort_by.map(ContentSortBy::as_str));
        pairs.list("tags", &self.tags);
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /api/v3/comments`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommentQuery {
    /// Post, story or content id (required).
    pub reference_id: String,
    /// Kind of reference (API default: post).
    pub reference_type: Option<crate::wire::ReferenceType>,
    /// Only replies to this comment.
    pub parent_id: Option<String>,
    /// `false`: every comment of the reference, replies included.
    pub filter_by_parent_id: Option<bool>,
    /// Only flagged (`true`) or unflagged (`false`) comments.
    pub has_flag: Option<bool>,
    /// `true`: only deleted; `false`: only live; `None`: both.
    pub is_deleted: Option<bool>,
    /// Order.
    pub sort_by: Option<ContentSortBy>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl CommentQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.add("referenceId", &self.reference_id);
        pairs.opt("referenceType", self.reference_type.map(|r| r.as_str()));
        pairs.text("parentId", self.parent_id.as_deref());
        pairs.opt("filterByParentId", self.filter_by_parent_id);
        pairs.opt("hasFlag", self.has_flag);
        pairs.opt("isDeleted", self.is_deleted);
        pairs.opt("sortBy", self.sort_by.map(ContentSortBy::as_str));
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /api/v5/messages`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageQuery {
    /// The feed (required).
    pub message_feed_id: String,
    /// Only flagged (`true`) or unflagged (`false`) messages.
    pub has_flags: Option<bool>,
    /// `true`: only deleted; `false`: only live (the API's default).
    pub is_deleted: Option<bool>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl MessageQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.add("messageFeedId", &self.message_feed_id);
        pairs.opt("hasFlags", self.has_flags);
        pairs.opt("isDeleted", self.is_deleted);
        if self.oldest_first {
            pairs.add("options[sortBy]", "segmentAsc");
        }
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /api/v4/stories`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoryQuery {
    /// Community or user id (required).
    pub target_id: String,
    /// Kind of target (required by the API; community when `None`).
    pub target_type: Option<FeedTarget>,
    /// `true`: expired stories instead of live ones.
    pub is_expired: Option<bool>,
    /// Oldest first.
    pub order: Option<SortOrder>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl StoryQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.add("targetId", &self.target_id);
        pairs.add("targetType", self.target_type.unwrap_or(FeedTarget::Community).as_str());
        pairs.opt("isExpired", self.is_expired);
        pairs.opt("options[orderBy]", self.order.map(SortOrder::as_str));
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /api/v3/communities`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommunityQuery {
    /// Search in names (≤ 100 characters).
    pub keyword: Option<String>,
    /// Only this category.
    pub category_id: Option<String>,
    /// Only communities with a flagged post or comment (`true`) or without (`false`).
    pub has_flag: Option<bool>,
    /// `true`: only deleted; `false`: only live; `None`: both.
    pub is_deleted: Option<bool>,
    /// Order.
    pub sort_by: Option<CommunitySortBy>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl CommunityQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.text("keyword", self.keyword.as_deref());
        pairs.text("categoryId", self.category_id.as_deref());
        pairs.opt("hasFlag", self.has_flag);
        pairs.opt("isDeleted", self.is_deleted);
        pairs.opt("sortBy", self.sort_by.map(CommunitySortBy::as_str));
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /api/v3/communities/{communityId}/users`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommunityMemberQuery {
    /// Members and/or banned users (API default: members).
    pub memberships: Vec<MembershipFilter>,
    /// Only users with one of these community roles.
    pub roles: Vec<String>,
    /// Search in display names.
    pub search: Option<String>,
    /// Order.
    pub sort_by: Option<CommunitySortBy>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl CommunityMemberQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.list("memberships", self.memberships.iter().map(|m| m.as_str()));
        pairs.list("roles", &self.roles);
        pairs.text("search", self.search.as_deref());
        pairs.opt("sortBy", self.sort_by.map(CommunitySortBy::as_str));
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

/// Parameters of `GET /admin/v1/moderation-feeds`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModerationFeedQuery {
    /// Only content in community or user feeds.
    pub target_type: Option<FeedTarget>,
    /// Only these targets (internal ids).
    pub target_ids: Vec<String>,
    /// Only these authors (internal ids).
    pub creator_ids: Vec<String>,
    /// Only these kinds.
    pub content_types: Vec<ModerationContentType>,
    /// Only content with these tags.
    pub tags: Vec<String>,
    /// Content deleted by a review (`true`) or not (`false`).
    pub is_deleted: Option<bool>,
    /// Content whose flags a review cleared (`true`) or not (`false`).
    pub is_flag_cleared: Option<bool>,
    /// Order key (API default: lastFlaggedAt).
    pub sort_by: Option<ModerationSortBy>,
    /// Direction (API default: desc).
    pub order: Option<SortOrder>,
    /// Page size, 1..=100 (API default 20).
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl ModerationFeedQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Pairs::default();
        pairs.opt("targetType", self.target_type.map(FeedTarget::as_str));
        pairs.list("targetIds", &self.target_ids);
        pairs.list("creatorIds", &self.creator_ids);
        pairs.list("contentTypes", self.content_types.iter().map(|c| c.as_str()));
        pairs.list("tags", &self.tags);
        pairs.opt("isDeleted", self.is_deleted);
        pairs.opt("isFlagCleared", self.is_flag_cleared);
        pairs.opt("sortBy[type]", self.sort_by.map(ModerationSortBy::as_str));
        pairs.opt("sortBy[order]", self.order.map(SortOrder::as_str));
        pairs.paging(self.limit, self.token.as_deref());
        pairs.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_str(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn post_queries_repeat_array_keys_with_brackets() {
        let query = PostQuery {
            target_id: "c1".into(),
            target_type: Some(FeedTarget::Community),
            feed_types: vec![PostFeedType::Reviewing, PostFeedType::Published],
            has_flag: Some(true),
            is_deleted: Some(false),
            sort_by: Some(ContentSortBy::FirstUpdated),
            limit: Some(50),
            token: Some("t".into()),
            ..PostQuery::default()
        };
        assert_eq!(
            as_str(&query.to_pairs()),
            vec![
                ("targetId", "c1"),
                ("targetType", "community"),
                ("feedType[]", "reviewing"),
                ("feedType[]", "published"),
                ("hasFlag", "true"),
                ("isDeleted", "false"),
                ("sortBy", "firstUpdated"),
                ("options[limit]", "50"),
                ("options[token]", "t"),
            ]
        );
    }

    #[test]
    fn unset_filters_are_left_out_so_api_defaults_apply() {
        let pairs = PostQuery { target_id: "u".into(), ..PostQuery::default() }.to_pairs();
        assert_eq!(as_str(&pairs), vec![("targetId", "u")]);
        assert!(CommunityQuery { keyword: Some(String::new()), ..Default::default() }.to_pairs().is_empty());
    }

    #[test]
    fn the_moderation_feed_sort_uses_nested_brackets() {
        let query = ModerationFeedQuery {
            content_types: vec![ModerationContentType::Comment],
            creator_ids: vec!["a".into(), "b".into()],
            is_flag_cleared: Some(false),
            sort_by: Some(ModerationSortBy::FlagCount),
            order: Some(SortOrder::Asc),
            ..Default::default()
        };
        assert_eq!(
            as_str(&query.to_pairs()),
            vec![
                ("creatorIds[]", "a"),
                ("creatorIds[]", "b"),
                ("contentTypes[]", "comment"),
                ("isFlagCleared", "false"),
                ("sortBy[type]", "flagCount"),
                ("sortBy[order]", "asc"),
            ]
        );
    }

    #[test]
    fn member_and_message_queries_encode_their_options() {
        let members = CommunityMemberQuery {
            memberships: vec![MembershipFilter::Banned],
            roles: vec!["community-moderator".into()],
            search: Some("ann".into()),
            ..Default::default()
        };
        assert_eq!(
            as_str(&members.to_pairs()),
            vec![("memberships[]", "banned"), ("roles[]", "community-moderator"), ("search", "ann")]
        );
        let messages = MessageQuery {
            message_feed_id: "f".into(),
            has_flags: Some(true),
            oldest_first: true,
            limit: Some(5),
            ..Default::default()
        };
        assert_eq!(
            as_str(&messages.to_pairs()),
            vec![
                ("messageFeedId", "f"),
                ("hasFlags", "true"),
                ("options[sortBy]", "segmentAsc"),
                ("options[limit]", "5")
            ]
        );
        let stories = StoryQuery { target_id: "c".into(), ..Default::default() };
        assert_eq!(as_str(&stories.to_pairs()), vec![("targetId", "c"), ("targetType", "community")]);
    }
}
