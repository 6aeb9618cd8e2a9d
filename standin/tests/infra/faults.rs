//! Fault injection seen from an HTTP client.

use crate::{TOKEN, assert_envelope, client, control, get, standin};
use reqwest::Method;
use serde_json::json;
use standin::FaultRule;
use std::time::{Duration, Instant};

fn rule(spec: &str) -> FaultRule {
    FaultRule::parse(spec).expect("valid spec")
}

#[tokio::test]
async fn latency_applies_only_to_matching_routes() {
    let running = standin(|config| config.faults.rules = vec![rule("latency=800ms@GET:/api/v3/users")]).await;
    let base = running.base_url();

    let started = Instant::now();
    assert_eq!(get(&base, "/api/v3/users?options[limit]=1").await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(800), "slowed: {:?}", started.elapsed());

    let started = Instant::now();
    assert_eq!(get(&base, "/api/v4/elsewhere").await.0, 404);
    assert!(started.elapsed() < Duration::from_millis(500), "not slowed: {:?}", started.elapsed());
    running.stop().await;
}

#[tokio::test]
async fn rate_limit_and_server_error_faults_answer_the_official_envelopes() {
    let running = standin(|config| {
        config.faults.rules = vec![rule("429@/api/v3/users/list"), rule("500@/api/v3/users")]
    })
    .await;
    let base = running.base_url();

    let response = client()
        .get(format!("{base}/api/v3/users/list?userIds[]=x"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_envelope(&response.json().await.expect("JSON"), 400_311, "RateLimit Exceed.");

    let (status, body) = get(&base, "/api/v3/users").await;
    assert_eq!(status, 500);
    assert_envelope(&body, 500_000, "Unexpected error");
    running.stop().await;
}

#[tokio::test]
async fn a_seeded_error_rate_repeats_exactly_and_can_be_replaced_at_run_time() {
    let running = standin(|_| {}).await;
    let base = running.base_url();
    let plan = json!({ "seed": 9, "rules": [{ "probability": 0.5, "fault": { "kind": "serverError" } }] });

    let mut runs = Vec::new();
    for _ in 0..2 {
        let (status, echoed) = control(Method::PUT, &base, "/_standin/faults", Some(plan.clone())).await;
        assert_eq!((status, echoed), (200, plan.clone()));
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(get(&base, "/api/v3/users?options[limit]=1").await.0);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1], "the same seed gives the same faults");
    assert!(runs[0].contains(&200) && runs[0].contains(&500), "about half fail: {:?}", runs[0]);

    assert_eq!(control(Method::GET, &base, "/_standin/faults", None).await, (200, plan));
    assert_eq!(control(Method::DELETE, &base, "/_standin/faults", None).await.0, 204);
    assert_eq!(control(Method::GET, &base, "/_standin/faults", None).await, (200, json!({ "rules": [] })));
    assert!(all_ok(&base).await, "with the plan cleared every request succeeds");
    running.stop().await;
}

async fn all_ok(base: &str) -> bool {
    for _ in 0..10 {
        if get(base, "/api/v3/users?options[limit]=1").await.0 != 200 {
            return false;
        }
    }
    true
}

#[tokio::test]
async fn a_reset_is_a_transport_error_not_a_status() {
    let running = standin(|config| config.faults.rules = vec![rule("reset@/api/v3/users")]).await;
    let base = running.base_url();

    let error = client()
        .get(format!("{base}/api/v3/users"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(error.status().is_none() && !error.is_timeout() && !error.is_decode(), "{error:?}");

    // The stand-in itself is fine: other routes and new connections still work.
    assert_eq!(get(&base, "/api/v4/elsewhere").await.0, 404);
    running.stop().await;
}

#[tokio::test]
async fn a_hang_never_answers_and_does_not_block_stopping() {
    let running = standin(|config| config.faults.rules = vec![rule("hang@/api/v3/users")]).await;
    let base = running.base_url();

    let error = client()
        .get(format!("{base}/api/v3/users"))
        .bearer_auth(TOKEN)
        .timeout(Duration::from_millis(500))
        .send()
        .await
        .expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");

    // Control routes are never faulted, so a hang can always be inspected and cleared.
    assert_eq!(control(Method::GET, &base, "/_standin/faults", None).await.0, 200);

    let patient = tokio::spawn({
        let url = format!("{base}/api/v3/users");
        async move { client().get(url).bearer_auth(TOKEN).send().await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), running.stop())
        .await
        .expect("stop is not blocked by a hang");
    assert!(started.elapsed() < Duration::from_secs(3));
    let outcome = patient.await.expect("client task");
    assert!(outcome.is_err(), "the hung request is dropped when the stand-in stops: {outcome:?}");
}

#[tokio::test]
async fn invalid_plans_are_refused_with_the_reason() {
    let running = standin(|_| {}).await;
    let base = running.base_url();
    let bad = json!({ "rules": [{ "probability": 3, "fault": { "kind": "hang" } }] });
    let (status, body) = control(Method::PUT, &base, "/_standin/faults", Some(bad)).await;
    assert_eq!(status, 400);
    assert_eq!(body["data"]["detail"], json!(["rules[0]: probability 3 is outside [0, 1]"]));
    let (status, _) = control(
        Method::PUT,
        &base,
        "/_standin/faults",
        Some(json!({ "rules": [{ "fault": { "kind": "boom" } }] })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(control(Method::GET, &base, "/_standin/faults", None).await, (200, json!({ "rules": [] })));
    running.stop().await;
}
