//! The user page's extras over HTTP: communities and community roles (checked live on the
//! stand-in for the communities the console's records connect to the user), last activity
//! with its source, flag events and the ban history.

use crate::{
    helpers::{TestApp, spawn_app},
    roles::standin_db,
};
use serde_json::{Value, json};
use types::Role;

/// A seeded member (with a display name) of a community, and a second community of theirs.
async fn member(app: &TestApp) -> (String, String, String) {
    let db = standin_db(app).await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.user_id, m.community_id FROM community_members m JOIN users u ON u.user_id = m.user_id \
         WHERE m.membership = 'member' AND u.is_deleted = 0 AND u.display_name != '' \
         AND m.user_id IN (SELECT user_id FROM community_members WHERE membership = 'member' \
                           GROUP BY user_id HAVING COUNT(*) >= 2) \
         ORDER BY m.user_id, m.community_id LIMIT 2",
    )
    .fetch_all(&db)
    .await
    .expect("members");
    assert_eq!(rows.len(), 2, "the seed has a user in two communities");
    assert_eq!(rows[0].0, rows[1].0);
    (rows[0].0.clone(), rows[0].1.clone(), rows[1].1.clone())
}

/// Stores an event in the console's `events` table as the intake would.
async fn store_event(app: &TestApp, name: &str, actor: &str, community: Option<&str>, object: (&str, &str)) {
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let now = i64::try_from(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis(),
    )
    .expect("millis");
    sqlx::query(
        "INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, subject_user_id, \
         community_id, object_kind, object_id, data) VALUES (?, ?, ?, 'webhook', ?, ?, ?, ?, ?, ?, '{}')",
    )
    .bind(name)
    .bind(now)
    .bind(now / 86_400_000)
    .bind(format!("{name}:{}:{now}", object.1))
    .bind(actor)
    .bind(object.1)
    .bind(community)
    .bind(object.0)
    .bind(object.1)
    .execute(&db)
    .await
    .expect("event stored");
}

async fn detail(app: &TestApp, user_id: &str) -> Value {
    let response = app.get_user(user_id).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a user")
}

#[tokio::test]
async fn communities_known_from_role_changes_and_events_are_shown_with_their_roles() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let (user_id, first, second) = member(&app).await;

    // Nothing connects the user to a community yet: nothing is checked, the profile update
    // stands in for the activity.
    let before = detail(&app, &user_id).await;
    assert_eq!(before["communities"]["checked"], 0);
    assert_eq!(before["last_activity"]["source"], "profile_update");

    let granted = app
        .call_form(
            "change_community_roles",
            &[
                ("community_id", &first),
                ("user_id", &user_id),
                ("roles", "community-moderator"),
                ("change", "grant"),
            ],
        )
        .await;
    assert_eq!(granted.status(), 200, "{}", granted.text().await.unwrap_or_default());
    store_event(&app, "v3.post.didCreate", &user_id, Some(&second), ("post", "it-post-1")).await;

    let after = detail(&app, &user_id).await;
    let memberships = after["communities"]["memberships"].as_array().expect("memberships");
    assert_eq!(after["communities"]["checked"], 2, "{after}");
    let ids: Vec<&str> = memberships.iter().filter_map(|m| m["community_id"].as_str()).collect();
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()), "{ids:?}");
    let moderated = memberships.iter().find(|m| m["community_id"] == first.as_str()).expect("first");
    assert_eq!(moderated["membership"], "member");
    assert!(moderated["roles"].as_array().is_some_and(|r| r.contains(&json!("community-moderator"))));
    assert!(moderated["display_name"].is_string(), "the community's name is side-loaded");
    // The post event just stored is the newest activity.
    assert_eq!(after["last_activity"]["source"], "webhook");
    assert_eq!(after["last_activity"]["what"], "v3.post.didCreate");
}

#[tokio::test]
async fn flag_events_and_the_ban_history_are_listed_on_the_user() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let (user_id, _, _) = member(&app).await;
    store_event(&app, "user.didFlag", &user_id, None, ("user", &user_id)).await;

    let ban = [("user_id", user_id.as_str()), ("action", "ban"), ("reason_code", "spam")];
    assert_eq!(app.call_form("user_sanction", &ban).await.status(), 200);
    let unban = [("user_id", user_id.as_str()), ("action", "unban"), ("reason_code", "appeal")];
    assert_eq!(app.call_form("user_sanction", &unban).await.status(), 200);

    let user = detail(&app, &user_id).await;
    let flags = user["flag_events"].as_array().expect("flag events");
    assert_eq!(flags.len(), 1);
    assert_eq!((flags[0]["name"].as_str(), flags[0]["actor"].as_str()), (Some("user.didFlag"), None));
    let history: Vec<&str> = user["ban_history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(history, ["unban", "ban"], "newest first");

    // A viewer sees the ban history too (it is the user's ban state over time).
    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(detail(&app, &user_id).await["ban_history"].as_array().map(Vec::len), Some(2));
}
