//! Messages v5: `GET /api/v5/messages`, `DELETE /api/v5/messages/{messageId}`,
//! `POST /api/v5/messages/{messageId}/flags`, `DELETE /api/v5/messages/{messageId}/flags/all`.

use crate::{
    content_support::{assert_conforms_with, assert_error, call, client, standin},
    openapi::Spec,
};
use upstream::content_query::MessageQuery;
use upstream::endpoints::{
    communities::QueryCommunities,
    messages::{ClearMessageFlags, DeleteMessage, FlagMessage, QueryMessages},
};

/// The v5 message envelope's `users` schema (4.92) is the older, narrower user object; the
/// stand-in side-loads the same `UserV3` objects as everywhere else.
const USER_EXTRAS: &[&str] = &[
    "isDeleted",
    "userPublicId",
    "userInternalId",
    "permissions",
    "isGlobalBan",
    "isBrand",
    "avatarFileId",
    "avatarCustomUrl",
];

#[tokio::test]
async fn every_message_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v5/messages"),
        ("DELETE", "/api/v5/messages/{messageId}"),
        ("POST", "/api/v5/messages/{messageId}/flags"),
        ("DELETE", "/api/v5/messages/{messageId}/flags/all"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

/// The chat of a community: its default message feed has the channel's id (seed convention,
/// see docs/contract-notes.md).
async fn feed_id(standin: &standin::RunningStandIn) -> String {
    let client = client(standin);
    let communities = client.send(&QueryCommunities(&Default::default())).await.expect("communities");
    for community in &communities.communities {
        let query = MessageQuery { message_feed_id: community.channel_id.clone(), ..Default::default() };
        if client.send(&QueryMessages(&query)).await.is_ok_and(|page| page.messages.len() >= 2) {
            return community.channel_id.clone();
        }
    }
    panic!("no community chat with messages");
}

#[tokio::test]
async fn message_answers_conform_and_flags_are_cleared() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let client = client(&standin);
    let feed = feed_id(&standin).await;
    let schema = spec.response_schema("GET", "/api/v5/messages", "200");
    for query in ["", "&hasFlags=false&options[sortBy]=segmentAsc", "&isDeleted=true", "&options[limit]=100"]
    {
        let (status, body) =
            call(&standin, "GET", &format!("/api/v5/messages?messageFeedId={feed}{query}"), None).await;
        assert_eq!(status, 200, "{body}");
        assert_conforms_with(&schema, &body, &format!("GET /api/v5/messages{query}"), USER_EXTRAS);
    }
    let page = client
        .send(&QueryMessages(&MessageQuery {
            message_feed_id: feed.clone(),
            limit: Some(5),
            ..Default::default()
        }))
        .await
        .expect("messages decode");
    let segments: Vec<u64> = page.messages.iter().map(|m| m.segment).collect();
    assert!(segments.windows(2).all(|w| w[0] > w[1]), "newest first: {segments:?}");
    let target = page.messages[0].message_id.clone();

    let (status, body) = call(&standin, "POST", &format!("/api/v5/messages/{target}/flags"), None).await;
    assert_eq!(status, 200);
    assert_conforms_with(
        &spec.response_schema("POST", "/api/v5/messages/{messageId}/flags", "200"),
        &body,
        "flag",
        USER_EXTRAS,
    );
    let flagged = client
        .send(&QueryMessages(&MessageQuery {
            message_feed_id: feed.clone(),
            has_flags: Some(true),
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("flagged");
    assert!(flagged.messages.iter().any(|m| m.message_id == target));
    assert!(flagged.messages.iter().all(|m| m.flag_count > 0));
    let (_, body) = call(&standin, "DELETE", &format!("/api/v5/messages/{target}/flags/all"), None).await;
    assert_conforms_with(
        &spec.response_schema("DELETE", "/api/v5/messages/{messageId}/flags/all", "200"),
        &body,
        "clear",
        USER_EXTRAS,
    );
    assert_eq!(body["messages"][0]["flagCount"], 0);
    client.send(&FlagMessage { message_id: &target }).await.expect("flag decodes");
    assert_eq!(
        client.send(&ClearMessageFlags { message_id: &target }).await.expect("clear decodes").messages[0]
            .flag_count,
        0
    );

    client.send(&DeleteMessage { message_id: &target, permanent: false }).await.expect("delete decodes");
    let deleted = client
        .send(&QueryMessages(&MessageQuery {
            message_feed_id: feed.clone(),
            is_deleted: Some(true),
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("deleted");
    assert!(deleted.messages.iter().any(|m| m.message_id == target && m.is_deleted), "soft-deleted");
    let live = client
        .send(&QueryMessages(&MessageQuery {
            message_feed_id: feed.clone(),
            limit: Some(100),
            ..Default::default()
        }))
        .await
        .expect("live");
    assert!(!live.messages.iter().any(|m| m.message_id == target), "isDeleted defaults to false");
    client
        .send(&DeleteMessage { message_id: &target, permanent: true })
        .await
        .expect("permanent delete decodes");
    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "DELETE", &format!("/api/v5/messages/{target}"), None).await;
    assert_error(status, &body, 404, 400_400, &error);
    standin.stop().await;
}
