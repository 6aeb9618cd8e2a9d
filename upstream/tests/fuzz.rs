//! Property tests of what the client puts on the wire from outside values: ids typed into the
//! console's URLs, read from import files or from webhook bodies become path segments, and
//! search text and paging tokens become query pairs. Each request is sent by the real client
//! to a local server that records what arrived.
//!
//! Properties: an id is exactly one path segment of the endpoint the request names (never
//! another endpoint), and the query the server reads back is the pairs the query built.
//! `cargo test` runs a quick smoke of each; `cargo xtask fuzz` runs them with many more cases
//! (`PROPTEST_CASES`).

use axum::{Router, extract::State, http::Uri, response::IntoResponse};
use proptest::{prelude::*, test_runner::TestRunner};
use secrecy::SecretString;
use std::sync::{Arc, Mutex};
use upstream::{
    Client, ClientConfig, Endpoint,
    endpoints::{
        Request,
        users::{GetUser, ListUsersByIds, QueryUsers},
    },
    query::{UserQuery, UserQueryFilter, UserSortBy},
    retry::RetryPolicy,
};

/// A small number of cases under `cargo test`; `PROPTEST_CASES / share` under `cargo xtask fuzz`.
fn config(smoke: u32, share: u32) -> ProptestConfig {
    let cases = match std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse::<u32>().ok()) {
        Some(cases) => (cases / share).max(1),
        None => smoke,
    };
    ProptestConfig { cases, source_file: Some(file!()), ..ProptestConfig::default() }
}

type Seen = Arc<Mutex<Vec<Uri>>>;

/// Any request, its answer ignored: the properties are about what arrives, not what returns.
struct Sent(Request);

impl Endpoint for Sent {
    type Response = ();
    fn request(&self) -> Request {
        self.0.clone()
    }
}

/// A server that records every request's URI and answers 404 in the API's envelope.
async fn recorder() -> (Client, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new().fallback(|State(seen): State<Seen>, uri: Uri| async move {
        seen.lock().expect("lock").push(uri);
        (axum::http::StatusCode::NOT_FOUND, r#"{"status":"error","code":400400,"message":"Not found."}"#)
            .into_response()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = app.with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config =
        ClientConfig::new(format!("http://{addr}").parse().expect("url"), SecretString::from("fuzz-token"));
    config.retry = RetryPolicy::none();
    config.budget_per_second = None;
    (Client::new(config).expect("client"), seen)
}

/// Runs `property` for each value of `strategy` with one client and recorder for all cases.
fn with_recorder<S: Strategy>(
    (smoke, share): (u32, u32),
    strategy: S,
    property: impl AsyncFn(&Client, &Seen, S::Value) -> Result<(), TestCaseError>,
) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (client, seen) = runtime.block_on(recorder());
    let mut runner = TestRunner::new(config(smoke, share));
    if let Err(failure) = runner.run(&strategy, |value| {
        seen.lock().expect("lock").clear();
        runtime.block_on(property(&client, &seen, value))
    }) {
        panic!("{failure}");
    }
}

/// Ids of any kind, weighted towards what paths trip on.
fn id() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        ".", "..", "/", "%2e", "%2E%2E", "%", "?", "#", "\\", ";", " ", "+", "&", "=", "é", "\u{0}", "a",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![2 => any::<char>().prop_map(String::from), 3 => interesting];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
}

fn decoded(segment: &str) -> String {
    let bytes: Vec<u8> = percent_decode(segment);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Percent-decoding of a path segment (`+` stays a plus).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    let query = uri.query().unwrap_or_default();
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .map(|url| url.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

#[test]
fn an_id_is_exactly_one_path_segment_of_the_endpoint_the_request_names() {
    with_recorder((64, 8), (id(), 0usize..3), async |client, seen, (id, endpoint)| {
        let request = match endpoint {
            0 => Request::get(&["api", "v3", "users", &id]),
            1 => Request::delete(&["api", "v4", "users", &id]),
            _ => Request::delete(&["api", "v4", "sessions", "users", &id]),
        };
        let sent = client.send(&Sent(request.clone())).await;
        let arrived = seen.lock().expect("lock").clone();
        match arrived.as_slice() {
            [] => prop_assert!(sent.is_err_and(|e| e.is_not_found()), "not sent, answered as not found"),
            [uri] => {
                let segments: Vec<&str> = uri.path().trim_start_matches('/').split('/').collect();
                prop_assert_eq!(segments.len(), request.segments.len(), "{} for {:?}", uri, id);
                prop_assert_eq!(
                    &segments[..segments.len() - 1],
                    &request.segments[..request.segments.len() - 1]
                );
                prop_assert_eq!(decoded(segments[segments.len() - 1]), id.clone(), "{}", uri);
            }
            more => prop_assert!(false, "one call, not {}", more.len()),
        }
        Ok(())
    });
}

#[test]
fn search_text_and_paging_tokens_arrive_as_the_query_pairs_they_were_built_from() {
    let strategy = (
        prop::option::of(any::<String>()),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        prop::option::of(1u32..=100),
        prop::option::of(any::<String>()),
        prop::collection::vec(any::<String>(), 0..4),
    );
    with_recorder(
        (64, 8),
        strategy,
        async |client, seen, (keyword, flagged, is_deleted, limit, token, ids)| {
            let query = UserQuery {
                keyword,
                exact_match_keyword: flagged,
                filter: if flagged { UserQueryFilter::Flagged } else { UserQueryFilter::All },
                sort_by: UserSortBy::LastCreated,
                is_deleted,
                limit,
                token,
            };
            let _ = client.send(&QueryUsers(&query)).await;
            let _ = client.send(&ListUsersByIds { user_ids: &ids }).await;
            let arrived = seen.lock().expect("lock").clone();
            prop_assert_eq!(arrived.len(), 2);
            prop_assert_eq!(query_pairs(&arrived[0]), query.to_pairs());
            prop_assert_eq!(query_pairs(&arrived[1]), upstream::query::user_ids_pairs(&ids));
            Ok(())
        },
    );
}

#[test]
fn an_empty_dot_or_dot_dot_id_is_answered_as_not_found_without_reaching_another_endpoint() {
    // Was sent as `GET /api/v3/users` (the user list) and `DELETE /api/v4/users`: the URL
    // resolved the dot segment away (and an empty id left a trailing slash on the list).
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let (client, seen) = recorder().await;
        for id in ["", ".", ".."] {
            let error = client.send(&GetUser { user_id: id }).await.expect_err("refused");
            assert!(error.is_not_found() && !error.is_retryable(), "{error}");
            let deleted = client.send(&Sent(Request::delete(&["api", "v4", "users", id]))).await;
            assert!(deleted.is_err_and(|e| e.is_not_found()));
        }
        assert!(seen.lock().expect("lock").is_empty(), "nothing was sent");
        client.send(&GetUser { user_id: "..a" }).await.expect_err("an ordinary 404");
        assert_eq!(seen.lock().expect("lock").len(), 1, "an id that only starts with dots is sent");
    });
}

#[test]
fn a_tab_or_line_break_in_an_id_is_sent_encoded_not_dropped() {
    // Was dropped by the URL parser: `ad\tmin` addressed the user `admin`, `\t` the user list.
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let (client, seen) = recorder().await;
        for id in ["ad\tmin", "\t", "a\nb\rc"] {
            let _ = client.send(&GetUser { user_id: id }).await;
        }
        let paths: Vec<String> = seen.lock().expect("lock").iter().map(|u| u.path().to_owned()).collect();
        assert_eq!(paths, ["/api/v3/users/ad%09min", "/api/v3/users/%09", "/api/v3/users/a%0Ab%0Dc"]);
    });
}
