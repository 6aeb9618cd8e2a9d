//! The stand-in's infrastructure over real sockets: signed webhook delivery, fault injection,
//! the request budget, and the `/_standin/*` control routes that change them at run time.

mod budget;
mod faults;
mod webhooks;

use serde_json::Value;
use standin::{RunningStandIn, SeedOptions, StandInConfig};

pub const TOKEN: &str = "infra-test-token";

/// A small stand-in; `configure` sets the infrastructure under test.
pub async fn standin(configure: impl FnOnce(&mut StandInConfig)) -> RunningStandIn {
    let mut config = StandInConfig {
        admin_token: TOKEN.into(),
        seed: SeedOptions { users: 20, seed: 3, ..SeedOptions::default() },
        ..StandInConfig::default()
    };
    configure(&mut config);
    RunningStandIn::start(config).await.expect("stand-in starts")
}

pub fn client() -> reqwest::Client {
    upstream::ensure_tls_provider();
    reqwest::Client::new()
}

/// `GET` with the admin token: status and JSON body (`Null` when the body is not JSON).
pub async fn get(base: &str, path: &str) -> (u16, Value) {
    let response = client().get(format!("{base}{path}")).bearer_auth(TOKEN).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A control-route call with the admin token and an optional JSON body.
pub async fn control(method: reqwest::Method, base: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = client().request(method, format!("{base}{path}")).bearer_auth(TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("control request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Asserts the official envelope for `code` with `message`.
pub fn assert_envelope(body: &Value, code: u32, message: &str) {
    let decoded: upstream::wire::ErrorBody =
        serde_json::from_value(body.clone()).expect("the body is the official error envelope");
    assert_eq!((decoded.status.as_str(), decoded.code, decoded.message.as_str()), ("error", code, message));
}
