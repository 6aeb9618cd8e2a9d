//! The signed webhook intake `POST /hooks/webhook`: signature vectors, refusals that store
//! nothing, duplicates stored once, processing into `events` (idempotent), the embedded
//! stand-in delivering end to end, and no acknowledged delivery lost to a `kill -9`.

use crate::helpers::{TestApp, spawn_app_with};
use backend::events::signature::{body_sha256, sign_base64, sign_hex};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::hooks::SecretSetting;
use sqlx::SqlitePool;
use std::time::Duration;

const OLD: &str = "old-webhook-secret-0123456789";
const NEW: &str = "new-webhook-secret-9876543210";

/// A console with two webhook secrets (a rotation under way) and no embedded delivery, so
/// only the test's own deliveries arrive.
async fn intake_app(customize: impl FnOnce(&mut server::config::Settings)) -> TestApp {
    spawn_app_with(|s| {
        s.webhooks.embedded_delivery = false;
        s.webhooks.max_body_bytes = 4096;
        s.webhooks.secrets = vec![
            SecretSetting { label: "old".into(), secret: SecretString::from(OLD) },
            SecretSetting { label: "new".into(), secret: SecretString::from(NEW) },
        ];
        customize(s);
    })
    .await
}

async fn database(app: &TestApp) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("the console database")
}

fn post_created(post_id: &str) -> String {
    json!({"event": "v3.post.didCreate", "data": {"posts": [{"postId": post_id, "postedUserId": "u1",
        "targetId": "c1", "targetType": "community", "createdAt": "2026-11-26T10:00:00.000Z",
        "updatedAt": "2026-11-26T10:00:00.000Z"}], "users": [{"userId": "u1"}]}})
    .to_string()
}

async fn deliver(app: &TestApp, body: &str, signature: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/hooks/webhook", app.address))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("x-amity-signature", signature);
    }
    request.send().await.expect("request")
}

async fn stored(db: &SqlitePool, body: &str) -> Option<(String, String, i64)> {
    sqlx::query_as(
        "SELECT secret_label, signature_kind, duplicates FROM webhook_deliveries WHERE body_sha256 = ?",
    )
    .bind(body_sha256(body.as_bytes()))
    .fetch_optional(db)
    .await
    .expect("query")
}

async fn deliveries(db: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries").fetch_one(db).await.expect("count")
}

#[tokio::test]
async fn a_delivery_signed_with_either_secret_in_base64_or_hex_is_stored_with_its_label() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    let cases = [
        (post_created("p-b64-old"), OLD, "old", "base64"),
        (post_created("p-hex-old"), OLD, "old", "hex"),
        (post_created("p-b64-new"), NEW, "new", "base64"),
        (post_created("p-hex-new"), NEW, "new", "hex"),
    ];
    for (body, secret, label, kind) in &cases {
        let signature = match *kind {
            "hex" => sign_hex(secret.as_bytes(), body.as_bytes()),
            _ => sign_base64(secret.as_bytes(), body.as_bytes()),
        };
        let response = deliver(&app, body, Some(&signature)).await;
        assert_eq!(response.status(), 200, "{label} {kind}");
        assert_eq!(response.json::<Value>().await.expect("json"), json!({}));
        assert_eq!(stored(&db, body).await, Some(((*label).into(), (*kind).into(), 0)), "{label} {kind}");
    }
}

#[tokio::test]
async fn a_tampered_body_a_wrong_secret_or_no_signature_is_refused_and_nothing_is_stored() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    let body = post_created("p-tampered");
    let good = sign_base64(OLD.as_bytes(), body.as_bytes());
    let tampered = body.replace("p-tampered", "p-tampere0");
    assert_eq!(deliver(&app, &tampered, Some(&good)).await.status(), 401);
    let wrong = sign_base64(b"a-secret-nobody-configured", body.as_bytes());
    assert_eq!(deliver(&app, &body, Some(&wrong)).await.status(), 401);
    assert_eq!(deliver(&app, &body, None).await.status(), 401);
    assert_eq!(deliver(&app, &body, Some("garbage")).await.status(), 401);
    assert_eq!(deliveries(&db).await, 0);
    let logs = crate::helpers::captured_logs();
    assert!(!logs.contains(OLD) && !logs.contains(NEW), "a secret reached the log");
}

#[tokio::test]
async fn an_oversized_or_non_event_body_is_refused_and_nothing_is_stored() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    let huge = json!({"event": "v3.post.didCreate", "data": {"pad": "x".repeat(8_000)}}).to_string();
    let signature = sign_base64(OLD.as_bytes(), huge.as_bytes());
    assert_eq!(deliver(&app, &huge, Some(&signature)).await.status(), 413);
    for bad in ["{not json", "[]", r#"{"event": "v3.post.didCreate"}"#, r#"{"data": {}}"#] {
        let signature = sign_base64(OLD.as_bytes(), bad.as_bytes());
        assert_eq!(deliver(&app, bad, Some(&signature)).await.status(), 400, "{bad}");
    }
    assert_eq!(deliveries(&db).await, 0);
}

#[tokio::test]
async fn a_redelivered_body_is_stored_once_and_counted_and_becomes_one_event() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    let body = post_created("p-twice");
    let signature = sign_base64(NEW.as_bytes(), body.as_bytes());
    for _ in 0..3 {
        assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    }
    assert_eq!(stored(&db, &body).await, Some(("new".into(), "base64".into(), 2)));
    assert_eq!(deliveries(&db).await, 1);
    let event = wait_for_event(&db, "post.didCreate:p-twice").await;
    assert_eq!(event, ("v3.post.didCreate".into(), "webhook".into(), Some("u1".into()), Some("c1".into())));
    let state: String =
        sqlx::query_scalar("SELECT state FROM webhook_deliveries").fetch_one(&db).await.expect("state");
    assert_eq!(state, "processed");
}

#[tokio::test]
async fn processing_a_delivery_again_adds_no_second_event() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    let body = post_created("p-again");
    assert_eq!(deliver(&app, &body, Some(&sign_base64(OLD.as_bytes(), body.as_bytes()))).await.status(), 200);
    wait_for_event(&db, "post.didCreate:p-again").await;
    // As if a worker died after inserting the event but before marking the delivery.
    sqlx::query("UPDATE webhook_deliveries SET state = 'pending', lease_until = NULL, next_attempt_at = 0")
        .execute(&db)
        .await
        .expect("reset");
    let pass = backend::events::process::process_due(&db, backend::events::now_ms(), 10).await.expect("pass");
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&db).await.expect("count");
    assert!(pass.claimed <= 1 && pass.inserted == 0, "{pass:?}");
    assert_eq!(events, 1);
}

#[tokio::test]
async fn an_unusable_stored_delivery_is_retried_then_marked_failed_with_its_error() {
    let app = intake_app(|_| {}).await;
    let db = database(&app).await;
    // Stored before this console's checks existed, or by a newer version: not an event.
    sqlx::query(
        "INSERT INTO webhook_deliveries (received_at, body, body_sha256, secret_label, signature_kind, \
         event_name, next_attempt_at) VALUES (0, x'5b5d', 'abc', 'old', 'base64', 'x', 0)",
    )
    .execute(&db)
    .await
    .expect("insert");
    let mut now = backend::events::now_ms();
    for _ in 0..backend::events::process::MAX_ATTEMPTS {
        now += 600_000;
        backend::events::process::process_due(&db, now, 10).await.expect("pass");
    }
    let (state, attempts, error): (String, i64, Option<String>) = sqlx::query_as(
        "SELECT state, attempts, last_error FROM webhook_deliveries WHERE body_sha256 = 'abc'",
    )
    .fetch_one(&db)
    .await
    .expect("row");
    assert_eq!((state.as_str(), attempts), ("failed", backend::events::process::MAX_ATTEMPTS));
    assert!(error.is_some_and(|e| e.contains("event")));
}

#[tokio::test]
async fn the_embedded_stand_in_delivers_its_simulated_activity_to_the_console() {
    let app = spawn_app_with(|s| s.standin.simulate_per_second = 20.0).await;
    let db = database(&app).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let from_standin: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events e JOIN webhook_deliveries d ON d.id = e.delivery_id \
             WHERE e.source = 'webhook' AND d.secret_label = 'embedded' AND e.actor_user_id IS NOT NULL",
        )
        .fetch_one(&db)
        .await
        .expect("count");
        if from_standin >= 3 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no simulated event reached `events` in 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn wait_for_event(db: &SqlitePool, key: &str) -> (String, String, Option<String>, Option<String>) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let row = sqlx::query_as(
            "SELECT name, source, actor_user_id, community_id FROM events WHERE dedupe_key = ?",
        )
        .bind(key)
        .fetch_optional(db)
        .await
        .expect("query");
        if let Some(row) = row {
            return row;
        }
        assert!(tokio::time::Instant::now() < deadline, "event {key} not processed in 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_intake_path_is_configurable_and_answers_well_inside_the_networks_timeout() {
    let app = intake_app(|s| s.webhooks.path = "/custom/social-plus".into()).await;
    let db = database(&app).await;
    let body = post_created("p-custom");
    let signature = sign_base64(OLD.as_bytes(), body.as_bytes());
    let started = std::time::Instant::now();
    let response = app
        .client
        .post(format!("{}/custom/social-plus", app.address))
        .header("content-type", "application/json")
        .header("x-amity-signature", &signature)
        .body(body.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < Duration::from_millis(1_500), "answered in {:?}", started.elapsed());
    assert!(stored(&db, &body).await.is_some());
    let old_path = deliver(&app, &post_created("p-old-path"), Some(&signature)).await.status();
    assert_ne!(old_path, 200, "the default path is not an intake any more");
}

#[tokio::test]
async fn without_any_secret_the_intake_does_not_exist() {
    let app = spawn_app_with(|s| s.webhooks.embedded_delivery = false).await;
    let body = post_created("p-nobody");
    let response = deliver(&app, &body, Some(&sign_base64(b"anything", body.as_bytes()))).await;
    assert_eq!(response.status(), 404);
    assert_eq!(deliveries(&database(&app).await).await, 0);
}

#[tokio::test]
async fn finding_8_webhook_a_slowly_dripped_body_is_cut_off_with_408_and_a_fresh_request_id() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = intake_app(|s| s.webhooks.read_timeout_secs = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let socket = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let (mut reader, mut writer) = socket.into_split();
    let head = format!(
        "POST /hooks/webhook HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         x-request-id: spoofed-123\r\ncontent-length: 1000\r\n\r\n{{\"event\""
    );
    writer.write_all(head.as_bytes()).await.expect("head");
    let started = std::time::Instant::now();
    // A byte now and then, never finishing the body.
    let drip = tokio::spawn(async move {
        for _ in 0..25 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if writer.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let mut answer = vec![0_u8; 2048];
    let read = tokio::time::timeout(Duration::from_secs(4), reader.read(&mut answer))
        .await
        .expect("answered while the body was still dripping")
        .expect("read");
    drip.abort();
    let answer = String::from_utf8_lossy(&answer[..read]).to_lowercase();
    assert!(answer.starts_with("http/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4), "cut off after the read timeout");
    assert!(answer.contains("x-request-id: "), "{answer}");
    assert!(!answer.contains("spoofed-123"), "the sender's id is not taken as ours: {answer}");
    assert_eq!(deliveries(&database(&app).await).await, 0, "nothing stored");
}
