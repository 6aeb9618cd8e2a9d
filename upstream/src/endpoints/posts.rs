//! Post endpoints (`spec: v3/post/api.yaml`, `v4/post/api.yaml`).

use super::Request;
use crate::content_query::PostQuery;
use serde_json::{Map, Value, json};

/// `GET /api/v4/posts`.
pub fn query_posts(query: &PostQuery) -> Request {
    Request::get(&["api", "v4", "posts"]).with_query(query.to_pairs())
}

/// `GET /api/v3/posts/{postId}`.
pub fn get_post(post_id: &str) -> Request {
    Request::get(&["api", "v3", "posts", post_id])
}

/// `GET /api/v3/posts/list`.
pub fn list_posts_by_ids(post_ids: &[String]) -> Request {
    let query = post_ids.iter().map(|id| ("postIds[]".to_owned(), id.clone())).collect();
    Request::get(&["api", "v3", "posts", "list"]).with_query(query)
}

/// What `PUT /api/v4/posts/{postId}` changes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PostUpdate {
    /// New text.
    pub text: Option<String>,
    /// New metadata.
    pub metadata: Option<Map<String, Value>>,
    /// New tags.
    pub tags: Option<Vec<String>>,
}

/// `PUT /api/v4/posts/{postId}`. Setting the same values twice has the same effect.
pub fn update_post(post_id: &str, update: &PostUpdate) -> Request {
    let mut body = Map::new();
    if let Some(text) = &update.text {
        body.insert("text".into(), json!(text));
    }
    if let Some(metadata) = &update.metadata {
        body.insert("metadata".into(), Value::Object(metadata.clone()));
    }
    if let Some(tags) = &update.tags {
        body.insert("tags".into(), json!(tags));
    }
    Request::put(&["api", "v4", "posts", post_id]).with_body(Value::Object(body))
}

/// `DELETE /api/v3/posts/{postId}` (soft: the post stays with `isDeleted: true`).
pub fn soft_delete_post(post_id: &str) -> Request {
    Request::delete(&["api", "v3", "posts", post_id])
}

/// `DELETE /api/v4/posts/{postId}`, with `permanent=true` to remove it for good.
pub fn delete_post(post_id: &str, permanent: bool) -> Request {
    Request::delete(&["api", "v4", "posts", post_id])
        .with_query(vec![("permanent".to_owned(), permanent.to_string())])
}

/// `POST /api/v3/posts/{postId}/approve`. Not retried: a second approval of a post that
/// moved on is not the same call.
pub fn approve_post(post_id: &str) -> Request {
    Request::post(&["api", "v3", "posts", post_id, "approve"])
}

/// `POST /api/v3/posts/{postId}/decline`.
pub fn decline_post(post_id: &str) -> Request {
    Request::post(&["api", "v3", "posts", post_id, "decline"])
}

/// `POST /api/v3/posts/{postId}/flag` (flags as the caller).
pub fn flag_post(post_id: &str) -> Request {
    Request::post(&["api", "v3", "posts", post_id, "flag"])
}

/// `DELETE /api/v3/posts/{postId}/unflag` (removes the caller's flag).
pub fn unflag_post(post_id: &str) -> Request {
    Request::delete(&["api", "v3", "posts", post_id, "unflag"])
}

/// `DELETE /api/v3/posts/{postId}/flags` (clears every flag; moderators and admins).
pub fn clear_post_flags(post_id: &str) -> Request {
    Request::delete(&["api", "v3", "posts", post_id, "flags"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn permanent_delete_is_a_query_flag() {
        let request = delete_post("p1", true);
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.segments, vec!["api", "v4", "posts", "p1"]);
        assert_eq!(request.query, vec![("permanent".to_owned(), "true".to_owned())]);
    }

    #[test]
    fn review_actions_are_not_retried() {
        assert!(!approve_post("p").idempotent);
        assert!(!decline_post("p").idempotent);
        assert!(!flag_post("p").idempotent);
        assert!(clear_post_flags("p").idempotent);
    }

    #[test]
    fn updates_send_only_what_changes() {
        let request = update_post("p", &PostUpdate { text: Some("hi".into()), ..PostUpdate::default() });
        assert_eq!(request.body, Some(json!({"text": "hi"})));
    }
}
