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
        self.send_request(&posts::query_posts(query)).await
    }
    async fn get_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::get_post(post_id)).await
    }
    async fn list_posts_by_ids(&self, post_ids: &[String]) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::list_posts_by_ids(post_ids)).await
    }
    async fn update_post(&self, post_id: &str, update: &PostUpdate) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::update_post(post_id, update)).await
    }
    async fn delete_post(&self, post_id: &str, permanent: bool) -> Result<DeleteResult, Error> {
        let request =
            if permanent { posts::delete_post(post_id, true) } else { posts::soft_delete_post(post_id) };
        self.send_request(&request).await
    }
    async fn approve_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::approve_post(post_id)).await
    }
    async fn decline_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::decline_post(post_id)).await
    }
    async fn flag_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::flag_post(post_id)).await
    }
    async fn unflag_post(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::unflag_post(post_id)).await
    }
    async fn clear_post_flags(&self, post_id: &str) -> Result<PostEnvelope, Error> {
        self.send_request(&posts::clear_post_flags(post_id)).await
    }
}
