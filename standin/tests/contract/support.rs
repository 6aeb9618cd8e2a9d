//! Shared by the platform contract tests: a seeded stand-in, raw calls with any method, body
//! and headers, a client, and the schema checks.

use crate::openapi::{Spec, undeclared_fields, violations};
use secrecy::SecretString;
use serde_json::Value;
use standin::{RunningStandIn, SeedOptions, StandInConfig, Storage};
use upstream::{Client, ClientConfig};

pub const TOKEN: &str = "platform-contract-token";

/// Documented user fields the 4.92.0 `UserV3` schema does not list (see `users.rs`).
pub const USER_EXTRAS: &[&str] = &["isDeleted"];

pub async fn standin() -> RunningStandIn {
    RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: TOKEN.into(),
        storage: Storage::Memory,
        seed: SeedOptions { users: 120, seed: 11, ..SeedOptions::default() },
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

pub fn client(standin: &RunningStandIn) -> Client {
    Client::new(ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from(TOKEN)))
        .expect("client")
}

/// One raw call. `auth` is a bearer token; `headers` are extra headers (network keys).
pub async fn call(
    standin: &RunningStandIn,
    method: &str,
    path_and_query: &str,
    auth: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    upstream::ensure_tls_provider();
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path_and_query}", standin.base_url()));
    if let Some(token) = auth {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// A call with the admin token.
pub async fn admin(standin: &RunningStandIn, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    call(standin, method, path, Some(TOKEN), &[], body).await
}

/// Valid against the schema and no undeclared fields.
pub fn assert_conforms(schema: &Value, body: &Value, what: &str) {
    let errors = violations(schema, body);
    assert!(errors.is_empty(), "{what} violates the spec:\n{}\n{body}", errors.join("\n"));
    let extra = undeclared_fields(schema, body, USER_EXTRAS, "");
    assert!(extra.is_empty(), "{what} has fields the spec does not declare: {extra:?}");
}

/// The response of `method path` with this status conforms to the spec.
pub fn assert_response(spec: &mut Spec, method: &str, path: &str, status: &str, body: &Value) {
    let schema = spec.response_schema(method, path, status);
    assert_conforms(&schema, body, &format!("{method} {path} {status}"));
}

/// An error envelope with this status and code, valid against `global/error.yaml#/Error`.
pub fn assert_error(spec: &mut Spec, got: &(u16, Value), status: u16, code: u32, what: &str) {
    let (got_status, body) = got;
    assert_eq!(*got_status, status, "{what}: {body}");
    assert_eq!(body["code"], code, "{what}: {body}");
    assert_eq!(body["status"], "error", "{what}: {body}");
    let schema = spec.schema("global/error.yaml", "/Error");
    assert!(violations(&schema, body).is_empty(), "{what}: {body}");
}

/// Registers a session for `user_id` with the API key; returns the access token.
pub async fn session(standin: &RunningStandIn, user_id: &str) -> String {
    let api_key = standin.keys().api_key.clone();
    let (status, body) = call(
        standin,
        "POST",
        "/api/v4/sessions",
        None,
        &[("x-api-key", &api_key)],
        Some(serde_json::json!({ "userId": user_id, "deviceId": "device-1" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["accessToken"].as_str().expect("an access token").to_owned()
}

/// The `index`th live, unbanned user of the seed (public id).
pub async fn some_user(standin: &RunningStandIn, index: usize) -> String {
    let (_, page) = admin(standin, "GET", "/api/v3/users?options[limit]=50&sortBy=firstCreated", None).await;
    let users = page["users"].as_array().expect("users");
    let unbanned: Vec<&Value> = users.iter().filter(|u| u["isGlobalBan"] == false).collect();
    unbanned[index]["userId"].as_str().expect("a user").to_owned()
}
