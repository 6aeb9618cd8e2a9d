//! The Events page's data: stored events, the webhook delivery log, and forwarding.
//!
//! Events come from the console's `events` table (one row per happening, whatever source told
//! the console); deliveries from its webhook inbox. Ids are the table's increasing row ids,
//! which is also the live stream's cursor (`Last-Event-ID`).

use crate::url::encode_component;
use serde::{Deserialize, Serialize};

/// The events list's filter, as it appears in the URL (`?type=&user=&community=`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventFilter {
    /// Event name: exact (`v3.post.didCreate`) or a prefix ending in `*` (`v3.post.*`).
    #[serde(default, rename = "type")]
    pub event_type: String,
    /// A user who did it or to whom it was done.
    #[serde(default)]
    pub user: String,
    /// The community it happened in.
    #[serde(default)]
    pub community: String,
}

impl EventFilter {
    /// `type=…&user=…&community=…` with empty fields left out.
    pub fn query_string(&self) -> String {
        [("type", &self.event_type), ("user", &self.user), ("community", &self.community)]
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, value)| format!("{key}={}", encode_component(value.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether an event named `name` passes the type part of the filter.
    pub fn matches_type(&self, name: &str) -> bool {
        name_matches(self.event_type.trim(), name)
    }
}

/// Whether `pattern` (empty = any, `prefix*`, or an exact name) admits the event `name`.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        _ if pattern.is_empty() => true,
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// One page of the events list: the filter and where to start (newest first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuery {
    /// What to show.
    #[serde(default)]
    pub filter: EventFilter,
    /// Show events with ids below this one (the next page); `None` = the newest.
    #[serde(default)]
    pub before: Option<i64>,
}

/// Where an event came from.
pub const SOURCES: [&str; 3] = ["webhook", "backfill", "report"];

/// One stored event, as the list and the live stream show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    /// Row id, increasing: the stream's cursor.
    pub id: i64,
    /// Official event name, e.g. `v3.post.didCreate`.
    pub name: String,
    /// When it happened, RFC 3339 (UTC).
    pub occurred_at: String,
    /// `webhook`, `backfill` or `report`.
    pub source: String,
    /// Who did it.
    pub actor_user_id: Option<String>,
    /// Who it was done to.
    pub subject_user_id: Option<String>,
    /// Where.
    pub community_id: Option<String>,
    /// The chat channel, for messages.
    pub channel_id: Option<String>,
    /// `post`, `comment`, `message`, `user`, `community`…
    pub object_kind: Option<String>,
    /// The object's id.
    pub object_id: Option<String>,
    /// The event's `data` JSON exactly as stored (shown as text, never as HTML).
    pub data: String,
}

impl EventRow {
    /// Where to look at what the event is about: the case for content, the user page for users.
    pub fn link(&self) -> Option<(String, String)> {
        let kind = self.object_kind.as_deref()?;
        let id = self.object_id.as_deref().filter(|id| !id.is_empty())?;
        let encoded = encode_component(id);
        match kind {
            "post" | "comment" | "message" => {
                let feed = match (kind, self.channel_id.as_deref()) {
                    ("message", Some(channel)) => format!("?feed={}", encode_component(channel)),
                    _ => String::new(),
                };
                Some((format!("/queue/case/{kind}/{encoded}{feed}"), format!("Open the {kind}'s case")))
            }
            "user" => Some((format!("/users/{encoded}"), "Open the user".to_owned())),
            _ => self
                .subject_user_id
                .as_deref()
                .or(self.actor_user_id.as_deref())
                .map(|user| (format!("/users/{}", encode_component(user)), "Open the user".to_owned())),
        }
    }

    /// The payload, indented for reading (the stored text when it is not JSON).
    pub fn pretty_data(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.data)
            .ok()
            .and_then(|value| serde_json::to_string_pretty(&value).ok())
            .unwrap_or_else(|| self.data.clone())
    }
}

/// A page of events, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    /// The events.
    pub items: Vec<EventRow>,
    /// `before` of the next (older) page, when there is one.
    pub next_before: Option<i64>,
    /// The newest event id in the table when the page was read: the live stream starts after it.
    pub newest_id: i64,
    /// Event names stored so far, for the type filter.
    pub names: Vec<String>,
}

/// One webhook delivery in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    /// Inbox row id.
    pub id: i64,
    /// When it arrived, RFC 3339.
    pub received_at: String,
    /// The event it carried.
    pub event_name: String,
    /// Which configured secret verified the signature (during a rotation there are several).
    pub secret_label: String,
    /// `base64` or `hex`.
    pub signature_kind: String,
    /// `pending`, `processed` or `failed`.
    pub state: String,
    /// Processing attempts so far.
    pub attempts: i64,
    /// The last processing error.
    pub last_error: Option<String>,
    /// Identical redeliveries answered and dropped.
    pub duplicates: i64,
    /// When processing finished, RFC 3339.
    pub processed_at: Option<String>,
}

/// A page of the delivery log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryPage {
    /// The deliveries.
    pub items: Vec<DeliveryRow>,
    /// `before` of the next (older) page.
    pub next_before: Option<i64>,
}

/// A place events can be forwarded to. Its secret is never part of this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardTarget {
    /// Row id.
    pub id: i64,
    /// A name people recognise.
    pub name: String,
    /// Where to POST.
    pub url: String,
    /// Who added it.
    pub created_by: String,
}

/// What forwarding one event did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardResult {
    /// The event.
    pub event_id: i64,
    /// The target's HTTP status, when it answered.
    pub status: Option<u16>,
    /// What went wrong, when something did (including a non-2xx answer).
    pub error: Option<String>,
}

impl ForwardResult {
    /// Whether the target accepted it (2xx).
    pub fn delivered(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The most events one forward may carry.
pub const MAX_FORWARD: usize = 100;

/// Parses the forward form's event ids: numbers separated by commas or spaces.
pub fn parse_event_ids(text: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for part in text.split([',', ' ', '\n', '\t']).map(str::trim).filter(|p| !p.is_empty()) {
        let id = part.parse::<i64>().map_err(|_| format!("“{part}” is not an event id."))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err("Select at least one event.".into());
    }
    if ids.len() > MAX_FORWARD {
        return Err(format!("Forward at most {MAX_FORWARD} events at once."));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: Option<&str>, id: Option<&str>) -> EventRow {
        EventRow {
            id: 1,
            name: "v3.post.didCreate".into(),
            occurred_at: "2026-11-26T10:00:00Z".into(),
            source: "webhook".into(),
            actor_user_id: Some("ann".into()),
            subject_user_id: None,
            community_id: None,
            channel_id: Some("ch 1".into()),
            object_kind: kind.map(str::to_owned),
            object_id: id.map(str::to_owned),
            data: r#"{"posts":[{"postId":"p1"}]}"#.into(),
        }
    }

    #[test]
    fn content_links_to_its_case_and_users_to_their_page() {
        assert_eq!(row(Some("post"), Some("p/1")).link().map(|l| l.0), Some("/queue/case/post/p%2F1".into()));
        assert_eq!(
            row(Some("message"), Some("m1")).link().map(|l| l.0),
            Some("/queue/case/message/m1?feed=ch%201".into())
        );
        assert_eq!(row(Some("user"), Some("bob")).link().map(|l| l.0), Some("/users/bob".into()));
        assert_eq!(row(Some("community"), Some("c1")).link().map(|l| l.0), Some("/users/ann".into()));
        assert_eq!(row(None, None).link(), None);
    }

    #[test]
    fn the_type_filter_takes_exact_names_and_prefixes() {
        assert!(name_matches("", "v3.post.didCreate"));
        assert!(name_matches("v3.post.*", "v3.post.didCreate"));
        assert!(!name_matches("v3.post.*", "v3.comment.didCreate"));
        assert!(name_matches("v3.post.didCreate", "v3.post.didCreate"));
        assert!(!name_matches("v3.post.didCreate", "v3.post.didCreateX"));
    }

    #[test]
    fn the_filter_query_leaves_out_empty_fields_and_encodes_values() {
        let filter =
            EventFilter { event_type: "v3.post.*".into(), user: String::new(), community: "c 1".into() };
        assert_eq!(filter.query_string(), "type=v3.post.%2A&community=c%201");
    }

    #[test]
    fn event_ids_are_read_from_commas_and_spaces_once_each() {
        assert_eq!(parse_event_ids("3, 5 5\n7"), Ok(vec![3, 5, 7]));
        assert!(parse_event_ids("  ").is_err());
        assert!(parse_event_ids("3, x").is_err());
    }

    #[test]
    fn the_payload_is_indented_when_it_is_json() {
        assert!(row(None, None).pretty_data().contains("\n"));
        let mut raw = row(None, None);
        raw.data = "<b>not json</b>".into();
        assert_eq!(raw.pretty_data(), "<b>not json</b>");
    }
}
