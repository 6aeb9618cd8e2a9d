//! Helpers shared by the content contract tests: a seeded stand-in, raw JSON calls, the
//! real client, and the schema check.

use crate::openapi::{undeclared_fields, violations};
use secrecy::SecretString;
use serde_json::Value;
use standin::{RunningStandIn, SeedOptions, StandInConfig, Storage};
use upstream::{Client, ClientConfig};

pub const TOKEN: &str = "content-contract-token";

/// Documented fields the 4.92.0 schemas lack: `isDeleted` on side-loaded users.
pub const EXTRAS: &[&str] = &["isDeleted"];

pub fn seed() -> SeedOptions {
    SeedOptions { users: 300, seed: 11, posts: 1_500 }
}

pub async fn standin() -> RunningStandIn {
    standin_on(Storage::Memory).await
}

pub async fn standin_on(storage: Storage) -> RunningStandIn {
    RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: TOKEN.into(),
        storage,
        seed: seed(),
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

pub fn client(standin: &RunningStandIn) -> Client {
    Client::new(ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from(TOKEN)))
        .expect("client")
}

/// `method path` with an optional JSON body; answers the status and the JSON body.
pub async fn call(standin: &RunningStandIn, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    upstream::ensure_tls_provider();
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path}", standin.base_url())).bearer_auth(TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.expect("JSON body");
    (status, body)
}

pub async fn get(standin: &RunningStandIn, path: &str) -> Value {
    let (status, body) = call(standin, "GET", path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

pub fn assert_conforms(schema: &Value, body: &Value, what: &str) {
    assert_conforms_with(schema, body, what, EXTRAS);
}

/// [`assert_conforms`] with other documented extras.
pub fn assert_conforms_with(schema: &Value, body: &Value, what: &str, extras: &[&str]) {
    let errors = violations(schema, body);
    assert!(errors.is_empty(), "{what} violates the spec:\n{}", errors.join("\n"));
    let extra = undeclared_fields(schema, body, extras, "");
    assert!(extra.is_empty(), "{what} has fields the spec does not declare: {extra:?}");
}

/// The error envelope, with the expected status and code.
pub fn assert_error(status: u16, body: &Value, want_status: u16, want_code: u64, error_schema: &Value) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    let errors = violations(error_schema, body);
    assert!(errors.is_empty(), "{errors:?}");
}

/// Ids of the array `key` of an envelope.
pub fn ids(body: &Value, key: &str, id: &str) -> Vec<String> {
    body[key].as_array().expect(key).iter().filter_map(|o| o[id].as_str().map(str::to_owned)).collect()
}

/// A community with published posts, and one of them.
pub async fn community_with_posts(standin: &RunningStandIn) -> (String, Vec<String>) {
    let communities = get(standin, "/api/v3/communities?options[limit]=100&isDeleted=false").await;
    for community in ids(&communities, "communities", "communityId") {
        let posts =
            get(standin, &format!("/api/v4/posts?targetId={community}&isDeleted=false&options[limit]=20"))
                .await;
        let post_ids = ids(&posts, "posts", "postId");
        if post_ids.len() >= 3 {
            return (community, post_ids);
        }
    }
    panic!("the seed has no community with three posts");
}

/// Every event a stand-in emits from the moment this log is made.
pub struct EventLog(tokio::sync::broadcast::Receiver<standin::Event>);

impl EventLog {
    pub fn of(standin: &RunningStandIn) -> Self {
        Self(standin.events().subscribe())
    }

    /// The events emitted so far (handlers emit before they answer, so after an awaited call
    /// its events are here).
    pub fn drain(&mut self) -> Vec<standin::Event> {
        let mut events = Vec::new();
        while let Ok(event) = self.0.try_recv() {
            events.push(event);
        }
        events
    }
}
