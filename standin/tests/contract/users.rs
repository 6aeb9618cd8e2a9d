//! The user endpoints: `GET /api/v3/users`, `/api/v3/users/list`, `/api/v3/users/{userId}`.

use crate::openapi::{Spec, undeclared_fields, violations};
use secrecy::SecretString;
use serde_json::Value;
use standin::{RunningStandIn, SeedOptions, StandInConfig, Storage};
use upstream::endpoints::users::{GetUser, ListUsersByIds, QueryUsers};
use upstream::{
    Client, ClientConfig,
    query::{UserQuery, UserQueryFilter, UserSortBy},
};

const TOKEN: &str = "contract-test-token";

/// Documented user fields the 4.92.0 `UserV3` schema does not list: `isDeleted` is on the
/// `User` schema and in the docs' user object.
const USER_EXTRAS: &[&str] = &["isDeleted"];

async fn standin() -> RunningStandIn {
    RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: TOKEN.into(),
        storage: Storage::Memory,
        seed: SeedOptions { users: 400, seed: 7, posts: 300 },
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

async fn get(base: &str, path_and_query: &str, token: &str) -> (u16, Value) {
    upstream::ensure_tls_provider();
    let response = reqwest::Client::new()
        .get(format!("{base}{path_and_query}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.expect("JSON body");
    (status, body)
}

fn assert_conforms(schema: &Value, body: &Value, what: &str) {
    let errors = violations(schema, body);
    assert!(errors.is_empty(), "{what} violates the spec:\n{}", errors.join("\n"));
    let extra = undeclared_fields(schema, body, USER_EXTRAS, "");
    assert!(extra.is_empty(), "{what} has fields the spec does not declare: {extra:?}");
}

#[tokio::test]
async fn every_user_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for path in ["/api/v3/users", "/api/v3/users/list", "/api/v3/users/{userId}"] {
        assert!(spec.has_operation("GET", path), "GET {path} is not in the spec");
    }
}

#[tokio::test]
async fn user_queries_conform_to_the_user_pagination_response() {
    let standin = standin().await;
    let schema = Spec::master().response_schema("GET", "/api/v3/users", "200");
    for query in [
        "",
        "?options[limit]=100",
        "?filter=flagged&sortBy=lastCreated&options[limit]=50",
        "?keyword=an&sortBy=firstCreated",
        "?isDeleted=true",
    ] {
        let (status, body) = get(&standin.base_url(), &format!("/api/v3/users{query}"), TOKEN).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_conforms(&schema, &body, &format!("GET /api/v3/users{query}"));
    }
    standin.stop().await;
}

#[tokio::test]
async fn get_and_list_conform_to_the_user_response() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let (_, page) = get(&standin.base_url(), "/api/v3/users?options[limit]=3", TOKEN).await;
    let ids: Vec<&str> =
        page["users"].as_array().expect("users").iter().filter_map(|u| u["userId"].as_str()).collect();
    assert_eq!(ids.len(), 3);

    let schema = spec.response_schema("GET", "/api/v3/users/{userId}", "200");
    let (status, body) = get(&standin.base_url(), &format!("/api/v3/users/{}", ids[0]), TOKEN).await;
    assert_eq!(status, 200);
    assert_conforms(&schema, &body, "GET /api/v3/users/{userId}");

    let schema = spec.response_schema("GET", "/api/v3/users/list", "200");
    let query: Vec<String> = ids.iter().map(|id| format!("userIds[]={id}")).collect();
    let (status, body) =
        get(&standin.base_url(), &format!("/api/v3/users/list?{}", query.join("&")), TOKEN).await;
    assert_eq!(status, 200);
    assert_conforms(&schema, &body, "GET /api/v3/users/list");
    let listed: Vec<&str> =
        body["users"].as_array().expect("users").iter().filter_map(|u| u["userId"].as_str()).collect();
    assert_eq!(listed, ids, "answered in the order asked");
    standin.stop().await;
}

#[tokio::test]
async fn errors_use_the_official_error_envelope_and_codes() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let error_schema = spec.schema("global/error.yaml", "/Error");
    let cases = [
        ("/api/v3/users", "wrong-token", 401, 400_100),
        ("/api/v3/users/nobody-here", TOKEN, 404, 400_400),
        ("/api/v3/users?options[limit]=500", TOKEN, 400, 400_000),
        ("/api/v3/users?options[token]=garbage", TOKEN, 400, 400_000),
        ("/api/v3/users/list", TOKEN, 400, 400_000),
    ];
    for (path, token, want_status, want_code) in cases {
        let (status, body) = get(&standin.base_url(), path, token).await;
        assert_eq!(status, want_status, "{path}: {body}");
        assert_eq!(body["code"], want_code, "{path}: {body}");
        assert_eq!(body["status"], "error");
        let errors = violations(&error_schema, &body);
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    // The spec's own 400 response for the query endpoint.
    let bad_request = spec.response_schema("GET", "/api/v3/users", "400");
    let (_, body) = get(&standin.base_url(), "/api/v3/users?sortBy=sideways", TOKEN).await;
    assert!(violations(&bad_request, &body).is_empty());
    assert!(body["data"]["detail"][0].as_str().is_some_and(|d| d.contains("sortBy")), "{body}");
    standin.stop().await;
}

#[tokio::test]
async fn the_client_decodes_every_answer_including_errors() {
    let standin = standin().await;
    let client =
        Client::new(ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from(TOKEN)))
            .expect("client");
    let query = UserQuery {
        filter: UserQueryFilter::Flagged,
        sort_by: UserSortBy::LastCreated,
        limit: Some(20),
        ..UserQuery::default()
    };
    let page = client.send(&QueryUsers(&query)).await.expect("query decodes");
    assert!(!page.users.is_empty());
    assert!(page.users.iter().all(|u| u.flag_count > 0));
    let next = page.paging.and_then(|p| p.next).expect("a next page");
    let second =
        client.send(&QueryUsers(&UserQuery { token: Some(next), ..query })).await.expect("second page");
    assert!(second.paging.and_then(|p| p.previous).is_some());

    let id = page.users[0].user_id.clone();
    let one = client.send(&GetUser { user_id: &id }).await.expect("get decodes");
    assert_eq!(one.users[0].user_id, id);
    let listed =
        client.send(&ListUsersByIds { user_ids: std::slice::from_ref(&id) }).await.expect("list decodes");
    assert_eq!(listed.users.len(), 1);

    let missing = client.send(&GetUser { user_id: "nobody-here" }).await.expect_err("404");
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(missing.code(), Some(400_400));

    let wrong =
        Client::new(ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from("nope")))
            .expect("client");
    let refused = wrong.send(&QueryUsers(&UserQuery::default())).await.expect_err("401");
    assert!(refused.is_unauthorized(), "{refused:?}");
    assert_eq!(refused.code(), Some(400_100));
    standin.stop().await;
}

#[tokio::test]
async fn the_schema_check_catches_wrong_types_and_invented_fields() {
    let standin = standin().await;
    let schema = Spec::master().response_schema("GET", "/api/v3/users", "200");
    let (_, mut body) = get(&standin.base_url(), "/api/v3/users?options[limit]=2", TOKEN).await;
    body["users"][0]["flagCount"] = Value::String("many".into());
    body["users"][1]["createdAt"] = Value::String("yesterday".into());
    body["users"][1]["favouriteColour"] = Value::String("teal".into());
    let errors = violations(&schema, &body);
    assert!(errors.iter().any(|e| e.contains("/users/0/flagCount")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("/users/1/createdAt")), "{errors:?}");
    assert_eq!(undeclared_fields(&schema, &body, USER_EXTRAS, ""), vec!["/users/1/favouriteColour"]);
    standin.stop().await;
}
