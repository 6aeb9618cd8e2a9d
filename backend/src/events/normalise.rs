//! One webhook body → one `events` row: who did what to which object, where and when.
//!
//! The `dedupe_key` names the happening, not the message that told us about it, so the same
//! post creation seen in a webhook and in the periodic backfill is one row
//! (`post.didCreate:<postId>`). Keys drop the `v3.`/`v5.` prefix because the network sends
//! some events under two names (`message.didCreate`, `v5.message.didCreate`).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Where an `events` row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A signed webhook delivery.
    Webhook,
    /// The periodic reconciliation from the REST API.
    Backfill,
    /// The last-activity report.
    Report,
}

impl Source {
    /// The value stored in `events.source`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Backfill => "backfill",
            Self::Report => "report",
        }
    }
}

/// A row for `events`.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    /// Official event name, e.g. `v3.post.didCreate`.
    pub name: String,
    /// Unix milliseconds.
    pub occurred_at: i64,
    /// Webhook, backfill or report.
    pub source: Source,
    /// The delivery it came from, for webhooks.
    pub delivery_id: Option<i64>,
    /// Names the happening; equal keys are one row.
    pub dedupe_key: String,
    /// Who did it.
    pub actor_user_id: Option<String>,
    /// Who it was done to.
    pub subject_user_id: Option<String>,
    /// Where, for community content and memberships.
    pub community_id: Option<String>,
    /// Where, for chat.
    pub channel_id: Option<String>,
    /// `post`, `comment`, `message`, `user`, `community`, `channel`, `story`, `follow`…
    pub object_kind: Option<String>,
    /// The object's public id.
    pub object_id: Option<String>,
    /// The event's `data` (or the backfilled object) as JSON text.
    pub data: String,
}

/// Why a body cannot become an event.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// Not `{"event": "...", "data": {...}}`.
    #[error("the body is not {{\"event\": name, \"data\": object}}: {0}")]
    Shape(String),
}

/// The `event` name of a body, if it is `{"event": "<non-empty string>", "data": {…}}`.
pub fn event_name(body: &[u8]) -> Result<String, Unusable> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Unusable::Shape(e.to_string()))?;
    let name = value.get("event").and_then(Value::as_str).filter(|n| !n.trim().is_empty());
    match (name, value.get("data")) {
        (Some(name), Some(Value::Object(_))) => Ok(name.to_owned()),
        _ => Err(Unusable::Shape("missing `event` or `data`".into())),
    }
}

/// Normalises a stored delivery.
pub fn from_delivery(body: &[u8], delivery_id: i64, received_at: i64) -> Result<NewEvent, Unusable> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Unusable::Shape(e.to_string()))?;
    let name = value.get("event").and_then(Value::as_str).filter(|n| !n.trim().is_empty());
    let (Some(name), Some(Value::Object(data))) = (name, value.get("data")) else {
        return Err(Unusable::Shape("missing `event` or `data`".into()));
    };
    Ok(from_data(name, data, Source::Webhook, Some(delivery_id), received_at))
}

/// `v3.post.didCreate` → (`post`, `didCreate`); `user.didFlag` → (`user`, `didFlag`);
/// `push-notification/post.created` → (`push-notification/post`, `created`).
fn split(name: &str) -> (&str, &str) {
    let unversioned = unversioned(name);
    unversioned.rsplit_once('.').unwrap_or((unversioned, ""))
}

fn unversioned(name: &str) -> &str {
    match name.split_once('.') {
        Some((version, rest))
            if version.len() >= 2
                && version.starts_with('v')
                && version[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => name,
    }
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The first object of a side-loaded array (`posts`) or a single object (`channel`).
fn first<'a>(data: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Map<String, Value>> {
    keys.iter().find_map(|key| match data.get(*key) {
        Some(Value::Array(items)) => items.first().and_then(Value::as_object),
        Some(Value::Object(object)) => Some(object),
        _ => None,
    })
}

/// Parses an ISO-8601 / RFC 3339 time into Unix milliseconds.
pub fn parse_time(raw: &str) -> Option<i64> {
    let at = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Normalises an event name and its `data` (webhook) or an object envelope built to look
/// like one (backfill), so both produce the same key for the same happening.
pub fn from_data(
    name: &str,
    data: &Map<String, Value>,
    source: Source,
    delivery_id: Option<i64>,
    received_at: i64,
) -> NewEvent {
    let (kind, verb) = split(name);
    let base_kind = kind.rsplit('/').next().unwrap_or(kind);
    let (collections, id_key): (&[&str], &str) = match base_kind {
        "post" => (&["posts"], "postId"),
        "comment" => (&["comments"], "commentId"),
        "message" => (&["messages"], "messageId"),
        "user" => (&["users"], "userId"),
        "community" => (&["communities"], "communityId"),
        "channel" => (&["channels", "channel"], "channelId"),
        "story" => (&["stories"], "storyId"),
        "poll" => (&["polls"], "pollId"),
        _ => (&[], ""),
    };
    let object = first(data, collections);
    let object_id = object.and_then(|o| text(o, id_key));
    let member = first(data, &["communityUsers", "channelUsers"]);
    let community_id = match base_kind {
        "community" => object_id.clone(),
        _ => object
            .and_then(|o| {
                let in_community = o.get("targetType").and_then(Value::as_str) == Some("community");
                text(o, "communityId").or_else(|| in_community.then(|| text(o, "targetId")).flatten())
            })
            .or_else(|| first(data, &["communities"]).and_then(|c| text(c, "communityId"))),
    };
    let channel_id = match base_kind {
        "channel" => object_id.clone(),
        _ => object.and_then(|o| text(o, "channelId")),
    };
    let creator = object.and_then(|o| {
        ["postedUserId", "userId", "creatorId", "creatorPublicId"].iter().find_map(|k| text(o, k))
    });
    let flagger = text(data, "flaggedUserId");
    let reactor = text(data, "reactor").or_else(|| first(data, &["reactor"]).and_then(|r| text(r, "userId")));
    let joiner = member.and_then(|m| text(m, "userId"));
    // The actor is who did it, and the analytics count actors as active users, so an event
    // that a moderator, an admin or the system may have caused credits nobody: a user's
    // profile update may be an admin's ban, a post's deletion may be a moderator's.
    let (actor, subject) = match (base_kind, verb) {
        ("user", "didFlag" | "didUnflag") => (flagger.clone(), object_id.clone()),
        // Registering a session creates the user: their own first activity.
        ("user", "didCreate") => (object_id.clone(), object_id.clone()),
        ("user", _) => (None, object_id.clone()),
        (_, "didFlag" | "didUnflag") => (flagger.clone(), creator.clone()),
        (_, "didAddReaction" | "didRemoveReaction") => (reactor.clone(), creator.clone()),
        (
            _,
            "didDelete" | "didApprove" | "didDecline" | "didClearflag" | "didClearFlag" | "didModerate"
            | "didBan" | "didUnban" | "didRoleChange" | "didAddUsers" | "didRemoveUsers" | "didClose",
        ) => (None, joiner.clone().or_else(|| creator.clone())),
        ("community" | "channel", "didJoin" | "didLeave") => (joiner.clone(), joiner.clone()),
        ("community" | "channel", "didCreate") => (creator.clone(), None),
        ("community" | "channel", _) => (None, None),
        ("follow", _) => {
            let from = first(data, &["from"]).and_then(|f| text(f, "userId")).or_else(|| text(data, "from"));
            let to = first(data, &["to"]).and_then(|t| text(t, "userId")).or_else(|| text(data, "to"));
            (from, to)
        }
        _ => (creator.clone(), None),
    };
    let created = object.and_then(|o| text(o, "createdAt")).and_then(|t| parse_time(&t));
    let member_updated = member.and_then(|m| text(m, "updatedAt")).and_then(|t| parse_time(&t));
    let updated = object.and_then(|o| text(o, "updatedAt")).and_then(|t| parse_time(&t));
    // A membership change is dated by the membership: the community object beside it
    // carries its own last update, which may be months old.
    let updated = match verb {
        "didJoin" | "didLeave" | "didAddUsers" | "didRemoveUsers" | "didBan" | "didUnban"
        | "didRoleChange" => member_updated.or(updated),
        _ => updated.or(member_updated),
    };
    let occurred_at = match verb {
        "didCreate" => created.or(updated),
        _ => updated.or(created),
    }
    .unwrap_or(received_at);
    let unversioned_name = unversioned(name);
    let dedupe_key = match (verb, object_id.as_deref()) {
        ("didCreate" | "didDelete" | "didReply", Some(id)) => format!("{unversioned_name}:{id}"),
        ("didFlag" | "didUnflag", Some(id)) if flagger.is_some() => {
            format!("{unversioned_name}:{id}:{}:{occurred_at}", flagger.as_deref().unwrap_or_default())
        }
        ("didJoin" | "didLeave", Some(id)) if joiner.is_some() => {
            format!("{unversioned_name}:{id}:{}:{occurred_at}", joiner.as_deref().unwrap_or_default())
        }
        (_, Some(id)) => format!("{unversioned_name}:{id}:{occurred_at}"),
        (_, None) => {
            let digest = Sha256::digest(Value::Object(data.clone()).to_string().as_bytes());
            let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
            format!("{unversioned_name}:{hex}")
        }
    };
    NewEvent {
        name: name.to_owned(),
        occurred_at,
        source,
        delivery_id,
        dedupe_key,
        actor_user_id: actor,
        subject_user_id: subject,
        community_id,
        channel_id,
        object_kind: (!kind.is_empty()).then(|| base_kind.to_owned()),
        object_id,
        data: Value::Object(data.clone()).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn a_post_creation_names_its_author_community_and_time() {
        let body = json!({"event": "v3.post.didCreate", "data": {
            "posts": [{"postId": "p1", "postedUserId": "u1", "targetId": "c1", "targetType": "community",
                       "createdAt": "2026-11-26T10:00:00.000Z", "updatedAt": "2026-11-26T10:05:00.000Z"}],
            "users": [{"userId": "u1"}]}});
        let event = from_delivery(body.to_string().as_bytes(), 7, 1).expect("usable");
        assert_eq!(event.dedupe_key, "post.didCreate:p1");
        assert_eq!(event.actor_user_id.as_deref(), Some("u1"));
        assert_eq!(event.community_id.as_deref(), Some("c1"));
        assert_eq!((event.object_kind.as_deref(), event.object_id.as_deref()), (Some("post"), Some("p1")));
        assert_eq!(event.occurred_at, parse_time("2026-11-26T10:00:00Z").expect("time"));
        assert_eq!((event.delivery_id, event.source), (Some(7), Source::Webhook));
    }

    #[test]
    fn a_flag_names_the_flagger_as_actor_and_the_author_as_subject() {
        let event = from_data(
            "v3.comment.didFlag",
            &data(json!({"comments": [{"commentId": "c9", "userId": "author",
                "updatedAt": "2026-11-26T10:00:00Z"}], "flaggedUserId": "flagger"})),
            Source::Webhook,
            None,
            5,
        );
        assert_eq!(event.actor_user_id.as_deref(), Some("flagger"));
        assert_eq!(event.subject_user_id.as_deref(), Some("author"));
        assert!(event.dedupe_key.starts_with("comment.didFlag:c9:flagger:"), "{}", event.dedupe_key);
    }

    #[test]
    fn a_join_names_the_member_and_versioned_and_unversioned_names_share_keys() {
        let join = from_data(
            "v3.community.didJoin",
            &data(json!({"communities": [{"communityId": "c1"}], "communityUsers": [{"communityId": "c1",
                "userId": "u2", "createdAt": "2026-11-26T10:00:00Z", "updatedAt": "2026-11-26T10:00:00Z"}]})),
            Source::Webhook,
            None,
            5,
        );
        assert_eq!((join.actor_user_id.as_deref(), join.community_id.as_deref()), (Some("u2"), Some("c1")));
        let message = json!({"messages": [{"messageId": "m1", "channelId": "ch", "creatorId": "u3",
            "createdAt": "2026-11-26T10:00:00Z"}]});
        let v5 = from_data("v5.message.didCreate", &data(message.clone()), Source::Webhook, None, 1);
        let plain = from_data("message.didCreate", &data(message), Source::Backfill, None, 2);
        assert_eq!(v5.dedupe_key, plain.dedupe_key);
        assert_eq!((v5.channel_id.as_deref(), v5.actor_user_id.as_deref()), (Some("ch"), Some("u3")));
    }

    #[test]
    fn a_join_is_dated_by_the_membership_not_by_the_community_s_last_update() {
        let join = from_data(
            "v3.community.didJoin",
            &data(json!({"communities": [{"communityId": "c1", "createdAt": "2025-01-01T00:00:00Z",
                "updatedAt": "2025-06-01T00:00:00Z"}],
                "communityUsers": [{"communityId": "c1", "userId": "u2", "createdAt": "2026-11-26T10:00:00Z",
                "updatedAt": "2026-11-26T10:00:00Z"}]})),
            Source::Webhook,
            None,
            5,
        );
        assert_eq!(join.occurred_at, parse_time("2026-11-26T10:00:00Z").expect("time"));
        let update = from_data(
            "v3.community.didUpdate",
            &data(json!({"communities": [{"communityId": "c1", "updatedAt": "2025-06-01T00:00:00Z"}]})),
            Source::Webhook,
            None,
            5,
        );
        assert_eq!(
            update.occurred_at,
            parse_time("2025-06-01T00:00:00Z").expect("time"),
            "the community's own"
        );
    }

    #[test]
    fn a_replayed_post_event_is_dated_by_its_payload_not_by_its_arrival() {
        let flag = json!({"event": "v3.post.didFlag", "data": {"posts": [{"postId": "p1", "postedUserId": "a",
            "createdAt": "2026-09-10T08:00:00.000Z", "updatedAt": "2026-09-12T19:30:00.000Z"}],
            "flaggedUserId": "f"}});
        let arrived = parse_time("2026-12-07T17:00:00Z").expect("time");
        let event = from_delivery(flag.to_string().as_bytes(), 1, arrived).expect("usable");
        assert_eq!(event.occurred_at, parse_time("2026-09-12T19:30:00Z").expect("time"), "not the arrival");
    }

    #[test]
    fn what_a_moderator_or_admin_may_have_done_credits_nobody_as_active() {
        let post = json!({"posts": [{"postId": "p1", "postedUserId": "author", "targetId": "c1",
            "targetType": "community", "updatedAt": "2026-11-26T10:00:00Z"}]});
        for name in ["v3.post.didDelete", "v3.post.didApprove", "v3.post.didDecline"] {
            let event = from_data(name, &data(post.clone()), Source::Webhook, None, 5);
            assert_eq!(event.actor_user_id, None, "{name}");
            assert_eq!(event.subject_user_id.as_deref(), Some("author"), "{name}");
        }
        let user = json!({"users": [{"userId": "u1", "updatedAt": "2026-11-26T10:00:00Z"}]});
        let update = from_data("user.didUpdate", &data(user.clone()), Source::Webhook, None, 5);
        assert_eq!((update.actor_user_id, update.subject_user_id.as_deref()), (None, Some("u1")));
        let created = from_data("user.didCreate", &data(user), Source::Webhook, None, 5);
        assert_eq!(created.actor_user_id.as_deref(), Some("u1"), "a new session is the user's own doing");
        let edit = from_data("v3.post.didUpdate", &data(post), Source::Webhook, None, 5);
        assert_eq!(edit.actor_user_id.as_deref(), Some("author"), "an edit is the author's");
    }

    #[test]
    fn an_unknown_event_keeps_its_data_and_keys_on_its_content() {
        let a = from_data("poll.didVote", &data(json!({"x": 1})), Source::Webhook, None, 9);
        let b = from_data("poll.didVote", &data(json!({"x": 2})), Source::Webhook, None, 9);
        assert_ne!(a.dedupe_key, b.dedupe_key);
        assert_eq!(a.occurred_at, 9, "no time in data: the receipt time");
        assert_eq!(a.data, r#"{"x":1}"#);
    }

    #[test]
    fn a_body_without_event_or_data_is_unusable() {
        assert!(event_name(b"[]").is_err());
        assert!(event_name(br#"{"event": "", "data": {}}"#).is_err());
        assert!(event_name(br#"{"event": "x", "data": 1}"#).is_err());
        assert!(event_name(b"{not json").is_err());
        assert_eq!(event_name(br#"{"event": "user.didCreate", "data": {}}"#), Ok("user.didCreate".into()));
    }
}
