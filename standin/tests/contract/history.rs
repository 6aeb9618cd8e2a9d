//! The seeded activity history replayed as webhooks: every logged happening arrives once,
//! signed, in time order, with the time it happened in its payload, in the shape of the
//! spec's `/webhook/<event>` responses.

use crate::openapi::{Spec, violations};
use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
use serde_json::Value;
use standin::{HistoryOptions, RunningStandIn, SeedOptions, StandInConfig, Storage, WebhookTarget};
use std::{collections::BTreeMap, time::Duration};
use tokio::sync::mpsc;

const SECRET: &str = "history-secret";

/// A receiver that checks each signature and hands over the parsed bodies.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Value>) {
    let (sender, received) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let sender = sender.clone();
            async move {
                let signature =
                    headers.get("x-amity-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
                if signature != standin::webhooks::sign(SECRET.as_bytes(), &body) {
                    return axum::http::StatusCode::UNAUTHORIZED;
                }
                let _ = sender.send(serde_json::from_slice(&body).expect("JSON body"));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), received)
}

#[tokio::test]
async fn the_history_replays_as_signed_webhooks_dated_by_their_payload_and_shaped_like_the_spec() {
    let end = time::macros::datetime!(2026-12-07 17:00 UTC);
    let mut standin = RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: "history-token".into(),
        storage: Storage::Memory,
        seed: SeedOptions { users: 300, seed: 4, posts: 300 },
        history: HistoryOptions { days: 10, end: Some(end) },
        ..Default::default()
    })
    .await
    .expect("stand-in starts");
    let history = standin.history().await.expect("read").expect("a history");
    assert_eq!((history.days, history.end.as_str()), (10, "2026-12-07T17:00:00.000Z"));
    assert!(history.events > 300, "{history:?}");

    let (url, mut received) = receiver().await;
    let target = WebhookTarget { url, secret: SECRET.into() };
    let mut progress = standin.replay_history(target, 5_000).expect("replay");
    tokio::time::timeout(Duration::from_secs(60), progress.wait_for(|p| p.finished))
        .await
        .expect("in time")
        .expect("progress");
    let done = *progress.borrow();
    assert_eq!((done.delivered, done.failed, done.total), (history.events, 0, history.events));

    let mut bodies = Vec::new();
    while let Ok(body) = received.try_recv() {
        bodies.push(body);
    }
    assert_eq!(bodies.len() as u64, history.events, "each happening once");
    let mut spec = Spec::master();
    let mut seen = BTreeMap::<String, usize>::new();
    let mut times = Vec::new();
    for body in &bodies {
        let name = body["event"].as_str().expect("event").to_owned();
        let data = &body["data"];
        let object = ["posts", "comments", "communityUsers", "users"]
            .iter()
            .find_map(|key| data[key].as_array().and_then(|a| a.first()))
            .expect("an object");
        let at = object["updatedAt"].as_str().expect("updatedAt").to_owned();
        assert!(at.as_str() <= "2026-12-07T17:00:00.000Z" && at.as_str() > "2026-11-27", "{name} at {at}");
        if name.ends_with("didCreate") {
            assert_eq!(object["createdAt"], object["updatedAt"], "{name} is dated by its creation");
        }
        match name.as_str() {
            "v3.post.didFlag" => assert!(data["flaggedUserId"].is_string(), "{body}"),
            "v3.post.didAddReaction" => assert!(data["reactor"]["userId"].is_string(), "{body}"),
            _ => {}
        }
        times.push(at);
        if *seen.entry(name.clone()).or_default() == 0 && name != "user.didUpdate" {
            let schema = spec.response_schema("GET", &format!("/webhook/{name}"), "200");
            let errors = violations(&schema, body);
            assert!(errors.is_empty(), "{name}: {errors:?}\n{body}");
        }
        *seen.get_mut(&name).expect("counted") += 1;
    }
    for name in [
        "user.didCreate",
        "v3.post.didCreate",
        "v3.comment.didCreate",
        "v3.post.didAddReaction",
        "v3.post.didFlag",
        "v3.community.didJoin",
    ] {
        assert!(seen.contains_key(name), "{name} in {seen:?}");
    }
    standin.stop().await;
}
