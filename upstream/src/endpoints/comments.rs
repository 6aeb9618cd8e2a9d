//! Comment endpoints (`spec: v3/comment/api.yaml`, `v4/comment/api.yaml`).

use super::Request;
use crate::content_query::CommentQuery;
use serde_json::json;

/// `GET /api/v3/comments`.
pub fn query_comments(query: &CommentQuery) -> Request {
    Request::get(&["api", "v3", "comments"]).with_query(query.to_pairs())
}

/// `GET /api/v3/comments/{commentId}`.
pub fn get_comment(comment_id: &str) -> Request {
    Request::get(&["api", "v3", "comments", comment_id])
}

/// `DELETE /api/v4/comments/{commentId}`, with `permanent=true` to remove it for good.
pub fn delete_comment(comment_id: &str, permanent: bool) -> Request {
    Request::delete(&["api", "v4", "comments", comment_id])
        .with_query(vec![("permanent".to_owned(), permanent.to_string())])
}

/// `POST /api/v3/comments/{commentId}/flag` (flags as the caller; the spec wants the id in the body too).
pub fn flag_comment(comment_id: &str) -> Request {
    Request::post(&["api", "v3", "comments", comment_id, "flag"])
        .with_body(json!({ "commentId": comment_id }))
}

/// `DELETE /api/v3/comments/{commentId}/flags` (clears every flag).
pub fn clear_comment_flags(comment_id: &str) -> Request {
    Request::delete(&["api", "v3", "comments", comment_id, "flags"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flagging_names_the_comment_in_path_and_body() {
        let request = flag_comment("c1");
        assert_eq!(request.segments, vec!["api", "v3", "comments", "c1", "flag"]);
        assert_eq!(request.body, Some(json!({"commentId": "c1"})));
        assert!(!request.idempotent);
    }
}
