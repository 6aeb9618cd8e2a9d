//! Blocklist and allowlist rules (spec: `v3/moderation/*`, `components/schemas/BlacklistRule`
//! for the v2 `blacklist`/`whitelist` records).

use super::{Paging, null_as_default};
use serde::{Deserialize, Serialize};

/// Longest rule the API accepts, in characters.
pub const REGEX_MAX_CHARS: usize = 500;
/// Most rules one add call may carry.
pub const RULES_PER_CALL_MAX: usize = 100;

/// One blocklist or allowlist rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRule {
    /// The rule id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// The pattern (a regular expression).
    pub regex: String,
    /// Blocklist only: the pattern must match a whole word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_match_exact_word: Option<bool>,
    /// Whether the rule is applied.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_enabled: bool,
    /// Whether the rule was deleted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_deleted: bool,
    /// Creation time, ISO-8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update, ISO-8601 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `{results, paging}` — `GET /api/v3/blocklists` and `/api/v3/allowlists`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RulePage {
    /// The rules of this page.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<ListRule>,
    /// Cursors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// `{status, data: {results}}` — `GET /api/v2/blacklist/records` and `whitelist`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleListV2 {
    /// `"success"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The rules.
    #[serde(default)]
    pub data: RuleResults,
}

/// `{results}` inside a v2 answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleResults {
    /// The rules.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<ListRule>,
}

/// `{status, data: rule}` — `PUT /api/v2/blacklist/records/:ruleId`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleV2 {
    /// `"success"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The rule after the change.
    pub data: ListRule,
}

/// The body of the add and replace calls: `{regexs, isMatchExactWord?}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddRules {
    /// The patterns (each 1..=500 characters, at most 100).
    pub regexs: Vec<String>,
    /// Blocklist only: match whole words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_match_exact_word: Option<bool>,
}

/// The body of `PUT /api/v2/blacklist/records/:ruleId`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleToggle {
    /// The rule (repeated from the path, as the spec requires).
    pub rule_id: String,
    /// Apply it or not.
    pub is_enabled: bool,
}

/// The body of the verify calls: `{data: [text…]}` (1..=10 texts of ≤ 500 characters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifyTexts {
    /// The texts (blocklist) or URLs (allowlist) to check.
    pub data: Vec<String>,
}
