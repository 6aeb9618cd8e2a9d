//! Simulated member traffic: seeded users post in communities, comment on recent posts, flag
//! content and join communities at a given rate. It writes through the same moderation logic
//! as the API (`handlers::review`) and emits the same webhook events, so the console's live
//! views, webhook intake and analytics have something real to watch.

use crate::{
    Events,
    error::ApiError,
    handlers::{
        comments::one_comment,
        posts::one_post,
        review::{self, Kind},
    },
    seed::hex_id,
};
use serde_json::json;
use sqlx::SqlitePool;
use std::time::Duration;
use tokio::{sync::watch, task::JoinHandle};

const POST_TEXTS: &[&str] = &[
    "Anyone up for a meetup this weekend?",
    "Just finished the new release — thoughts?",
    "Sharing my progress from this week 📈",
    "Which one would you pick, A or B?",
    "Huge thanks to everyone who helped yesterday!",
    "Is it just me or is the app faster today?",
];
const COMMENT_TEXTS: &[&str] =
    &["Totally agree.", "Not sure about this one.", "Love it!", "Source?", "Same here 😅", "+1"];
const FLAG_REASONS: &[&str] = &["spam", "harassment", "misinformation", "offensive", "other"];

/// What one simulated step did, for tests and logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Activity {
    /// A new community post.
    Posted { post_id: String },
    /// A comment on a recent post.
    Commented { comment_id: String, post_id: String },
    /// A flag on a recent post (none when the flagger had already flagged it).
    Flagged { post_id: String, new_flag: bool },
    /// A member joined a community (none when already a member).
    Joined { community_id: String, new_member: bool },
}

/// A running simulator; stops when dropped or with [`Simulator::stop`].
#[derive(Debug)]
pub struct Simulator {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Simulator {
    /// Starts `per_second` steps a second (seeded choices, so runs are comparable).
    pub fn spawn(db: SqlitePool, events: Events, per_second: f64, seed: u64) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let period = Duration::from_secs_f64(1.0 / per_second.max(0.001));
        let task = tokio::spawn(async move {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => break,
                }
                if let Err(error) = step(&db, &events, &mut rng).await {
                    tracing::warn!(?error, "simulated activity failed");
                }
            }
        });
        Self { stop, task }
    }

    /// Stops after the current step.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// One simulated action, chosen by weight: 45 % post, 35 % comment, 12 % flag, 8 % join.
pub(crate) async fn step(
    db: &SqlitePool,
    events: &Events,
    rng: &mut fastrand::Rng,
) -> Result<Activity, ApiError> {
    let user_id =
        random_value(db, rng, "SELECT user_id FROM users WHERE is_deleted = 0 AND is_global_ban = 0")
            .await?
            .ok_or_else(|| ApiError::not_found("User"))?;
    let roll = rng.u8(..100);
    let recent_post = if (45..92).contains(&roll) {
        random_value(
            db,
            rng,
            "SELECT post_id FROM (SELECT post_id FROM posts WHERE is_deleted = 0 AND feed_type = 'published' \
             AND parent_post_id IS NULL ORDER BY created_at DESC LIMIT 200)",
        )
        .await?
    } else {
        None
    };
    let at = review::now();
    match (roll, recent_post) {
        (45..=79, Some(post_id)) => comment(db, events, rng, &user_id, &post_id, &at).await,
        (80..=91, Some(post_id)) => {
            let reason = FLAG_REASONS[rng.usize(..FLAG_REASONS.len())];
            let mut tx = db.begin().await?;
            let new_flag = review::flag(&mut tx, Kind::Post, &post_id, &user_id, reason, &at).await?;
            tx.commit().await?;
            if new_flag {
                let mut data = json!(one_post(db, &post_id).await?);
                data["flaggedUserId"] = json!(user_id);
                events.emit("v3.post.didFlag", data);
            }
            Ok(Activity::Flagged { post_id, new_flag })
        }
        (92.., _) => join(db, events, rng, &user_id, &at).await,
        _ => post(db, events, rng, &user_id, &at).await,
    }
}

async fn post(
    db: &SqlitePool,
    events: &Events,
    rng: &mut fastrand::Rng,
    user_id: &str,
    at: &str,
) -> Result<Activity, ApiError> {
    let community_id = random_value(db, rng, "SELECT community_id FROM communities WHERE is_deleted = 0")
        .await?
        .ok_or_else(|| ApiError::not_found("Community"))?;
    let post_id = hex_id(rng, 24);
    let text = POST_TEXTS[rng.usize(..POST_TEXTS.len())];
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO posts (post_id, posted_user_id, target_id, target_type, feed_type, data_type, text, \
         created_at, updated_at) VALUES (?, ?, ?, 'community', 'published', 'text', ?, ?, ?)",
    )
    .bind(&post_id)
    .bind(user_id)
    .bind(&community_id)
    .bind(text)
    .bind(at)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE communities SET posts_count = posts_count + 1 WHERE community_id = ?")
        .bind(&community_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    events.emit("v3.post.didCreate", json!(one_post(db, &post_id).await?));
    Ok(Activity::Posted { post_id })
}

async fn comment(
    db: &SqlitePool,
    events: &Events,
    rng: &mut fastrand::Rng,
    user_id: &str,
    post_id: &str,
    at: &str,
) -> Result<Activity, ApiError> {
    let comment_id = hex_id(rng, 24);
    let text = COMMENT_TEXTS[rng.usize(..COMMENT_TEXTS.len())];
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO comments (comment_id, user_id, reference_id, reference_type, text, created_at, updated_at) \
         VALUES (?, ?, ?, 'post', ?, ?, ?)",
    )
    .bind(&comment_id)
    .bind(user_id)
    .bind(post_id)
    .bind(text)
    .bind(at)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE posts SET comments_count = comments_count + 1 WHERE post_id = ?")
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    events.emit("v3.comment.didCreate", json!(one_comment(db, &comment_id).await?));
    Ok(Activity::Commented { comment_id, post_id: post_id.to_owned() })
}

async fn join(
    db: &SqlitePool,
    events: &Events,
    rng: &mut fastrand::Rng,
    user_id: &str,
    at: &str,
) -> Result<Activity, ApiError> {
    let community_id = random_value(db, rng, "SELECT community_id FROM communities WHERE is_deleted = 0")
        .await?
        .ok_or_else(|| ApiError::not_found("Community"))?;
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT OR IGNORE INTO community_members (community_id, user_id, membership, last_activity, created_at, \
         updated_at) VALUES (?, ?, 'member', ?, ?, ?)",
    )
    .bind(&community_id)
    .bind(user_id)
    .bind(at)
    .bind(at)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted > 0 {
        sqlx::query("UPDATE communities SET members_count = members_count + 1 WHERE community_id = ?")
            .bind(&community_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    if inserted > 0 {
        let data = json!({ "communities": [{ "communityId": community_id }], "communityUsers": [{
            "communityId": community_id, "userId": user_id, "communityMembership": "member",
            "createdAt": at, "updatedAt": at }] });
        events.emit("v3.community.didJoin", data);
    }
    Ok(Activity::Joined { community_id, new_member: inserted > 0 })
}

/// One value of the first column of `select`, picked uniformly by a seeded offset.
async fn random_value(
    db: &SqlitePool,
    rng: &mut fastrand::Rng,
    select: &str,
) -> Result<Option<String>, ApiError> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM ({select})")).fetch_one(db).await?;
    if count == 0 {
        return Ok(None);
    }
    let offset = rng.i64(0..count);
    Ok(sqlx::query_scalar(&format!("{select} LIMIT 1 OFFSET ?")).bind(offset).fetch_optional(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SeedOptions, Storage};

    async fn network() -> SqlitePool {
        let db = crate::db::open(&Storage::Memory).await.expect("database");
        crate::seed::ensure(&db, &SeedOptions { users: 60, seed: 9, posts: 80 }).await.expect("seed");
        db
    }

    async fn count(db: &SqlitePool, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(db).await.expect("count")
    }

    #[tokio::test]
    async fn simulated_members_post_comment_flag_and_join_through_the_real_effects() {
        let db = network().await;
        let events = Events::default();
        let mut received = events.subscribe();
        let posts_before = count(&db, "SELECT count(*) FROM posts").await;
        let comments_before = count(&db, "SELECT count(*) FROM comments").await;
        let flags_before = count(&db, "SELECT count(*) FROM flags").await;

        let mut rng = fastrand::Rng::with_seed(3);
        let mut done = Vec::new();
        for _ in 0..300 {
            done.push(step(&db, &events, &mut rng).await.expect("step"));
        }
        let posted = done.iter().filter(|a| matches!(a, Activity::Posted { .. })).count() as i64;
        let commented = done.iter().filter(|a| matches!(a, Activity::Commented { .. })).count() as i64;
        let flagged =
            done.iter().filter(|a| matches!(a, Activity::Flagged { new_flag: true, .. })).count() as i64;
        let joined = done.iter().filter(|a| matches!(a, Activity::Joined { new_member: true, .. })).count();
        assert!(
            posted > 80 && commented > 60 && flagged > 10 && joined > 5,
            "{posted} {commented} {flagged} {joined}"
        );

        assert_eq!(count(&db, "SELECT count(*) FROM posts").await, posts_before + posted);
        assert_eq!(count(&db, "SELECT count(*) FROM comments").await, comments_before + commented);
        assert_eq!(count(&db, "SELECT count(*) FROM flags").await, flags_before + flagged);
        // A flag goes through the moderation logic: the post is in the moderation feed.
        let Some(Activity::Flagged { post_id, .. }) =
            done.iter().find(|a| matches!(a, Activity::Flagged { new_flag: true, .. }))
        else {
            panic!("no new flag");
        };
        let in_feed: i64 = sqlx::query_scalar("SELECT count(*) FROM moderation_feed WHERE content_id = ?")
            .bind(post_id)
            .fetch_one(&db)
            .await
            .expect("feed");
        assert_eq!(in_feed, 1);

        let mut names = std::collections::BTreeMap::<String, usize>::new();
        while let Ok(event) = received.try_recv() {
            *names.entry(event.name).or_default() += 1;
        }
        assert_eq!(names.get("v3.post.didCreate").copied().unwrap_or(0) as i64, posted);
        assert_eq!(names.get("v3.comment.didCreate").copied().unwrap_or(0) as i64, commented);
        assert_eq!(names.get("v3.post.didFlag").copied().unwrap_or(0) as i64, flagged);
        assert_eq!(names.get("v3.community.didJoin").copied().unwrap_or(0), joined);
    }

    #[tokio::test]
    async fn a_running_simulator_emits_at_its_rate_and_stops() {
        let db = network().await;
        let events = Events::default();
        let mut received = events.subscribe();
        let simulator = Simulator::spawn(db, events, 50.0, 1);
        let first = tokio::time::timeout(Duration::from_secs(5), received.recv()).await;
        assert!(matches!(first, Ok(Ok(_))), "an event within 5 s at 50/s");
        simulator.stop().await;
        while received.try_recv().is_ok() {}
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(received.try_recv().is_err(), "nothing after stop");
    }
}
