//! The Users slice: list, search, filter, sort, paging and detail through the server
//! functions, against the stand-in; and a readable error when the admin token is wrong.

use crate::helpers::{ADMIN_TOKEN, expected_users, spawn_app, spawn_app_against, spawn_standin};
use serde_json::Value;
use types::{
    Page,
    users::{UserDetail, UserFilter, UserListQuery, UserRow, UserSort},
};

async fn page(app: &crate::helpers::TestApp, query: &UserListQuery) -> Page<UserRow> {
    let response = app.list_users(query).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a page of users")
}

#[tokio::test]
async fn paging_forward_visits_every_live_user_once_in_name_order() {
    let app = spawn_app().await;
    app.sign_in().await;
    let mut query = UserListQuery::default();
    let mut seen = Vec::new();
    loop {
        let page = page(&app, &query).await;
        assert!(page.items.len() <= 25);
        seen.extend(page.items.into_iter().map(|u| u.user_id));
        match page.next {
            Some(next) => query = query.at(Some(next)),
            None => break,
        }
    }
    let expected: Vec<String> = expected_users().into_iter().map(|u| u.user_id).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn paging_back_returns_the_previous_page_exactly() {
    let app = spawn_app().await;
    app.sign_in().await;
    let first = page(&app, &UserListQuery::default()).await;
    assert_eq!(first.previous, None);
    let second = page(&app, &UserListQuery::default().at(first.next.clone())).await;
    let back = page(&app, &UserListQuery::default().at(second.previous.clone())).await;
    assert_eq!(back.items, first.items);
    assert_ne!(second.items, first.items);
}

#[tokio::test]
async fn search_matches_display_names_and_ids_case_insensitively() {
    let app = spawn_app().await;
    app.sign_in().await;
    let keyword = "ZOË";
    let result = page(&app, &UserListQuery { keyword: keyword.into(), ..Default::default() }).await;
    let expected: Vec<String> = expected_users()
        .into_iter()
        .filter(|u| u.display_name.to_lowercase().contains("zoë") || u.user_id.contains("zoë"))
        .map(|u| u.user_id)
        .take(25)
        .collect();
    assert!(!expected.is_empty(), "the seed has a Zoë");
    assert_eq!(result.items.iter().map(|u| u.user_id.clone()).collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn a_search_without_matches_is_an_empty_page() {
    let app = spawn_app().await;
    app.sign_in().await;
    let result =
        page(&app, &UserListQuery { keyword: "no such person xyz".into(), ..Default::default() }).await;
    assert!(result.is_empty());
    assert_eq!((result.next, result.previous), (None, None));
}

#[tokio::test]
async fn the_flagged_filter_lists_exactly_the_flagged_users() {
    let app = spawn_app().await;
    app.sign_in().await;
    let mut query = UserListQuery { filter: UserFilter::Flagged, ..Default::default() };
    let mut seen = Vec::new();
    loop {
        let page = page(&app, &query).await;
        assert!(page.items.iter().all(|u| u.flag_count > 0));
        seen.extend(page.items.into_iter().map(|u| u.user_id));
        match page.next {
            Some(next) => query = query.at(Some(next)),
            None => break,
        }
    }
    let expected: Vec<String> =
        expected_users().into_iter().filter(|u| u.flag_count > 0).map(|u| u.user_id).collect();
    assert!(!expected.is_empty());
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn newest_first_sorts_by_creation_time_descending() {
    let app = spawn_app().await;
    app.sign_in().await;
    let result = page(&app, &UserListQuery { sort: UserSort::Newest, ..Default::default() }).await;
    let times: Vec<&str> = result.items.iter().map(|u| u.created_at.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    let newest = expected_users().into_iter().max_by_key(|u| u.created_at).expect("users");
    assert_eq!(result.items[0].user_id, newest.user_id);
}

#[tokio::test]
async fn a_user_detail_carries_profile_roles_and_metadata() {
    let app = spawn_app().await;
    app.sign_in().await;
    let wanted = expected_users().into_iter().find(|u| !u.roles.is_empty()).expect("a user with roles");
    let response = app.get_user(&wanted.user_id).await;
    assert_eq!(response.status(), 200);
    let detail: UserDetail = response.json().await.expect("detail");
    assert_eq!(detail.row.user_id, wanted.user_id);
    assert_eq!(detail.row.display_name, wanted.display_name);
    assert_eq!(detail.row.roles, wanted.roles);
    let metadata: Value = serde_json::from_str(&detail.metadata_json).expect("metadata is JSON");
    assert_eq!(metadata, wanted.metadata);
}

#[tokio::test]
async fn an_unknown_user_is_a_404_with_a_readable_message() {
    let app = spawn_app().await;
    app.sign_in().await;
    let response = app.get_user("nobody-here").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("error body");
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["what"], "User “nobody-here”");
}

#[tokio::test]
async fn the_users_page_is_server_rendered_with_the_table() {
    let app = spawn_app().await;
    app.sign_in().await;
    let first = expected_users().remove(0);
    let response = app.get("/users").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("html");
    assert!(html.contains("<table class=\"table\">"), "has the table");
    assert!(html.contains(&first.user_id), "lists the first user");
    assert!(html.contains("rel=\"next\""), "links to the next page");
}

#[tokio::test]
async fn the_detail_page_of_an_unknown_user_says_not_found() {
    let app = spawn_app().await;
    app.sign_in().await;
    let response = app.get("/users/nobody-here").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.expect("html");
    assert!(html.contains("was not found"), "{html}");
}

#[tokio::test]
async fn a_wrong_admin_token_gives_a_readable_error_not_a_crash() {
    // A stand-in with one token, and a console configured with another.
    let standin = spawn_standin(ADMIN_TOKEN).await;
    let app = spawn_app_against(&standin.base_url(), "this-is-not-the-token").await;
    app.sign_in().await;

    let response = app.list_users(&UserListQuery::default()).await;
    assert_eq!(response.status(), 502);
    let body: Value = response.json().await.expect("error body");
    assert_eq!(body["code"], "upstream");
    assert_eq!(body["upstream_code"], 400_100);
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("refused the console's admin token"), "{message}");
    assert!(!message.contains("this-is-not-the-token"));

    let page = app.get("/users").await;
    let html = page.text().await.expect("html");
    assert!(
        html.contains("refused the console&#x27;s admin token")
            || html.contains("refused the console's admin token"),
        "{html}"
    );
    assert!(!html.contains("this-is-not-the-token"));
    standin.stop().await;
}
