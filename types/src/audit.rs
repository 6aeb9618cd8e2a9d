//! The audit trail as the Audit page and its exports see it.

use serde::{Deserialize, Serialize};

/// One audited action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number; newer entries have larger ids.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who: console account id, or the name tried at a failed sign-in.
    pub actor_id: String,
    /// Their role at the time, when known.
    pub actor_role: Option<String>,
    /// Stable snake_case action code (`sign_in`, `regenerate_admin_token`, `list_users`…).
    pub action: String,
    /// What was acted on.
    pub target: Option<String>,
    /// `success`, `denied` or `failed`.
    pub outcome: String,
    /// Why, as the actor wrote it or the console decided it.
    pub reason: Option<String>,
    /// The target before the action, as JSON text, when known.
    pub before: Option<String>,
    /// The target after the action, as JSON text, when known.
    pub after: Option<String>,
    /// The HTTP status Social+ answered with, when the action called it.
    pub upstream_status: Option<u16>,
    /// The console request that did it.
    pub request_id: Option<String>,
    /// Anything else worth keeping, as JSON text (never secrets).
    pub details: String,
}

/// Which entries to show. Empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Exact actor id.
    pub actor: String,
    /// Exact action code.
    pub action: String,
    /// Substring of the target.
    pub target: String,
    /// First day to include, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day to include, `YYYY-MM-DD` (UTC).
    pub to: String,
}

impl AuditFilter {
    /// The filter as query pairs for links and export URLs (empty fields left out).
    pub fn query_pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
            ("target", self.target.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect()
    }

    /// The filter as a URL query string, e.g. `action=sign_in&from=2026-01-01`.
    pub fn query_string(&self) -> String {
        self.query_pairs()
            .into_iter()
            .map(|(key, value)| format!("{key}={}", crate::url::encode_component(value.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One request for a page of the audit trail: newest first, keyset-paged by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// What to show.
    pub filter: AuditFilter,
    /// Cursor from a previous page (`next`): show entries older than it.
    pub cursor: Option<String>,
}

/// What the Audit page shows: one page of entries and the action codes to filter by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    /// The entries, newest first.
    pub entries: crate::Page<AuditEntry>,
    /// Every action code recorded so far.
    pub actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_leaves_out_empty_fields_and_escapes_values() {
        let filter = AuditFilter {
            action: "sign_in".into(),
            target: "a b&c".into(),
            from: "2026-01-01".into(),
            ..Default::default()
        };
        assert_eq!(filter.query_string(), "action=sign_in&target=a%20b%26c&from=2026-01-01");
        assert_eq!(AuditFilter::default().query_string(), "");
    }
}
