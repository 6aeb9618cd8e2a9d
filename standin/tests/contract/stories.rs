//! Stories: `GET /api/v4/stories`, `GET /api/v4/stories/{storyId}`, `DELETE /api/v4/stories/{storyId}`,
//! `POST /api/v4/stories/{storyId}/flags`, `DELETE /api/v4/stories/{storyId}/flags/all`.

use crate::{
    content_support::{assert_conforms, assert_error, call, client, get, ids, standin},
    openapi::Spec,
};
use upstream::content_query::StoryQuery;
use upstream::endpoints::stories::{ClearStoryFlags, DeleteStory, FlagStory, GetStory, QueryStories};

#[tokio::test]
async fn every_story_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v4/stories"),
        ("GET", "/api/v4/stories/{storyId}"),
        ("DELETE", "/api/v4/stories/{storyId}"),
        ("POST", "/api/v4/stories/{storyId}/flags"),
        ("DELETE", "/api/v4/stories/{storyId}/flags/all"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn story_answers_conform_and_deletes_and_flags_take_effect() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let communities = get(&standin, "/api/v3/communities?options[limit]=5").await;
    let community = ids(&communities, "communities", "communityId")[0].clone();
    let schema = spec.response_schema("GET", "/api/v4/stories", "200");
    let body = get(&standin, &format!("/api/v4/stories?targetId={community}&targetType=community")).await;
    assert_conforms(&schema, &body, "GET /api/v4/stories");
    let story = ids(&body, "stories", "storyId").first().cloned().expect("every community has a live story");
    let body = get(&standin, &format!("/api/v4/stories/{story}")).await;
    assert_conforms(&spec.response_schema("GET", "/api/v4/stories/{storyId}", "200"), &body, "get");

    let (status, body) = call(&standin, "POST", &format!("/api/v4/stories/{story}/flags"), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("POST", "/api/v4/stories/{storyId}/flags", "200"), &body, "flag");
    assert!(body["stories"][0]["flagCount"].as_u64().unwrap_or(0) >= 1);
    let (_, body) = call(&standin, "DELETE", &format!("/api/v4/stories/{story}/flags/all"), None).await;
    assert_conforms(
        &spec.response_schema("DELETE", "/api/v4/stories/{storyId}/flags/all", "200"),
        &body,
        "clear",
    );
    assert_eq!(body["stories"][0]["flagCount"], 0);
    client.send(&FlagStory { story_id: &story }).await.expect("flag decodes");
    assert_eq!(
        client.send(&ClearStoryFlags { story_id: &story }).await.expect("clear decodes").stories[0]
            .flag_count,
        0
    );

    let (status, body) = call(&standin, "DELETE", &format!("/api/v4/stories/{story}"), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("DELETE", "/api/v4/stories/{storyId}", "200"), &body, "delete");
    assert!(client.send(&GetStory { story_id: &story }).await.expect("soft").stories[0].is_deleted);
    assert!(client.send(&DeleteStory { story_id: &story, permanent: true }).await.expect("decodes").success);
    assert!(client.send(&GetStory { story_id: &story }).await.expect_err("gone").is_not_found());
    let page = client
        .send(&QueryStories(&StoryQuery { target_id: community, ..Default::default() }))
        .await
        .expect("query decodes");
    assert!(!page.stories.iter().any(|s| s.story_id == story));

    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "GET", "/api/v4/stories?targetId=x", None).await;
    assert_error(status, &body, 400, 400_000, &error);
    standin.stop().await;
}
