//! Posts (`spec: v3/post/api.yaml`, `v4/post/api.yaml`).

use crate::{
    Client, Error,
    content_query::PostQuery,
    endpoints::posts::{self, PostUpdate},
    wire::{DeleteResult, PostEnvelope},
};
use async_trait::async_trait;

/// The post operations.
#[async_trait]
pub trait PostsApi: Send + Sync {
    /// `GET /api/v4/posts`: a feed, filtered and paged.
    async fn query_posts(&self, query: &PostQuery) -> Result<PostEnvelope, Error>;
    /// `GET /api/v3/posts/{postId}`.
    async fn get_post(&self, post_id: &str) -> Result<PostEnvelope, Error>;
    /// `GET /api/v3/posts/list`: up to 100 posts by id.
    async fn list_posts_by_ids(&self, post_ids: &[String]) -> Result<PostEnvelope, Error>;
    /// `PUT /api/v4/posts/{postId}`.
    async fn update_post(&self, post_id: &str, update: &PostUpdate) -> Result<PostEnvelope, Error>;
    /// `DELETE /api/v3/posts/{postId}` (soft) or `DELETE /api/v4/posts/{postId}?permanent=true`.
    async fn delete_post(&self, post_id: &str, permanent: bool) -> Result<DeleteResult, Error>;
    /// `POST /api/v3/posts/{postId}/approve`: reviewing → published.
    async fn approve_post(&self, post_id: &str) -> Result<PostEnvelope, Error>;
    /// `POST /api/v3/posts/{postId}/decline`: reviewing → declined.
    async fn decline_post(&self, post_id: &str) -> Result<PostEnvelope, Error>;
    /// `POST /api/v3/posts/{postId}/flag`.
    async fn flag_post(&self, post_id: &str) -> Result<PostEnvelope, Error>;
    /// `DELETE /api/v3/posts/{postId}/unflag`.
    async fn unflag_post(&self, post_id: &str) -> Result<PostEnvelope, Error>;
    /// `DELETE /api/v3/posts/{postId}/flags`.
    async fn clear_post_flags(&self, post_id: &str) -> Result<PostEnvelope, Error>;
}

#[async_trait]
impl PostsApi for Client {
    async fn query_posts(&self, query: &PostQuery) -> Result<PostEnvelope, Error> {
        self.send(&posts::QueryPosts(query)).await
    }
    async fn get_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::GetPost { post_id }).await
    }
    async fn list_posts_by_ids(&self, post_ids: &[String]) -> Result<PostEnvelope, Error> {
        self.send(&posts::ListPostsByIds { post_ids }).await
    }
    async fn update_post(&self, post_id: &str, update: &PostUpdate) -> Result<PostEnvelope, Error> {
        self.send(&posts::UpdatePost { post_id, update }).await
    }
    async fn delete_post(&self, post_id: &str, permanent: bool) -> Result<DeleteResult, Error> {
        if permanent {
            self.send(&posts::DeletePost { post_id, permanent: true }).await
        } else {
            self.send(&posts::SoftDeletePost { post_id }).await
        }
    }
    async fn approve_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::ApprovePost { post_id }).await
    }
    async fn decline_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::DeclinePost { post_id }).await
    }
    async fn flag_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::FlagPost { post_id }).await
    }
    async fn unflag_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::UnflagPost { post_id }).await
    }
    async fn clear_post_flags(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send(&posts::ClearPostFlags { post_id }).await
    }
}
