//! The console's view of the network's users: list rows, detail, and the list query.
//!
//! The query is what the Users page keeps in its URL (`?q=&filter=&sort=&cursor=`), so it
//! round-trips through [`UserListQuery::to_query_string`] and [`UserListQuery::from_pairs`].

use crate::choice::Choice;
use serde::{Deserialize, Serialize};

pub mod activity;
pub mod bulk;
pub mod forms;

/// Which users to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserFilter {
    /// Everyone who is not deleted.
    #[default]
    All,
    /// Users with at least one flag.
    Flagged,
    /// Globally banned users. Social+ cannot filter on this: the console scans pages.
    Banned,
    /// Deleted users (the upstream's `isDeleted=true`).
    Deleted,
}

impl UserFilter {
    /// Whether Social+ answers this filter itself; otherwise the console filters the pages it
    /// reads (see `docs/contract-notes.md`).
    pub fn is_upstream(self) -> bool {
        !matches!(self, UserFilter::Banned)
    }
}

impl Choice for UserFilter {
    const ALL: &'static [Self] =
        &[UserFilter::All, UserFilter::Flagged, UserFilter::Banned, UserFilter::Deleted];

    fn as_str(self) -> &'static str {
        match self {
            UserFilter::All => "all",
            UserFilter::Flagged => "flagged",
            UserFilter::Banned => "banned",
            UserFilter::Deleted => "deleted",
        }
    }

    fn label(self) -> &'static str {
        match self {
            UserFilter::All => "All users",
            UserFilter::Flagged => "Flagged",
            UserFilter::Banned => "Banned",
            UserFilter::Deleted => "Deleted",
        }
    }
}

/// Order of the user list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    /// By display name, A to Z (the upstream's default).
    #[default]
    Name,
    /// Most recently created first.
    Newest,
    /// Oldest first.
    Oldest,
}

impl Choice for UserSort {
    const ALL: &'static [Self] = &[UserSort::Name, UserSort::Newest, UserSort::Oldest];

    fn as_str(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::Newest => "newest",
            UserSort::Oldest => "oldest",
        }
    }

    fn label(self) -> &'static str {
        match self {
            UserSort::Name => "Name (A–Z)",
            UserSort::Newest => "Newest first",
            UserSort::Oldest => "Oldest first",
        }
    }
}

/// An optional column of the Users table (the name column is always shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserColumn {
    /// The public user id.
    UserId,
    /// Role badges.
    Roles,
    /// Flag count.
    Flags,
    /// Ban state.
    Banned,
    /// Creation date.
    Created,
}

impl UserColumn {
    /// Every optional column, in table order.
    pub const ALL: [UserColumn; 5] =
        [UserColumn::UserId, UserColumn::Roles, UserColumn::Flags, UserColumn::Banned, UserColumn::Created];

    /// URL name.
    pub fn as_str(self) -> &'static str {
        match self {
            UserColumn::UserId => "user_id",
            UserColumn::Roles => "roles",
            UserColumn::Flags => "flags",
            UserColumn::Banned => "banned",
            UserColumn::Created => "created",
        }
    }

    /// Column header.
    pub fn label(self) -> &'static str {
        match self {
            UserColumn::UserId => "User id",
            UserColumn::Roles => "Roles",
            UserColumn::Flags => "Flags",
            UserColumn::Banned => "Banned",
            UserColumn::Created => "Created",
        }
    }

    /// Reads `roles,flags` (unknown names and repeats are dropped), in table order.
    pub fn parse_list(value: &str) -> Vec<UserColumn> {
        let names: Vec<&str> = value.split(',').map(str::trim).collect();
        Self::ALL.into_iter().filter(|c| names.contains(&c.as_str())).collect()
    }
}

/// The longest keyword the upstream accepts.
pub const MAX_KEYWORD_CHARS: usize = 100;

/// What the Users page asks for; lives in the page URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserListQuery {
    /// Search text matched against display names; empty means no search.
    pub keyword: String,
    /// Which users.
    pub filter: UserFilter,
    /// Which order.
    pub sort: UserSort,
    /// Only users holding this role id; empty means any. Social+ cannot filter on roles: the
    /// console scans pages.
    #[serde(default)]
    pub role: String,
    /// Table columns the person chose to hide (the columns chooser).
    #[serde(default)]
    pub hidden: Vec<UserColumn>,
    /// Opaque cursor of the page to show; `None` is the first page.
    pub cursor: Option<String>,
}

impl UserListQuery {
    /// Whether rows are filtered by the console rather than by Social+.
    pub fn scans(&self) -> bool {
        !self.filter.is_upstream() || !self.role.is_empty()
    }

    /// Builds the query from URL pairs (`q`, `filter`, `sort`, `role`, `cursor`); unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self::default();
        for (key, value) in pairs {
            match key {
                "q" => query.keyword = crate::url::clipped(value, MAX_KEYWORD_CHARS),
                "filter" => query.filter = UserFilter::parse(value),
                "sort" => query.sort = UserSort::parse(value),
                "hide" => query.hidden = UserColumn::parse_list(value),
                "role" => query.role = crate::url::clipped(value, forms::ROLE_MAX_CHARS),
                "cursor" if !value.is_empty() => query.cursor = Some(value.to_owned()),
                _ => {}
            }
        }
        query
    }

    /// The same query at another cursor (for next/previous links).
    pub fn at(&self, cursor: Option<String>) -> Self {
        Self { cursor, ..self.clone() }
    }

    /// URL pairs, leaving out defaults so links stay short.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.keyword.is_empty() {
            pairs.push(("q", self.keyword.clone()));
        }
        if self.filter != UserFilter::default() {
            pairs.push(("filter", self.filter.as_str().to_owned()));
        }
        if self.sort != UserSort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if !self.role.is_empty() {
            pairs.push(("role", self.role.clone()));
        }
        if !self.hidden.is_empty() {
            let names: Vec<&str> = self.hidden.iter().map(|c| c.as_str()).collect();
            pairs.push(("hide", names.join(",")));
        }
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        pairs
    }

    /// `?q=…&filter=…` (or empty) — percent-encoded for use in an `href`.
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

/// One row of the Users table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// The network's public user id.
    pub user_id: String,
    /// Display name; may be empty upstream, in which case the UI shows the id.
    pub display_name: String,
    /// Social+ roles (system and custom).
    pub roles: Vec<String>,
    /// How many times the user has been flagged.
    pub flag_count: u64,
    /// Globally banned.
    pub is_global_ban: bool,
    /// Soft-deleted upstream.
    pub is_deleted: bool,
    /// Creation time, ISO-8601 UTC.
    pub created_at: String,
}

impl UserRow {
    /// The name to show: the display name, or the user id when the display name is empty.
    pub fn shown_name(&self) -> &str {
        if self.display_name.is_empty() { &self.user_id } else { &self.display_name }
    }
}

/// An avatar file side-loaded with the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Upstream file id.
    pub file_id: String,
    /// File name, when known.
    pub name: Option<String>,
    /// MIME type, when known.
    pub mime_type: Option<String>,
    /// Size in bytes, when known.
    pub size: Option<u64>,
}

/// Everything the user detail page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    /// The row fields.
    pub row: UserRow,
    /// Public id as the upstream reports it (usually equal to `user_id`).
    pub user_public_id: Option<String>,
    /// Internal id (used by some admin filters).
    pub user_internal_id: Option<String>,
    /// Free-text profile description.
    pub description: String,
    /// Permissions granted by the user's roles.
    pub permissions: Vec<String>,
    /// Custom metadata, pretty-printed JSON.
    pub metadata_json: String,
    /// Avatar file id and its side-loaded file record, when the user has one.
    pub avatar: Option<FileInfo>,
    /// Avatar URL set directly instead of a file.
    pub avatar_custom_url: Option<String>,
    /// Brand account.
    pub is_brand: bool,
    /// Last update, ISO-8601 UTC.
    pub updated_at: String,
    /// The latest posts on the user's own feed, newest first.
    #[serde(default)]
    pub recent_posts: Vec<ContentLine>,
    /// The audit trail's entries about this user, newest first (only for roles that may
    /// read the audit trail).
    #[serde(default)]
    pub audit: Vec<crate::audit::AuditEntry>,
    /// The console's timed bans of this user (scheduled, lifted or superseded), newest first.
    #[serde(default)]
    pub timed_bans: Vec<crate::moderation::TimedBan>,
    /// What the person looking may do, so the page offers only the forms they can use
    /// (cosmetic: every server function checks again).
    #[serde(default)]
    pub your_permissions: Vec<crate::Permission>,
    /// The latest activity the console knows of (events, community memberships), else the
    /// profile's last update; the source says which.
    #[serde(default)]
    pub last_activity: Option<activity::LastActivity>,
    /// The communities the console's records connect to the user, checked live.
    #[serde(default)]
    pub communities: activity::Communities,
    /// Bans, unbans and timed bans of this user from the audit trail, newest first.
    #[serde(default)]
    pub ban_history: Vec<crate::audit::AuditEntry>,
    /// Flag events about the user the console stored, newest first.
    #[serde(default)]
    pub flag_events: Vec<activity::FlagEvent>,
}

/// One piece of content in a short list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentLine {
    /// Upstream id.
    pub id: String,
    /// The first words of its text (or its kind when it has none).
    pub excerpt: String,
    /// Creation time, ISO-8601 UTC.
    pub created_at: String,
    /// Flags on it.
    pub flag_count: u64,
    /// Deleted upstream.
    pub is_deleted: bool,
}

/// What a user form changed, for the confirmation the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChanged {
    /// The user.
    pub user_id: String,
    /// One sentence saying what was done.
    pub summary: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_round_trips_through_its_url_pairs() {
        let query = UserListQuery {
            keyword: "Zoë & co".into(),
            filter: UserFilter::Flagged,
            sort: UserSort::Newest,
            role: "moderator".into(),
            hidden: vec![UserColumn::Roles, UserColumn::Created],
            cursor: Some("eyJza2lwIjoxMH0=".into()),
        };
        let pairs = query.to_pairs();
        let back = UserListQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn defaults_are_left_out_of_the_url() {
        assert_eq!(UserListQuery::default().to_query_string(), "");
        let query = UserListQuery { keyword: "ann".into(), ..Default::default() };
        assert_eq!(query.to_query_string(), "?q=ann");
    }

    #[test]
    fn the_query_string_is_percent_encoded() {
        let query = UserListQuery { keyword: "Zoë & co".into(), ..Default::default() };
        assert_eq!(query.to_query_string(), "?q=Zo%C3%AB%20%26%20co");
    }

    #[test]
    fn a_user_without_a_display_name_is_shown_by_id() {
        let mut row = UserRow {
            user_id: "u-1".into(),
            display_name: String::new(),
            roles: Vec::new(),
            flag_count: 0,
            is_global_ban: false,
            is_deleted: false,
            created_at: String::new(),
        };
        assert_eq!(row.shown_name(), "u-1");
        row.display_name = "Zoë".into();
        assert_eq!(row.shown_name(), "Zoë");
    }

    #[test]
    fn unknown_url_values_fall_back_to_defaults_and_keywords_are_capped() {
        let long = "x".repeat(500);
        let query = UserListQuery::from_pairs([
            ("filter", "bogus"),
            ("sort", "sideways"),
            ("q", long.as_str()),
            ("cursor", ""),
            ("hide", "created,bogus,roles,roles"),
        ]);
        assert_eq!(query.hidden, vec![UserColumn::Roles, UserColumn::Created]);
        assert_eq!(query.filter, UserFilter::All);
        assert_eq!(query.sort, UserSort::Name);
        assert_eq!(query.keyword.chars().count(), MAX_KEYWORD_CHARS);
        assert_eq!(query.cursor, None);
    }
}
