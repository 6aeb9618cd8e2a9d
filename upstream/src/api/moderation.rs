//! The admin moderation feed and bulk actions (`spec: apidocs-index-newer/v1-admin/`).

use crate::{
    Client, Error,
    content_query::ModerationFeedQuery,
    endpoints::moderation,
    wire::{ModerationFeedEnvelope, StatusResult},
};
use async_trait::async_trait;

/// The moderation-feed operations.
#[async_trait]
pub trait ModerationApi: Send + Sync {
    /// `GET /admin/v1/moderation-feeds`: flagged and AI-moderated posts and comments.
    async fn moderation_feed(&self, query: &ModerationFeedQuery) -> Result<ModerationFeedEnvelope, Error>;
    /// `DELETE /admin/v1/contents`: deletes up to 100 items, marking them reviewed.
    async fn delete_contents(&self, content_ids: &[String]) -> Result<StatusResult, Error>;
    /// `DELETE /admin/v1/contents/flags`: clears the flags of up to 100 items.
    async fn clear_content_flags(&self, content_ids: &[String]) -> Result<StatusResult, Error>;
}

#[async_trait]
impl ModerationApi for Client {
    async fn moderation_feed(&self, query: &ModerationFeedQuery) -> Result<ModerationFeedEnvelope, Error> {
        self.send(&moderation::QueryModerationFeed(query)).await
    }
    async fn delete_contents(&self, content_ids: &[String]) -> Result<StatusResult, Error> {
        self.send(&moderation::DeleteContents { content_ids }).await
    }
    async fn clear_content_flags(&self, content_ids: &[String]) -> Result<StatusResult, Error> {
        self.send(&moderation::ClearContentFlags { content_ids }).await
    }
}
