//! A `kill -9` of the real server binary in the middle of a webhook burst loses no delivery
//! it acknowledged: every body answered 200 is in the inbox after the crash, and a restarted
//! console turns them into `events`.

use backend::events::signature::{body_sha256, sign_base64};
use serde_json::json;
use sqlx::SqlitePool;
use std::{
    collections::BTreeSet,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

const SECRET: &str = "crash-test-webhook-secret-0123456789";
const SENDERS: usize = 32;

fn start_server(dir: &Path, port: u16) -> Child {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&root)
        .env("CONSOLE_ENV", "test")
        .env("CONSOLE_CONFIG_DIR", root.join("config"))
        .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
        .env("CONSOLE_SERVER_LEPTOS_CONFIG", root.join("Leptos.toml"))
        .env("CONSOLE_DATABASE_PATH", dir.join("console.sqlite"))
        .env("CONSOLE_STANDIN_DATABASE", dir.join("standin.sqlite"))
        .env("CONSOLE_BOOTSTRAP_PASSWORD", "crash-test-password-0123")
        .env("CONSOLE_WEBHOOK_SECRETS", format!("crash={SECRET}"))
        .env("CONSOLE_WEBHOOKS_EMBEDDED_DELIVERY", "false")
        .env("CONSOLE_LOG_FILTER", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.map(|r| r.status() != 200).unwrap_or(true) {
        assert!(tokio::time::Instant::now() < deadline, "the server did not become healthy in 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn body(sender: usize, n: usize) -> String {
    json!({"event": "v3.post.didCreate", "data": {"posts": [{"postId": format!("crash-{sender}-{n}"),
        "postedUserId": format!("u{sender}"), "createdAt": "2026-11-26T10:00:00.000Z"}]}})
    .to_string()
}

#[tokio::test]
async fn a_kill_9_during_a_burst_loses_no_acknowledged_delivery() {
    upstream::ensure_tls_provider();
    let dir = tempfile::tempdir().expect("temp dir");
    let port = crate::helpers::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("client");
    let mut server = start_server(dir.path(), port);
    wait_healthy(&client, &base).await;

    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let mut senders = tokio::task::JoinSet::new();
    for sender in 0..SENDERS {
        let (client, url, acknowledged) =
            (client.clone(), format!("{base}/hooks/webhook"), acknowledged.clone());
        senders.spawn(async move {
            for n in 0.. {
                let body = body(sender, n);
                let sent = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-amity-signature", sign_base64(SECRET.as_bytes(), body.as_bytes()))
                    .body(body.clone())
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 200 => {
                        acknowledged.lock().expect("set").insert(body_sha256(body.as_bytes()));
                    }
                    Ok(response) => panic!("unexpected answer {}", response.status()),
                    Err(_) => return, // the server is gone
                }
            }
        });
    }
    // Kill it once a good number of deliveries were acknowledged, mid-stream.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().expect("set").len() < 1_000 {
        assert!(tokio::time::Instant::now() < deadline, "the burst was too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL"); // std's kill() is SIGKILL on Unix
    server.wait().expect("reaped");
    while senders.join_next().await.is_some() {}
    let acknowledged = acknowledged.lock().expect("set").clone();

    let db = SqlitePool::connect(&format!("sqlite://{}", dir.path().join("console.sqlite").display()))
        .await
        .expect("the database opens after the crash");
    let stored: BTreeSet<String> = sqlx::query_scalar("SELECT body_sha256 FROM webhook_deliveries")
        .fetch_all(&db)
        .await
        .expect("rows")
        .into_iter()
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged deliveries lost", lost.len(), acknowledged.len());
    db.close().await;

    // A restarted console processes what the killed one had not.
    let mut server = start_server(dir.path(), port);
    wait_healthy(&client, &base).await;
    let db = SqlitePool::connect(&format!("sqlite://{}", dir.path().join("console.sqlite").display()))
        .await
        .expect("database");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries WHERE state <> 'processed'")
                .fetch_one(&db)
                .await
                .expect("count");
        let events: i64 =
            sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&db).await.expect("count");
        if pending == 0 {
            assert_eq!(events as usize, stored.len(), "one event per stored delivery");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{pending} deliveries still unprocessed after restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");
}
