//! What the user page adds to the profile Social+ returns: the last activity (and where the
//! console learnt it), the communities the user is known to be in, and the flag events the
//! console recorded.

use serde::{Deserialize, Serialize};

/// Where a last-activity time comes from, weakest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivitySource {
    /// A webhook event stored in the console's `events` table.
    Webhook,
    /// The periodic backfill from the REST API (`events`, source `backfill`).
    Backfill,
    /// The user last-activity report (`events`, source `report`).
    Report,
    /// A community membership's `lastActivity` as Social+ reports it.
    Community,
    /// No activity is recorded: the profile's last update (`updatedAt`), which is only an
    /// upper bound on how long the user has been quiet.
    ProfileUpdate,
}

impl ActivitySource {
    /// The `events.source` value, for the three sources stored there.
    pub fn from_event_source(source: &str) -> Option<Self> {
        match source {
            "webhook" => Some(ActivitySource::Webhook),
            "backfill" => Some(ActivitySource::Backfill),
            "report" => Some(ActivitySource::Report),
            _ => None,
        }
    }

    /// The label the page shows next to the time.
    pub fn label(self) -> &'static str {
        match self {
            ActivitySource::Webhook => "from a webhook event",
            ActivitySource::Backfill => "from the REST backfill",
            ActivitySource::Report => "from the last-activity report",
            ActivitySource::Community => "from a community membership",
            ActivitySource::ProfileUpdate => "profile last updated (no activity recorded)",
        }
    }
}

/// The latest thing the user did that the console knows of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastActivity {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// What, e.g. the event name (`v3.post.didCreate`); empty when unknown.
    pub what: String,
    /// Where the console learnt it.
    pub source: ActivitySource,
}

/// The latest of `candidates` (RFC 3339 UTC times compare as text), preferring the earlier
/// candidate on a tie; `None` when there is none.
pub fn latest(candidates: impl IntoIterator<Item = LastActivity>) -> Option<LastActivity> {
    candidates.into_iter().fold(None, |best: Option<LastActivity>, next| match best {
        Some(best) if best.at >= next.at => Some(best),
        _ => Some(next),
    })
}

/// One community the user belongs to (or is banned from), as Social+ answers now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityMembership {
    /// The community id.
    pub community_id: String,
    /// Its display name, when Social+ side-loads it.
    pub display_name: Option<String>,
    /// `member`, `banned` or `none`.
    pub membership: String,
    /// Community roles (e.g. `community-moderator`).
    pub roles: Vec<String>,
    /// The user's last activity there, RFC 3339, when Social+ reports it.
    pub last_activity: Option<String>,
}

/// The communities part of the user page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Communities {
    /// Communities the user is in, by name.
    pub memberships: Vec<CommunityMembership>,
    /// How many communities the console checked (Social+ has no "communities of a user"
    /// query for admins: the console checks the ones its records connect to the user).
    pub checked: u32,
    /// Whether some were not checked because of the per-page limit.
    pub truncated: bool,
}

/// A flag-related event about the user from the console's `events` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagEvent {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// The event name (`user.didFlag`, `user.didUnflag`, `user.didClearFlag`).
    pub name: String,
    /// Who flagged, when the event names them (Social+'s user webhooks do not).
    pub actor: Option<String>,
    /// `webhook`, `backfill` or `report`.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(at: &str, source: ActivitySource) -> LastActivity {
        LastActivity { at: at.into(), what: String::new(), source }
    }

    #[test]
    fn the_latest_activity_wins_and_a_tie_keeps_the_stronger_source() {
        let webhook = at("2026-11-20T10:00:00Z", ActivitySource::Webhook);
        let community = at("2026-11-21T09:00:00Z", ActivitySource::Community);
        let profile = at("2026-11-20T10:00:00Z", ActivitySource::ProfileUpdate);
        assert_eq!(latest([webhook.clone(), community.clone()]), Some(community));
        assert_eq!(latest([webhook.clone(), profile]), Some(webhook));
        assert_eq!(latest([]), None);
    }

    #[test]
    fn only_the_three_event_sources_map() {
        assert_eq!(ActivitySource::from_event_source("report"), Some(ActivitySource::Report));
        assert_eq!(ActivitySource::from_event_source("other"), None);
    }
}
