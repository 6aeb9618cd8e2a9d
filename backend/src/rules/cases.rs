//! Cases opened by rules: a console-side list next to the upstream's moderation feed.
//!
//! The queue's cases come from Social+ (flags, pending posts); a rule can also decide that
//! something needs a look although nobody flagged it. Those cases are kept here, one open case
//! per object; [`open_cases`] is what the queue (or anyone) reads to show them.

use crate::event_stream::{ms_to_rfc3339, now_ms};
use serde::Serialize;
use sqlx::{Row, SqlitePool};

/// An open case a rule created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCase {
    /// Row id.
    pub id: i64,
    /// The rule that opened it.
    pub rule_id: i64,
    /// The event that triggered it.
    pub event_id: i64,
    /// `post`, `comment`, `message` or `user` (the queue's case kinds).
    pub kind: String,
    /// The object's id.
    pub object_id: String,
    /// When, RFC 3339.
    pub opened_at: String,
}

/// The kind of case an event's object makes, if any: content by itself, otherwise the user
/// it is about.
pub fn case_target(
    object_kind: Option<&str>,
    object_id: Option<&str>,
    user: Option<&str>,
) -> Option<(String, String)> {
    match (object_kind, object_id) {
        (Some(kind @ ("post" | "comment" | "message" | "user")), Some(id)) if !id.is_empty() => {
            Some((kind.to_owned(), id.to_owned()))
        }
        _ => user.filter(|u| !u.is_empty()).map(|u| ("user".to_owned(), u.to_owned())),
    }
}

/// Opens a case for the object unless one is already open; answers whether it opened one.
pub async fn open(
    db: &SqlitePool,
    rule_id: i64,
    event_id: i64,
    kind: &str,
    object_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO rule_cases (rule_id, event_id, kind, object_id, opened_at) \
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS \
         (SELECT 1 FROM rule_cases WHERE kind = ?3 AND object_id = ?4 AND status = 'open')",
    )
    .bind(rule_id)
    .bind(event_id)
    .bind(kind)
    .bind(object_id)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Closes the open case of `kind:object_id`, if a rule opened one: a moderator settled it.
pub async fn close(db: &SqlitePool, kind: &str, object_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE rule_cases SET status = 'closed' WHERE kind = ? AND object_id = ? AND status = 'open'",
    )
    .bind(kind)
    .bind(object_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Open cases, newest first.
pub async fn open_cases(db: &SqlitePool, limit: u32) -> Result<Vec<RuleCase>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, rule_id, event_id, kind, object_id, opened_at FROM rule_cases \
         WHERE status = 'open' ORDER BY id DESC LIMIT ?",
    )
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RuleCase {
                id: row.try_get("id")?,
                rule_id: row.try_get("rule_id")?,
                event_id: row.try_get("event_id")?,
                kind: row.try_get("kind")?,
                object_id: row.try_get("object_id")?,
                opened_at: ms_to_rfc3339(row.try_get("opened_at")?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_its_own_case_and_anything_else_is_about_its_user() {
        assert_eq!(case_target(Some("post"), Some("p1"), Some("ann")), Some(("post".into(), "p1".into())));
        assert_eq!(
            case_target(Some("community"), Some("c1"), Some("ann")),
            Some(("user".into(), "ann".into()))
        );
        assert_eq!(case_target(None, None, None), None);
    }
}
