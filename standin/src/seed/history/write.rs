//! Writing what the simulated period added: new users, posts with their final counters,
//! pictures, comments, flags still standing, moderation feed entries, memberships, the last
//! activity of everyone who acted, and the event log in time order.

use super::world::{Member, Post, World};
use crate::{
    media,
    seed::{rows::Batch, user, users::insert_user},
    time_fmt,
};
use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;

/// A Unix time as the API formats it.
pub fn at(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs).map(time_fmt::format).unwrap_or_default()
}

/// Writes everything; `first_day` is the Unix time the period starts.
pub async fn all(tx: &mut Transaction<'_, Sqlite>, world: &World, first_day: i64) -> anyhow::Result<()> {
    new_users(tx, world).await?;
    posts(tx, world).await?;
    comments(tx, world).await?;
    memberships(tx, world).await?;
    activity(tx, world, first_day).await?;
    event_log(tx, world).await?;
    recount(tx).await
}

/// People who signed up: generated like every user, created when they signed up, without
/// roles or flags; spammers end banned.
async fn new_users(tx: &mut Transaction<'_, Sqlite>, world: &World) -> anyhow::Result<()> {
    for member in &world.members {
        let Some((index, signed_up)) = member.signed_up else { continue };
        let mut new = user(world.seed, index);
        let created = OffsetDateTime::from_unix_timestamp(signed_up)?;
        new.created_at = created;
        new.updated_at = member.banned_at.map_or(Ok(created), OffsetDateTime::from_unix_timestamp)?;
        new.roles.clear();
        new.flag_count = 0;
        new.is_deleted = false;
        new.is_global_ban = member.banned_at.is_some();
        insert_user(tx, &new, index).await?;
    }
    Ok(())
}

async fn posts(tx: &mut Transaction<'_, Sqlite>, world: &World) -> anyhow::Result<()> {
    let mut posts = Batch::new(
        "posts",
        &[
            "post_id",
            "posted_user_id",
            "target_id",
            "target_type",
            "feed_type",
            "data_type",
            "text",
            "file_id",
            "flag_count",
            "reactions_count",
            "comments_count",
            "is_deleted",
            "created_at",
            "updated_at",
        ],
    );
    let mut files = Batch::new(
        "files",
        &[
            "file_id",
            "file_url",
            "type",
            "name",
            "extension",
            "size",
            "mime_type",
            "created_at",
            "updated_at",
        ],
    );
    let mut flags = Batch::new("flags", &["content_type", "content_id", "user_id", "reason", "created_at"]);
    let mut feed = feed_batch();
    for post in &world.posts {
        let deleted = post.review.is_some_and(|(kind, _)| kind == "delete");
        let row = vec![
            post.id.clone().into(),
            world.members[post.author].user_id.clone().into(),
            world.communities[post.community].id.clone().into(),
            "community".into(),
            "published".into(),
            (if post.file_id.is_some() { "image" } else { "text" }).into(),
            post.text.clone().into(),
            post.file_id.clone().into(),
            (post.flags.len() as i64).into(),
            i64::from(post.reactions).into(),
            i64::from(post.comments).into(),
            deleted.into(),
            at(post.created).into(),
            at(post.updated).into(),
        ];
        posts.push(tx, row).await?;
        if let Some(file_id) = &post.file_id {
            files.push(tx, picture_row(file_id, post.created)).await?;
        }
        for (member, flagged_at, reason) in &post.flags {
            let row = vec![
                "post".into(),
                post.id.clone().into(),
                world.members[*member].user_id.clone().into(),
                (*reason).into(),
                at(*flagged_at).into(),
            ];
            flags.push(tx, row).await?;
        }
        if post.last_flagged.is_some() || post.ai.is_some() {
            feed.push(tx, feed_row(world, post, deleted)).await?;
        }
    }
    for mut batch in [posts, files, flags, feed] {
        batch.flush(tx).await?;
    }
    Ok(())
}

/// A generated picture: its size is drawn from the id, so it needs no PRNG draw.
fn picture_row(file_id: &str, created: i64) -> Vec<crate::seed::rows::Val> {
    let (extension, mime) = media::picture_type(file_id);
    let size = 150_000 + (media::picture::seed_of(file_id) % 900_000) as i64;
    vec![
        file_id.into(),
        media::download_path(file_id).into(),
        "image".into(),
        format!("upload-{file_id}.{extension}").into(),
        extension.into(),
        size.into(),
        mime.into(),
        at(created).into(),
        at(created).into(),
    ]
}

fn feed_batch() -> Batch {
    Batch::new(
        "moderation_feed",
        &[
            "content_id",
            "content_type",
            "media_type",
            "target_id",
            "target_type",
            "creator_id",
            "flag_count",
            "last_flagged_at",
            "last_reviewed_at",
            "reviewed_type",
            "reviewed_by",
            "is_deleted",
            "is_flag_cleared",
            "ai_moderation",
        ],
    )
}

/// The post's moderation feed entry as the review handlers leave it.
fn feed_row(world: &World, post: &Post, deleted: bool) -> Vec<crate::seed::rows::Val> {
    let author: &Member = &world.members[post.author];
    let cleared = post.review.is_some_and(|(kind, _)| kind == "clearFlag") && post.flags.is_empty();
    vec![
        post.id.clone().into(),
        "post".into(),
        (if post.file_id.is_some() { "photo" } else { "text" }).into(),
        world.communities[post.community].id.clone().into(),
        "community".into(),
        author.internal_id.clone().into(),
        (post.flags.len() as i64).into(),
        post.last_flagged.map(at).into(),
        post.review.map(|(_, when)| at(when)).into(),
        post.review.map(|(kind, _)| kind.to_owned()).into(),
        post.review.map(|_| "standin-admin".to_owned()).into(),
        deleted.into(),
        cleared.into(),
        post.ai.clone().into(),
    ]
}

/// Comments under a deleted post are deleted with it, as the delete handler does.
async fn comments(tx: &mut Transaction<'_, Sqlite>, world: &World) -> anyhow::Result<()> {
    let mut comments = Batch::new(
        "comments",
        &[
            "comment_id",
            "user_id",
            "reference_id",
            "reference_type",
            "target_id",
            "target_type",
            "text",
            "is_deleted",
            "created_at",
            "updated_at",
        ],
    );
    for comment in &world.comments {
        let post = &world.posts[comment.post];
        let deleted_at = post.review.filter(|(kind, _)| *kind == "delete").map(|(_, when)| when);
        let row = vec![
            comment.id.clone().into(),
            world.members[comment.author].user_id.clone().into(),
            post.id.clone().into(),
            "post".into(),
            world.communities[post.community].id.clone().into(),
            "community".into(),
            comment.text.into(),
            deleted_at.is_some().into(),
            at(comment.created).into(),
            at(deleted_at.unwrap_or(comment.created)).into(),
        ];
        comments.push(tx, row).await?;
    }
    comments.flush(tx).await
}

async fn memberships(tx: &mut Transaction<'_, Sqlite>, world: &World) -> anyhow::Result<()> {
    let mut members = Batch::new(
        "community_members",
        &["community_id", "user_id", "membership", "roles", "last_activity", "created_at", "updated_at"],
    );
    for &(community, member, joined) in &world.joins {
        let last = world.members[member].last_active.unwrap_or(joined).max(joined);
        let row = vec![
            world.communities[community].id.clone().into(),
            world.members[member].user_id.clone().into(),
            "member".into(),
            "[]".into(),
            at(last).into(),
            at(joined).into(),
            at(joined).into(),
        ];
        members.push(tx, row).await?;
    }
    members.flush(tx).await
}

/// Everyone who acted was last seen at their last action; seeded last activity that falls
/// inside the period moves back by its length, so the last-activity report agrees with the
/// history (nobody is seen during the period without an event).
async fn activity(tx: &mut Transaction<'_, Sqlite>, world: &World, first_day: i64) -> anyhow::Result<()> {
    let days = (world.end - first_day).div_euclid(86_400) + 1;
    sqlx::query(&format!(
        "UPDATE user_activity SET last_active_at = strftime('%Y-%m-%dT%H:%M:%fZ', last_active_at, '-{days} days') \
         WHERE last_active_at >= ?"
    ))
    .bind(at(first_day))
    .execute(&mut **tx)
    .await?;
    for member in &world.members {
        let Some(last) = member.last_active else { continue };
        sqlx::query(
            "INSERT INTO user_activity (user_internal_id, last_active_at) VALUES (?, ?) \
             ON CONFLICT (user_internal_id) DO UPDATE SET last_active_at = max(last_active_at, excluded.last_active_at)",
        )
        .bind(&member.internal_id)
        .bind(at(last))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The event log, in time order (ties in the order they happened).
async fn event_log(tx: &mut Transaction<'_, Sqlite>, world: &World) -> anyhow::Result<()> {
    let mut order: Vec<usize> = (0..world.events.len()).collect();
    order.sort_by_key(|&i| (world.events[i].at, i));
    let mut log = Batch::new("history_events", &["seq", "at", "name", "object_id", "actor_id"]);
    for (seq, &i) in order.iter().enumerate() {
        let event = &world.events[i];
        let row = vec![
            (seq as i64 + 1).into(),
            at(event.at).into(),
            event.name.into(),
            event.object_id.clone().into(),
            event.actor.map(|m| world.members[m].user_id.clone()).into(),
        ];
        log.push(tx, row).await?;
    }
    log.flush(tx).await
}

/// Member and post counts of every community, as the content generator defines them.
async fn recount(tx: &mut Transaction<'_, Sqlite>) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE communities SET members_count = (SELECT count(*) FROM community_members m \
         WHERE m.community_id = communities.community_id AND m.membership = 'member'), \
         posts_count = (SELECT count(*) FROM posts p WHERE p.target_id = communities.community_id \
         AND p.parent_post_id IS NULL AND p.feed_type = 'published' AND p.is_deleted = 0)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
