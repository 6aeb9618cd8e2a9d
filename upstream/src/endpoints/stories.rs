//! Story endpoints (`spec: v4/story/api.yaml`).

use super::Request;
use crate::content_query::StoryQuery;

/// `GET /api/v4/stories`.
pub fn query_stories(query: &StoryQuery) -> Request {
    Request::get(&["api", "v4", "stories"]).with_query(query.to_pairs())
}

/// `GET /api/v4/stories/{storyId}`.
pub fn get_story(story_id: &str) -> Request {
    Request::get(&["api", "v4", "stories", story_id])
}

/// `DELETE /api/v4/stories/{storyId}`, with `permanent=true` to remove it for good.
pub fn delete_story(story_id: &str, permanent: bool) -> Request {
    Request::delete(&["api", "v4", "stories", story_id])
        .with_query(vec![("permanent".to_owned(), permanent.to_string())])
}

/// `POST /api/v4/stories/{storyId}/flags` (flags as the caller).
pub fn flag_story(story_id: &str) -> Request {
    Request::post(&["api", "v4", "stories", story_id, "flags"])
}

/// `DELETE /api/v4/stories/{storyId}/flags/all` (clears every flag; admins only).
pub fn clear_story_flags(story_id: &str) -> Request {
    Request::delete(&["api", "v4", "stories", story_id, "flags", "all"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_paths_match_the_spec() {
        assert_eq!(get_story("s").segments, vec!["api", "v4", "stories", "s"]);
        assert_eq!(clear_story_flags("s").segments, vec!["api", "v4", "stories", "s", "flags", "all"]);
    }
}
