//! Story endpoints (`spec: v4/story/api.yaml`).

use super::{Endpoint, Request};
use crate::{
    content_query::StoryQuery,
    wire::{StoryEnvelope, SuccessFlag},
};

/// `GET /api/v4/stories`.
#[derive(Clone, Copy, Debug)]
pub struct QueryStories<'a>(
    /// Target, filter and page.
    pub &'a StoryQuery,
);

impl Endpoint for QueryStories<'_> {
    type Response = StoryEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v4", "stories"]).with_query(self.0.to_pairs())
    }
}

/// `GET /api/v4/stories/{storyId}`.
#[derive(Clone, Copy, Debug)]
pub struct GetStory<'a> {
    /// Story id.
    pub story_id: &'a str,
}

impl Endpoint for GetStory<'_> {
    type Response = StoryEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v4", "stories", self.story_id])
    }
}

/// `DELETE /api/v4/stories/{storyId}`, with `permanent=true` to remove it for good.
#[derive(Clone, Copy, Debug)]
pub struct DeleteStory<'a> {
    /// Story id.
    pub story_id: &'a str,
    /// Remove it for good instead of marking it deleted.
    pub permanent: bool,
}

impl Endpoint for DeleteStory<'_> {
    type Response = SuccessFlag;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "stories", self.story_id])
            .with_query(vec![("permanent".to_owned(), self.permanent.to_string())])
    }
}

/// `POST /api/v4/stories/{storyId}/flags` (flags as the caller).
#[derive(Clone, Copy, Debug)]
pub struct FlagStory<'a> {
    /// Story id.
    pub story_id: &'a str,
}

impl Endpoint for FlagStory<'_> {
    type Response = StoryEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v4", "stories", self.story_id, "flags"])
    }
}

/// `DELETE /api/v4/stories/{storyId}/flags/all` (clears every flag; admins only).
#[derive(Clone, Copy, Debug)]
pub struct ClearStoryFlags<'a> {
    /// Story id.
    pub story_id: &'a str,
}

impl Endpoint for ClearStoryFlags<'_> {
    type Response = StoryEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "stories", self.story_id, "flags", "all"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_paths_match_the_spec() {
        assert_eq!(GetStory { story_id: "s" }.request().segments, vec!["api", "v4", "stories", "s"]);
        assert_eq!(
            ClearStoryFlags { story_id: "s" }.request().segments,
            vec!["api", "v4", "stories", "s", "flags", "all"]
        );
    }
}
