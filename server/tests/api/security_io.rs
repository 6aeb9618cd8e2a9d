//! Issue 13, the findings about what the console sends and stores: outbound requests only to
//! public addresses (4), capped live streams (7), private data files and sealed secrets (9).

use crate::{
    events_page::{NewEvent, database, insert_event, open_stream, read_until, receiver},
    helpers::{TestApp, spawn_app, spawn_app_with},
    rules::{count, eventually},
};
use backend::{
    outbound::{REFUSED_AT_SAVE, UNREACHABLE},
    secret_box::{GENERATED_KEY_FILE, SecretBox, parse_key},
};
use serde_json::Value;
use std::time::Duration;
use types::Role;

const SECRET: &str = "target-secret-0123456789";

/// A console whose loopback receivers may be called (`outbound.allow_private_hosts`).
async fn app_allowing_loopback() -> TestApp {
    spawn_app_with(|s| s.outbound.allow_private_hosts = vec!["127.0.0.1".into()]).await
}

/// Stores a forward target straight into the database, its secret sealed with the app's key,
/// as one saved before the rules changed would be.
async fn store_target(app: &TestApp, name: &str, url: &str) -> i64 {
    let dir = app.database.parent().expect("the database's folder");
    let key = std::fs::read_to_string(dir.join(GENERATED_KEY_FILE)).expect("the generated key");
    let sealed =
        SecretBox::new(&parse_key(&key).expect("a key")).seal(SECRET, &format!("forward_target:{name}"));
    sqlx::query_scalar(
        "INSERT INTO forward_targets (name, url, secret, secret_sealed, created_by, created_at) \
         VALUES (?, ?, ?, 1, 'test', 0) RETURNING id",
    )
    .bind(name)
    .bind(url)
    .bind(sealed)
    .fetch_one(&database(app).await)
    .await
    .expect("target stored")
}

#[tokio::test]
async fn finding_4_ssrf_forward_targets_on_private_addresses_are_refused_with_one_message() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let (loopback, _) = receiver().await;
    let mut messages = Vec::new();
    for url in [
        loopback.as_str(),
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:10.0.0.1]/x",
        "http://100.64.0.1/",
        "http://localhost:1/",
        "http://does-not-resolve.invalid/",
    ] {
        let response =
            app.call_form("save_forward_target", &[("name", "t"), ("url", url), ("secret", SECRET)]).await;
        assert_eq!(response.status(), 422, "{url}");
        let error: Value = response.json().await.expect("an AppError");
        assert_eq!(error["field"], "url", "{url}");
        messages.push(error["message"].as_str().unwrap_or_default().to_owned());
    }
    assert!(messages.iter().all(|m| m == REFUSED_AT_SAVE), "one message, whatever the reason: {messages:?}");
    let targets: Value = app.call_form("list_forward_targets", &[]).await.json().await.expect("targets");
    assert_eq!(targets, Value::Array(vec![]), "nothing was saved");
}

#[tokio::test]
async fn finding_4_ssrf_a_stored_target_is_checked_again_when_events_are_sent() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let (url, seen) = receiver().await;
    let target = store_target(&app, "before", &url).await;
    let event = insert_event(&database(&app).await, &NewEvent::post("p1", "ann", "c1")).await;

    let results: Value = app
        .call_form("forward_events", &[("target_id", &target.to_string()), ("event_ids", &event.to_string())])
        .await
        .json()
        .await
        .expect("results");

    assert_eq!(results[0]["status"], Value::Null);
    assert_eq!(results[0]["error"], UNREACHABLE);
    assert!(seen.lock().expect("lock").is_empty(), "nothing reached the loopback receiver");
}

#[tokio::test]
async fn finding_4_ssrf_an_allowlisted_receiver_is_reached_and_others_still_are_not() {
    let app = app_allowing_loopback().await;
    app.sign_in_with_role(Role::Admin).await;
    let (url, seen) = receiver().await;
    let saved =
        app.call_form("save_forward_target", &[("name", "crm"), ("url", &url), ("secret", SECRET)]).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap_or_default());
    let metadata = app
        .call_form(
            "save_forward_target",
            &[("name", "meta"), ("url", "http://169.254.169.254/"), ("secret", SECRET)],
        )
        .await;
    assert_eq!(metadata.status(), 422, "the allowlist opens 127.0.0.1 only");

    let target = store_target(&app, "other-loopback", &url.replace("127.0.0.1", "127.0.0.2")).await;
    let event = insert_event(&database(&app).await, &NewEvent::post("p1", "ann", "c1")).await;
    let results: Value = app
        .call_form("forward_events", &[("target_id", &target.to_string()), ("event_ids", &event.to_string())])
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results[0]["error"], UNREACHABLE);
    assert!(seen.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn finding_4_ssrf_notify_rules_to_private_addresses_are_refused_when_saved_and_when_they_run() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let (url, seen) = receiver().await;
    let fields =
        [("name", "n"), ("event_name", "v3.post.didCreate"), ("action", "notify"), ("url", url.as_str())];
    let refused = app.call_form("create_rule", &fields).await;
    assert_eq!(refused.status(), 422);
    let error: Value = refused.json().await.expect("an AppError");
    assert_eq!((error["field"].as_str(), error["message"].as_str()), (Some("url"), Some(REFUSED_AT_SAVE)));

    // A rule stored before (or while the host was allowed) is checked again when it acts.
    let action = serde_json::json!({ "type": "notify", "url": url }).to_string();
    let rule: i64 = sqlx::query_scalar(
        "INSERT INTO event_rules (name, event_name, conditions, action, enabled, cursor, created_by, created_at, \
         dry_run_at) VALUES ('old', 'v3.post.didCreate', '[]', ?, 1, (SELECT COALESCE(MAX(id), 0) FROM events), \
         'test', 0, 0) RETURNING id",
    )
    .bind(action)
    .fetch_one(&db)
    .await
    .expect("rule");
    insert_event(&db, &NewEvent::post("p-notify", "ann", "c1")).await;
    let failed = format!("SELECT COUNT(*) FROM event_rule_runs WHERE rule_id = {rule} AND state = 'failed'");
    eventually(&db, &failed, 1).await;
    let detail: String =
        sqlx::query_scalar(&format!("SELECT detail FROM event_rule_runs WHERE rule_id = {rule}"))
            .fetch_one(&db)
            .await
            .expect("detail");
    assert!(detail.ends_with(UNREACHABLE), "{detail}");
    assert!(seen.lock().expect("lock").is_empty(), "nothing reached the loopback receiver");
}

#[tokio::test]
async fn finding_4_ssrf_an_allowlisted_notify_rule_posts_to_its_receiver() {
    let app = app_allowing_loopback().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let (url, seen) = receiver().await;
    let fields =
        [("name", "n"), ("event_name", "v3.post.didCreate"), ("action", "notify"), ("url", url.as_str())];
    let id = crate::rules::create_rule(&app, &fields).await.to_string();
    assert_eq!(app.call_form("dry_run_rule", &[("id", &id)]).await.status(), 200);
    assert_eq!(app.call_form("set_rule_enabled", &[("id", &id), ("change", "enable")]).await.status(), 200);
    insert_event(&db, &NewEvent::post("p-notify", "ann", "c1")).await;
    eventually(
        &db,
        &format!("SELECT COUNT(*) FROM event_rule_runs WHERE rule_id = {id} AND state = 'done'"),
        1,
    )
    .await;
    assert_eq!(seen.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn finding_7_live_streams_past_the_per_user_or_total_cap_are_answered_429() {
    let app = spawn_app_with(|s| {
        s.events.stream_max_per_user = 2;
        s.events.stream_max_total = 3;
    })
    .await;
    app.sign_in_with_role(Role::Viewer).await;
    let first = open_stream(&app, "", None).await;
    let _second = open_stream(&app, "?kind=queue", None).await;
    let third = app.get("/events/stream").await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    let error: Value = third.json().await.expect("json");
    assert_eq!(error["code"], "too_many_streams");
    assert!(error["message"].as_str().unwrap_or_default().contains("2 live streams"), "{error}");

    app.sign_in_with_role(Role::Admin).await;
    let _admins = open_stream(&app, "", None).await;
    let over_total = app.get("/events/stream").await;
    assert_eq!(over_total.status(), 429, "the console-wide cap");

    drop(first);
    let mut reopened = false;
    for _ in 0..80 {
        let response = app.get("/events/stream").await;
        if response.status() == 200 {
            reopened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(reopened, "a closed stream gives its place back");
}

#[tokio::test]
async fn finding_7_every_open_stream_gets_a_new_event_from_the_one_poller() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = database(&app).await;
    let older = insert_event(&db, &NewEvent::post("p0", "ann", "c1")).await;
    let mut streams = Vec::new();
    for _ in 0..5 {
        let mut stream = open_stream(&app, "?community=c1", Some(older - 1)).await;
        let text = read_until(&mut stream, |t| t.contains(&format!("id: {older}\n"))).await;
        assert!(crate::events_page::event_ids(&text).contains(&older), "caught up from the cursor: {text}");
        streams.push(stream);
    }
    let other = insert_event(&db, &NewEvent::post("p-elsewhere", "ann", "c2")).await;
    let new = insert_event(&db, &NewEvent::post("p1", "ann", "c1")).await;
    for stream in &mut streams {
        let text = read_until(stream, |t| t.contains(&format!("id: {new}\n"))).await;
        let ids = crate::events_page::event_ids(&text);
        assert!(ids.contains(&new) && !ids.contains(&other), "{ids:?}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn finding_9_files_the_data_folder_database_and_key_are_private_and_target_secrets_sealed() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app_with(|s| {
        s.database.path = s.database.path.with_file_name("data").join("console.sqlite");
        s.outbound.allow_private_hosts = vec!["127.0.0.1".into()];
    })
    .await;
    app.sign_in_with_role(Role::Admin).await;
    let (url, _) = receiver().await;
    let saved =
        app.call_form("save_forward_target", &[("name", "crm"), ("url", &url), ("secret", SECRET)]).await;
    assert_eq!(saved.status(), 200);

    let data = app.database.parent().expect("data folder").to_owned();
    let mode = |path: &std::path::Path| std::fs::metadata(path).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder");
    for file in ["console.sqlite", "console.sqlite-wal", "console.sqlite-shm", GENERATED_KEY_FILE] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let standin = data.with_file_name("standin.sqlite");
    assert_eq!(mode(&standin), 0o600, "the stand-in's database");

    let db = database(&app).await;
    let stored: String =
        sqlx::query_scalar("SELECT secret FROM forward_targets").fetch_one(&db).await.expect("target");
    assert!(stored.starts_with("v1:") && !stored.contains(SECRET), "sealed: {stored}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM forward_targets WHERE secret_sealed = 0").await, 0);
}
