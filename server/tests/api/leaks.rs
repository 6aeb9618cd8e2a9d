//! The admin token never leaves the server: not in any page, server-function answer, error,
//! export or header, and not in the logs — before and after it is regenerated, and when
//! Social+ refuses it.

use crate::{
    admin_token::spawn_with_token_file,
    helpers::{TestApp, captured_logs, spawn_standin},
};
use serde_json::{Value, json};
use types::users::UserListQuery;

const TOKEN: &str = "leak-test-admin-token-7f3a9c";

/// Every answer the browser could see, headers and body as text.
#[derive(Default)]
struct Seen(Vec<(String, String)>);

impl Seen {
    async fn record(&mut self, what: &str, response: reqwest::Response) -> u16 {
        let status = response.status().as_u16();
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.expect("body");
        self.0.push((format!("{what} (headers)"), headers));
        self.0.push((format!("{what} (body)"), body));
        status
    }

    fn assert_free_of(&self, secret: &str) {
        for (what, text) in &self.0 {
            assert!(!text.contains(secret), "the admin token appears in {what}");
        }
    }
}

async fn browse_everything(app: &TestApp, seen: &mut Seen) {
    for path in ["/users", "/settings", "/audit", "/audit/export.csv", "/audit/export.json", "/no-such-page"]
    {
        seen.record(path, app.get(path).await).await;
    }
    seen.record("list_users", app.list_users(&UserListQuery::default()).await).await;
    seen.record("get_user", app.call("get_user", json!({ "user_id": "nobody" })).await).await;
    seen.record("list_audit", app.call("list_audit", json!({ "query": {} })).await).await;
    seen.record("get_admin_token_info", app.call_form("get_admin_token_info", &[]).await).await;
    seen.record("get_current_user", app.call_form("get_current_user", &[]).await).await;
}

#[tokio::test]
async fn no_token_ever_reaches_a_response_or_the_logs() {
    let standin = spawn_standin(TOKEN).await;
    let (app, file) = spawn_with_token_file(&standin.base_url(), TOKEN).await;
    let mut seen = Seen::default();
    seen.record("sign-in", app.sign_in_as("admin", crate::helpers::PASSWORD).await).await;
    browse_everything(&app, &mut seen).await;

    let form = [("confirmation", "regenerate"), ("reason", "leak test")];
    let status = seen.record("regenerate", app.call_form("regenerate_admin_token", &form).await).await;
    assert_eq!(status, 200);
    let second = std::fs::read_to_string(&file).expect("token file").trim().to_owned();
    browse_everything(&app, &mut seen).await;

    // Someone regenerates behind the console's back: every call now fails with a 401 upstream.
    let issued: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/admin-token", standin.base_url()))
        .bearer_auth(&second)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let third = issued["adminToken"].as_str().expect("token").to_owned();
    let refused = app.list_users(&UserListQuery::default()).await;
    let status = seen.record("refused list_users", refused).await;
    assert_eq!(status, 502, "{:?}", seen.0.last());
    browse_everything(&app, &mut seen).await;

    for secret in [TOKEN, second.as_str(), third.as_str()] {
        seen.assert_free_of(secret);
    }
    let logs = captured_logs();
    assert!(logs.contains("upstream call failed"), "the logs were captured");
    for secret in [TOKEN, second.as_str(), third.as_str()] {
        assert!(!logs.contains(secret), "an admin token appears in the logs");
    }
}
