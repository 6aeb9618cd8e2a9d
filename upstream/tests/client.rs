//! The client's send path against a scripted local server: auth header, bracket queries,
//! retries (429 with Retry-After, 5xx), no retry on 4xx, timeouts and decode errors.

use axum::{
    Router,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use futures::{StreamExt, TryStreamExt};
use secrecy::SecretString;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use upstream::{
    Client, ClientConfig, Error,
    endpoints::users::QueryUsers,
    query::{UserQuery, UserQueryFilter},
    retry::RetryPolicy,
};

const OK_BODY: &str = r#"{"users":[{"userId":"u1","displayName":"Ann","createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z"}],"files":[],"paging":{"next":"n"}}"#;

/// One scripted answer: status, extra headers, body, delay in ms.
type Answer = (u16, Vec<(&'static str, &'static str)>, &'static str, u64);

/// The raw query strings the server received, one per call.
type Calls = Arc<Mutex<Vec<String>>>;

fn count(calls: &Calls) -> usize {
    calls.lock().map(|c| c.len()).unwrap_or(0)
}

/// A server that answers the n-th call with `script[n]` (the last one repeats).
async fn scripted(script: Vec<Answer>) -> (String, Calls) {
    let calls: Calls = Arc::default();
    let state = (Arc::new(script), calls.clone());
    let app = Router::new().route(
        "/api/v3/users",
        get(
            |State((script, calls)): State<(Arc<Vec<Answer>>, Calls)>,
             headers: HeaderMap,
             RawQuery(query): RawQuery| async move {
                let n = {
                    let mut seen = calls.lock().expect("lock");
                    seen.push(query.unwrap_or_default());
                    seen.len() - 1
                };
                let (status, extra, body, delay_ms) = script[n.min(script.len() - 1)].clone();
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                let auth =
                    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
                if auth != "Bearer secret-token" {
                    return (
                        StatusCode::UNAUTHORIZED,
                        r#"{"status":"error","code":400100,"message":"Unauthorized."}"#,
                    )
                        .into_response();
                }
                let mut response: Response =
                    (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
                for (name, value) in extra {
                    response.headers_mut().insert(name, header::HeaderValue::from_static(value));
                }
                response
            },
        )
        .with_state(state),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), calls)
}

fn client(base: &str, retry: RetryPolicy, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base.parse().expect("url"), SecretString::from("secret-token"));
    config.retry = retry;
    config.timeout = timeout;
    Client::new(config).expect("client")
}

#[tokio::test]
async fn sends_the_bearer_token_and_decodes_the_envelope() {
    let (base, calls) = scripted(vec![(200, vec![], OK_BODY, 0)]).await;
    let query = UserQuery {
        keyword: Some("ann".into()),
        filter: UserQueryFilter::Flagged,
        limit: Some(5),
        ..Default::default()
    };
    let page = client(&base, RetryPolicy::none(), Duration::from_secs(5))
        .send(&QueryUsers(&query))
        .await
        .expect("ok");
    assert_eq!(page.users[0].display_name.as_deref(), Some("Ann"));
    assert_eq!(page.paging.and_then(|p| p.next).as_deref(), Some("n"));
    let seen = calls.lock().expect("lock").clone();
    assert_eq!(seen, vec!["keyword=ann&filter=flagged&sortBy=displayName&options%5Blimit%5D=5"]);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_retried() {
    let (base, calls) = scripted(vec![
        (
            429,
            vec![("retry-after", "1")],
            r#"{"status":"error","code":400311,"message":"RateLimit Exceed."}"#,
            0,
        ),
        (200, vec![], OK_BODY, 0),
    ])
    .await;
    let started = Instant::now();
    let page = client(&base, RetryPolicy::default(), Duration::from_secs(5))
        .send(&QueryUsers(&UserQuery::default()))
        .await;
    assert!(page.is_ok(), "{page:?}");
    assert_eq!(count(&calls), 2);
    assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (base, calls) = scripted(vec![(503, vec![], "busy", 0)]).await;
    let err = client(&base, RetryPolicy::default(), Duration::from_secs(5))
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect_err("fails");
    assert_eq!(count(&calls), 3, "one try and two retries");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let (base, calls) =
        scripted(vec![(404, vec![], r#"{"status":"error","code":400400,"message":"User not found."}"#, 0)])
            .await;
    let err = client(&base, RetryPolicy::default(), Duration::from_secs(5))
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect_err("fails");
    assert_eq!(count(&calls), 1);
    assert!(err.is_not_found());
}

#[tokio::test]
async fn finding_14_upstream_redirects_are_not_followed() {
    // Followed, the redirect would come back to the same route and get the 200.
    let (base, calls) = scripted(vec![
        (302, vec![("location", "/api/v3/users?followed=1")], "", 0),
        (200, vec![], OK_BODY, 0),
    ])
    .await;
    let err = client(&base, RetryPolicy::none(), Duration::from_secs(5))
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect_err("a redirect is an error");
    assert_eq!(count(&calls), 1, "the redirect was not chased");
    assert!(matches!(err, Error::Status { status: 302, .. }), "{err:?}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let (base, _) = scripted(vec![(200, vec![], OK_BODY, 2_000)]).await;
    let err = client(&base, RetryPolicy::none(), Duration::from_millis(200))
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn an_unexpected_shape_is_a_decode_error_with_its_path() {
    let (base, _) = scripted(vec![(200, vec![], r#"{"users":[{"userId":42}]}"#, 0)]).await;
    let err = client(&base, RetryPolicy::none(), Duration::from_secs(5))
        .send(&QueryUsers(&UserQuery::default()))
        .await
        .expect_err("fails");
    let Error::Decode { path, .. } = err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(path, "users[0].userId");
}

fn page(next: Option<&'static str>) -> &'static str {
    match next {
        Some("a") => r#"{"users":[],"files":[],"paging":{"next":"a"}}"#,
        Some("b") => r#"{"users":[],"files":[],"paging":{"next":"b"}}"#,
        _ => r#"{"users":[],"files":[],"paging":{}}"#,
    }
}

#[tokio::test]
async fn pages_follow_the_cursor_until_it_runs_out() {
    let (base, calls) = scripted(vec![
        (200, vec![], page(Some("a")), 0),
        (200, vec![], page(Some("b")), 0),
        (200, vec![], page(None), 0),
    ])
    .await;
    let client = client(&base, RetryPolicy::none(), Duration::from_secs(5));
    let query = UserQuery { limit: Some(100), ..UserQuery::default() };
    let pages: Vec<upstream::wire::UserEnvelope> =
        client.pages(&QueryUsers(&query)).try_collect().await.expect("pages");
    assert_eq!(pages.len(), 3);
    let seen = calls.lock().expect("lock").clone();
    assert!(seen[0].contains("options%5Blimit%5D=100"), "{}", seen[0]);
    assert!(seen[1].ends_with("options%5Btoken%5D=a") && !seen[1].contains("limit"), "{}", seen[1]);
    assert!(seen[2].ends_with("options%5Btoken%5D=b"), "{}", seen[2]);
}

#[tokio::test]
async fn a_cursor_that_does_not_advance_ends_the_walk_with_an_error() {
    let (base, calls) = scripted(vec![(200, vec![], page(Some("a")), 0)]).await;
    let client = client(&base, RetryPolicy::none(), Duration::from_secs(5));
    let query = UserQuery::default();
    let pages: Vec<Result<upstream::wire::UserEnvelope, Error>> =
        client.pages(&QueryUsers(&query)).collect().await;
    assert_eq!(pages.len(), 2, "the first page, then the error instead of the repeat");
    assert!(matches!(&pages[1], Err(Error::Decode { path, .. }) if path == "paging.next"), "{pages:?}");
    assert_eq!(count(&calls), 2);
}

#[tokio::test]
async fn calls_past_the_request_budget_wait_instead_of_failing() {
    let (base, calls) = scripted(vec![(200, vec![], OK_BODY, 0)]).await;
    let mut config = ClientConfig::new(base.parse().expect("url"), SecretString::from("secret-token"));
    config.budget_per_second = std::num::NonZeroU32::new(5);
    let client = Client::new(config).expect("client");
    let started = Instant::now();
    let query = UserQuery::default();
    let results = futures::future::join_all((0..8).map(|_| client.send(&QueryUsers(&query)))).await;
    let elapsed = started.elapsed();
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(count(&calls), 8);
    // 5 fit in the burst, the other 3 are spaced 200 ms apart.
    assert!(elapsed >= Duration::from_millis(550), "{elapsed:?}");
    let usage = client.budget_usage();
    assert_eq!((usage.attempts, usage.delayed, usage.per_second), (8, 3, Some(5)));
}
