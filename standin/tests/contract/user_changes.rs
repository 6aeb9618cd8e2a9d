//! Changing users: `PUT /api/v3/users`, `DELETE /api/v4/users/{userId}`,
//! `POST /api/v2/users/ban`, `POST /api/v2/users/unban`, `DELETE /api/v2/users/{userId}/flags`,
//! `POST /api/v4/me/flags/{userId}`, `DELETE /api/v4/me/flags/{userId}`.

use crate::{
    openapi::Spec,
    support::{
        admin, assert_conforms, assert_error, assert_response, call, client, session, some_user, standin,
    },
};
use serde_json::{Map, json};
use upstream::endpoints::users::{ClearUserFlags, DeleteUser, GetUser, QueryUsers, UpdateUser};
use upstream::{endpoints::users::DeleteUserOptions, wire::UserUpdate};

#[tokio::test]
async fn every_user_change_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("PUT", "/api/v3/users"),
        ("DELETE", "/api/v4/users/{userId}"),
        ("POST", "/api/v2/users/ban"),
        ("POST", "/api/v2/users/unban"),
        ("DELETE", "/api/v2/users/{userId}/flags"),
        ("POST", "/api/v4/me/flags/{userId}"),
        ("DELETE", "/api/v4/me/flags/{userId}"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn an_update_round_trips_and_bad_metadata_is_refused() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let user = some_user(&standin, 0).await;
    let mut metadata = Map::new();
    metadata.insert("team".into(), json!("blue"));
    let update = UserUpdate {
        user_id: user.clone(),
        display_name: Some("Renamed Person".into()),
        description: Some("Edited by the console".into()),
        roles: Some(vec!["moderator".into(), "vip".into()]),
        metadata: Some(metadata.clone()),
        ..Default::default()
    };
    let answer = client.send(&UpdateUser(&update)).await.expect("update");
    let changed = &answer.users[0];
    assert_eq!(changed.display_name.as_deref(), Some("Renamed Person"));
    assert_eq!(changed.roles, vec!["moderator", "vip"]);
    assert!(changed.permissions.iter().any(|p| p == "BAN_USER"), "permissions follow the roles");
    let again = client.send(&GetUser { user_id: &user }).await.expect("get");
    assert_eq!(again.users[0].metadata, metadata);
    assert_eq!(again.users[0].description.as_deref(), Some("Edited by the console"));
    let found = client
        .send(&QueryUsers(&upstream::query::UserQuery {
            keyword: Some("renamed person".into()),
            ..Default::default()
        }))
        .await
        .expect("search");
    assert!(found.users.iter().any(|u| u.user_id == user), "search sees the new name");

    let (status, body) =
        admin(&standin, "PUT", "/api/v3/users", Some(json!({ "userId": user, "description": "raw" }))).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "PUT", "/api/v3/users", "200", &body);

    let big = json!({ "userId": user, "metadata": { "blob": "x".repeat(5_000) } });
    let refused = admin(&standin, "PUT", "/api/v3/users", Some(big)).await;
    assert_error(&mut spec, &refused, 400, 400_000, "metadata over 5,000 bytes");
    assert!(refused.1["data"]["detail"][0].as_str().is_some_and(|d| d.contains("metadata")));
    let wrong_type =
        admin(&standin, "PUT", "/api/v3/users", Some(json!({ "userId": user, "roles": "admin" }))).await;
    assert_error(&mut spec, &wrong_type, 400, 400_000, "roles must be an array");
    let missing_file =
        admin(&standin, "PUT", "/api/v3/users", Some(json!({ "userId": user, "avatarFileId": "nofile" })))
            .await;
    assert_error(&mut spec, &missing_file, 404, 400_400, "unknown avatar file");
    let unknown =
        client.send(&UpdateUser(&UserUpdate { user_id: "nobody-here".into(), ..Default::default() })).await;
    assert_eq!(unknown.expect_err("404").code(), Some(400_400));
    standin.stop().await;
}

#[tokio::test]
async fn delete_keeps_a_tombstone_revokes_sessions_and_refuses_a_second_time() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let user = some_user(&standin, 3).await;
    let token = session(&standin, &user).await;

    let (status, body) =
        admin(&standin, "DELETE", &format!("/api/v4/users/{user}?hardDeletePost=true"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "DELETE", "/api/v4/users/{userId}", "200", &body);
    let shown = client.send(&GetUser { user_id: &user }).await.expect("still readable");
    assert!(shown.users[0].is_deleted);
    assert_eq!(shown.users[0].display_name.as_deref(), Some("Deleted user"));
    let (status, _) = call(&standin, "GET", "/api/v3/sessions", Some(&token), &[], None).await;
    assert_eq!(status, 401, "the deleted user's token is dead");

    let twice = client
        .send(&DeleteUser { user_id: &user, options: DeleteUserOptions::default() })
        .await
        .expect_err("already deleted");
    assert_eq!((twice.status(), twice.code()), (Some(400), Some(400_000)));
    let bad = admin(&standin, "DELETE", &format!("/api/v4/users/{user}?deleteAll=maybe"), None).await;
    assert_error(&mut spec, &bad, 400, 400_000, "deleteAll must be a boolean");
    let other = some_user(&standin, 4).await;
    assert!(
        client
            .send(&DeleteUser {
                user_id: &other,
                options: DeleteUserOptions { delete_all: true, ..Default::default() }
            })
            .await
            .expect("delete")
            .success
    );
    standin.stop().await;
}

#[tokio::test]
async fn flags_count_once_per_flagger_and_clearing_answers_the_bare_user() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let target = some_user(&standin, 5).await;
    let flagger = some_user(&standin, 6).await;
    let token = session(&standin, &flagger).await;
    let before = client.send(&GetUser { user_id: &target }).await.expect("get").users[0].flag_count;

    let path = format!("/api/v4/me/flags/{target}");
    let (status, body) = call(&standin, "POST", &path, Some(&token), &[], None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "POST", "/api/v4/me/flags/{userId}", "200", &body);
    assert_eq!(body["users"][0]["flagCount"], before + 1);
    let (_, body) = call(&standin, "POST", &path, Some(&token), &[], None).await;
    assert_eq!(body["users"][0]["flagCount"], before + 1, "a second flag by the same user does not count");
    let (_, body) = call(&standin, "DELETE", &path, Some(&token), &[], None).await;
    assert_response(&mut spec, "DELETE", "/api/v4/me/flags/{userId}", "200", &body);
    assert_eq!(body["users"][0]["flagCount"], before);
    let admin_flag = admin(&standin, "POST", &path, None).await;
    assert_error(&mut spec, &admin_flag, 403, 400_301, "the admin token has no `me`");

    call(&standin, "POST", &path, Some(&token), &[], None).await;
    let (status, bare) = admin(&standin, "DELETE", &format!("/api/v2/users/{target}/flags"), None).await;
    assert_eq!(status, 200, "{bare}");
    let schema = spec.response_schema("DELETE", "/api/v2/users/{userId}/flags", "200");
    assert_conforms(&schema, &bare, "DELETE /api/v2/users/{userId}/flags");
    assert_eq!(bare["flagCount"], 0);
    let cleared = client.send(&ClearUserFlags { user_id: &target }).await.expect("decodes the bare user");
    assert_eq!((cleared.user_id.as_str(), cleared.flag_count), (target.as_str(), 0));
    let flagged = client
        .send(&QueryUsers(&upstream::query::UserQuery {
            filter: upstream::query::UserQueryFilter::Flagged,
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("flagged");
    assert!(flagged.users.iter().all(|u| u.user_id != target), "a cleared user leaves the flagged filter");
    standin.stop().await;
}

/// The deletion options remove exactly the content they name, and nothing of other users.
#[tokio::test]
async fn delete_options_hard_delete_the_chosen_content_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("standin.sqlite");
    let standin = crate::content_support::standin_on(standin::Storage::File(path.clone())).await;
    let client = crate::content_support::client(&standin);
    let db = sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
        .await
        .expect("a second connection to the stand-in's database");
    let count = |sql: &'static str, user: String| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(user).fetch_one(&db).await.expect("count") }
    };
    const POSTS: &str = "SELECT count(*) FROM posts WHERE posted_user_id = ?";
    const COMMENTS: &str = "SELECT count(*) FROM comments WHERE user_id = ?";
    // The two most prolific posters who also comment: one loses posts only, one everything.
    let authors: Vec<String> = sqlx::query_scalar(
        "SELECT posted_user_id FROM posts WHERE posted_user_id IN (SELECT user_id FROM comments) \
         GROUP BY posted_user_id ORDER BY count(*) DESC LIMIT 2",
    )
    .fetch_all(&db)
    .await
    .expect("authors");
    let [posts_only, everything] = [authors[0].clone(), authors[1].clone()];
    let others_before =
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM posts WHERE posted_user_id NOT IN (?, ?)")
            .bind(&posts_only)
            .bind(&everything)
            .fetch_one(&db)
            .await
            .expect("others");
    let comments_kept = count(COMMENTS, posts_only.clone()).await;
    assert!(count(POSTS, posts_only.clone()).await > 0 && count(COMMENTS, everything.clone()).await > 0);

    let options = DeleteUserOptions { hard_delete_post: true, ..Default::default() };
    client.send(&DeleteUser { user_id: &posts_only, options }).await.expect("delete with hardDeletePost");
    assert_eq!(count(POSTS, posts_only.clone()).await, 0, "their posts are gone");
    let on_removed_posts = sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM comments c WHERE c.user_id = ? AND c.reference_type = 'post' \
         AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.post_id = c.reference_id)",
    )
    .bind(&posts_only)
    .fetch_one(&db)
    .await
    .expect("orphans");
    assert_eq!(on_removed_posts, 0, "no comment is left under a removed post");
    assert!(count(COMMENTS, posts_only.clone()).await <= comments_kept);

    let options = DeleteUserOptions { delete_all: true, ..Default::default() };
    client.send(&DeleteUser { user_id: &everything, options }).await.expect("delete with deleteAll");
    assert_eq!(count(POSTS, everything.clone()).await, 0);
    assert_eq!(count(COMMENTS, everything.clone()).await, 0);
    assert_eq!(count("SELECT count(*) FROM messages WHERE creator_id = ?", everything.clone()).await, 0);
    let others_after =
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM posts WHERE posted_user_id NOT IN (?, ?)")
            .bind(&posts_only)
            .bind(&everything)
            .fetch_one(&db)
            .await
            .expect("others");
    assert_eq!(others_after, others_before, "nobody else's posts were touched");
    standin.stop().await;
}
