//! Paging stays exact while the network changes: walking `GET /api/v4/posts` page by page
//! while new posts arrive between the pages neither repeats nor skips a post, and the
//! `previous` token walks back to the same pages.

use crate::content_support::{client, standin_on};
use sqlx::sqlite::SqliteConnectOptions;
use standin::Storage;
use std::collections::HashSet;
use upstream::content_query::PostQuery;
use upstream::endpoints::{communities::QueryCommunities, posts::QueryPosts};

#[tokio::test]
async fn paging_neither_skips_nor_repeats_under_concurrent_inserts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("standin.sqlite");
    let standin = standin_on(Storage::File(path.clone())).await;
    let client = client(&standin);
    let community = small_community(&client).await;
    let writer = sqlx::SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path))
        .await
        .expect("a second connection to the stand-in's database");

    let mut before = HashSet::new();
    let mut everything = PostQuery { target_id: community.clone(), limit: Some(100), ..PostQuery::default() };
    loop {
        let page = client.send(&QueryPosts(&everything)).await.expect("all");
        before.extend(page.posts.into_iter().map(|p| p.post_id));
        match page.paging.and_then(|p| p.next) {
            Some(next) => everything.token = Some(next),
            None => break,
        }
    }
    assert!(before.len() >= 5, "{} posts", before.len());

    let mut query = PostQuery { target_id: community.clone(), limit: Some(20), ..PostQuery::default() };
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut previous = Vec::new();
    for round in 0.. {
        let page = client.send(&QueryPosts(&query)).await.expect("page");
        pages.push(page.posts.iter().map(|p| p.post_id.clone()).collect::<Vec<_>>());
        previous.push(page.paging.as_ref().and_then(|p| p.previous.clone()));
        seen.extend(page.posts.iter().map(|p| p.post_id.clone()));
        // Newer posts land on top of the feed while the reader is on later pages.
        for n in 0..3 {
            sqlx::query(
                "INSERT INTO posts (post_id, posted_user_id, target_id, target_type, feed_type, data_type, text, \
                 created_at, updated_at) SELECT ?, posted_user_id, target_id, target_type, 'published', 'text', \
                 'late arrival', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                 FROM posts WHERE target_id = ? LIMIT 1",
            )
            .bind(format!("fff{round:010}{n:011}"))
            .bind(&community)
            .execute(&writer)
            .await
            .expect("insert");
        }
        match page.paging.and_then(|p| p.next) {
            Some(next) => query.token = Some(next),
            None => break,
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no post is repeated: {seen:?}");
    let missing: Vec<&String> = before.iter().filter(|id| !unique.contains(id)).collect();
    assert!(missing.is_empty(), "no post is skipped: {missing:?}");
    assert!(
        seen.iter().all(|id| before.contains(id)),
        "posts newer than the first page do not shift the walk"
    );

    // The `previous` token of every later page leads back to the page read before it,
    // although newer posts arrived meanwhile.
    for (index, token) in previous.iter().enumerate().skip(1) {
        let token = token.clone().expect("later pages have a previous token");
        let back = client
            .send(&QueryPosts(&PostQuery {
                target_id: community.clone(),
                token: Some(token),
                ..PostQuery::default()
            }))
            .await
            .expect("previous page");
        let ids: Vec<String> = back.posts.into_iter().map(|p| p.post_id).collect();
        assert_eq!(ids, pages[index - 1], "page {index} leads back to page {}", index - 1);
    }
    assert!(previous[0].is_none(), "the first page has no previous page");
    standin.stop().await;
}

/// A community with a few pages of posts.
async fn small_community(client: &upstream::Client) -> String {
    let communities = client
        .send(&QueryCommunities(&upstream::content_query::CommunityQuery {
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("communities");
    for community in communities.communities {
        let query =
            PostQuery { target_id: community.community_id.clone(), limit: Some(100), ..PostQuery::default() };
        let count = client.send(&QueryPosts(&query)).await.expect("posts").posts.len();
        if count >= 5 {
            return community.community_id;
        }
    }
    panic!("no community with 5 posts");
}
