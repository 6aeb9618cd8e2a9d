//! Blocklist and allowlist rules: the v3 calls (`spec: v3/moderation/*`: list, add, verify)
//! and the v2 records (`/api/v2/blacklist/records`, `/api/v2/whitelist/records`: list, add,
//! replace, delete, enable), which are the only way to delete or switch a rule.

use super::{Endpoint, Request};
use crate::wire::{self, RuleListV2, RulePage, RuleToggle, RuleV2, Success};

/// Which list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Words that are refused.
    Block,
    /// Links that are allowed.
    Allow,
}

impl ListKind {
    fn v3(self) -> &'static str {
        match self {
            ListKind::Block => "blocklists",
            ListKind::Allow => "allowlists",
        }
    }

    fn v2(self) -> &'static str {
        match self {
            ListKind::Block => "blacklist",
            ListKind::Allow => "whitelist",
        }
    }
}

/// `GET /api/v3/blocklists` and `GET /api/v3/allowlists` parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleQuery {
    /// Only rules whose pattern contains this text.
    pub regex: Option<String>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Page size (1..=100).
    pub limit: Option<u32>,
    /// Paging token.
    pub token: Option<String>,
}

impl RuleQuery {
    /// The query pairs.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(regex) = self.regex.as_deref().filter(|r| !r.is_empty()) {
            pairs.push(("regex".to_owned(), regex.to_owned()));
        }
        let sort_by = if self.oldest_first { "firstCreated" } else { "lastCreated" };
        pairs.push(("sortBy".to_owned(), sort_by.to_owned()));
        if let Some(limit) = self.limit {
            pairs.push(("options[limit]".to_owned(), limit.to_string()));
        }
        if let Some(token) = &self.token {
            pairs.push(("options[token]".to_owned(), token.clone()));
        }
        pairs
    }
}

/// `GET /api/v3/blocklists` (or `/api/v3/allowlists` for [`ListKind::Allow`]): a page of rules.
#[derive(Clone, Copy, Debug)]
pub struct QueryRules<'a> {
    /// Which list.
    pub kind: ListKind,
    /// Search, order and page.
    pub query: &'a RuleQuery,
}

impl Endpoint for QueryRules<'_> {
    type Response = RulePage;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", self.kind.v3()]).with_query(self.query.to_pairs())
    }
}

/// `POST /api/v3/blocklists` (or `/api/v3/allowlists`): adds rules; not retried (it would add
/// them twice).
#[derive(Clone, Copy, Debug)]
pub struct AddRules<'a> {
    /// Which list.
    pub kind: ListKind,
    /// The patterns.
    pub rules: &'a wire::AddRules,
}

impl Endpoint for AddRules<'_> {
    type Response = Success;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", self.kind.v3()]).with_body(body(self.kind, self.rules))
    }
}

/// `POST /api/v3/blocklists/verify` (or `/api/v3/allowlists/verify`): 200 when every text
/// passes, 403 with 400308 (blocked word) or 400309 (link not allowed) otherwise.
#[derive(Clone, Copy, Debug)]
pub struct VerifyTexts<'a> {
    /// Which list.
    pub kind: ListKind,
    /// The texts to check.
    pub texts: &'a [String],
}

impl Endpoint for VerifyTexts<'_> {
    type Response = Success;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", self.kind.v3(), "verify"])
            .with_body(
                serde_json::to_value(wire::VerifyTexts { data: self.texts.to_vec() }).unwrap_or_default(),
            )
            .idempotent(true)
    }
}

/// `GET /api/v2/blacklist/records` (or `/api/v2/whitelist/records`): every rule.
#[derive(Clone, Copy, Debug)]
pub struct ListRecords {
    /// Which list.
    pub kind: ListKind,
}

impl Endpoint for ListRecords {
    type Response = RuleListV2;
    fn request(&self) -> Request {
        Request::get(&["api", "v2", self.kind.v2(), "records"])
    }
}

/// `POST /api/v2/blacklist/records` (or `whitelist`): adds rules; the spec defines no body for
/// the answer.
#[derive(Clone, Copy, Debug)]
pub struct AddRecords<'a> {
    /// Which list.
    pub kind: ListKind,
    /// The patterns.
    pub rules: &'a wire::AddRules,
}

impl Endpoint for AddRecords<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::post(&["api", "v2", self.kind.v2(), "records"]).with_body(body(self.kind, self.rules))
    }
}

/// `PUT /api/v2/blacklist/records` (or `whitelist`): replaces every rule with these (no body in
/// the answer).
#[derive(Clone, Copy, Debug)]
pub struct ReplaceRecords<'a> {
    /// Which list.
    pub kind: ListKind,
    /// The patterns that make up the whole list afterwards.
    pub regexs: &'a [String],
}

impl Endpoint for ReplaceRecords<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::put(&["api", "v2", self.kind.v2(), "records"])
            .with_body(serde_json::json!({ "regexs": self.regexs }))
    }
}

/// `DELETE /api/v2/blacklist/records` (or `whitelist`): deletes these rules (no body in the
/// answer).
#[derive(Clone, Copy, Debug)]
pub struct DeleteRecords<'a> {
    /// Which list.
    pub kind: ListKind,
    /// Rule ids.
    pub rule_ids: &'a [String],
}

impl Endpoint for DeleteRecords<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::delete(&["api", "v2", self.kind.v2(), "records"])
            .with_query(self.rule_ids.iter().map(|id| ("ruleIds[]".to_owned(), id.clone())).collect())
    }
}

/// `PUT /api/v2/blacklist/records/:ruleId` (or `whitelist`; the spec writes the parameter in
/// express style): switches one rule on or off.
#[derive(Clone, Copy, Debug)]
pub struct SetRecordEnabled<'a> {
    /// Which list.
    pub kind: ListKind,
    /// Rule id.
    pub rule_id: &'a str,
    /// On or off.
    pub is_enabled: bool,
}

impl Endpoint for SetRecordEnabled<'_> {
    type Response = RuleV2;
    fn request(&self) -> Request {
        Request::put(&["api", "v2", self.kind.v2(), "records", self.rule_id]).with_body(
            serde_json::to_value(RuleToggle {
                rule_id: self.rule_id.to_owned(),
                is_enabled: self.is_enabled,
            })
            .unwrap_or_default(),
        )
    }
}

/// The allowlist has no `isMatchExactWord`; it is left out whatever the caller set.
fn body(kind: ListKind, rules: &wire::AddRules) -> serde_json::Value {
    let rules = match kind {
        ListKind::Block => rules.clone(),
        ListKind::Allow => wire::AddRules { is_match_exact_word: None, ..rules.clone() },
    };
    serde_json::to_value(rules).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_has_its_v3_and_v2_paths() {
        let all = RuleQuery::default();
        assert_eq!(
            QueryRules { kind: ListKind::Block, query: &all }.request().path_for_logs(),
            "/api/v3/blocklists"
        );
        assert_eq!(
            VerifyTexts { kind: ListKind::Allow, texts: &[] }.request().path_for_logs(),
            "/api/v3/allowlists/verify"
        );
        assert_eq!(
            ListRecords { kind: ListKind::Block }.request().path_for_logs(),
            "/api/v2/blacklist/records"
        );
        assert_eq!(
            SetRecordEnabled { kind: ListKind::Allow, rule_id: "r1", is_enabled: false }
                .request()
                .path_for_logs(),
            "/api/v2/whitelist/records/r1"
        );
    }

    #[test]
    fn bodies_and_queries_follow_the_spec() {
        let rules = wire::AddRules { regexs: vec!["spam".into()], is_match_exact_word: Some(true) };
        assert_eq!(
            AddRules { kind: ListKind::Block, rules: &rules }.request().body,
            Some(serde_json::json!({"regexs": ["spam"], "isMatchExactWord": true}))
        );
        assert_eq!(
            AddRules { kind: ListKind::Allow, rules: &rules }.request().body,
            Some(serde_json::json!({"regexs": ["spam"]}))
        );
        assert!(!AddRules { kind: ListKind::Block, rules: &rules }.request().idempotent);
        let ids = ["a".to_owned(), "b".to_owned()];
        let delete = DeleteRecords { kind: ListKind::Block, rule_ids: &ids }.request();
        assert_eq!(delete.query.len(), 2);
        assert_eq!(delete.query[0], ("ruleIds[]".to_owned(), "a".to_owned()));
        let pairs =
            RuleQuery { regex: Some("sp".into()), oldest_first: true, ..Default::default() }.to_pairs();
        assert_eq!(pairs, vec![("regex".into(), "sp".into()), ("sortBy".into(), "firstCreated".into())]);
    }
}
