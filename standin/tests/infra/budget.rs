//! The request budget: 429 / 400311 past N requests in a second, like the real API.

use crate::{TOKEN, assert_envelope, client, control, get, standin};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

const USERS: &str = "/api/v3/users?options[limit]=1";

#[tokio::test]
async fn the_request_past_the_budget_is_refused_and_the_next_second_recovers() {
    let running = standin(|config| config.budget_per_second = Some(5)).await;
    let base = running.base_url();

    let window_opened = Instant::now();
    for i in 0..5 {
        assert_eq!(get(&base, USERS).await.0, 200, "request {i} is within the budget");
    }
    let refused = client().get(format!("{base}{USERS}")).bearer_auth(TOKEN).send().await.expect("request");
    assert!(window_opened.elapsed() < Duration::from_secs(1), "the test needs all six in one second");
    assert_eq!(refused.status().as_u16(), 429);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_envelope(&refused.json().await.expect("JSON"), 400_311, "RateLimit Exceed.");

    tokio::time::sleep(Duration::from_millis(1_050).saturating_sub(window_opened.elapsed())).await;
    assert_eq!(get(&base, USERS).await.0, 200, "a new second, a new budget");
    running.stop().await;
}

#[tokio::test]
async fn control_routes_and_unauthenticated_requests_do_not_spend_the_budget() {
    let running = standin(|config| config.budget_per_second = Some(1)).await;
    let base = running.base_url();

    for _ in 0..3 {
        let anonymous = client().get(format!("{base}{USERS}")).send().await.expect("request");
        assert_eq!(anonymous.status().as_u16(), 401);
        assert_eq!(
            control(Method::GET, &base, "/_standin/budget", None).await,
            (200, json!({ "perSecond": 1 }))
        );
    }
    assert_eq!(get(&base, USERS).await.0, 200);
    assert_eq!(get(&base, USERS).await.0, 429);
    running.stop().await;
}

#[tokio::test]
async fn the_budget_changes_at_run_time() {
    let running = standin(|_| {}).await;
    let base = running.base_url();
    for _ in 0..20 {
        assert_eq!(get(&base, USERS).await.0, 200, "off by default");
    }
    let (status, echoed) =
        control(Method::PUT, &base, "/_standin/budget", Some(json!({ "perSecond": 2 }))).await;
    assert_eq!((status, echoed), (200, json!({ "perSecond": 2 })));
    let statuses: Vec<u16> =
        [get(&base, USERS).await.0, get(&base, USERS).await.0, get(&base, USERS).await.0].into();
    assert_eq!(statuses, [200, 200, 429]);

    assert_eq!(control(Method::DELETE, &base, "/_standin/budget", None).await.0, 204);
    assert_eq!(get(&base, USERS).await.0, 200);
    assert_eq!(
        control(Method::GET, &base, "/_standin/budget", None).await,
        (200, json!({ "perSecond": null }))
    );
    running.stop().await;
}
