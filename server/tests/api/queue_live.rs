//! The Queue page's live stream, `GET /events/stream?kind=queue`: only the events that can
//! change the queue, without their payload, for whoever may read the queue.

use crate::events_page::{NewEvent, database, event_ids, insert_event, open_stream, read_until};
use crate::helpers::spawn_app;
use serde_json::{Value, json};
use std::time::Duration;
use types::{Permission, Role};

/// `name` about `kind` `object`, with `data`.
fn event<'a>(name: &'a str, kind: &'a str, object: &'a str, data: Value) -> NewEvent<'a> {
    NewEvent { name, actor: Some("ann"), community: Some("c1"), kind: Some(kind), object: Some(object), data }
}

#[tokio::test]
async fn the_queue_stream_passes_flags_reviews_and_deletions_and_leaves_out_the_rest() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let db = database(&app).await;
    let published = json!({ "posts": [{ "postId": "p1" }], "feeds": [{ "feedType": "published" }] });
    let reviewing = json!({ "posts": [{ "postId": "p2" }], "feeds": [{ "feedType": "reviewing" }] });
    let secret = json!({ "posts": [{ "postId": "p1", "data": { "text": "flagged words" } }] });
    let plain_post = insert_event(&db, &event("v3.post.didCreate", "post", "p1", published)).await;
    let post_flag = insert_event(&db, &event("v3.post.didFlag", "post", "p1", secret)).await;
    let reaction = insert_event(&db, &event("v3.post.didAddReaction", "post", "p1", json!({}))).await;
    let comment = insert_event(&db, &NewEvent::comment("k1", "bob", "c1")).await;
    let for_review = insert_event(&db, &event("v3.post.didCreate", "post", "p2", reviewing)).await;
    let message_flag = insert_event(&db, &event("message.didFlag", "message", "m1", json!({}))).await;
    let user_update = insert_event(&db, &event("user.didUpdate", "user", "ann", json!({}))).await;
    let cleared = insert_event(&db, &event("user.didClearFlag", "user", "ann", json!({}))).await;

    let mut stream = open_stream(&app, "?kind=queue&after=0", None).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&cleared)).await;
    // Give the stream a moment to send anything it wrongly let through.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        event_ids(&text),
        vec![post_flag, for_review, message_flag, cleared],
        "not {plain_post}, {reaction}, {comment} or {user_update}"
    );
    assert!(!text.contains("flagged words"), "the payload stays out of the queue's stream");

    // A flag stored while the stream is open arrives; a reaction does not.
    insert_event(&db, &event("v3.post.didAddReaction", "post", "p1", json!({}))).await;
    let comment_flag = insert_event(&db, &event("v3.comment.didFlag", "comment", "k1", json!({}))).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&comment_flag)).await;
    assert_eq!(event_ids(&text), vec![comment_flag]);
    let message = text.split("\n\n").find(|m| m.contains(&format!("id: {comment_flag}"))).expect("message");
    let data = message.lines().find_map(|l| l.strip_prefix("data: ")).expect("data line");
    let row: Value = serde_json::from_str(data).expect("an event row");
    assert_eq!((row["name"].as_str(), row["object_id"].as_str()), (Some("v3.comment.didFlag"), Some("k1")));
}

#[tokio::test]
async fn the_queue_stream_is_for_those_who_may_read_the_queue() {
    let app = spawn_app().await;
    let refused = app.get("/events/stream?kind=queue").await;
    assert_eq!(refused.status(), 303, "no session: sent to sign in");

    for role in Role::ALL {
        app.sign_in_with_role(role).await;
        let response = app.get("/events/stream?kind=queue").await;
        let expected = if role.allows(Permission::ViewQueue) { 200 } else { 403 };
        assert_eq!(response.status(), expected, "{role:?}");
    }
    app.sign_in_with_role(Role::Moderator).await;
    let unknown = app.get("/events/stream?kind=everything").await;
    assert_eq!(unknown.status(), 400, "an unknown kind is refused, not widened to every event");
}

#[tokio::test]
async fn the_ready_message_names_its_cursor_so_a_reconnect_loses_nothing() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let db = database(&app).await;
    let before = insert_event(&db, &event("v3.post.didFlag", "post", "p1", json!({}))).await;
    let mut stream = open_stream(&app, "?kind=queue", None).await;
    let text = read_until(&mut stream, |t| t.contains("event: ready")).await;
    let ready = text.split("\n\n").find(|m| m.contains("event: ready")).expect("ready message");
    let cursor: i64 = ready
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the ready message has an id: {ready}"));
    assert!(cursor >= before, "it starts after the newest stored event");
    drop(stream);

    // Stored while the browser reconnects: it resumes from the ready message's id.
    let meanwhile = insert_event(&db, &event("v3.post.didUnflag", "post", "p1", json!({}))).await;
    let mut resumed = open_stream(&app, "?kind=queue", Some(cursor)).await;
    let text = read_until(&mut resumed, |t| event_ids(t).contains(&meanwhile)).await;
    assert_eq!(event_ids(&text), vec![meanwhile]);
}
