//! Stories (`spec: v4/story/api.yaml`).

use crate::{
    Client, Error,
    content_query::StoryQuery,
    endpoints::stories,
    wire::{StoryEnvelope, SuccessFlag},
};
use async_trait::async_trait;

/// The story operations.
#[async_trait]
pub trait StoriesApi: Send + Sync {
    /// `GET /api/v4/stories`: a target's stories.
    async fn query_stories(&self, query: &StoryQuery) -> Result<StoryEnvelope, Error>;
    /// `GET /api/v4/stories/{storyId}`.
    async fn get_story(&self, story_id: &str) -> Result<StoryEnvelope, Error>;
    /// `DELETE /api/v4/stories/{storyId}`, soft or permanent.
    async fn delete_story(&self, story_id: &str, permanent: bool) -> Result<SuccessFlag, Error>;
    /// `POST /api/v4/stories/{storyId}/flags`.
    async fn flag_story(&self, story_id: &str) -> Result<StoryEnvelope, Error>;
    /// `DELETE /api/v4/stories/{storyId}/flags/all`.
    async fn clear_story_flags(&self, story_id: &str) -> Result<StoryEnvelope, Error>;
}

#[async_trait]
impl StoriesApi for Client {
    async fn query_stories(&self, query: &StoryQuery) -> Result<StoryEnvelope, Error> {
        self.send(&stories::QueryStories(query)).await
    }
    async fn get_story(&self, story_id: &str) -> Result<StoryEnvelope, Error> {
        self.send(&stories::GetStory { story_id }).await
    }
    async fn delete_story(&self, story_id: &str, permanent: bool) -> Result<SuccessFlag, Error> {
        self.send(&stories::DeleteStory { story_id, permanent }).await
    }
    async fn flag_story(&self, story_id: &str) -> Result<StoryEnvelope, Error> {
        self.send(&stories::FlagStory { story_id }).await
    }
    async fn clear_story_flags(&self, story_id: &str) -> Result<StoryEnvelope, Error> {
        self.send(&stories::ClearStoryFlags { story_id }).await
    }
}
