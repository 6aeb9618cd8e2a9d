//! Sessions and tokens: `POST /api/v4/sessions`, `POST /api/v4/authentication/token`,
//! `GET /api/v3/sessions`, `DELETE /api/v4/sessions`, `DELETE /api/v4/sessions/users/{userId}`,
//! and what a user token may do (ban → 403 / 400312, revoke → 401).

use crate::{
    openapi::Spec,
    support::{admin, assert_error, assert_response, call, client, session, some_user, standin},
};
use secrecy::SecretString;
use serde_json::json;
use upstream::endpoints::{
    sessions::{CreateAuthToken, RegisterSession, RevokeAllUserTokens, RevokeUserTokens},
    users::{BanUser, UnbanUser},
};
use upstream::wire::SessionRequest;

#[tokio::test]
async fn every_session_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("POST", "/api/v4/sessions"),
        ("POST", "/api/v4/authentication/token"),
        ("GET", "/api/v3/sessions"),
        ("DELETE", "/api/v4/sessions"),
        ("DELETE", "/api/v4/sessions/users/{userId}"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn a_session_creates_the_user_and_its_token_reaches_user_routes_only() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let api_key = standin.keys().api_key.clone();
    let body = json!({ "userId": "new-member", "deviceId": "phone-1", "displayName": "New Member",
                       "deviceInfo": { "kind": "ios", "model": "iPhone", "sdkVersion": "6.0.0" } });
    let (status, answer) =
        call(&standin, "POST", "/api/v4/sessions", None, &[("x-api-key", &api_key)], Some(body.clone()))
            .await;
    assert_eq!(status, 200, "{answer}");
    assert_response(&mut spec, "POST", "/api/v4/sessions", "200", &answer);
    assert_eq!(answer["users"][0]["displayName"], "New Member");
    let token = answer["accessToken"].as_str().expect("token");

    let (status, _) = admin(&standin, "GET", "/api/v3/users/new-member", None).await;
    assert_eq!(status, 200, "the user exists now");
    let (status, me) = call(&standin, "GET", "/api/v3/users/new-member", Some(token), &[], None).await;
    assert_eq!(status, 200, "{me}");
    let (status, check) = call(&standin, "GET", "/api/v3/sessions", Some(token), &[], None).await;
    assert_eq!(status, 200, "{check}");
    assert_response(&mut spec, "GET", "/api/v3/sessions", "200", &check);
    let refused = call(&standin, "GET", "/api/v3/roles?keyword=", Some(token), &[], None).await;
    assert_error(&mut spec, &refused, 403, 400_301, "a user token on an admin route");

    let wrong_key =
        call(&standin, "POST", "/api/v4/sessions", None, &[("x-api-key", "nope")], Some(body)).await;
    assert_error(&mut spec, &wrong_key, 401, 400_100, "wrong API key");
    let invalid = call(
        &standin,
        "POST",
        "/api/v4/sessions",
        None,
        &[("x-api-key", &api_key)],
        Some(json!({"userId": ""})),
    )
    .await;
    assert_error(&mut spec, &invalid, 400, 400_000, "missing deviceId");
    standin.stop().await;
}

#[tokio::test]
async fn a_global_ban_turns_the_users_tokens_away_until_unbanned() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let user = some_user(&standin, 0).await;
    let token = session(&standin, &user).await;
    let path = format!("/api/v3/users/{user}");

    client.send(&BanUser { user_id: &user }).await.expect("ban");
    let banned = call(&standin, "GET", &path, Some(&token), &[], None).await;
    assert_error(&mut spec, &banned, 403, 400_312, "banned user's token");
    let api_key = standin.keys().api_key.clone();
    let again = call(
        &standin,
        "POST",
        "/api/v4/sessions",
        None,
        &[("x-api-key", &api_key)],
        Some(json!({ "userId": user, "deviceId": "d2" })),
    )
    .await;
    assert_error(&mut spec, &again, 403, 400_312, "banned user's new session");
    let (_, shown) = admin(&standin, "GET", &path, None).await;
    assert_eq!(shown["users"][0]["isGlobalBan"], true);

    client.send(&UnbanUser { user_id: &user }).await.expect("unban");
    let (status, _) = call(&standin, "GET", &path, Some(&token), &[], None).await;
    assert_eq!(status, 200, "unbanning restores the token");
    let missing = client.send(&BanUser { user_id: "nobody-here" }).await.expect_err("unknown user");
    assert_eq!(missing.code(), Some(400_400));
    standin.stop().await;
}

#[tokio::test]
async fn revoking_invalidates_every_token_of_the_user() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let user = some_user(&standin, 1).await;
    let first = session(&standin, &user).await;
    let second = session(&standin, &user).await;

    let (status, body) =
        admin(&standin, "DELETE", &format!("/api/v4/sessions?userId={user}&isPublic=true"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "DELETE", "/api/v4/sessions", "200", &body);
    for token in [&first, &second] {
        let refused = call(&standin, "GET", "/api/v3/sessions", Some(token), &[], None).await;
        assert_error(&mut spec, &refused, 401, 400_100, "revoked token");
    }

    let third = session(&standin, &user).await;
    let done = client.send(&RevokeAllUserTokens { user_id: &user }).await.expect("revoke by path");
    assert!(done.success);
    let (status, _) = call(&standin, "GET", "/api/v3/sessions", Some(&third), &[], None).await;
    assert_eq!(status, 401);
    let (_, body) = admin(&standin, "DELETE", &format!("/api/v4/sessions/users/{user}"), None).await;
    assert_response(&mut spec, "DELETE", "/api/v4/sessions/users/{userId}", "200", &body);

    let fourth = session(&standin, &user).await;
    assert!(client.send(&RevokeUserTokens { user_id: &user }).await.expect("revoke by query").success);
    let (status, _) = call(&standin, "GET", "/api/v3/sessions", Some(&fourth), &[], None).await;
    assert_eq!(status, 401);

    // Without userId a user token revokes only itself; with one it is refused.
    let own = session(&standin, &user).await;
    let other = session(&standin, &user).await;
    let not_allowed =
        call(&standin, "DELETE", &format!("/api/v4/sessions?userId={user}"), Some(&own), &[], None).await;
    assert_error(&mut spec, &not_allowed, 403, 400_301, "a user revoking others");
    let (status, _) = call(&standin, "DELETE", "/api/v4/sessions", Some(&own), &[], None).await;
    assert_eq!(status, 200);
    let (status, _) = call(&standin, "GET", "/api/v3/sessions", Some(&own), &[], None).await;
    assert_eq!(status, 401, "the caller's token is revoked");
    let (status, _) = call(&standin, "GET", "/api/v3/sessions", Some(&other), &[], None).await;
    assert_eq!(status, 200, "the user's other token lives on");

    let unknown = client.send(&RevokeUserTokens { user_id: "nobody-here" }).await.expect_err("404");
    assert!(unknown.is_not_found(), "{unknown:?}");
    standin.stop().await;
}

#[tokio::test]
async fn auth_tokens_need_the_server_key_and_bind_one_session_to_one_user() {
    let standin = standin().await;
    let client = client(&standin);
    let keys = standin.keys().clone();
    let user = some_user(&standin, 2).await;

    let token = client
        .send(&CreateAuthToken { server_key: SecretString::from(keys.server_key.clone()), user_id: &user })
        .await
        .expect("auth token");
    assert!(!token.is_empty() && token.len() <= 100);
    let request = SessionRequest {
        user_id: user.clone(),
        device_id: "d1".into(),
        auth_token: Some(token.clone()),
        ..Default::default()
    };
    let session = client
        .send(&RegisterSession { api_key: SecretString::from(keys.api_key.clone()), session: &request })
        .await
        .expect("session");
    assert_eq!(session.users[0].user_id, user);
    assert!(session.expires_at.is_some());

    let reused = client
        .send(&RegisterSession { api_key: SecretString::from(keys.api_key.clone()), session: &request })
        .await
        .expect_err("single use");
    assert!(reused.is_unauthorized(), "{reused:?}");
    let other_user = SessionRequest { user_id: "someone-else".into(), ..request };
    let fresh = client
        .send(&CreateAuthToken { server_key: SecretString::from(keys.server_key.clone()), user_id: &user })
        .await
        .expect("auth token");
    let mismatched = SessionRequest { auth_token: Some(fresh), ..other_user };
    let refused = client
        .send(&RegisterSession { api_key: SecretString::from(keys.api_key), session: &mismatched })
        .await
        .expect_err("bound");
    assert!(refused.is_unauthorized());

    let (status, body) = call(
        &standin,
        "POST",
        "/api/v4/authentication/token",
        None,
        &[("x-server-key", "nope")],
        Some(json!({ "userId": user })),
    )
    .await;
    assert_eq!(
        (status, body),
        (401, serde_json::Value::String("Unauthorized".into())),
        "spec: text/plain 401"
    );
    let (status, _) = call(
        &standin,
        "POST",
        "/api/v4/authentication/token",
        None,
        &[("x-server-key", &keys.server_key)],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 422);
    standin.stop().await;
}
