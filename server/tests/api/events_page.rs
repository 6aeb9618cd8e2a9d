//! The Events page: the live stream (cursor, resume, filter, access), the paged list without
//! WASM, the delivery log, and forwarding re-signed events.

use crate::helpers::{TestApp, spawn_app};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::SqlitePool;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use types::Role;

/// A test's view of one stored event.
pub struct NewEvent<'a> {
    pub name: &'a str,
    pub actor: Option<&'a str>,
    pub community: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub object: Option<&'a str>,
    pub data: Value,
}

impl<'a> NewEvent<'a> {
    /// A post created by `actor` in `community`.
    pub fn post(id: &'a str, actor: &'a str, community: &'a str) -> Self {
        NewEvent {
            name: "v3.post.didCreate",
            actor: Some(actor),
            community: Some(community),
            kind: Some("post"),
            object: Some(id),
            data: json!({ "posts": [{ "postId": id, "postedUserId": actor, "data": { "text": "hello" } }] }),
        }
    }

    /// A comment by `actor` in `community`.
    pub fn comment(id: &'a str, actor: &'a str, community: &'a str) -> Self {
        NewEvent {
            name: "v3.comment.didCreate",
            actor: Some(actor),
            community: Some(community),
            kind: Some("comment"),
            object: Some(id),
            data: json!({ "comments": [{ "commentId": id, "userId": actor }] }),
        }
    }
}

/// The app's database.
pub async fn database(app: &TestApp) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", app.database.display()))
        .await
        .expect("the console database opens")
}

/// Inserts an event as the intake would (columns as migration 0005 declares them).
pub async fn insert_event(db: &SqlitePool, event: &NewEvent<'_>) -> i64 {
    let now = chrono::Utc::now().timestamp_millis();
    sqlx::query_scalar(
        "INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, community_id, \
         object_kind, object_id, data) VALUES (?, ?, ?, 'webhook', ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(event.name)
    .bind(now)
    .bind(now / 86_400_000)
    .bind(format!("test:{}:{}", event.name, fastrand_key()))
    .bind(event.actor)
    .bind(event.community)
    .bind(event.kind)
    .bind(event.object)
    .bind(event.data.to_string())
    .fetch_one(db)
    .await
    .expect("event stored")
}

fn fastrand_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Opens the live stream with `query`, optionally resuming after `last_event_id`.
pub async fn open_stream(app: &TestApp, query: &str, last_event_id: Option<i64>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}/events/stream{query}", app.address));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let response = request.send().await.expect("stream request");
    assert_eq!(response.status(), 200);
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("text/event-stream"), "{content_type}");
    response
}

/// Reads the stream until `done` holds for the text so far (or fails after 10 s).
pub async fn read_until(response: &mut reqwest::Response, done: impl Fn(&str) -> bool) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(&text) {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .unwrap_or_else(|_| panic!("the stream did not deliver in time; so far: {text}"))
            .expect("stream chunk");
        let Some(chunk) = chunk else { panic!("the stream ended early; so far: {text}") };
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

/// The ids of the `event` messages in SSE text.
pub fn event_ids(text: &str) -> Vec<i64> {
    text.split("\n\n")
        .filter(|message| message.lines().any(|l| l == "event: event"))
        .filter_map(|message| message.lines().find_map(|l| l.strip_prefix("id: ")))
        .filter_map(|id| id.parse().ok())
        .collect()
}

#[tokio::test]
async fn the_stream_resumes_after_last_event_id_and_follows_new_events() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    let first = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    let second = insert_event(&db, &NewEvent::post("p2", "ann", "c1")).await;

    let mut stream = open_stream(&app, "", Some(first)).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&second)).await;
    assert_eq!(event_ids(&text), vec![second], "only what came after the cursor");

    let third = insert_event(&db, &NewEvent::comment("k1", "bob", "c2")).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&third)).await;
    assert_eq!(event_ids(&text), vec![third]);
    let message = text.split("\n\n").find(|m| m.contains(&format!("id: {third}"))).expect("the message");
    let data = message.lines().find_map(|l| l.strip_prefix("data: ")).expect("data line");
    let row: Value = serde_json::from_str(data).expect("an event row");
    assert_eq!(row["name"], "v3.comment.didCreate");
    assert_eq!(row["actor_user_id"], "bob");
}

#[tokio::test]
async fn without_a_cursor_the_stream_starts_after_the_newest_event() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    let old = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    let mut stream = open_stream(&app, "", None).await;
    read_until(&mut stream, |t| t.contains("event: ready")).await;
    let new = insert_event(&db, &NewEvent::post("p2", "ann", "c1")).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&new)).await;
    assert!(!event_ids(&text).contains(&old));
}

#[tokio::test]
async fn the_stream_passes_only_events_matching_type_user_and_community() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    let post = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    let other_user = insert_event(&db, &NewEvent::comment("k1", "bob", "c1")).await;
    let other_community = insert_event(&db, &NewEvent::comment("k2", "ann", "c2")).await;
    let wanted = insert_event(&db, &NewEvent::comment("k3", "ann", "c1")).await;
    let last = insert_event(&db, &NewEvent::post("p9", "ann", "c1")).await;

    let mut stream = open_stream(&app, "?type=v3.comment.*&user=ann&community=c1&after=0", None).await;
    let text = read_until(&mut stream, |t| event_ids(t).contains(&wanted)).await;
    // Give the stream a moment to send anything it wrongly let through.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let ids = event_ids(&text);
    assert_eq!(ids, vec![wanted], "not {post}, {other_user}, {other_community} or {last}");

    let mut posts = open_stream(&app, "?type=v3.post.didCreate&after=0", None).await;
    let text = read_until(&mut posts, |t| event_ids(t).contains(&last)).await;
    assert_eq!(event_ids(&text), vec![post, last]);
}

#[tokio::test]
async fn the_stream_needs_a_session() {
    let app = spawn_app().await;
    let response = app.get("/events/stream").await;
    assert_eq!(response.status(), 303, "sent to sign in");
}

#[tokio::test]
async fn the_events_page_lists_stored_events_without_wasm_with_payload_as_text_and_links() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    let mut event = NewEvent::post("p-77", "ann", "c1");
    event.data = json!({ "posts": [{ "postId": "p-77", "data": { "text": "<script>alert(1)</script>" } }] });
    insert_event(&db, &event).await;
    insert_event(&db, &NewEvent::comment("k1", "bob", "c2")).await;

    let page = app.get("/events?type=v3.post.*").await.text().await.expect("html");
    assert!(page.contains(r#"data-event-name="v3.post.didCreate""#), "the post is listed");
    assert!(!page.contains(r#"data-event-name="v3.comment.didCreate""#), "the comment is filtered out");
    assert!(page.contains(r#"href="/queue/case/post/p-77""#), "links to the case");
    assert!(page.contains(r#"href="/users/ann""#), "links to the user");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the payload is text");
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains(r#"value="v3.post.*""#), "the filter is kept in the form");
}

#[tokio::test]
async fn the_events_list_pages_down_by_id() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    let mut ids = Vec::new();
    for i in 0..55 {
        ids.push(insert_event(&db, &NewEvent::post(&format!("p{i}"), "ann", "c1")).await);
    }
    let first: Value = app.call("list_events", json!({ "query": {} })).await.json().await.expect("page");
    let items = first["items"].as_array().expect("items");
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["id"], ids[54]);
    assert_eq!(first["newest_id"], ids[54]);
    let before = first["next_before"].as_i64().expect("a next page");
    let second: Value =
        app.call("list_events", json!({ "query": { "before": before } })).await.json().await.expect("page");
    let rest: Vec<i64> =
        second["items"].as_array().expect("items").iter().filter_map(|e| e["id"].as_i64()).collect();
    assert_eq!(rest, ids[..5].iter().rev().copied().collect::<Vec<_>>());
    assert!(second["next_before"].is_null());
}

#[tokio::test]
async fn the_delivery_log_shows_signature_and_processing() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    let db = database(&app).await;
    sqlx::query(
        "INSERT INTO webhook_deliveries (received_at, body, body_sha256, duplicates, secret_label, signature_kind, \
         event_name, state, attempts, next_attempt_at, last_error) VALUES (1, x'7b7d', 'abc', 2, 'previous', 'hex', \
         'v3.post.didCreate', 'failed', 3, 1, 'no data')",
    )
    .execute(&db)
    .await
    .expect("delivery stored");
    let page: Value =
        app.call("list_deliveries", json!({ "before": null })).await.json().await.expect("page");
    let row = &page["items"][0];
    assert_eq!(row["secret_label"], "previous");
    assert_eq!(row["signature_kind"], "hex");
    assert_eq!(
        (row["state"].as_str(), row["attempts"].as_i64(), row["duplicates"].as_i64()),
        (Some("failed"), Some(3), Some(2))
    );
    let html = app.get("/events?view=deliveries").await.text().await.expect("html");
    assert!(html.contains("secret “previous”") && html.contains("no data"));
}

/// A receiver that records each request's signature header and body.
pub async fn receiver() -> (String, Arc<Mutex<Vec<(String, Vec<u8>)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let store = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let store = store.clone();
            async move {
                let signature = headers
                    .get("x-amity-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                store.lock().expect("lock").push((signature, body.to_vec()));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn forwarded_events_carry_a_signature_the_target_can_verify_with_its_own_secret() {
    // The receiver is on loopback, which only the allowlist opens (issue 13 finding 4).
    let app =
        crate::helpers::spawn_app_with(|s| s.outbound.allow_private_hosts = vec!["127.0.0.1".into()]).await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let one = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    let two = insert_event(&db, &NewEvent::comment("k1", "bob", "c2")).await;
    let (url, seen) = receiver().await;
    let secret = "target-secret-0123456789";

    let saved =
        app.call_form("save_forward_target", &[("name", "crm"), ("url", &url), ("secret", secret)]).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap_or_default());
    let targets = app.call_form("list_forward_targets", &[]).await.text().await.expect("targets");
    assert!(targets.contains("crm") && !targets.contains(secret), "the secret is never sent back");
    let target_id = serde_json::from_str::<Value>(&targets).expect("json")[0]["id"].as_i64().expect("id");

    let ids = format!("{one}, {two}, 999999");
    let response =
        app.call_form("forward_events", &[("target_id", &target_id.to_string()), ("event_ids", &ids)]).await;
    let results: Value = response.json().await.expect("results");
    assert_eq!(results[0]["status"], 200);
    assert_eq!(results[1]["status"], 200);
    assert_eq!(results[2]["error"], "no such event");

    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2);
    for (signature, body) in &seen {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(body);
        let decoded = base64::engine::general_purpose::STANDARD.decode(signature).expect("base64 signature");
        mac.verify_slice(&decoded).expect("the signature verifies with the target's secret");
    }
    let first: Value = serde_json::from_slice(&seen[0].1).expect("json body");
    assert_eq!(first["event"], "v3.post.didCreate");
    assert_eq!(first["data"]["posts"][0]["postId"], "p1");

    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'forward_event'")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(audited, 3, "each event's attempt is audited");
    let trail: String = sqlx::query_scalar("SELECT group_concat(details) FROM audit_log")
        .fetch_one(&db)
        .await
        .expect("trail");
    assert!(!trail.contains(secret), "the secret is not in the audit trail");
}

#[tokio::test]
async fn forward_targets_must_be_http_urls_and_redirects_are_not_followed() {
    let app =
        crate::helpers::spawn_app_with(|s| s.outbound.allow_private_hosts = vec!["127.0.0.1".into()]).await;
    app.sign_in_with_role(Role::Admin).await;
    let bad = app
        .call_form(
            "save_forward_target",
            &[("name", "x"), ("url", "file:///etc/passwd"), ("secret", "0123456789abcdef")],
        )
        .await;
    assert_eq!(bad.status(), 422);

    let redirector = axum::Router::new().route(
        "/hook",
        axum::routing::post(|| async {
            axum::response::Redirect::temporary("http://169.254.169.254/latest")
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, redirector).await });
    let db = database(&app).await;
    let event = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    app.call_form("save_forward_target", &[("name", "r"), ("url", &url), ("secret", "0123456789abcdef")])
        .await;
    let targets: Value = app.call_form("list_forward_targets", &[]).await.json().await.expect("targets");
    let target = targets[0]["id"].as_i64().expect("id").to_string();
    let results: Value = app
        .call_form("forward_events", &[("target_id", &target), ("event_ids", &event.to_string())])
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results[0]["status"], 307);
    assert!(results[0]["error"].as_str().unwrap_or_default().contains("redirect"));
}

#[tokio::test]
async fn an_event_from_the_stand_ins_simulator_reaches_the_live_stream_through_the_intake() {
    let app = crate::helpers::spawn_app_with(|s| s.standin.simulate_per_second = 20.0).await;
    app.sign_in_with_role(Role::Viewer).await;
    let mut stream = open_stream(&app, "?after=0", None).await;
    let text = read_until(&mut stream, |t| !event_ids(t).is_empty()).await;
    let message = text.split("\n\n").find(|m| m.contains("event: event")).expect("an event message");
    let data = message.lines().find_map(|l| l.strip_prefix("data: ")).expect("data line");
    let row: Value = serde_json::from_str(data).expect("an event row");
    assert_eq!(row["source"], "webhook", "delivered as a signed webhook and stored by the intake");
    assert!(row["name"].as_str().is_some_and(|n| n.contains('.')), "an official event name: {row}");
}
