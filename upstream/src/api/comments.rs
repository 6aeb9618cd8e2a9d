//! Comments (`spec: v3/comment/api.yaml`, `v4/comment/api.yaml`).

use crate::{
    Client, Error,
    content_query::CommentQuery,
    endpoints::comments,
    wire::{CommentEnvelope, DeleteResult},
};
use async_trait::async_trait;

/// The comment operations.
#[async_trait]
pub trait CommentsApi: Send + Sync {
    /// `GET /api/v3/comments`: the comments of a post, story or content.
    async fn query_comments(&self, query: &CommentQuery) -> Result<CommentEnvelope, Error>;
    /// `GET /api/v3/comments/{commentId}`.
    async fn get_comment(&self, comment_id: &str) -> Result<CommentEnvelope, Error>;
    /// `DELETE /api/v4/comments/{commentId}`, soft or permanent.
    async fn delete_comment(&self, comment_id: &str, permanent: bool) -> Result<DeleteResult, Error>;
    /// `POST /api/v3/comments/{commentId}/flag`.
    async fn flag_comment(&self, comment_id: &str) -> Result<CommentEnvelope, Error>;
    /// `DELETE /api/v3/comments/{commentId}/flags`.
    async fn clear_comment_flags(&self, comment_id: &str) -> Result<CommentEnvelope, Error>;
}

#[async_trait]
impl CommentsApi for Client {
    async fn query_comments(&self, query: &CommentQuery) -> Result<CommentEnvelope, Error> {
        self.send(&comments::QueryComments(query)).await
    }
    async fn get_comment(&self, comment_id: &str) -> Result<CommentEnvelope, Error> {
        self.send(&comments::GetComment { comment_id }).await
    }
    async fn delete_comment(&self, comment_id: &str, permanent: bool) -> Result<DeleteResult, Error> {
        self.send(&comments::DeleteComment { comment_id, permanent }).await
    }
    async fn flag_comment(&self, comment_id: &str) -> Result<CommentEnvelope, Error> {
        self.send(&comments::FlagComment { comment_id }).await
    }
    async fn clear_comment_flags(&self, comment_id: &str) -> Result<CommentEnvelope, Error> {
        self.send(&comments::ClearCommentFlags { comment_id }).await
    }
}
