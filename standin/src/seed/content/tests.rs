//! The content generator's tests: proportions, consistency of counters, determinism.

use super::*;
use crate::{Storage, db, seed::ensure};

async fn seeded(options: SeedOptions) -> sqlx::SqlitePool {
    let pool = db::open(&Storage::Memory).await.expect("database");
    ensure(&pool, &options).await.expect("seed");
    pool
}

async fn count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

#[tokio::test]
async fn a_network_has_believable_content() {
    let pool = seeded(SeedOptions { users: 500, seed: 3, posts: 2_000 }).await;
    let parents = count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NULL").await;
    assert_eq!(parents, 2_000);
    let share = |n: i64| n as f64 / parents as f64;
    let flagged = count(&pool, "SELECT count(*) FROM posts WHERE flag_count > 0").await;
    assert!((0.02..0.12).contains(&share(flagged)), "flagged share {}", share(flagged));
    assert!(count(&pool, "SELECT count(*) FROM posts WHERE feed_type = 'reviewing'").await > 0);
    assert!(
        count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NOT NULL").await > 0,
        "galleries"
    );
    assert!(count(&pool, "SELECT count(*) FROM comments WHERE parent_id IS NOT NULL").await > 0, "replies");
    assert!(count(&pool, "SELECT count(*) FROM community_members WHERE membership = 'banned'").await > 0);
    assert!(count(&pool, "SELECT count(*) FROM moderation_feed WHERE ai_moderation IS NOT NULL").await > 0);
    assert!(count(&pool, "SELECT count(*) FROM moderation_feed WHERE reviewed_type IS NOT NULL").await > 0);
    assert!(count(&pool, "SELECT count(*) FROM messages WHERE flag_count > 0").await > 0);
    // Counters agree with the flags recorded, and every feed item was flagged or AI-moderated.
    let mismatched = count(
        &pool,
        "SELECT count(*) FROM posts p WHERE p.flag_count != (SELECT count(*) FROM flags f \
         WHERE f.content_type = 'post' AND f.content_id = p.post_id)",
    )
    .await;
    assert_eq!(mismatched, 0);
    let unexplained =
        count(&pool, "SELECT count(*) FROM moderation_feed WHERE flag_count = 0 AND ai_moderation IS NULL")
            .await;
    assert_eq!(unexplained, 0);
    let orphans = count(
        &pool,
        "SELECT count(*) FROM posts p WHERE p.posted_user_id NOT IN (SELECT user_id FROM users)",
    )
    .await;
    assert_eq!(orphans, 0, "authors are seeded users");
}

#[tokio::test]
async fn the_same_options_give_the_same_content_and_new_sizes_reseed() {
    let options = SeedOptions { users: 200, seed: 9, posts: 300 };
    let ids = |pool: sqlx::SqlitePool| async move {
        let ids: Vec<String> = sqlx::query_scalar("SELECT post_id FROM posts ORDER BY post_id")
            .fetch_all(&pool)
            .await
            .expect("ids");
        ids
    };
    assert_eq!(ids(seeded(options).await).await, ids(seeded(options).await).await);
    let pool = seeded(options).await;
    ensure(&pool, &SeedOptions { posts: 400, ..options }).await.expect("reseed");
    assert_eq!(count(&pool, "SELECT count(*) FROM posts WHERE parent_post_id IS NULL").await, 400);
}
