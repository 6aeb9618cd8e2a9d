//! Moderation actions as the UI asks for them and the server reports them.
//!
//! A moderator picks a [`Target`] (a content item or a user), one or more [`Action`]s and a
//! [`Reason`]; the server runs the actions in order and answers an [`ActionReport`] with one
//! [`Step`] per upstream call or stored record, each `Succeeded`, `Failed` (with a readable
//! message) or `Skipped` (a previous step failed). Nothing is half-applied silently: after the
//! first failure the remaining steps are skipped and the report says so.
//!
//! Timestamps are RFC 3339 strings so this file stays free of server-only dependencies.

use serde::{Deserialize, Serialize};

/// The kind of a content item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// A post (may be pending approval).
    Post,
    /// A comment on a post or another comment.
    Comment,
    /// A chat message.
    Message,
}

impl ContentKind {
    /// Stable lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Post => "post",
            ContentKind::Comment => "comment",
            ContentKind::Message => "message",
        }
    }
}

/// What an action is applied to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Target {
    /// A post, comment or message, by public id.
    Content {
        /// Which kind.
        kind: ContentKind,
        /// Its id.
        id: String,
    },
    /// A user, by public id.
    User {
        /// The user's id.
        id: String,
    },
}

impl Target {
    /// `post:abc`, `user:ann` — how the audit trail and the action records name it.
    pub fn key(&self) -> String {
        match self {
            Target::Content { kind, id } => format!("{}:{id}", kind.as_str()),
            Target::User { id } => format!("user:{id}"),
        }
    }
}

/// Where a ban applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BanScope {
    /// The whole network.
    Global,
    /// One community.
    Community {
        /// The community's id.
        id: String,
    },
}

impl BanScope {
    /// `global` or `community:<id>`, as stored.
    pub fn key(&self) -> String {
        match self {
            BanScope::Global => "global".into(),
            BanScope::Community { id } => format!("community:{id}"),
        }
    }

    /// Parses [`BanScope::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "global" => Some(BanScope::Global),
            other => other.strip_prefix("community:").map(|id| BanScope::Community { id: id.to_owned() }),
        }
    }
}

/// One thing to do. User actions (`Ban`, `Unban`, `Warn`, `RevokeSessions`) on a content
/// target apply to the content's author.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Keep the content (or user) and clear its flags.
    ClearFlags,
    /// Delete content: soft (restorable) or permanent (needs `DeletePermanently`).
    Delete {
        /// Hard delete, cannot be undone.
        permanent: bool,
    },
    /// Publish a post that waits for review.
    Approve,
    /// Decline a post that waits for review.
    Decline,
    /// Ban the user; with `until`, the console lifts the ban at that time.
    Ban {
        /// Where.
        scope: BanScope,
        /// RFC 3339 time at which the ban ends; `None` = until lifted by hand.
        until: Option<String>,
    },
    /// Lift a ban.
    Unban {
        /// Where.
        scope: BanScope,
    },
    /// Record a warning to the user, written from a template.
    Warn {
        /// The template's code (see [`WARNING_TEMPLATES`]).
        template: String,
        /// The message as sent (the template's text, possibly edited).
        message: String,
    },
    /// Sign the user out everywhere (revoke every access token).
    RevokeSessions,
}

impl Action {
    /// Stable snake_case code, as audited and filtered on in the Reviewed tab.
    pub fn code(&self) -> &'static str {
        match self {
            Action::ClearFlags => "clear_flags",
            Action::Delete { permanent: false } => "delete",
            Action::Delete { permanent: true } => "delete_permanently",
            Action::Approve => "approve",
            Action::Decline => "decline",
            Action::Ban { until: None, .. } => "ban",
            Action::Ban { until: Some(_), .. } => "timed_ban",
            Action::Unban { .. } => "unban",
            Action::Warn { .. } => "warn",
            Action::RevokeSessions => "revoke_sessions",
        }
    }

    /// Whether the action is about the user rather than the content.
    pub fn is_user_action(&self) -> bool {
        matches!(
            self,
            Action::Ban { .. } | Action::Unban { .. } | Action::Warn { .. } | Action::RevokeSessions
        )
    }

    /// The permission this action needs.
    pub fn permission(&self) -> crate::Permission {
        use crate::Permission;
        match self {
            Action::Delete { permanent: true } => Permission::DeletePermanently,
            Action::ClearFlags | Action::Delete { .. } | Action::Approve | Action::Decline => {
                Permission::ModerateContent
            }
            Action::Ban { .. } | Action::Unban { .. } | Action::Warn { .. } | Action::RevokeSessions => {
                Permission::BanUsers
            }
        }
    }
}

/// A preset reason: code and label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReasonPreset {
    /// Stable code, stored.
    pub code: &'static str,
    /// What the picker shows.
    pub label: &'static str,
}

/// The preset reasons the picker offers. `other` needs free text.
pub const REASON_PRESETS: &[ReasonPreset] = &[
    ReasonPreset { code: "spam", label: "Spam or advertising" },
    ReasonPreset { code: "harassment", label: "Harassment or bullying" },
    ReasonPreset { code: "hate", label: "Hate speech" },
    ReasonPreset { code: "violence", label: "Violence or threats" },
    ReasonPreset { code: "sexual", label: "Sexual content" },
    ReasonPreset { code: "self_harm", label: "Self-harm" },
    ReasonPreset { code: "misinformation", label: "Misinformation" },
    ReasonPreset { code: "impersonation", label: "Impersonation" },
    ReasonPreset { code: "off_topic", label: "Off-topic" },
    ReasonPreset { code: "no_violation", label: "No violation (flags were wrong)" },
    ReasonPreset { code: "appeal", label: "Appeal decision" },
    ReasonPreset { code: "other", label: "Other (explain)" },
];

/// The longest free text of a reason.
pub const MAX_REASON_CHARS: usize = 1000;

/// Why an action was taken: a preset and free text. Required on every action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reason {
    /// One of [`REASON_PRESETS`].
    pub code: String,
    /// Free text; required for `other`.
    pub text: String,
}

impl Reason {
    /// What is wrong with the reason, if anything (a sentence for the person at the screen).
    pub fn problem(&self) -> Option<String> {
        if self.code.is_empty() {
            return Some("Choose a reason.".into());
        }
        if !REASON_PRESETS.iter().any(|p| p.code == self.code) {
            return Some(format!("“{}” is not one of the preset reasons.", self.code));
        }
        if self.code == "other" && self.text.trim().is_empty() {
            return Some("Explain the reason in a few words.".into());
        }
        if self.text.chars().count() > MAX_REASON_CHARS {
            return Some(format!("Keep the reason under {MAX_REASON_CHARS} characters."));
        }
        None
    }

    /// `Spam or advertising — repeated links`, for the audit trail and lists.
    pub fn summary(&self) -> String {
        let label =
            REASON_PRESETS.iter().find(|p| p.code == self.code).map_or(self.code.as_str(), |p| p.label);
        match self.text.trim() {
            "" => label.to_owned(),
            text => format!("{label} — {text}"),
        }
    }
}

/// A message template for warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WarningTemplate {
    /// Stable code, stored with the warning.
    pub code: &'static str,
    /// What the picker shows.
    pub label: &'static str,
    /// The text the moderator starts from.
    pub text: &'static str,
}

/// The warning templates the console offers.
pub const WARNING_TEMPLATES: &[WarningTemplate] = &[
    WarningTemplate {
        code: "community_guidelines",
        label: "Community guidelines",
        text: "Your recent content broke our community guidelines. Please review them; further \
               violations may lead to a ban.",
    },
    WarningTemplate {
        code: "spam",
        label: "Spam",
        text: "Your recent posts look like spam or advertising. Please stop; repeated spam leads to a ban.",
    },
    WarningTemplate {
        code: "harassment",
        label: "Harassment",
        text: "Your recent messages were reported as harassment. Treat other members with respect; \
               this is a final warning.",
    },
    WarningTemplate { code: "custom", label: "Custom message", text: "" },
];

/// The longest warning message.
pub const MAX_WARNING_CHARS: usize = 2000;

/// One action request: do `actions` in order on `target`, for `reason`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActionRequest {
    /// What to act on.
    pub target: Target,
    /// What to do, in order (e.g. delete then ban the author). At least one.
    pub actions: Vec<Action>,
    /// Why.
    pub reason: Reason,
}

/// How one step ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StepOutcome {
    /// Done.
    Succeeded,
    /// Attempted and failed; `message` is written for the moderator.
    Failed {
        /// What went wrong and what to do.
        message: String,
    },
    /// Not attempted because an earlier step failed.
    Skipped,
}

/// One step of an action: a call to Social+ or a record the console keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The action code it belongs to ([`Action::code`]), or `find_author`.
    pub action: String,
    /// What the step does, e.g. "Ban ann globally until 2026-12-01 10:00 UTC".
    pub label: String,
    /// How it ended.
    pub outcome: StepOutcome,
}

/// What an action request did, step by step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionReport {
    /// The console's record of this action (for appeals and the Reviewed tab); 0 if none was kept.
    pub record_id: i64,
    /// The steps in the order they ran.
    pub steps: Vec<Step>,
}

impl ActionReport {
    /// Whether every step succeeded.
    pub fn succeeded(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(|s| s.outcome == StepOutcome::Succeeded)
    }

    /// The first failure's message, if any.
    pub fn failure(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| match &s.outcome {
            StepOutcome::Failed { message } => Some(message.as_str()),
            _ => None,
        })
    }
}

/// A ban the console will lift at a set time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedBan {
    /// Its id.
    pub id: i64,
    /// The banned user.
    pub user_id: String,
    /// Where.
    pub scope: BanScope,
    /// When it ends (RFC 3339).
    pub until: String,
    /// `pending`, `lifted`, `superseded` (a later ban or unban replaced it) or `failed`.
    pub status: String,
    /// Who banned.
    pub created_by: String,
}

/// A recorded warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Its id.
    pub id: i64,
    /// Who was warned.
    pub user_id: String,
    /// The template's code.
    pub template: String,
    /// The message.
    pub message: String,
    /// Why (summary of the reason).
    pub reason: String,
    /// Who warned.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A user's sanctions as the console knows them: timed bans and warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSanctions {
    /// Timed bans, newest first.
    pub timed_bans: Vec<TimedBan>,
    /// Warnings, newest first.
    pub warnings: Vec<Warning>,
}

/// What the console keeps of one action request (the Reviewed tab lists these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// Its id ([`ActionReport::record_id`]).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who acted (console account id).
    pub actor_id: String,
    /// What was acted on ([`Target::key`]).
    pub target: String,
    /// The user concerned: the target user or the content's author, when known.
    pub subject_user_id: Option<String>,
    /// The action codes, in order.
    pub actions: Vec<String>,
    /// The reason's code.
    pub reason_code: String,
    /// The reason as a sentence.
    pub reason: String,
    /// `applied`, `partial`, `failed` (or `running` while it runs).
    pub outcome: String,
    /// The step report.
    pub steps: Vec<Step>,
}

/// Every [`Action::code`] with a label, for the Reviewed tab's action filter.
pub const ACTION_CODES: [(&str, &str); 10] = [
    ("clear_flags", "Keep (clear flags)"),
    ("delete", "Delete"),
    ("delete_permanently", "Delete permanently"),
    ("approve", "Approve"),
    ("decline", "Decline"),
    ("ban", "Ban"),
    ("timed_ban", "Timed ban"),
    ("unban", "Lift a ban"),
    ("warn", "Warn"),
    ("revoke_sessions", "Sign out everywhere"),
];

/// Filters of the Reviewed tab. Dates are `YYYY-MM-DD` (UTC), both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReviewedQuery {
    /// Only this moderator's actions.
    pub moderator: Option<String>,
    /// Only records with this action code ([`Action::code`]).
    pub action: Option<String>,
    /// From this day.
    pub from: Option<String>,
    /// Up to this day.
    pub to: Option<String>,
    /// Records older than this id (the next page).
    pub before_id: Option<i64>,
    /// Page size (default 50, at most 200).
    pub limit: Option<u32>,
}

/// The most items one bulk action may touch.
pub const MAX_BULK_ITEMS: usize = 1000;

/// How long a submitted bulk action waits before its first call, so it can be undone.
pub const BULK_UNDO_SECONDS: u64 = 5;

/// What a bulk action applies to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BulkSelection {
    /// These (the selected rows).
    Targets {
        /// The targets, in order.
        targets: Vec<Target>,
    },
    /// Every case the queue shows for `query` — the same tab, filters, search and order the
    /// moderator sees, every page of it (up to [`MAX_BULK_ITEMS`]; the cursor is ignored).
    Matching {
        /// The queue's own query.
        query: crate::queue::QueueQuery,
    },
}

/// The same actions and reason for many targets.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BulkRequest {
    /// Which targets.
    pub selection: BulkSelection,
    /// What to do to each, in order.
    pub actions: Vec<Action>,
    /// Why.
    pub reason: Reason,
}

/// One target of a bulk preview and what will happen to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreviewItem {
    /// The target.
    pub target: Target,
    /// What will change, in words.
    pub change: String,
    /// Why it cannot run, if it cannot.
    pub problem: Option<String>,
}

/// What a bulk action would do, before anything is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    /// How many targets.
    pub total: u32,
    /// The first targets (up to 100) and their change.
    pub items: Vec<BulkPreviewItem>,
    /// How many targets cannot run (the submission is refused while any cannot).
    pub problems: u32,
    /// At most how many calls to Social+ it will make (they go through the request budget).
    pub upstream_calls: u32,
    /// Whether the filter matched more than [`MAX_BULK_ITEMS`] (only the first are included).
    pub truncated: bool,
}

/// A submitted bulk action: a job that starts after the undo window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkSubmitted {
    /// The job (progress: `get_job`, items: `list_job_items`, undo: `cancel_job`).
    pub job_id: String,
    /// How many targets.
    pub total: u32,
    /// Seconds until the first call; `cancel_job` before then undoes it completely.
    pub undo_seconds: u64,
}

/// Whether `key` names a case or a user the way [`Target::key`] does (`post:<id>`,
/// `comment:<id>`, `message:<id>`, `user:<id>`).
pub fn is_case_key(key: &str) -> bool {
    let Some((kind, id)) = key.split_once(':') else {
        return false;
    };
    matches!(kind, "post" | "comment" | "message" | "user")
        && !id.is_empty()
        && id.len() <= 200
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Who is working on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The case ([`Target::key`]).
    pub case_key: String,
    /// Console account id of the moderator.
    pub claimed_by: String,
    /// Their display name.
    pub claimed_name: String,
    /// Since when (RFC 3339).
    pub claimed_at: String,
}

/// How a claim attempt ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ClaimOutcome {
    /// The caller holds the case now.
    Claimed {
        /// The claim.
        claim: Claim,
    },
    /// Someone else holds it; ask again with `takeover` to take it from them.
    HeldByOther {
        /// Their claim.
        claim: Claim,
    },
    /// The caller took the case over from `from`.
    TakenOver {
        /// The new claim.
        claim: Claim,
        /// Who held it.
        from: String,
    },
}

/// The longest internal note.
pub const MAX_NOTE_CHARS: usize = 4000;

/// An internal note on a case or a user; never shown to members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Its id.
    pub id: i64,
    /// The case or user ([`Target::key`]).
    pub subject: String,
    /// Console account id of its author.
    pub author_id: String,
    /// Their display name.
    pub author_name: String,
    /// The text (rendered as text, never HTML).
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A case handed to a senior moderator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// Its id.
    pub id: i64,
    /// The case ([`Target::key`]).
    pub case_key: String,
    /// Who escalated.
    pub escalated_by: String,
    /// Why, for the senior moderator.
    pub note: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// `open` or `decided`.
    pub status: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// What they decided, in words.
    pub decision: Option<String>,
}

/// The longest appeal message.
pub const MAX_APPEAL_CHARS: usize = 4000;

/// A banned or warned user's appeal against the latest ban or warning on record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// Its id.
    pub id: i64,
    /// The user appealing.
    pub user_id: String,
    /// The action record appealed against.
    pub action_id: Option<i64>,
    /// Who took that action: they may not decide the appeal.
    pub acted_by: String,
    /// `staff` (entered in the console) or `endpoint` (received from the network's app).
    pub source: String,
    /// Who entered it (console account, or `endpoint`).
    pub entered_by: String,
    /// The user's words (rendered as text).
    pub message: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// `open`, `accepted` or `rejected`.
    pub status: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// Why, in the decider's words.
    pub decision_note: Option<String>,
}

/// A decided appeal and, when accepted, the report of lifting the bans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDecided {
    /// The appeal after the decision (still `open` if lifting a ban failed).
    pub appeal: Appeal,
    /// The unban steps, when the appeal was accepted and the action had bans.
    pub report: Option<ActionReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_needs_a_known_preset_and_text_for_other() {
        let reason = |code: &str, text: &str| Reason { code: code.into(), text: text.into() };
        assert!(reason("", "").problem().is_some());
        assert!(reason("made-up", "x").problem().is_some());
        assert!(reason("other", "  ").problem().is_some());
        assert!(reason("other", "looked like a bot").problem().is_none());
        assert!(reason("spam", "").problem().is_none());
        assert!(reason("spam", &"x".repeat(MAX_REASON_CHARS + 1)).problem().is_some());
        assert_eq!(reason("spam", "links").summary(), "Spam or advertising — links");
    }

    #[test]
    fn actions_name_the_permission_they_need() {
        use crate::Permission;
        assert_eq!(Action::Delete { permanent: true }.permission(), Permission::DeletePermanently);
        assert_eq!(Action::Delete { permanent: false }.permission(), Permission::ModerateContent);
        assert_eq!(Action::RevokeSessions.permission(), Permission::BanUsers);
        let timed = Action::Ban { scope: BanScope::Global, until: Some("2026-01-01T00:00:00Z".into()) };
        assert_eq!(timed.code(), "timed_ban");
    }

    #[test]
    fn every_action_code_is_offered_by_the_reviewed_filter() {
        let community = BanScope::Community { id: "c".into() };
        let all = [
            Action::ClearFlags,
            Action::Delete { permanent: false },
            Action::Delete { permanent: true },
            Action::Approve,
            Action::Decline,
            Action::Ban { scope: community.clone(), until: None },
            Action::Ban { scope: community.clone(), until: Some("2026-01-01T00:00:00Z".into()) },
            Action::Unban { scope: community },
            Action::Warn { template: "spam".into(), message: "m".into() },
            Action::RevokeSessions,
        ];
        let offered: Vec<&str> = ACTION_CODES.iter().map(|(code, _)| *code).collect();
        assert_eq!(all.iter().map(Action::code).collect::<Vec<_>>(), offered);
    }

    #[test]
    fn case_keys_name_a_kind_and_an_id() {
        assert!(is_case_key("post:abc") && is_case_key("user:ann-01"));
        assert!(!is_case_key("post:") && !is_case_key("story:1") && !is_case_key("post:a b"));
        assert!(!is_case_key("abc"));
    }

    #[test]
    fn scopes_round_trip_through_their_key() {
        for scope in [BanScope::Global, BanScope::Community { id: "c1".into() }] {
            assert_eq!(BanScope::from_key(&scope.key()), Some(scope));
        }
    }

    #[test]
    fn a_request_has_a_stable_json_shape() {
        let request = ActionRequest {
            target: Target::Content { kind: ContentKind::Post, id: "p1".into() },
            actions: vec![Action::Ban { scope: BanScope::Community { id: "c1".into() }, until: None }],
            reason: Reason { code: "spam".into(), text: String::new() },
        };
        let json = serde_json::to_value(&request).expect("serializes");
        assert_eq!(json["target"]["type"], "content");
        assert_eq!(json["actions"][0]["scope"]["type"], "community");
        let back: ActionRequest = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, request);
    }
}
