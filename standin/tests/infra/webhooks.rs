//! Signed webhook delivery to local receivers.

use crate::{TOKEN, control, standin};
use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::{net::TcpListener, sync::mpsc};

/// One request a receiver got.
struct Received {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// A receiver on a free port that answers `status` after `delay`; returns its URL and what it got.
async fn receiver(delay: Duration, status: u16) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (sender, received) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let sender = sender.clone();
            async move {
                let _ = sender.send(Received { at: Instant::now(), headers, body });
                tokio::time::sleep(delay).await;
                (axum::http::StatusCode::from_u16(status).expect("status"), "{}")
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), received)
}

async fn next(received: &mut mpsc::UnboundedReceiver<Received>, within: Duration) -> Option<Received> {
    tokio::time::timeout(within, received.recv()).await.ok().flatten()
}

#[tokio::test]
async fn every_event_reaches_every_target_signed_over_the_raw_body() {
    let (configured_url, mut configured) = receiver(Duration::ZERO, 200).await;
    let (added_url, mut added) = receiver(Duration::ZERO, 200).await;
    let running = standin(|config| {
        config.webhooks =
            vec![standin::WebhookTarget::parse(&format!("{configured_url}=whsec-test")).expect("target")];
    })
    .await;
    let base = running.base_url();
    let (status, _) = control(
        Method::POST,
        &base,
        "/_standin/webhooks",
        Some(json!({ "url": added_url, "secret": "other-secret" })),
    )
    .await;
    assert_eq!(status, 201);

    running.events().emit("v3.post.didFlag", json!({ "posts": [{ "postId": "p1" }] }));

    let first = next(&mut configured, Duration::from_secs(3)).await.expect("the configured target got it");
    assert_eq!(&first.body[..], br#"{"event":"v3.post.didFlag","data":{"posts":[{"postId":"p1"}]}}"#);
    // Computed independently: base64(hmac_sha256(b"whsec-test", body)).
    assert_eq!(first.headers["x-amity-signature"], "Kb7cdbp55Tp6bb2EVIx1vrsGc7He9s8j4FsM2dlAcmQ=");
    assert_eq!(first.headers["content-type"], "application/json");

    let second = next(&mut added, Duration::from_secs(3)).await.expect("the added target got it");
    assert_eq!(second.body, first.body);
    assert_eq!(
        second.headers["x-amity-signature"].to_str().expect("ascii"),
        standin::webhooks::sign(b"other-secret", &second.body)
    );
    running.stop().await;
}

#[tokio::test]
async fn a_receiver_slower_than_one_and_a_half_seconds_is_cut_off_and_retried() {
    let (url, mut received) = receiver(Duration::from_secs(10), 200).await;
    let running = standin(|config| {
        config.webhooks = vec![standin::WebhookTarget { url, secret: "s".into() }];
    })
    .await;
    running.events().emit("user.didUpdate", json!({ "users": [] }));

    let first = next(&mut received, Duration::from_secs(3)).await.expect("first attempt");
    let retry = next(&mut received, Duration::from_secs(4)).await.expect("a retry after the timeout");
    let gap = retry.at - first.at;
    assert!(
        gap >= Duration::from_millis(1_300) && gap < Duration::from_millis(3_000),
        "the first attempt should be abandoned at 1.5 s and retried 200 ms later, not held for 10 s \
             (the lower bound allows for the first request arriving late); gap {gap:?}"
    );
    running.stop().await;
}

#[tokio::test]
async fn a_failing_receiver_gets_a_bounded_number_of_attempts() {
    let (url, mut received) = receiver(Duration::ZERO, 503).await;
    let running = standin(|config| {
        config.webhooks = vec![standin::WebhookTarget { url, secret: "s".into() }];
    })
    .await;
    running.events().emit("user.didFlag", json!({ "users": [] }));
    let mut attempts = 0;
    while next(&mut received, Duration::from_secs(2)).await.is_some() {
        attempts += 1;
    }
    assert_eq!(attempts, standin::webhooks::ATTEMPTS);
    running.stop().await;
}

#[tokio::test]
async fn targets_are_listed_without_secrets_and_removed_at_run_time() {
    let (url, mut received) = receiver(Duration::ZERO, 200).await;
    let running = standin(|config| {
        config.webhooks = vec![standin::WebhookTarget { url: url.clone(), secret: "hidden-secret".into() }];
    })
    .await;
    let base = running.base_url();

    let (status, listed) = control(Method::GET, &base, "/_standin/webhooks", None).await;
    assert_eq!((status, listed.clone()), (200, json!({ "webhooks": [{ "url": url }] })));
    assert!(!listed.to_string().contains("hidden-secret"));

    let removal = format!(
        "/_standin/webhooks?url={}",
        form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>()
    );
    assert_eq!(control(Method::DELETE, &base, &removal, None).await.0, 204);
    assert_eq!(control(Method::DELETE, &base, &removal, None).await.0, 404);

    running.events().emit("user.didUpdate", json!({ "users": [] }));
    assert!(next(&mut received, Duration::from_millis(700)).await.is_none(), "a removed target gets nothing");
    running.stop().await;
}

#[tokio::test]
async fn bad_targets_are_refused_and_control_routes_need_the_admin_token() {
    let running = standin(|_| {}).await;
    let base = running.base_url();
    let (status, body) =
        control(Method::POST, &base, "/_standin/webhooks", Some(json!({ "url": "ftp://x/", "secret": "s" })))
            .await;
    assert_eq!(status, 400);
    crate::assert_envelope(&body, 400_000, "Bad Request.");

    let anonymous = crate::client().get(format!("{base}/_standin/webhooks")).send().await.expect("request");
    assert_eq!(anonymous.status().as_u16(), 401);
    let wrong = crate::client()
        .get(format!("{base}/_standin/webhooks"))
        .bearer_auth(format!("{TOKEN}x"))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong.status().as_u16(), 401);
    running.stop().await;
}
