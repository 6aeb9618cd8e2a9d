//! Comment endpoints (`spec: v3/comment/api.yaml`, `v4/comment/api.yaml`).

use super::{Endpoint, Request};
use crate::{
    content_query::CommentQuery,
    wire::{CommentEnvelope, DeleteResult},
};
use serde_json::json;

/// `GET /api/v3/comments`.
#[derive(Clone, Copy, Debug)]
pub struct QueryComments<'a>(
    /// Filter, order and page.
    pub &'a CommentQuery,
);

impl Endpoint for QueryComments<'_> {
    type Response = CommentEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "comments"]).with_query(self.0.to_pairs())
    }
}

/// `GET /api/v3/comments/{commentId}`.
#[derive(Clone, Copy, Debug)]
pub struct GetComment<'a> {
    /// Comment id.
    pub comment_id: &'a str,
}

impl Endpoint for GetComment<'_> {
    type Response = CommentEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "comments", self.comment_id])
    }
}

/// `DELETE /api/v4/comments/{commentId}`, with `permanent=true` to remove it for good.
#[derive(Clone, Copy, Debug)]
pub struct DeleteComment<'a> {
    /// Comment id.
    pub comment_id: &'a str,
    /// Remove it for good instead of marking it deleted.
    pub permanent: bool,
}

impl Endpoint for DeleteComment<'_> {
    type Response = DeleteResult;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "comments", self.comment_id])
            .with_query(vec![("permanent".to_owned(), self.permanent.to_string())])
    }
}

/// `POST /api/v3/comments/{commentId}/flag` (flags as the caller; the spec wants the id in the body too).
#[derive(Clone, Copy, Debug)]
pub struct FlagComment<'a> {
    /// Comment id.
    pub comment_id: &'a str,
}

impl Endpoint for FlagComment<'_> {
    type Response = CommentEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", "comments", self.comment_id, "flag"])
            .with_body(json!({ "commentId": self.comment_id }))
    }
}

/// `DELETE /api/v3/comments/{commentId}/flags` (clears every flag).
#[derive(Clone, Copy, Debug)]
pub struct ClearCommentFlags<'a> {
    /// Comment id.
    pub comment_id: &'a str,
}

impl Endpoint for ClearCommentFlags<'_> {
    type Response = CommentEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "comments", self.comment_id, "flags"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flagging_names_the_comment_in_path_and_body() {
        let request = FlagComment { comment_id: "c1" }.request();
        assert_eq!(request.segments, vec!["api", "v3", "comments", "c1", "flag"]);
        assert_eq!(request.body, Some(json!({"commentId": "c1"})));
        assert!(!request.idempotent);
    }
}
