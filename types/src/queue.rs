//! The moderation queue: one [`Case`] per flagged or pending content item or flagged user,
//! and the [`QueueQuery`] the Queue page keeps in its URL (tab, filters, sort, search,
//! cursor), which round-trips losslessly through [`QueueQuery::to_query_string`] and
//! [`QueueQuery::from_pairs`] so a filtered queue can be shared as a link.

use crate::choice::Choice;
use serde::{Deserialize, Serialize};

/// A `Choice` impl from `variant => url value, label` lines.
macro_rules! choice {
    ($name:ident { $($variant:ident => $wire:literal, $label:literal),+ $(,)? }) => {
        impl Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

/// What a case is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A post (flagged, AI-moderated or waiting for approval).
    #[default]
    Post,
    /// A comment.
    Comment,
    /// A chat message.
    Message,
    /// A user flagged as a person.
    User,
}

impl CaseKind {
    /// Reads the URL form (`post`, `comment`, `message`, `user`).
    pub fn from_url(value: &str) -> Option<Self> {
        [CaseKind::Post, CaseKind::Comment, CaseKind::Message, CaseKind::User]
            .into_iter()
            .find(|kind| kind.as_url() == value)
    }

    /// The URL form.
    pub fn as_url(self) -> &'static str {
        match self {
            CaseKind::Post => "post",
            CaseKind::Comment => "comment",
            CaseKind::Message => "message",
            CaseKind::User => "user",
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Flagged (or AI-moderated) and not reviewed yet.
    #[default]
    Open,
    /// A post waiting for approval in a community that reviews posts.
    Pending,
    /// A moderator cleared its flags (kept it).
    Kept,
    /// A moderator deleted it.
    Deleted,
}

/// One score of an AI moderation model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiScore {
    /// Category label, e.g. `Violence`.
    pub category: String,
    /// Confidence, 0..=1.
    pub score: f64,
}

/// One item of the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Post, comment, message or user.
    pub kind: CaseKind,
    /// Public id of the content (or of the user).
    pub id: String,
    /// Internal id the bulk content endpoints take (feed items only).
    pub internal_id: Option<String>,
    /// Message feed of a message case (messages are read per feed).
    pub feed_id: Option<String>,
    /// The first characters of the text, as plain text (never HTML).
    pub excerpt: String,
    /// Public id of the author (the user themself for a user case).
    pub author_id: String,
    /// The author's display name, when known.
    pub author_name: String,
    /// Public id of the community, when the content lives in one.
    pub community_id: Option<String>,
    /// The community's name, when known.
    pub community_name: Option<String>,
    /// Number of flags on the item.
    pub flag_count: u64,
    /// Distinct reporters. Social+ keeps one flag per user and item, and the queue merges the
    /// same item seen through several sources, so duplicate reports count once.
    pub reporter_count: u64,
    /// Reasons reporters gave, when the source carries them (4.92 flags carry none).
    pub reasons: Vec<String>,
    /// AI verdict scores, highest first; empty when no model looked at it.
    pub ai: Vec<AiScore>,
    /// When the content (or user) was created (ISO-8601), when known.
    pub created_at: Option<String>,
    /// When it was last flagged (or submitted for approval), when known.
    pub last_flagged_at: Option<String>,
    /// Review state.
    pub state: ReviewState,
}

impl Case {
    /// The case's stable key, `kind:id`, used for selection and as the row's DOM id.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_url(), self.id)
    }

    /// The case view's path.
    pub fn href(&self) -> String {
        let mut href =
            format!("/queue/case/{}/{}", self.kind.as_url(), crate::url::encode_component(&self.id));
        if let Some(feed) = &self.feed_id {
            href.push_str("?feed=");
            href.push_str(&crate::url::encode_component(feed));
        }
        href
    }

    /// The highest AI score, if any.
    pub fn top_ai(&self) -> Option<&AiScore> {
        self.ai.first()
    }

    /// What moderation actions on this case apply to (its key is [`Case::key`]).
    pub fn target(&self) -> crate::moderation::Target {
        use crate::moderation::{ContentKind, Target};
        let kind = match self.kind {
            CaseKind::Post => ContentKind::Post,
            CaseKind::Comment => ContentKind::Comment,
            CaseKind::Message => ContentKind::Message,
            CaseKind::User => return Target::User { id: self.id.clone() },
        };
        Target::Content { kind, id: self.id.clone() }
    }
}

/// Which part of the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueTab {
    /// Flagged content and users nobody reviewed yet.
    #[default]
    ToReview,
    /// Posts waiting for approval.
    Pending,
    /// What moderators already kept or deleted.
    Reviewed,
}
choice!(QueueTab { ToReview => "review", "To review", Pending => "pending", "Pending approval", Reviewed => "reviewed", "Reviewed" });

/// Content-type filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindFilter {
    /// Every kind.
    #[default]
    All,
    /// Posts only.
    Post,
    /// Comments only.
    Comment,
    /// Messages only.
    Message,
    /// Users only.
    User,
}
choice!(KindFilter { All => "all", "All types", Post => "post", "Posts", Comment => "comment", "Comments", Message => "message", "Messages", User => "user", "Users" });

impl KindFilter {
    /// Whether cases of this type can be on `tab`: only posts wait for approval, and the
    /// Reviewed tab shows what the moderation feed records (posts and comments).
    pub fn fits(self, tab: QueueTab) -> bool {
        match tab {
            QueueTab::ToReview => true,
            QueueTab::Pending => matches!(self, KindFilter::All | KindFilter::Post),
            QueueTab::Reviewed => matches!(self, KindFilter::All | KindFilter::Post | KindFilter::Comment),
        }
    }

    /// Whether `kind` passes.
    pub fn admits(self, kind: CaseKind) -> bool {
        match self {
            KindFilter::All => true,
            KindFilter::Post => kind == CaseKind::Post,
            KindFilter::Comment => kind == CaseKind::Comment,
            KindFilter::Message => kind == CaseKind::Message,
            KindFilter::User => kind == CaseKind::User,
        }
    }
}

/// How recent a case must be (by its last flag).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeFilter {
    /// Any age.
    #[default]
    Any,
    /// Last hour.
    Hour,
    /// Last 24 hours.
    Day,
    /// Last 7 days.
    Week,
    /// Last 30 days.
    Month,
}
choice!(AgeFilter { Any => "any", "Any time", Hour => "1h", "Last hour", Day => "24h", "Last 24 hours", Week => "7d", "Last 7 days", Month => "30d", "Last 30 days" });

impl AgeFilter {
    /// The window in seconds, `None` for any age.
    pub fn seconds(self) -> Option<i64> {
        match self {
            AgeFilter::Any => None,
            AgeFilter::Hour => Some(3_600),
            AgeFilter::Day => Some(86_400),
            AgeFilter::Week => Some(7 * 86_400),
            AgeFilter::Month => Some(30 * 86_400),
        }
    }
}

/// Order of the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    /// Most flags first.
    #[default]
    MostFlagged,
    /// Oldest content first.
    Oldest,
    /// Newest content first.
    Newest,
    /// Most recently flagged first.
    LastFlagged,
}
choice!(QueueSort { MostFlagged => "flags", "Most flagged", Oldest => "oldest", "Oldest first", Newest => "newest", "Newest first", LastFlagged => "last_flagged", "Last flagged" });

/// The longest search text kept.
pub const MAX_SEARCH_CHARS: usize = 100;

/// What the Queue page asks for; lives in the page URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// Which tab.
    pub tab: QueueTab,
    /// Content type.
    pub kind: KindFilter,
    /// Only this community (public id); empty for every community.
    pub community: String,
    /// Only cases an AI model scored in this category; empty for any.
    pub ai_category: String,
    /// Only cases with at least this many flags (0 = no minimum).
    pub min_flags: u64,
    /// Only cases flagged within this window.
    pub age: AgeFilter,
    /// Order.
    pub sort: QueueSort,
    /// Text matched against excerpts, authors and ids; empty for none.
    pub search: String,
    /// Opaque cursor of the page to show; `None` is the first page.
    pub cursor: Option<String>,
}

impl QueueQuery {
    /// This query on `tab`, from its first page. A type filter the tab cannot hold is
    /// dropped, so switching tabs never lands on a list that is empty by construction.
    pub fn for_tab(&self, tab: QueueTab) -> Self {
        let kind = if self.kind.fits(tab) { self.kind } else { KindFilter::All };
        Self { tab, kind, cursor: None, ..self.clone() }
    }

    /// Builds the query from URL pairs; unknown keys and malformed values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self::default();
        for (key, value) in pairs {
            match key {
                "tab" => query.tab = QueueTab::parse(value),
                "type" => query.kind = KindFilter::parse(value),
                "community" => query.community = value.trim().to_owned(),
                "ai" => query.ai_category = value.trim().to_owned(),
                "min_flags" => query.min_flags = value.trim().parse().unwrap_or(0),
                "age" => query.age = AgeFilter::parse(value),
                "sort" => query.sort = QueueSort::parse(value),
                "q" => query.search = crate::url::clipped(value, MAX_SEARCH_CHARS),
                "cursor" if !value.is_empty() => query.cursor = Some(value.to_owned()),
                _ => {}
            }
        }
        query
    }

    /// The same query at another cursor.
    pub fn at(&self, cursor: Option<String>) -> Self {
        Self { cursor, ..self.clone() }
    }

    /// URL pairs, leaving out defaults so links stay short.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |key, value: String, is_default: bool| {
            if !is_default {
                pairs.push((key, value));
            }
        };
        push("tab", self.tab.as_str().to_owned(), self.tab == QueueTab::default());
        push("type", self.kind.as_str().to_owned(), self.kind == KindFilter::default());
        push("community", self.community.clone(), self.community.is_empty());
        push("ai", self.ai_category.clone(), self.ai_category.is_empty());
        push("min_flags", self.min_flags.to_string(), self.min_flags == 0);
        push("age", self.age.as_str().to_owned(), self.age == AgeFilter::default());
        push("sort", self.sort.as_str().to_owned(), self.sort == QueueSort::default());
        push("q", self.search.clone(), self.search.is_empty());
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        pairs
    }

    /// `?tab=…&type=…` (or empty), percent-encoded for an `href`.
    pub fn to_query_string(&self) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{k}={}", crate::url::encode_component(v))).collect();
        format!("?{}", encoded.join("&"))
    }
}

/// One page of the queue plus what the filter menus offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    /// The cases on this page.
    pub cases: crate::Page<Case>,
    /// Cases matching the filters in the window read from Social+.
    pub total: u64,
    /// True when a source had more than the queue reads at once (the count is a floor).
    pub truncated: bool,
    /// Communities seen in the queue, `(id, name)`, for the community filter.
    pub communities: Vec<(String, String)>,
    /// AI categories seen in the queue, for the AI filter.
    pub ai_categories: Vec<String>,
}

/// One piece of content shown around a case (a parent post, a neighbouring comment or message).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextItem {
    /// What it is.
    pub kind: CaseKind,
    /// Public id.
    pub id: String,
    /// Author's display name (or id).
    pub author: String,
    /// The whole text, as plain text (rendered as text, never as HTML).
    pub text: String,
    /// When it was written.
    pub created_at: String,
    /// Flags on it.
    pub flag_count: u64,
    /// Deleted upstream.
    pub is_deleted: bool,
    /// This is the case's own content.
    pub is_subject: bool,
}

/// A sanction or other moderation action on the author, from the console's audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorAction {
    /// When.
    pub at: String,
    /// Action code, e.g. `ban_user`.
    pub action: String,
    /// Who did it.
    pub actor_id: String,
    /// The reason given.
    pub reason: Option<String>,
    /// `success`, `failure`…
    pub outcome: String,
}

/// Everything a moderator needs to know about the author of a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorPanel {
    /// Public id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Profile text.
    pub description: String,
    /// Social+ roles.
    pub roles: Vec<String>,
    /// Account creation (ISO-8601).
    pub created_at: String,
    /// Account age in whole days at the time of reading.
    pub account_age_days: i64,
    /// Flags on the user as a person.
    pub flag_count: u64,
    /// Globally banned.
    pub is_global_ban: bool,
    /// Banned in the case's community.
    pub is_community_banned: bool,
    /// Deleted.
    pub is_deleted: bool,
    /// Their content in the moderation feed (flag history), newest flag first.
    pub flag_history: Vec<Case>,
    /// Prior moderation actions on them, newest first.
    pub prior_actions: Vec<PriorAction>,
    /// Their latest posts on their own feed.
    pub recent_content: Vec<ContextItem>,
}

/// A case with its context, for the case view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The case itself.
    pub case: Case,
    /// The thread around it, in reading order (parent post first), the subject marked.
    pub thread: Vec<ContextItem>,
    /// Community `(id, name)`, when the content lives in one.
    pub community: Option<(String, String)>,
    /// The author, when their profile could be read.
    pub author: Option<AuthorPanel>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_tabs_keeps_filters_but_drops_a_type_the_tab_cannot_hold() {
        let comments = QueueQuery {
            kind: KindFilter::Comment,
            min_flags: 2,
            cursor: Some("50".into()),
            ..QueueQuery::default()
        };
        let pending = comments.for_tab(QueueTab::Pending);
        assert_eq!((pending.tab, pending.kind, pending.min_flags), (QueueTab::Pending, KindFilter::All, 2));
        assert_eq!(pending.cursor, None);
        let reviewed = comments.for_tab(QueueTab::Reviewed);
        assert_eq!(reviewed.kind, KindFilter::Comment);
        let posts = QueueQuery { kind: KindFilter::Post, ..QueueQuery::default() };
        assert_eq!(posts.for_tab(QueueTab::Pending).kind, KindFilter::Post);
        let users = QueueQuery { kind: KindFilter::User, ..QueueQuery::default() };
        assert_eq!(users.for_tab(QueueTab::Reviewed).kind, KindFilter::All);
        assert_eq!(users.for_tab(QueueTab::ToReview).kind, KindFilter::User);
    }

    fn parse(query: &str) -> QueueQuery {
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k.to_owned(), decode(v))
            })
            .collect();
        QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 3 <= bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex digit"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn every_filter_survives_a_trip_through_the_url() {
        let query = QueueQuery {
            tab: QueueTab::Reviewed,
            kind: KindFilter::Comment,
            community: "c 1&2".into(),
            ai_category: "Hate Symbols".into(),
            min_flags: 3,
            age: AgeFilter::Week,
            sort: QueueSort::Oldest,
            search: "spam é?".into(),
            cursor: Some("50".into()),
        };
        assert_eq!(parse(&query.to_query_string()), query);
    }

    #[test]
    fn the_default_queue_has_an_empty_query_string() {
        assert_eq!(QueueQuery::default().to_query_string(), "");
        assert_eq!(parse(""), QueueQuery::default());
    }

    #[test]
    fn malformed_values_fall_back_to_defaults() {
        let query = parse("?tab=nope&min_flags=-2&sort=x&age=&type=story");
        assert_eq!(query, QueueQuery::default());
    }

    #[test]
    fn case_links_carry_the_message_feed() {
        let case = Case {
            kind: CaseKind::Message,
            id: "m/1".into(),
            internal_id: None,
            feed_id: Some("f1".into()),
            excerpt: String::new(),
            author_id: "u".into(),
            author_name: String::new(),
            community_id: None,
            community_name: None,
            flag_count: 1,
            reporter_count: 1,
            reasons: vec![],
            ai: vec![],
            created_at: None,
            last_flagged_at: None,
            state: ReviewState::Open,
        };
        assert_eq!(case.href(), "/queue/case/message/m%2F1?feed=f1");
        assert_eq!(case.key(), "message:m/1");
        assert_eq!(case.target().key(), case.key(), "a case and its target share one key");
        assert_eq!(CaseKind::from_url("message"), Some(CaseKind::Message));
        assert_eq!(CaseKind::from_url("story"), None);
    }
}
