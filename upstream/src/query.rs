//! Typed query parameters, encoded in the API's `qs` bracket style
//! (`options[limit]=20&options[token]=…`, `userIds[]=a&userIds[]=b`).

/// `filter` of `GET /api/v3/users`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UserQueryFilter {
    /// Everyone.
    #[default]
    All,
    /// Users with at least one flag.
    Flagged,
}

impl UserQueryFilter {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            UserQueryFilter::All => "all",
            UserQueryFilter::Flagged => "flagged",
        }
    }
}

/// `sortBy` of `GET /api/v3/users`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UserSortBy {
    /// By display name (the API's default).
    #[default]
    DisplayName,
    /// Oldest first.
    FirstCreated,
    /// Newest first.
    LastCreated,
}

impl UserSortBy {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            UserSortBy::DisplayName => "displayName",
            UserSortBy::FirstCreated => "firstCreated",
            UserSortBy::LastCreated => "lastCreated",
        }
    }
}

/// Parameters of `GET /api/v3/users`. `None` fields are left out so the API's defaults apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Search text (≤ 100 characters).
    pub keyword: Option<String>,
    /// Match the keyword exactly instead of as a partial match.
    pub exact_match_keyword: bool,
    /// All or flagged users.
    pub filter: UserQueryFilter,
    /// Order.
    pub sort_by: UserSortBy,
    /// `true`: only deleted users; `false`: only live ones (the spec's default).
    pub is_deleted: Option<bool>,
    /// Page size, 1..=100 (API default 10).
    pub limit: Option<u32>,
    /// Paging token from a previous answer.
    pub token: Option<String>,
}

impl UserQuery {
    /// The query pairs, in bracket style.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(keyword) = self.keyword.as_deref().filter(|k| !k.is_empty()) {
            pairs.push(("keyword".to_owned(), keyword.to_owned()));
        }
        if self.exact_match_keyword {
            pairs.push(("exactMatchKeyword".to_owned(), "true".to_owned()));
        }
        pairs.push(("filter".to_owned(), self.filter.as_str().to_owned()));
        pairs.push(("sortBy".to_owned(), self.sort_by.as_str().to_owned()));
        if let Some(is_deleted) = self.is_deleted {
            pairs.push(("isDeleted".to_owned(), is_deleted.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("options[limit]".to_owned(), limit.to_string()));
        }
        if let Some(token) = &self.token {
            pairs.push(("options[token]".to_owned(), token.clone()));
        }
        pairs
    }
}

/// `userIds[]=a&userIds[]=b` for `GET /api/v3/users/list`.
pub fn user_ids_pairs(user_ids: &[String]) -> Vec<(String, String)> {
    user_ids.iter().map(|id| ("userIds[]".to_owned(), id.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_use_bracket_keys_and_defaults_are_explicit() {
        let query = UserQuery {
            keyword: Some("ann".into()),
            filter: UserQueryFilter::Flagged,
            sort_by: UserSortBy::LastCreated,
            limit: Some(25),
            token: Some("abc".into()),
            ..Default::default()
        };
        let pairs = query.to_pairs();
        let as_str: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            as_str,
            vec![
                ("keyword", "ann"),
                ("filter", "flagged"),
                ("sortBy", "lastCreated"),
                ("options[limit]", "25"),
                ("options[token]", "abc"),
            ]
        );
    }

    #[test]
    fn an_empty_keyword_is_left_out() {
        let query = UserQuery { keyword: Some(String::new()), ..Default::default() };
        assert!(query.to_pairs().iter().all(|(k, _)| k != "keyword"));
    }
}
