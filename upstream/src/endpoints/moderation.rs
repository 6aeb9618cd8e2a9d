//! The admin moderation feed and its bulk actions (`spec: apidocs-index-newer/v1-admin/`).

use super::{Endpoint, Request};
use crate::{
    content_query::ModerationFeedQuery,
    wire::{ModerationFeedEnvelope, StatusResult},
};
use serde_json::json;

/// `GET /admin/v1/moderation-feeds`.
#[derive(Clone, Copy, Debug)]
pub struct QueryModerationFeed<'a>(
    /// Feed, filter and page.
    pub &'a ModerationFeedQuery,
);

impl Endpoint for QueryModerationFeed<'_> {
    type Response = ModerationFeedEnvelope;
    fn request(&self) -> Request {
        Request::get(&["admin", "v1", "moderation-feeds"]).with_query(self.0.to_pairs())
    }
}

/// `DELETE /admin/v1/contents` with a JSON body `{contentIds}` (≤ 100 internal ids).
#[derive(Clone, Copy, Debug)]
pub struct DeleteContents<'a> {
    /// Internal content ids.
    pub content_ids: &'a [String],
}

impl Endpoint for DeleteContents<'_> {
    type Response = StatusResult;
    fn request(&self) -> Request {
        Request::delete(&["admin", "v1", "contents"]).with_body(json!({ "contentIds": self.content_ids }))
    }
}

/// `DELETE /admin/v1/contents/flags` with a JSON body `{contentIds}` (≤ 100 internal ids).
#[derive(Clone, Copy, Debug)]
pub struct ClearContentFlags<'a> {
    /// Internal content ids.
    pub content_ids: &'a [String],
}

impl Endpoint for ClearContentFlags<'_> {
    type Response = StatusResult;
    fn request(&self) -> Request {
        Request::delete(&["admin", "v1", "contents", "flags"])
            .with_body(json!({ "contentIds": self.content_ids }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn bulk_actions_are_deletes_with_a_body() {
        let ids = ["a".to_owned(), "b".to_owned()];
        let request = ClearContentFlags { content_ids: &ids }.request();
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.body, Some(json!({"contentIds": ["a", "b"]})));
    }
}
