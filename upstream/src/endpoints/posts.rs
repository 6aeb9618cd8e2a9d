//! Post endpoints (`spec: v3/post/api.yaml`, `v4/post/api.yaml`).

use super::{Endpoint, Request};
use crate::{
    content_query::PostQuery,
    wire::{DeleteResult, PostEnvelope},
};

/// `GET /api/v4/posts`.
#[derive(Clone, Copy, Debug)]
pub struct QueryPosts<'a>(
    /// Target, filter, order and page.
    pub &'a PostQuery,
);

impl Endpoint for QueryPosts<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v4", "posts"]).with_query(self.0.to_pairs())
    }
}

/// `GET /api/v3/posts/{postId}`.
#[derive(Clone, Copy, Debug)]
pub struct GetPost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for GetPost<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "posts", self.post_id])
    }
}

/// `DELETE /api/v3/posts/{postId}` (soft: the post stays with `isDeleted: true`).
#[derive(Clone, Copy, Debug)]
pub struct SoftDeletePost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for SoftDeletePost<'_> {
    type Response = DeleteResult;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "posts", self.post_id])
    }
}

/// `DELETE /api/v4/posts/{postId}`, with `permanent=true` to remove it for good.
#[derive(Clone, Copy, Debug)]
pub struct DeletePost<'a> {
    /// Post id.
    pub post_id: &'a str,
    /// Remove it for good instead of marking it deleted.
    pub permanent: bool,
}

impl Endpoint for DeletePost<'_> {
    type Response = DeleteResult;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "posts", self.post_id])
            .with_query(vec![("permanent".to_owned(), self.permanent.to_string())])
    }
}

/// `POST /api/v3/posts/{postId}/approve`. Not retried: a second approval of a post that
/// moved on is not the same call.
#[derive(Clone, Copy, Debug)]
pub struct ApprovePost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for ApprovePost<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", "posts", self.post_id, "approve"])
    }
}

/// `POST /api/v3/posts/{postId}/decline`.
#[derive(Clone, Copy, Debug)]
pub struct DeclinePost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for DeclinePost<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", "posts", self.post_id, "decline"])
    }
}

/// `POST /api/v3/posts/{postId}/flag` (flags as the caller).
#[derive(Clone, Copy, Debug)]
pub struct FlagPost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for FlagPost<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v3", "posts", self.post_id, "flag"])
    }
}

/// `DELETE /api/v3/posts/{postId}/unflag` (removes the caller's flag).
#[derive(Clone, Copy, Debug)]
pub struct UnflagPost<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for UnflagPost<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "posts", self.post_id, "unflag"])
    }
}

/// `DELETE /api/v3/posts/{postId}/flags` (clears every flag; moderators and admins).
#[derive(Clone, Copy, Debug)]
pub struct ClearPostFlags<'a> {
    /// Post id.
    pub post_id: &'a str,
}

impl Endpoint for ClearPostFlags<'_> {
    type Response = PostEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v3", "posts", self.post_id, "flags"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn permanent_delete_is_a_query_flag() {
        let request = DeletePost { post_id: "p1", permanent: true }.request();
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.segments, vec!["api", "v4", "posts", "p1"]);
        assert_eq!(request.query, vec![("permanent".to_owned(), "true".to_owned())]);
    }

    #[test]
    fn review_actions_are_not_retried() {
        assert!(!ApprovePost { post_id: "p" }.request().idempotent);
        assert!(!DeclinePost { post_id: "p" }.request().idempotent);
        assert!(!FlagPost { post_id: "p" }.request().idempotent);
        assert!(ClearPostFlags { post_id: "p" }.request().idempotent);
    }
}
