//! Mutations emit their official webhook events (`user.didCreate`, `user.didUpdate`,
//! `user.didFlag`, `user.didUnflag`, `user.didClearFlag`) with the side-loaded user, and reads
//! emit nothing.

use crate::support::TOKEN;
use serde_json::{Value, json};
use standin::{AdminToken, Event, Events, SeedOptions, Storage};
use tokio::sync::broadcast::Receiver;

async fn serve() -> (String, Events, String) {
    let db = standin::open_database(&Storage::Memory).await.expect("database");
    standin::seed::ensure(&db, &SeedOptions { users: 40, seed: 3, ..SeedOptions::default() })
        .await
        .expect("seed");
    let (api_key,): (String,) =
        sqlx::query_as("SELECT api_key FROM network_keys").fetch_one(&db).await.expect("key");
    let events = Events::default();
    let app = standin::router(db, AdminToken::new(TOKEN), events.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, events, api_key)
}

async fn send(base: &str, method: &str, path: &str, auth: &[(&str, &str)], body: Option<Value>) -> Value {
    upstream::ensure_tls_provider();
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
    for (name, value) in auth {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    assert!(response.status().is_success(), "{path}: {}", response.status());
    response.json().await.expect("JSON")
}

fn next(events: &mut Receiver<Event>) -> Event {
    events.try_recv().expect("an event was emitted")
}

#[tokio::test]
async fn each_user_mutation_emits_its_official_event() {
    let (base, events, api_key) = serve().await;
    let mut received = events.subscribe();
    let bearer = format!("Bearer {TOKEN}");
    let admin = [("authorization", bearer.as_str())];

    let session = send(
        &base,
        "POST",
        "/api/v4/sessions",
        &[("x-api-key", &api_key)],
        Some(json!({ "userId": "fresh-user", "deviceId": "d" })),
    )
    .await;
    let created = next(&mut received);
    assert_eq!(created.name, "user.didCreate");
    assert_eq!(created.data["users"][0]["userId"], "fresh-user");
    let user_bearer = format!("Bearer {}", session["accessToken"].as_str().expect("token"));

    send(
        &base,
        "PUT",
        "/api/v3/users",
        &admin,
        Some(json!({ "userId": "fresh-user", "displayName": "Fresh" })),
    )
    .await;
    let updated = next(&mut received);
    assert_eq!(
        (updated.name.as_str(), &updated.data["users"][0]["displayName"]),
        ("user.didUpdate", &json!("Fresh"))
    );

    let page = send(&base, "GET", "/api/v3/users?options[limit]=1", &admin, None).await;
    assert!(received.try_recv().is_err(), "reads emit nothing");
    let target = page["users"][0]["userId"].as_str().expect("user").to_owned();
    let user_auth = [("authorization", user_bearer.as_str())];
    send(&base, "POST", &format!("/api/v4/me/flags/{target}"), &user_auth, None).await;
    assert_eq!(next(&mut received).name, "user.didFlag");
    send(&base, "DELETE", &format!("/api/v4/me/flags/{target}"), &user_auth, None).await;
    assert_eq!(next(&mut received).name, "user.didUnflag");
    send(&base, "DELETE", &format!("/api/v2/users/{target}/flags"), &admin, None).await;
    assert_eq!(next(&mut received).name, "user.didClearFlag");

    send(&base, "POST", "/api/v2/users/ban", &admin, Some(json!({ "userId": target }))).await;
    let banned = next(&mut received);
    assert_eq!(
        (banned.name.as_str(), &banned.data["users"][0]["isGlobalBan"]),
        ("user.didUpdate", &json!(true))
    );
    send(&base, "DELETE", &format!("/api/v4/users/{target}"), &admin, None).await;
    let deleted = next(&mut received);
    assert_eq!(
        (deleted.name.as_str(), &deleted.data["users"][0]["isDeleted"]),
        ("user.didUpdate", &json!(true))
    );
    assert!(received.try_recv().is_err(), "one event per mutation");
}
