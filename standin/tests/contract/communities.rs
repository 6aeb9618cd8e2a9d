//! Communities: `GET /api/v3/communities`, `GET /api/v3/communities/{communityId}`,
//! `PUT /api/v3/communities/{communityId}`, `DELETE /api/v3/communities/{communityId}`,
//! `GET /api/v3/communities/{communityId}/users`, `PUT /api/v3/communities/{communityId}/users/ban`,
//! `PUT /api/v3/communities/{communityId}/users/unban`,
//! `POST /api/v4/communities/{communityId}/users/roles`, `DELETE /api/v4/communities/{communityId}/users/roles`.

use crate::{
    content_support::{EventLog, assert_conforms, assert_error, call, client, get, ids, standin},
    openapi::Spec,
};
use serde_json::json;
use upstream::endpoints::communities::{
    AddCommunityRoles, BanCommunityMembers, DeleteCommunity, GetCommunity, QueryCommunities,
    QueryCommunityMembers, RemoveCommunityRoles, UnbanCommunityMembers, UpdateCommunity,
};
use upstream::{
    content_query::{CommunityMemberQuery, CommunityQuery, CommunitySortBy, MembershipFilter},
    endpoints::communities::CommunityUpdate,
    wire::Membership,
};

#[tokio::test]
async fn every_community_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v3/communities"),
        ("GET", "/api/v3/communities/{communityId}"),
        ("PUT", "/api/v3/communities/{communityId}"),
        ("DELETE", "/api/v3/communities/{communityId}"),
        ("GET", "/api/v3/communities/{communityId}/users"),
        ("PUT", "/api/v3/communities/{communityId}/users/ban"),
        ("PUT", "/api/v3/communities/{communityId}/users/unban"),
        ("POST", "/api/v4/communities/{communityId}/users/roles"),
        ("DELETE", "/api/v4/communities/{communityId}/users/roles"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn community_answers_conform_to_the_spec() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let schema = spec.response_schema("GET", "/api/v3/communities", "200");
    for query in
        ["", "?sortBy=displayName&options[limit]=100", "?hasFlag=true", "?keyword=run&isDeleted=false"]
    {
        let body = get(&standin, &format!("/api/v3/communities{query}")).await;
        assert_conforms(&schema, &body, &format!("GET /api/v3/communities{query}"));
    }
    let list = get(&standin, "/api/v3/communities?options[limit]=2").await;
    let community = ids(&list, "communities", "communityId")[0].clone();
    let body = get(&standin, &format!("/api/v3/communities/{community}")).await;
    assert_conforms(&spec.response_schema("GET", "/api/v3/communities/{communityId}", "200"), &body, "get");
    let members = get(
        &standin,
        &format!("/api/v3/communities/{community}/users?memberships[]=member&memberships[]=banned"),
    )
    .await;
    assert_conforms(
        &spec.response_schema("GET", "/api/v3/communities/{communityId}/users", "200"),
        &members,
        "members",
    );
    let member = members["communityUsers"][0]["userId"].as_str().expect("a member").to_owned();

    let (status, body) = call(
        &standin,
        "PUT",
        &format!("/api/v3/communities/{community}"),
        Some(json!({"communityId": community, "isPublic": false})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["communities"][0]["isPublic"], false);
    assert_conforms(
        &spec.response_schema("PUT", "/api/v3/communities/{communityId}", "200"),
        &body,
        "update",
    );
    for (method, path, body) in [
        ("PUT", "/users/ban", Some(json!({"userIds": [member]}))),
        ("PUT", "/users/unban", Some(json!({"userIds": [member]}))),
    ] {
        let (status, answer) =
            call(&standin, method, &format!("/api/v3/communities/{community}{path}"), body).await;
        assert_eq!(status, 200, "{answer}");
        let spec_path = format!("/api/v3/communities/{{communityId}}{path}");
        assert_conforms(&spec.response_schema(method, &spec_path, "200"), &answer, &spec_path);
    }
    let (_, answer) = call(
        &standin,
        "POST",
        &format!("/api/v4/communities/{community}/users/roles"),
        Some(json!({"userIds": [member], "roles": ["community-moderator"]})),
    )
    .await;
    assert_conforms(
        &spec.response_schema("POST", "/api/v4/communities/{communityId}/users/roles", "200"),
        &answer,
        "add roles",
    );
    let (_, answer) = call(
        &standin,
        "DELETE",
        &format!(
            "/api/v4/communities/{community}/users/roles?roles[]=community-moderator&userIds[]={member}"
        ),
        None,
    )
    .await;
    assert_conforms(
        &spec.response_schema("DELETE", "/api/v4/communities/{communityId}/users/roles", "200"),
        &answer,
        "remove roles",
    );
    let (status, answer) = call(&standin, "DELETE", &format!("/api/v3/communities/{community}"), None).await;
    assert_eq!(status, 200);
    assert_conforms(
        &spec.response_schema("DELETE", "/api/v3/communities/{communityId}", "200"),
        &answer,
        "delete",
    );

    let error = spec.schema("global/error.yaml", "/Error");
    let (status, body) = call(&standin, "GET", "/api/v3/communities/nope", None).await;
    assert_error(status, &body, 404, 400_400, &error);
    let (status, body) =
        call(&standin, "PUT", &format!("/api/v3/communities/{community}/users/ban"), Some(json!({}))).await;
    assert_error(status, &body, 400, 400_000, &error);
    standin.stop().await;
}

#[tokio::test]
async fn banning_and_unbanning_change_membership_and_roles_follow() {
    let standin = standin().await;
    let client = client(&standin);
    let mut events = EventLog::of(&standin);
    let page = client
        .send(&QueryCommunities(&CommunityQuery {
            sort_by: Some(CommunitySortBy::DisplayName),
            ..Default::default()
        }))
        .await
        .expect("communities decode");
    let names: Vec<&str> = page.communities.iter().map(|c| c.display_name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let community = page.communities[0].clone();
    let members = client
        .send(&QueryCommunityMembers {
            community_id: &community.community_id,
            query: &CommunityMemberQuery::default(),
        })
        .await
        .expect("members decode");
    let member = members.community_users.last().expect("a member").user_id.clone();
    let before =
        client.send(&GetCommunity { community_id: &community.community_id }).await.expect("get").communities
            [0]
        .members_count;

    let banned = client
        .send(&BanCommunityMembers {
            community_id: &community.community_id,
            user_ids: std::slice::from_ref(&member),
        })
        .await
        .expect("ban decodes");
    assert_eq!(banned.community_users[0].community_membership, Membership::Banned);
    assert!(banned.community_users[0].is_banned);
    assert_eq!(banned.communities[0].members_count, before - 1);
    let banned_list = client
        .send(&QueryCommunityMembers {
            community_id: &community.community_id,
            query: &CommunityMemberQuery {
                memberships: vec![MembershipFilter::Banned],
                limit: Some(100),
                ..Default::default()
            },
        })
        .await
        .expect("banned list");
    assert!(banned_list.community_users.iter().any(|m| m.user_id == member));
    let still_members = client
        .send(&QueryCommunityMembers {
            community_id: &community.community_id,
            query: &CommunityMemberQuery { limit: Some(100), ..Default::default() },
        })
        .await
        .expect("members");
    assert!(!still_members.community_users.iter().any(|m| m.user_id == member));
    let roles = client
        .send(&AddCommunityRoles {
            community_id: &community.community_id,
            user_ids: std::slice::from_ref(&member),
            roles: &["community-moderator".into()],
        })
        .await
        .expect_err("a banned user gets no role");
    assert!(roles.is_not_found());

    let unbanned = client
        .send(&UnbanCommunityMembers {
            community_id: &community.community_id,
            user_ids: std::slice::from_ref(&member),
        })
        .await
        .expect("unban decodes");
    assert_eq!(unbanned.community_users[0].community_membership, Membership::Member);
    assert_eq!(unbanned.communities[0].members_count, before);
    let promoted = client
        .send(&AddCommunityRoles {
            community_id: &community.community_id,
            user_ids: std::slice::from_ref(&member),
            roles: &["community-moderator".into()],
        })
        .await
        .expect("roles decode");
    assert!(promoted.community_users[0].roles.contains(&"community-moderator".to_owned()));
    let demoted = client
        .send(&RemoveCommunityRoles {
            community_id: &community.community_id,
            user_ids: std::slice::from_ref(&member),
            roles: &["community-moderator".into()],
        })
        .await
        .expect("role removal decodes");
    assert!(!demoted.community_users[0].roles.contains(&"community-moderator".to_owned()));

    let updated = client
        .send(&UpdateCommunity {
            community_id: &community.community_id,
            update: &CommunityUpdate { display_name: Some("Renamed".into()), ..Default::default() },
        })
        .await
        .expect("update decodes");
    assert_eq!(updated.communities[0].display_name, "Renamed");
    assert!(
        client
            .send(&DeleteCommunity { community_id: &community.community_id })
            .await
            .expect("delete decodes")
            .success
    );
    assert!(
        client.send(&GetCommunity { community_id: &community.community_id }).await.expect("soft").communities
            [0]
        .is_deleted
    );
    let names: Vec<String> = events.drain().into_iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        vec![
            "v3.community.didBan",
            "v3.community.didUnban",
            "v3.community.didRoleChange",
            "v3.community.didRoleChange",
            "v3.community.didUpdate",
            "v3.community.didDelete"
        ]
    );
    standin.stop().await;
}
