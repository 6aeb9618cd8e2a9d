//! Which stored events can change the queue, so the Queue page reads the queue again when one
//! arrives (over `GET /events/stream?kind=queue`) instead of polling Social+ on a timer.
//!
//! The queue holds flagged posts, comments, messages and users and posts waiting for review,
//! so what changes it is (official webhook names, `v3.`/`v5.` or not): a flag, an unflag or a
//! cleared flag of one of those objects; their deletion; a post approved or declined; and a
//! post created into a reviewing feed (`v3.post.didCreate` whose side-loaded `feeds` say
//! `feedType: reviewing`). Reactions, updates, joins and published posts do not.

/// The kinds of object a case can be about (`events.object_kind`).
const CASE_OBJECTS: [&str; 4] = ["post", "comment", "message", "user"];

/// The verbs that add or settle a case of any of [`CASE_OBJECTS`] (SQLite `LIKE` is ASCII
/// case-insensitive, so `didClearFlag` also matches the messages' `didClearflag`).
const CASE_VERBS: [&str; 7] =
    ["didFlag", "didUnflag", "didClearFlag", "didClearFlags", "didDelete", "didApprove", "didDecline"];

/// SQL condition on an `events` row: the event can change the queue.
pub const QUEUE_EVENTS_SQL: &str = "(object_kind IN ('post', 'comment', 'message', 'user') \
     AND (name LIKE '%.didFlag' OR name LIKE '%.didUnflag' OR name LIKE '%.didClearFlag' \
     OR name LIKE '%.didClearFlags' OR name LIKE '%.didDelete' OR name LIKE '%.didApprove' \
     OR name LIKE '%.didDecline' \
     OR (object_kind = 'post' AND name LIKE '%.didCreate' AND CASE WHEN json_valid(data) THEN \
     EXISTS (SELECT 1 FROM json_each(data, '$.feeds') WHERE CASE WHEN type = 'object' \
     THEN json_extract(value, '$.feedType') = 'reviewing' ELSE 0 END) ELSE 0 END)))";

/// Rust twin of [`QUEUE_EVENTS_SQL`] (the tests hold them to the same answers).
pub fn changes_queue(object_kind: Option<&str>, name: &str, data: &str) -> bool {
    let Some(kind) = object_kind.filter(|kind| CASE_OBJECTS.contains(kind)) else {
        return false;
    };
    let verb = name.rsplit('.').next().unwrap_or_default();
    let has_dot = name.contains('.');
    if has_dot && CASE_VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb)) {
        return true;
    }
    has_dot && kind == "post" && verb.eq_ignore_ascii_case("didCreate") && is_for_review(data)
}

/// Whether a post event's side-loaded `feeds` put it in a reviewing feed.
fn is_for_review(data: &str) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else {
        return false;
    };
    let feeds = match value.get("feeds") {
        Some(serde_json::Value::Array(feeds)) => feeds.iter().collect::<Vec<_>>(),
        Some(serde_json::Value::Object(feeds)) => feeds.values().collect(),
        _ => Vec::new(),
    };
    feeds.iter().any(|feed| feed.get("feedType").and_then(|t| t.as_str()) == Some("reviewing"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Names, kinds and payloads to try in every combination.
    fn samples() -> (Vec<&'static str>, Vec<Option<&'static str>>, Vec<String>) {
        let names = vec![
            "v3.post.didFlag",
            "v3.post.didUnflag",
            "v3.post.didCreate",
            "v3.post.didUpdate",
            "v3.post.didApprove",
            "v3.post.didDecline",
            "v3.post.didDelete",
            "v3.post.didAddReaction",
            "v3.comment.didFlag",
            "v3.comment.didCreate",
            "v3.comment.didDelete",
            "message.didFlag",
            "message.didClearflag",
            "v5.message.didDelete",
            "v5.message.didCreate",
            "user.didFlag",
            "user.didClearFlag",
            "user.didUpdate",
            "story.didFlag",
            "story.didClearFlags",
            "v3.community.didDelete",
            "didFlag",
        ];
        let kinds = vec![Some("post"), Some("comment"), Some("message"), Some("user"), Some("story"), None];
        let reviewing = json!({ "posts": [{ "postId": "p" }], "feeds": [{ "feedType": "reviewing" }] });
        let published = json!({ "posts": [{ "postId": "p" }], "feeds": [{ "feedType": "published" }] });
        let odd = [
            json!({ "feeds": ["reviewing"] }),
            json!({ "feeds": "reviewing" }),
            json!({ "feeds": { "f1": { "feedType": "reviewing" } } }),
        ];
        let mut datas = vec![reviewing.to_string(), published.to_string(), "{}".into(), "not json".into()];
        datas.extend(odd.iter().map(|value| value.to_string()));
        (names, kinds, datas)
    }

    #[test]
    fn flags_reviews_and_deletions_count_reactions_and_plain_posts_do_not() {
        let reviewing = json!({ "feeds": [{ "feedType": "reviewing" }] }).to_string();
        let published = json!({ "feeds": [{ "feedType": "published" }] }).to_string();
        assert!(changes_queue(Some("post"), "v3.post.didFlag", "{}"));
        assert!(changes_queue(Some("message"), "message.didClearflag", "{}"));
        assert!(changes_queue(Some("user"), "user.didFlag", "{}"));
        assert!(changes_queue(Some("comment"), "v3.comment.didDelete", "{}"));
        assert!(changes_queue(Some("post"), "v3.post.didApprove", "{}"));
        assert!(changes_queue(Some("post"), "v3.post.didCreate", &reviewing));
        assert!(!changes_queue(Some("post"), "v3.post.didCreate", &published));
        assert!(!changes_queue(Some("comment"), "v3.comment.didCreate", &reviewing));
        assert!(!changes_queue(Some("post"), "v3.post.didAddReaction", "{}"));
        assert!(!changes_queue(Some("story"), "story.didFlag", "{}"));
        assert!(!changes_queue(Some("community"), "v3.community.didDelete", "{}"));
    }

    #[tokio::test]
    async fn the_sql_condition_and_its_rust_twin_agree() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database opens");
        let (names, kinds, datas) = samples();
        let mut expected = Vec::new();
        for name in &names {
            for kind in &kinds {
                for data in &datas {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO events (name, occurred_at, day, source, dedupe_key, object_kind, data) \
                         VALUES (?, 0, 0, 'webhook', ?, ?, ?) RETURNING id",
                    )
                    .bind(name)
                    .bind(format!("{name}:{kind:?}:{data}"))
                    .bind(kind)
                    .bind(data)
                    .fetch_one(&db)
                    .await
                    .expect("event stored");
                    if changes_queue(*kind, name, data) {
                        expected.push(id);
                    }
                }
            }
        }
        let selected: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM events WHERE {QUEUE_EVENTS_SQL} ORDER BY id"))
                .fetch_all(&db)
                .await
                .expect("query runs");
        assert!(!expected.is_empty());
        assert_eq!(selected, expected);
    }
}
