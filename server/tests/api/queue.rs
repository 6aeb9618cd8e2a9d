//! The queue against the embedded stand-in: what it lists is checked against the stand-in's
//! own tables, filters narrow it, and a case comes with its context, text kept as text.

use crate::helpers::{PASSWORD, TestApp, spawn_app};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use std::collections::BTreeSet;
use types::queue::{CaseDetail, CaseKind, KindFilter, QueueQuery, QueueSort, QueueTab, QueueView};

async fn signed_in() -> TestApp {
    let app = spawn_app().await;
    app.sign_in_as("admin", PASSWORD).await;
    app
}

/// The stand-in's own database (next to the console's in the test's temp dir).
async fn standin_db(app: &TestApp) -> SqlitePool {
    let path = app.database.with_file_name("standin.sqlite");
    SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("the stand-in database opens")
}

async fn queue(app: &TestApp, query: &QueueQuery) -> QueueView {
    let response = app.call("list_queue", json!({ "query": query })).await;
    assert_eq!(response.status(), 200, "list_queue answers");
    response.json().await.expect("a queue view")
}

fn ids(view: &QueueView) -> BTreeSet<String> {
    view.cases.items.iter().map(|c| c.id.clone()).collect()
}

#[tokio::test]
async fn pending_approval_lists_exactly_the_posts_the_stand_in_holds_for_review() {
    let app = signed_in().await;
    let db = standin_db(&app).await;
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT post_id FROM posts WHERE feed_type = 'reviewing' AND is_deleted = 0 \
         AND target_type = 'community' AND parent_post_id IS NULL ORDER BY post_id",
    )
    .fetch_all(&db)
    .await
    .expect("pending posts");
    assert!(!expected.is_empty(), "the seed has pending posts");

    let view = queue(&app, &QueueQuery { tab: QueueTab::Pending, ..Default::default() }).await;

    assert_eq!(view.total as usize, expected.len());
    assert!(ids(&view).iter().all(|id| expected.contains(id)));
    assert!(view.cases.items.iter().all(|c| c.kind == CaseKind::Post));
}

#[tokio::test]
async fn flagged_messages_and_users_match_the_stand_in() {
    let app = signed_in().await;
    let db = standin_db(&app).await;
    let messages: BTreeSet<String> =
        sqlx::query_scalar("SELECT message_id FROM messages WHERE flag_count > 0 AND is_deleted = 0")
            .fetch_all(&db)
            .await
            .expect("flagged messages")
            .into_iter()
            .collect();
    let users: BTreeSet<String> =
        sqlx::query_scalar("SELECT user_id FROM users WHERE flag_count > 0 AND is_deleted = 0")
            .fetch_all(&db)
            .await
            .expect("flagged users")
            .into_iter()
            .collect();
    assert!(!messages.is_empty() && !users.is_empty(), "the seed flags messages and users");

    let by_kind = |kind| QueueQuery { kind, sort: QueueSort::Oldest, ..Default::default() };
    let listed_messages = queue(&app, &by_kind(KindFilter::Message)).await;
    let listed_users = queue(&app, &by_kind(KindFilter::User)).await;

    assert_eq!(listed_messages.total as usize, messages.len());
    assert!(ids(&listed_messages).is_subset(&messages));
    assert_eq!(listed_users.total as usize, users.len().min(100));
    assert!(ids(&listed_users).is_subset(&users));
}

#[tokio::test]
async fn most_flagged_starts_with_the_stand_ins_most_flagged_unreviewed_item_and_filters_narrow() {
    let app = signed_in().await;
    let db = standin_db(&app).await;
    let top: i64 = sqlx::query_scalar(
        "SELECT max(flag_count) FROM moderation_feed WHERE is_deleted = 0 AND is_flag_cleared = 0 \
         AND content_type = 'comment'",
    )
    .fetch_one(&db)
    .await
    .expect("the feed's top count");

    let view = queue(&app, &QueueQuery { kind: KindFilter::Comment, ..Default::default() }).await;
    let all = queue(&app, &QueueQuery::default()).await;

    let counts: Vec<u64> = all.cases.items.iter().map(|c| c.flag_count).collect();
    let comment_counts: Vec<u64> = view.cases.items.iter().map(|c| c.flag_count).collect();
    assert_eq!(comment_counts.first().copied(), Some(top as u64), "the most flagged comment comes first");
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most flagged first: {counts:?}");
    assert!(view.cases.items.iter().all(|c| c.kind == CaseKind::Comment));
    let min = queue(&app, &QueueQuery { min_flags: 3, ..Default::default() }).await;
    assert!(min.cases.items.iter().all(|c| c.flag_count >= 3));
    let (community, _) = all.communities.first().cloned().expect("cases live in communities");
    let narrowed = queue(&app, &QueueQuery { community: community.clone(), ..Default::default() }).await;
    assert!(!narrowed.cases.is_empty());
    assert!(narrowed.cases.items.iter().all(|c| c.community_id.as_deref() == Some(community.as_str())));
}

#[tokio::test]
async fn a_comment_case_shows_its_post_its_neighbours_and_its_author() {
    let app = signed_in().await;
    let db = standin_db(&app).await;
    let (comment_id, post_id, author): (String, String, String) = sqlx::query_as(
        "SELECT comment_id, reference_id, user_id FROM comments WHERE flag_count > 0 AND is_deleted = 0 \
         AND reference_type = 'post' ORDER BY comment_id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a flagged comment");

    let response =
        app.call("get_case", json!({ "kind": "comment", "id": comment_id, "feed": Value::Null })).await;
    assert_eq!(response.status(), 200);
    let detail: CaseDetail = response.json().await.expect("a case");

    assert_eq!(
        detail.thread.first().map(|i| (i.kind, i.id.as_str())),
        Some((CaseKind::Post, post_id.as_str()))
    );
    let subject: Vec<_> = detail.thread.iter().filter(|i| i.is_subject).map(|i| i.id.as_str()).collect();
    assert_eq!(subject, [comment_id.as_str()]);
    let panel = detail.author.expect("an author panel");
    assert_eq!(panel.user_id, author);
    assert!(panel.account_age_days >= 0);
}

#[tokio::test]
async fn post_text_with_markup_is_rendered_as_text_in_the_case_view() {
    let app = signed_in().await;
    let db = standin_db(&app).await;
    let post_id: String = sqlx::query_scalar(
        "SELECT post_id FROM posts WHERE is_deleted = 0 AND parent_post_id IS NULL LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a post");
    sqlx::query("UPDATE posts SET text = '<script>alert(\"x\")</script><b>bold</b>' WHERE post_id = ?")
        .bind(&post_id)
        .execute(&db)
        .await
        .expect("the post's text changes");

    let html = app.get(&format!("/queue/case/post/{post_id}")).await.text().await.expect("a page");

    assert!(html.contains("&lt;script&gt;alert"), "the text is escaped");
    assert!(!html.contains("<script>alert"), "no script element from user text");
    assert!(!html.contains("<b>bold</b>"));
}

#[tokio::test]
async fn an_unknown_case_is_a_404() {
    let app = signed_in().await;
    let response = app.call("get_case", json!({ "kind": "post", "id": "no-such-post", "feed": null })).await;
    assert_eq!(response.status(), 404);
}
