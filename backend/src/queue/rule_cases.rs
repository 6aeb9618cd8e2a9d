//! Cases opened by automation rules ([`crate::rules::cases`]): console-side cases for things
//! nobody flagged, listed on the To review tab next to Social+'s flags until a moderator acts
//! on them (a settled action closes them, see [`crate::moderation::execute`]).
//!
//! They are built from the stored event that triggered the rule, so listing them costs no
//! upstream call; the case view reads the live object as for any other case.

use super::{cases::excerpt, sources::Read, sources::WINDOW};
use crate::{Error, event_stream::ms_to_rfc3339};
use serde_json::Value;
use sqlx::{Row, SqlitePool};
use types::queue::{Case, CaseKind, ReviewState};

/// The open rule cases, newest first (at most [`WINDOW`]).
pub async fn open(db: &SqlitePool) -> Result<Read, Error> {
    let rows = sqlx::query(
        "SELECT c.kind, c.object_id, c.opened_at, e.actor_user_id, e.subject_user_id, e.community_id, \
         e.data, r.name AS rule_name FROM rule_cases c JOIN events e ON e.id = c.event_id \
         LEFT JOIN event_rules r ON r.id = c.rule_id WHERE c.status = 'open' ORDER BY c.id DESC LIMIT ?",
    )
    .bind(i64::from(WINDOW) + 1)
    .fetch_all(db)
    .await?;
    let truncated = rows.len() > WINDOW as usize;
    let mut cases = Vec::with_capacity(rows.len());
    for row in rows.iter().take(WINDOW as usize) {
        let data: String = row.try_get("data")?;
        let opened = Opened {
            kind: row.try_get("kind")?,
            object_id: row.try_get("object_id")?,
            opened_at: row.try_get("opened_at")?,
            actor: row.try_get("actor_user_id")?,
            subject: row.try_get("subject_user_id")?,
            community: row.try_get("community_id")?,
            rule: row.try_get::<Option<String>, _>("rule_name")?.unwrap_or_else(|| "a deleted rule".into()),
            data: serde_json::from_str(&data).unwrap_or(Value::Null),
        };
        cases.extend(opened.case());
    }
    Ok(Read { cases, truncated })
}

/// One `rule_cases` row with its event.
struct Opened {
    kind: String,
    object_id: String,
    opened_at: i64,
    actor: Option<String>,
    subject: Option<String>,
    community: Option<String>,
    rule: String,
    data: Value,
}

impl Opened {
    /// The queue case, or `None` for a kind the queue does not show.
    fn case(self) -> Option<Case> {
        let (kind, collection, id_key) = match self.kind.as_str() {
            "post" => (CaseKind::Post, "posts", "postId"),
            "comment" => (CaseKind::Comment, "comments", "commentId"),
            "message" => (CaseKind::Message, "messages", "messageId"),
            "user" => (CaseKind::User, "users", "userId"),
            _ => return None,
        };
        let object = find(&self.data, collection, id_key, &self.object_id);
        let author_id = match kind {
            CaseKind::User => self.object_id.clone(),
            // A flag names the author as subject; a creation names them as actor.
            _ => self.subject.clone().or(self.actor.clone()).unwrap_or_default(),
        };
        let text =
            object.and_then(|o| o["data"]["text"].as_str().or(o["description"].as_str())).unwrap_or("");
        let author_name = find(&self.data, "users", "userId", &author_id)
            .and_then(|u| u["displayName"].as_str())
            .unwrap_or_default()
            .to_owned();
        let community_name = self
            .community
            .as_deref()
            .and_then(|id| find(&self.data, "communities", "communityId", id))
            .and_then(|c| c["displayName"].as_str())
            .map(str::to_owned);
        Some(Case {
            kind,
            id: self.object_id,
            internal_id: None,
            feed_id: object.and_then(|o| o["messageFeedId"].as_str()).map(str::to_owned),
            excerpt: excerpt(text),
            author_id,
            author_name,
            community_id: self.community,
            community_name,
            flag_count: object.and_then(|o| o["flagCount"].as_u64()).unwrap_or(0),
            reporter_count: 0,
            reasons: vec![format!("Opened by the rule “{}”", self.rule)],
            ai: Vec::new(),
            created_at: object.and_then(|o| o["createdAt"].as_str()).map(str::to_owned),
            last_flagged_at: Some(ms_to_rfc3339(self.opened_at)),
            state: ReviewState::Open,
        })
    }
}

/// The object of `collection` whose `id_key` is `id` (the first one when none matches).
fn find<'a>(data: &'a Value, collection: &str, id_key: &str, id: &str) -> Option<&'a Value> {
    let items = data[collection].as_array()?;
    items.iter().find(|item| item[id_key].as_str() == Some(id)).or_else(|| items.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn opened(kind: &str, object_id: &str, data: Value) -> Opened {
        Opened {
            kind: kind.into(),
            object_id: object_id.into(),
            opened_at: 1_795_000_000_000,
            actor: Some("ann".into()),
            subject: None,
            community: Some("c1".into()),
            rule: "Links from new accounts".into(),
            data,
        }
    }

    #[test]
    fn a_post_case_reads_text_author_and_community_from_the_stored_event() {
        let data = json!({
            "posts": [{"postId": "p1", "data": {"text": "buy <b>now</b>"}, "flagCount": 0,
                       "createdAt": "2026-11-26T10:00:00Z"}],
            "users": [{"userId": "ann", "displayName": "Ann"}],
            "communities": [{"communityId": "c1", "displayName": "Runners"}]});
        let case = opened("post", "p1", data).case().expect("a post case");
        assert_eq!(
            (case.kind, case.id.as_str(), case.excerpt.as_str()),
            (CaseKind::Post, "p1", "buy <b>now</b>")
        );
        assert_eq!((case.author_id.as_str(), case.author_name.as_str()), ("ann", "Ann"));
        assert_eq!(case.community_name.as_deref(), Some("Runners"));
        assert_eq!(case.reasons, ["Opened by the rule “Links from new accounts”"]);
        assert_eq!(case.state, ReviewState::Open);
        assert!(case.last_flagged_at.is_some(), "sorted and aged by when the rule opened it");
    }

    #[test]
    fn a_user_case_is_about_the_user_and_unknown_kinds_are_not_shown() {
        let case = opened("user", "bob", json!({"users": [{"userId": "bob", "displayName": "Bob"}]}))
            .case()
            .expect("a user case");
        assert_eq!(
            (case.kind, case.author_id.as_str(), case.author_name.as_str()),
            (CaseKind::User, "bob", "Bob")
        );
        assert!(opened("community", "c1", Value::Null).case().is_none());
    }
}
