//! Posts: `GET /api/v4/posts`, `GET /api/v3/posts/{postId}`,
//! `PUT /api/v4/posts/{postId}` (no client call: members' edits, where the blocklist applies), `DELETE /api/v3/posts/{postId}`, `DELETE /api/v4/posts/{postId}`,
//! `POST /api/v3/posts/{postId}/approve`, `POST /api/v3/posts/{postId}/decline`,
//! `POST /api/v3/posts/{postId}/flag`, `DELETE /api/v3/posts/{postId}/unflag`,
//! `DELETE /api/v3/posts/{postId}/flags`.

use crate::{
    content_support::{assert_conforms, assert_error, call, client, community_with_posts, get, ids, standin},
    openapi::Spec,
};
use serde_json::json;
use upstream::endpoints::posts::{ApprovePost, DeclinePost, DeletePost, GetPost, QueryPosts, SoftDeletePost};
use upstream::{
    content_query::{PostFeedType, PostQuery},
    wire::FeedType,
};

#[tokio::test]
async fn every_post_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v4/posts"),
        ("GET", "/api/v3/posts/{postId}"),
        ("PUT", "/api/v4/posts/{postId}"),
        ("DELETE", "/api/v3/posts/{postId}"),
        ("DELETE", "/api/v4/posts/{postId}"),
        ("POST", "/api/v3/posts/{postId}/approve"),
        ("POST", "/api/v3/posts/{postId}/decline"),
        ("POST", "/api/v3/posts/{postId}/flag"),
        ("DELETE", "/api/v3/posts/{postId}/unflag"),
        ("DELETE", "/api/v3/posts/{postId}/flags"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn post_reads_and_mutations_conform_to_the_spec() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let (community, posts) = community_with_posts(&standin).await;
    let query_schema = spec.response_schema("GET", "/api/v4/posts", "200");
    for query in [
        "",
        "&feedType[]=reviewing&feedType[]=published",
        "&hasFlag=true&sortBy=firstCreated&options[limit]=100",
        "&isDeleted=true&sortBy=lastUpdated",
    ] {
        let body = get(&standin, &format!("/api/v4/posts?targetId={community}{query}")).await;
        assert_conforms(&query_schema, &body, &format!("GET /api/v4/posts{query}"));
    }
    let body = get(&standin, &format!("/api/v3/posts/{}", posts[0])).await;
    assert_conforms(&spec.response_schema("GET", "/api/v3/posts/{postId}", "200"), &body, "get");

    let (status, body) =
        call(&standin, "PUT", &format!("/api/v4/posts/{}", posts[0]), Some(json!({"text": "edited"}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["posts"][0]["data"]["text"], "edited");
    assert!(body["posts"][0]["editedAt"].is_string());
    assert_conforms(&spec.response_schema("PUT", "/api/v4/posts/{postId}", "200"), &body, "update");

    let (status, body) = call(&standin, "POST", &format!("/api/v3/posts/{}/flag", posts[1]), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("POST", "/api/v3/posts/{postId}/flag", "200"), &body, "flag");
    let (_, body) = call(&standin, "DELETE", &format!("/api/v3/posts/{}/unflag", posts[1]), None).await;
    assert_conforms(&spec.response_schema("DELETE", "/api/v3/posts/{postId}/unflag", "200"), &body, "unflag");
    let (_, body) = call(&standin, "DELETE", &format!("/api/v3/posts/{}/flags", posts[1]), None).await;
    assert_conforms(&spec.response_schema("DELETE", "/api/v3/posts/{postId}/flags", "200"), &body, "clear");

    let (status, body) = call(&standin, "DELETE", &format!("/api/v3/posts/{}", posts[2]), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("DELETE", "/api/v3/posts/{postId}", "200"), &body, "soft delete");
    let (status, body) =
        call(&standin, "DELETE", &format!("/api/v4/posts/{}?permanent=true", posts[2]), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("DELETE", "/api/v4/posts/{postId}", "200"), &body, "hard delete");
    assert_eq!(body["data"]["success"], true);

    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "GET", "/api/v3/posts/000000000000000000000000", None).await;
    assert_error(status, &body, 404, 400_400, &error);
    let (status, body) = call(&standin, "GET", "/api/v4/posts?sortBy=sideways", None).await;
    assert_error(status, &body, 400, 400_000, &error);
    assert!(body["data"]["detail"].to_string().contains("targetId"), "{body}");
    standin.stop().await;
}

#[tokio::test]
async fn approve_moves_a_post_from_reviewing_to_published_and_decline_to_declined() {
    let standin = standin().await;
    let client = client(&standin);
    let communities = get(&standin, "/api/v3/communities?options[limit]=100").await;
    let mut pending = Vec::new();
    for community in ids(&communities, "communities", "communityId") {
        let query = PostQuery {
            target_id: community.clone(),
            feed_types: vec![PostFeedType::Reviewing],
            limit: Some(100),
            ..PostQuery::default()
        };
        let page = client.send(&QueryPosts(&query)).await.expect("reviewing feed decodes");
        assert!(page.posts.iter().all(|p| page.feed_type_of(p) == Some(FeedType::Reviewing)));
        pending.extend(page.posts.iter().map(|p| (community.clone(), p.post_id.clone())));
        if pending.len() >= 2 {
            break;
        }
    }
    assert!(pending.len() >= 2, "the seed has posts waiting for review");
    let (community, approved) = pending[0].clone();
    let answer = client.send(&ApprovePost { post_id: &approved }).await.expect("approve decodes");
    assert_eq!(answer.feed_type_of(&answer.posts[0]), Some(FeedType::Published));
    let published = client
        .send(&QueryPosts(&PostQuery {
            target_id: community.clone(),
            limit: Some(100),
            ..PostQuery::default()
        }))
        .await
        .expect("published feed");
    let reviewing = client
        .send(&QueryPosts(&PostQuery {
            target_id: community,
            feed_types: vec![PostFeedType::Reviewing],
            limit: Some(100),
            ..PostQuery::default()
        }))
        .await
        .expect("reviewing feed");
    assert!(!reviewing.posts.iter().any(|p| p.post_id == approved), "left the reviewing feed");
    let again = client
        .send(&ApprovePost { post_id: &approved })
        .await
        .expect_err("only reviewing posts can be approved");
    assert_eq!(again.code(), Some(400_000));
    // The published feed is newest first; the approved post is in it unless older than the page.
    let visible = client.send(&GetPost { post_id: &approved }).await.expect("get");
    assert_eq!(visible.feed_type_of(&visible.posts[0]), Some(FeedType::Published));
    assert!(published.posts.iter().all(|p| published.feed_type_of(p) == Some(FeedType::Published)));

    let declined = client.send(&DeclinePost { post_id: &pending[1].1 }).await.expect("decline decodes");
    assert_eq!(declined.feed_type_of(&declined.posts[0]), Some(FeedType::Declined));
    standin.stop().await;
}

#[tokio::test]
async fn soft_delete_keeps_the_post_and_permanent_delete_removes_it() {
    let standin = standin().await;
    let client = client(&standin);
    let (community, posts) = community_with_posts(&standin).await;
    let mut events = standin_events(&standin);
    let result = client.send(&SoftDeletePost { post_id: &posts[0] }).await.expect("soft delete decodes");
    assert!(result.data.success);
    let kept = client.send(&GetPost { post_id: &posts[0] }).await.expect("still readable");
    assert!(kept.posts[0].is_deleted);
    let live = client
        .send(&QueryPosts(&PostQuery {
            target_id: community.clone(),
            is_deleted: Some(false),
            limit: Some(100),
            ..PostQuery::default()
        }))
        .await
        .expect("live posts");
    assert!(!live.posts.iter().any(|p| p.post_id == posts[0]));
    let deleted = client
        .send(&QueryPosts(&PostQuery {
            target_id: community,
            is_deleted: Some(true),
            ..PostQuery::default()
        }))
        .await
        .expect("deleted posts");
    assert!(deleted.posts.iter().any(|p| p.post_id == posts[0]));

    client.send(&DeletePost { post_id: &posts[1], permanent: true }).await.expect("hard delete decodes");
    let gone = client.send(&GetPost { post_id: &posts[1] }).await.expect_err("404 after a permanent delete");
    assert!(gone.is_not_found(), "{gone:?}");
    let names: Vec<String> = events.drain().into_iter().map(|e| e.name).collect();
    assert_eq!(names, vec!["v3.post.didDelete", "v3.post.didDelete"]);

    standin.stop().await;
}

fn standin_events(standin: &standin::RunningStandIn) -> crate::content_support::EventLog {
    crate::content_support::EventLog::of(standin)
}

#[tokio::test]
async fn a_post_edit_with_blocklisted_text_is_rejected_and_changes_nothing() {
    let standin = standin().await;
    let (_, posts) = community_with_posts(&standin).await;
    let before = get(&standin, &format!("/api/v3/posts/{}", posts[0])).await;
    let (status, _) =
        call(&standin, "POST", "/api/v3/blocklists", Some(json!({ "regexs": ["moonscam"] }))).await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &standin,
        "PUT",
        &format!("/api/v4/posts/{}", posts[0]),
        Some(json!({"text": "buy MoonScam tokens now"})),
    )
    .await;
    let mut spec = Spec::master();
    assert_error(status, &body, 400, 400_308, &spec.schema("global/error.yaml", "/Error"));
    assert_eq!(get(&standin, &format!("/api/v3/posts/{}", posts[0])).await, before, "nothing changed");
    let (status, _) =
        call(&standin, "PUT", &format!("/api/v4/posts/{}", posts[0]), Some(json!({"text": "a fine text"})))
            .await;
    assert_eq!(status, 200, "text without the word is accepted");
}

/// A post carries the ids of its newest top-level comments (at most five, newest first), and
/// the envelope side-loads those comments and their authors, so every id resolves.
#[tokio::test]
async fn a_post_previews_its_newest_comments_side_loaded() {
    let standin = standin().await;
    let (community, _) = community_with_posts(&standin).await;
    let body = get(&standin, &format!("/api/v4/posts?targetId={community}&options[limit]=100")).await;
    let posts = body["posts"].as_array().expect("posts");
    let with_comments: Vec<_> = posts.iter().filter(|p| p["commentsCount"].as_u64() > Some(0)).collect();
    assert!(!with_comments.is_empty(), "the seed has commented posts in {community}");
    let side: Vec<&serde_json::Value> = body["comments"].as_array().expect("comments").iter().collect();
    let users = ids(&body, "users", "userId");
    for post in with_comments {
        let preview = post["comments"].as_array().expect("comment ids");
        assert!(!preview.is_empty() && preview.len() <= 5, "{post}");
        let mut created = Vec::new();
        for id in preview {
            let comment = side.iter().find(|c| c["commentId"] == *id).expect("side-loaded");
            assert_eq!(comment["referenceId"], post["postId"]);
            assert!(comment["parentId"].is_null() && comment["isDeleted"] == false);
            assert!(users.contains(&comment["userId"].as_str().expect("author").to_owned()));
            created.push(comment["createdAt"].as_str().expect("time").to_owned());
        }
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first: {created:?}");
    }
    let one = get(&standin, &format!("/api/v3/posts/{}", posts[0]["postId"].as_str().expect("id"))).await;
    assert_eq!(one["posts"][0]["comments"], posts[0]["comments"], "a read by id previews the same");
    standin.stop().await;
}
