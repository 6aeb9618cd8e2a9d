//! Blocklist and allowlist (`spec: v3/moderation/*`, `/api/v2/blacklist|whitelist/records`).

use crate::{
    Client, Error,
    endpoints::blocklist::{self, ListKind, RuleQuery},
    wire::{AddRules, RuleListV2, RulePage, RuleV2, Success},
};
use async_trait::async_trait;

/// Rule operations for either list.
#[async_trait]
pub trait BlocklistApi: Send + Sync {
    /// `GET /api/v3/blocklists` / `allowlists`: a page of rules.
    async fn query_rules(&self, kind: ListKind, query: &RuleQuery) -> Result<RulePage, Error>;
    /// `POST /api/v3/blocklists` / `allowlists`: adds rules.
    async fn add_rules(&self, kind: ListKind, rules: &AddRules) -> Result<Success, Error>;
    /// `POST /api/v3/blocklists/verify` / `allowlists/verify`: `Ok` when every text passes;
    /// an error with code 400308 / 400309 when one does not.
    async fn verify(&self, kind: ListKind, texts: &[String]) -> Result<Success, Error>;
    /// `GET /api/v2/blacklist/records` / `whitelist`: every rule.
    async fn list_records(&self, kind: ListKind) -> Result<RuleListV2, Error>;
    /// `POST /api/v2/blacklist/records` / `whitelist`: adds rules.
    async fn add_records(&self, kind: ListKind, rules: &AddRules) -> Result<(), Error>;
    /// `PUT /api/v2/blacklist/records` / `whitelist`: replaces every rule.
    async fn replace_records(&self, kind: ListKind, regexs: &[String]) -> Result<(), Error>;
    /// `DELETE /api/v2/blacklist/records` / `whitelist`: deletes rules.
    async fn delete_records(&self, kind: ListKind, rule_ids: &[String]) -> Result<(), Error>;
    /// `PUT /api/v2/blacklist/records/:ruleId` / `whitelist`: switches a rule.
    async fn set_record_enabled(
        &self,
        kind: ListKind,
        rule_id: &str,
        is_enabled: bool,
    ) -> Result<RuleV2, Error>;
}

#[async_trait]
impl BlocklistApi for Client {
    async fn query_rules(&self, kind: ListKind, query: &RuleQuery) -> Result<RulePage, Error> {
        self.send(&blocklist::QueryRules { kind, query }).await
    }

    async fn add_rules(&self, kind: ListKind, rules: &AddRules) -> Result<Success, Error> {
        self.send(&blocklist::AddRules { kind, rules }).await
    }

    async fn verify(&self, kind: ListKind, texts: &[String]) -> Result<Success, Error> {
        self.send(&blocklist::VerifyTexts { kind, texts }).await
    }

    async fn list_records(&self, kind: ListKind) -> Result<RuleListV2, Error> {
        self.send(&blocklist::ListRecords { kind }).await
    }

    // The v2 writes answer 200 with no body defined by the spec.
    async fn add_records(&self, kind: ListKind, rules: &AddRules) -> Result<(), Error> {
        self.send(&blocklist::AddRecords { kind, rules }).await
    }

    async fn replace_records(&self, kind: ListKind, regexs: &[String]) -> Result<(), Error> {
        self.send(&blocklist::ReplaceRecords { kind, regexs }).await
    }

    async fn delete_records(&self, kind: ListKind, rule_ids: &[String]) -> Result<(), Error> {
        self.send(&blocklist::DeleteRecords { kind, rule_ids }).await
    }

    async fn set_record_enabled(
        &self,
        kind: ListKind,
        rule_id: &str,
        is_enabled: bool,
    ) -> Result<RuleV2, Error> {
        self.send(&blocklist::SetRecordEnabled { kind, rule_id, is_enabled }).await
    }
}
