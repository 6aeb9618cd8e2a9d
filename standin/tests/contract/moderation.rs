//! The moderation feed `GET /admin/v1/moderation-feeds` and the bulk actions
//! `DELETE /admin/v1/contents` and `DELETE /admin/v1/contents/flags` (spec: the 2025 admin
//! fragments in `apidocs-index-newer/v1-admin/`), and the effects of flagging and reviewing.

use crate::{
    content_support::{
        EventLog, assert_conforms, assert_error, call, client, community_with_posts, get, standin,
    },
    openapi::Spec,
};
use serde_json::json;
use upstream::endpoints::{
    moderation::{ClearContentFlags, DeleteContents, QueryModerationFeed},
    posts::GetPost,
};
use upstream::{
    content_query::{ModerationContentType, ModerationFeedQuery, ModerationSortBy, SortOrder},
    wire::{ContentType, ReviewedType},
};

const FEED: &str = "v1-admin/moderation-feeds/index.yaml";
const CONTENTS: &str = "v1-admin/contents/index.yaml";

#[tokio::test]
async fn the_moderation_endpoints_exist_in_the_admin_spec() {
    let mut spec = Spec::admin();
    // `GET /admin/v1/moderation-feeds` is mounted in swagger-admin.yaml.
    assert!(
        spec.fragment_operation("swagger-admin.yaml", "/paths/~1admin~1v1~1moderation-feeds", "GET")
            .is_some()
    );
    // `DELETE /admin/v1/contents` and `DELETE /admin/v1/contents/flags`: their fragments; the
    // mount path is the admin bundle's (see docs/contract-notes.md).
    assert!(spec.fragment_operation(CONTENTS, "/root", "DELETE").is_some());
    assert!(spec.fragment_operation(CONTENTS, "/flags", "DELETE").is_some());
}

#[tokio::test]
async fn feed_pages_and_bulk_answers_conform_to_the_admin_spec() {
    let standin = standin().await;
    let mut spec = Spec::admin();
    let schema = spec.fragment_response_schema(FEED, "/root", "GET", "200");
    for query in [
        "",
        "?options[limit]=100",
        "?sortBy[type]=flagCount&sortBy[order]=asc",
        "?sortBy[type]=lastReviewedAt&isFlagCleared=true",
        "?contentTypes[]=comment&isDeleted=false",
        "?contentTypes[]=photo&targetType=community",
    ] {
        let body = get(&standin, &format!("/admin/v1/moderation-feeds{query}")).await;
        assert_conforms(&schema, &body, &format!("GET /admin/v1/moderation-feeds{query}"));
    }
    let body = get(&standin, "/admin/v1/moderation-feeds?options[limit]=3").await;
    let ids: Vec<String> = body["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .map(|c| c["contentId"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    let (status, answer) =
        call(&standin, "DELETE", "/admin/v1/contents/flags", Some(json!({"contentIds": [ids[0]]}))).await;
    assert_eq!(status, 200);
    assert_conforms(
        &spec.fragment_response_schema(CONTENTS, "/flags", "DELETE", "200"),
        &answer,
        "clear flags",
    );
    let (status, answer) =
        call(&standin, "DELETE", "/admin/v1/contents", Some(json!({"contentIds": [ids[1]]}))).await;
    assert_eq!(status, 200);
    assert_conforms(&spec.fragment_response_schema(CONTENTS, "/root", "DELETE", "200"), &answer, "delete");
    assert_eq!(answer["status"], "success");

    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "DELETE", "/admin/v1/contents", Some(json!({}))).await;
    assert_error(status, &body, 400, 400_000, &error);
    let too_many: Vec<String> = (0..101).map(|i| format!("{i:024}")).collect();
    let (status, body) =
        call(&standin, "DELETE", "/admin/v1/contents/flags", Some(json!({"contentIds": too_many}))).await;
    assert_error(status, &body, 400, 400_000, &error);
    let (status, body) = call(&standin, "GET", "/admin/v1/moderation-feeds?sortBy[type]=loudest", None).await;
    assert_error(status, &body, 400, 400_000, &error);
    standin.stop().await;
}

#[tokio::test]
async fn flagging_puts_a_post_in_the_feed_and_clearing_marks_it_reviewed() {
    let standin = standin().await;
    let client = client(&standin);
    let mut events = EventLog::of(&standin);
    let (_, posts) = community_with_posts(&standin).await;
    // A post nobody flagged yet.
    let mut clean = None;
    for id in &posts {
        if client.send(&GetPost { post_id: id }).await.expect("get").posts[0].flag_count == 0 {
            clean = Some(id.clone());
            break;
        }
    }
    let post_id = clean.expect("an unflagged post");
    let reporters = ["reporter-one", "reporter-two"];
    for reporter in reporters {
        let (status, body) = call(
            &standin,
            "POST",
            &format!("/api/v3/posts/{post_id}/flag"),
            Some(json!({"userId": reporter, "reason": "SpamOrScams"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // Flagging twice as the same user counts once.
    call(&standin, "POST", &format!("/api/v3/posts/{post_id}/flag"), Some(json!({"userId": reporters[0]})))
        .await;
    let flagged = client.send(&GetPost { post_id: &post_id }).await.expect("get");
    assert_eq!(flagged.posts[0].flag_count, 2);

    let newest = ModerationFeedQuery { limit: Some(5), ..ModerationFeedQuery::default() };
    let feed = client.send(&QueryModerationFeed(&newest)).await.expect("feed decodes");
    let item = feed.contents.first().expect("an item");
    assert_eq!(item.content_id, post_id, "the newest flag comes first");
    assert_eq!(item.content_type, ContentType::Post);
    assert_eq!(item.flag_count, 2);
    assert!(item.manual_review.is_none());
    assert!(feed.side.posts.iter().any(|p| p.post_id == post_id), "the post is side-loaded");

    let answer = client
        .send(&ClearContentFlags { content_ids: std::slice::from_ref(&post_id) })
        .await
        .expect("bulk clear decodes");
    assert_eq!(answer.status, "success");
    let reviewed = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            is_flag_cleared: Some(true),
            sort_by: Some(ModerationSortBy::LastReviewedAt),
            limit: Some(5),
            ..ModerationFeedQuery::default()
        }))
        .await
        .expect("reviewed view");
    let item = reviewed.contents.iter().find(|c| c.content_id == post_id).expect("in the reviewed view");
    assert_eq!(item.flag_count, 0);
    let review = item.manual_review.as_ref().expect("manualReview");
    assert_eq!(review.reviewed_type, ReviewedType::ClearFlag);
    assert!(review.reviewed_at.is_some() && review.reviewed_by.is_some());
    let pending = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            is_flag_cleared: Some(false),
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("pending view");
    assert!(!pending.contents.iter().any(|c| c.content_id == post_id));
    assert_eq!(client.send(&GetPost { post_id: &post_id }).await.expect("get").posts[0].flag_count, 0);

    client
        .send(&DeleteContents { content_ids: std::slice::from_ref(&post_id) })
        .await
        .expect("bulk delete decodes");
    let deleted = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            is_deleted: Some(true),
            sort_by: Some(ModerationSortBy::LastReviewedAt),
            order: Some(SortOrder::Desc),
            limit: Some(5),
            ..Default::default()
        }))
        .await
        .expect("deleted view");
    let item = deleted.contents.iter().find(|c| c.content_id == post_id).expect("in the deleted view");
    assert_eq!(item.manual_review.as_ref().map(|r| r.reviewed_type), Some(ReviewedType::Delete));
    assert!(client.send(&GetPost { post_id: &post_id }).await.expect("soft").posts[0].is_deleted);

    let names: Vec<String> = events.drain().into_iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        vec!["v3.post.didFlag", "v3.post.didFlag", "v3.post.didUnflag", "v3.post.didDelete"],
        "one event per effective mutation (a repeated flag changes nothing)"
    );
    standin.stop().await;
}

#[tokio::test]
async fn filters_and_sorts_select_what_they_say() {
    let standin = standin().await;
    let client = client(&standin);
    let comments = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            content_types: vec![ModerationContentType::Comment],
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("comments");
    assert!(!comments.contents.is_empty(), "the seed flags some comments");
    assert!(comments.contents.iter().all(|c| c.content_type == ContentType::Comment));
    assert!(
        comments.contents.iter().all(|c| comments.side.comments.iter().any(|m| m.comment_id == c.content_id))
    );

    let by_count = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            sort_by: Some(ModerationSortBy::FlagCount),
            order: Some(SortOrder::Desc),
            limit: Some(50),
            ..Default::default()
        }))
        .await
        .expect("by flag count");
    let counts: Vec<u64> = by_count.contents.iter().map(|c| c.flag_count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    let creator = by_count.contents[0].user_id.clone().expect("creator");
    let mine = client
        .send(&QueryModerationFeed(&ModerationFeedQuery {
            creator_ids: vec![creator.clone()],
            ..Default::default()
        }))
        .await
        .expect("by creator");
    assert!(mine.contents.iter().all(|c| c.user_id.as_deref() == Some(creator.as_str())));

    let scored = client
        .send(&QueryModerationFeed(&ModerationFeedQuery { limit: Some(100), ..Default::default() }))
        .await
        .expect("all");
    let mut token = scored.side.paging.as_ref().and_then(|p| p.next.clone());
    let mut ai = scored.contents.iter().filter(|c| c.ai_moderation.is_some()).count();
    while let Some(next) = token.take() {
        let page = client
            .send(&QueryModerationFeed(&ModerationFeedQuery { token: Some(next), ..Default::default() }))
            .await
            .expect("next page");
        ai += page.contents.iter().filter(|c| c.ai_moderation.is_some()).count();
        token = page.side.paging.and_then(|p| p.next);
    }
    assert!(ai > 0, "some items carry AI-moderation scores");
    standin.stop().await;
}
