//! Comments: `GET /api/v3/comments`, `GET /api/v3/comments/{commentId}`,
//! `DELETE /api/v4/comments/{commentId}`, `POST /api/v3/comments/{commentId}/flag`,
//! `DELETE /api/v3/comments/{commentId}/flags`.

use crate::{
    content_support::{assert_conforms, assert_error, call, client, community_with_posts, get, ids, standin},
    openapi::Spec,
};
use upstream::content_query::CommentQuery;
use upstream::endpoints::{
    comments::{ClearCommentFlags, DeleteComment, FlagComment, GetComment, QueryComments},
    posts::GetPost,
};

#[tokio::test]
async fn every_comment_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v3/comments"),
        ("GET", "/api/v3/comments/{commentId}"),
        ("DELETE", "/api/v4/comments/{commentId}"),
        ("POST", "/api/v3/comments/{commentId}/flag"),
        ("DELETE", "/api/v3/comments/{commentId}/flags"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

/// A post with at least two comments, and those comments.
async fn commented_post(standin: &standin::RunningStandIn) -> (String, Vec<String>) {
    let (_, posts) = community_with_posts(standin).await;
    let communities = get(standin, "/api/v3/communities?options[limit]=100").await;
    for community in ids(&communities, "communities", "communityId") {
        let page = get(standin, &format!("/api/v4/posts?targetId={community}&options[limit]=100")).await;
        for post in page["posts"].as_array().expect("posts") {
            if post["commentsCount"].as_u64().unwrap_or(0) >= 2 {
                let id = post["postId"].as_str().expect("id").to_owned();
                let comments =
                    get(standin, &format!("/api/v3/comments?referenceId={id}&filterByParentId=false")).await;
                let comment_ids = ids(&comments, "comments", "commentId");
                if comment_ids.len() >= 2 {
                    return (id, comment_ids);
                }
            }
        }
    }
    panic!("no commented post among {posts:?}");
}

#[tokio::test]
async fn comment_answers_conform_and_the_client_decodes_them() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let (post_id, comments) = commented_post(&standin).await;
    let schema = spec.response_schema("GET", "/api/v3/comments", "200");
    for query in ["", "&filterByParentId=false&sortBy=firstCreated", "&hasFlag=false&isDeleted=false"] {
        let body =
            get(&standin, &format!("/api/v3/comments?referenceId={post_id}&referenceType=post{query}")).await;
        assert_conforms(&schema, &body, &format!("GET /api/v3/comments{query}"));
    }
    let body = get(&standin, &format!("/api/v3/comments/{}", comments[0])).await;
    assert_conforms(&spec.response_schema("GET", "/api/v3/comments/{commentId}", "200"), &body, "get");

    let (status, body) =
        call(&standin, "POST", &format!("/api/v3/comments/{}/flag", comments[0]), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("POST", "/api/v3/comments/{commentId}/flag", "200"), &body, "flag");
    let post = client.send(&GetPost { post_id: &post_id }).await.expect("post");
    assert!(post.posts[0].has_flagged_comment, "a flagged comment marks its post");
    let flagged = client
        .send(&QueryComments(&CommentQuery {
            reference_id: post_id.clone(),
            filter_by_parent_id: Some(false),
            has_flag: Some(true),
            ..CommentQuery::default()
        }))
        .await
        .expect("flagged comments decode");
    assert!(flagged.comments.iter().any(|c| c.comment_id == comments[0]));
    assert!(flagged.comments.iter().all(|c| c.flag_count > 0));

    let (_, body) = call(&standin, "DELETE", &format!("/api/v3/comments/{}/flags", comments[0]), None).await;
    assert_conforms(
        &spec.response_schema("DELETE", "/api/v3/comments/{commentId}/flags", "200"),
        &body,
        "clear",
    );
    assert_eq!(body["comments"][0]["flagCount"], 0);

    let (status, body) = call(&standin, "DELETE", &format!("/api/v4/comments/{}", comments[0]), None).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.response_schema("DELETE", "/api/v4/comments/{commentId}", "200"), &body, "delete");
    assert!(
        client.send(&GetComment { comment_id: &comments[0] }).await.expect("soft-deleted stays").comments[0]
            .is_deleted
    );
    let result = client
        .send(&DeleteComment { comment_id: &comments[1], permanent: true })
        .await
        .expect("permanent delete decodes");
    assert!(result.data.success);
    assert!(client.send(&GetComment { comment_id: &comments[1] }).await.expect_err("gone").is_not_found());
    let cleared = client.send(&ClearCommentFlags { comment_id: &comments[0] }).await.expect("clear decodes");
    assert_eq!(cleared.comments[0].flag_count, 0);
    client.send(&FlagComment { comment_id: &comments[0] }).await.expect("flag decodes");

    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "GET", "/api/v3/comments", None).await;
    assert_error(status, &body, 400, 400_000, &error);
    let (status, body) = call(&standin, "GET", "/api/v3/comments/nope", None).await;
    assert_error(status, &body, 404, 400_400, &error);
    standin.stop().await;
}
