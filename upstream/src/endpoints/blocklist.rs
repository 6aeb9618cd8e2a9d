//! Blocklist and allowlist rules: the v3 calls (`spec: v3/moderation/*`: list, add, verify)
//! and the v2 records (`/api/v2/blacklist/records`, `/api/v2/whitelist/records`: list, add,
//! replace, delete, enable), which are the only way to delete or switch a rule.

use super::Request;
use crate::wire::{AddRules, RuleToggle, VerifyTexts};

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

/// `GET /api/v3/blocklists` (or `/api/v3/allowlists` for [`ListKind::Allow`]).
pub fn query_rules(kind: ListKind, query: &RuleQuery) -> Request {
    Request::get(&["api", "v3", kind.v3()]).with_query(query.to_pairs())
}

/// `POST /api/v3/blocklists` (or `/api/v3/allowlists`): adds rules; not retried (it would add
/// them twice).
pub fn add_rules(kind: ListKind, rules: &AddRules) -> Request {
    Request::post(&["api", "v3", kind.v3()]).with_body(body(kind, rules))
}

/// `POST /api/v3/blocklists/verify` (or `/api/v3/allowlists/verify`): 200 when every text
/// passes, 403 with 400308 (blocked word) or 400309 (link not allowed) otherwise.
pub fn verify(kind: ListKind, texts: &[String]) -> Request {
    Request::post(&["api", "v3", kind.v3(), "verify"])
        .with_body(serde_json::to_value(VerifyTexts { data: texts.to_vec() }).unwrap_or_default())
        .idempotent(true)
}

/// `GET /api/v2/blacklist/records` (or `/api/v2/whitelist/records`): every rule.
pub fn list_records(kind: ListKind) -> Request {
    Request::get(&["api", "v2", kind.v2(), "records"])
}

/// `POST /api/v2/blacklist/records` (or `whitelist`): adds rules.
pub fn add_records(kind: ListKind, rules: &AddRules) -> Request {
    Request::post(&["api", "v2", kind.v2(), "records"]).with_body(body(kind, rules))
}

/// `PUT /api/v2/blacklist/records` (or `whitelist`): replaces every rule with these.
pub fn replace_records(kind: ListKind, regexs: &[String]) -> Request {
    Request::put(&["api", "v2", kind.v2(), "records"]).with_body(serde_json::json!({ "regexs": regexs }))
}

/// `DELETE /api/v2/blacklist/records` (or `whitelist`): deletes these rules.
pub fn delete_records(kind: ListKind, rule_ids: &[String]) -> Request {
    Request::delete(&["api", "v2", kind.v2(), "records"])
        .with_query(rule_ids.iter().map(|id| ("ruleIds[]".to_owned(), id.clone())).collect())
}

/// `PUT /api/v2/blacklist/records/:ruleId` (or `whitelist`; the spec writes the parameter in
/// express style): switches one rule on or off.
pub fn set_record_enabled(kind: ListKind, rule_id: &str, is_enabled: bool) -> Request {
    Request::put(&["api", "v2", kind.v2(), "records", rule_id]).with_body(
        serde_json::to_value(RuleToggle { rule_id: rule_id.to_owned(), is_enabled }).unwrap_or_default(),
    )
}

/// The allowlist has no `isMatchExactWord`; it is left out whatever the caller set.
fn body(kind: ListKind, rules: &AddRules) -> serde_json::Value {
    let rules = match kind {
        ListKind::Block => rules.clone(),
        ListKind::Allow => AddRules { is_match_exact_word: None, ..rules.clone() },
    };
    serde_json::to_value(rules).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_has_its_v3_and_v2_paths() {
        assert_eq!(query_rules(ListKind::Block, &RuleQuery::default()).path_for_logs(), "/api/v3/blocklists");
        assert_eq!(verify(ListKind::Allow, &[]).path_for_logs(), "/api/v3/allowlists/verify");
        assert_eq!(list_records(ListKind::Block).path_for_logs(), "/api/v2/blacklist/records");
        assert_eq!(
            set_record_enabled(ListKind::Allow, "r1", false).path_for_logs(),
            "/api/v2/whitelist/records/r1"
        );
    }

    #[test]
    fn bodies_and_queries_follow_the_spec() {
        let rules = AddRules { regexs: vec!["spam".into()], is_match_exact_word: Some(true) };
        assert_eq!(
            add_rules(ListKind::Block, &rules).body,
            Some(serde_json::json!({"regexs": ["spam"], "isMatchExactWord": true}))
        );
        assert_eq!(add_rules(ListKind::Allow, &rules).body, Some(serde_json::json!({"regexs": ["spam"]})));
        assert!(!add_rules(ListKind::Block, &rules).idempotent);
        let delete = delete_records(ListKind::Block, &["a".into(), "b".into()]);
        assert_eq!(delete.query.len(), 2);
        assert_eq!(delete.query[0], ("ruleIds[]".to_owned(), "a".to_owned()));
        let pairs =
            RuleQuery { regex: Some("sp".into()), oldest_first: true, ..Default::default() }.to_pairs();
        assert_eq!(pairs, vec![("regex".into(), "sp".into()), ("sortBy".into(), "firstCreated".into())]);
    }
}
