//! The admin moderation feed and its bulk actions (`spec: apidocs-index-newer/v1-admin/`).

use super::Request;
use crate::content_query::ModerationFeedQuery;
use serde_json::json;

/// `GET /admin/v1/moderation-feeds`.
pub fn moderation_feed(query: &ModerationFeedQuery) -> Request {
    Request::get(&["admin", "v1", "moderation-feeds"]).with_query(query.to_pairs())
}

/// `DELETE /admin/v1/contents` with a JSON body `{contentIds}` (≤ 100 internal ids).
pub fn delete_contents(content_ids: &[String]) -> Request {
    Request::delete(&["admin", "v1", "contents"]).with_body(json!({ "contentIds": content_ids }))
}

/// `DELETE /admin/v1/contents/flags` with a JSON body `{contentIds}` (≤ 100 internal ids).
pub fn clear_content_flags(content_ids: &[String]) -> Request {
    Request::delete(&["admin", "v1", "contents", "flags"]).with_body(json!({ "contentIds": content_ids }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn bulk_actions_are_deletes_with_a_body() {
        let request = clear_content_flags(&["a".into(), "b".into()]);
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.body, Some(json!({"contentIds": ["a", "b"]})));
    }
}
