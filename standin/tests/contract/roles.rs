//! Roles: `GET /api/v3/roles`, `POST /api/v3/roles`, `GET /api/v3/roles/{roleId}`,
//! `PUT /api/v3/roles/{roleId}`, `DELETE /api/v3/roles/{roleId}`.

use crate::{
    openapi::Spec,
    support::{admin, assert_error, assert_response, client, some_user, standin},
};
use serde_json::json;
use upstream::endpoints::{
    roles::{CreateRole, DeleteRole, GetRole, QueryRoles, UpdateRole},
    users::{GetUser, UpdateUser},
};
use upstream::{
    endpoints::roles::{RoleQuery, RoleSortBy},
    wire::{RoleInput, UserUpdate},
};

#[tokio::test]
async fn every_role_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v3/roles"),
        ("POST", "/api/v3/roles"),
        ("GET", "/api/v3/roles/{roleId}"),
        ("PUT", "/api/v3/roles/{roleId}"),
        ("DELETE", "/api/v3/roles/{roleId}"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn roles_answers_conform_to_the_role_response() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let (status, body) = admin(&standin, "GET", "/api/v3/roles?keyword=&sortBy=displayName", None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "GET", "/api/v3/roles", "200", &body);
    assert!(body["data"].as_array().is_some_and(|roles| roles.len() >= 2));
    let create = json!({ "roleId": "editor", "displayName": "Editor", "permissions": ["EDIT_USER"] });
    let (_, body) = admin(&standin, "POST", "/api/v3/roles", Some(create)).await;
    assert_response(&mut spec, "POST", "/api/v3/roles", "200", &body);
    let (_, body) = admin(&standin, "GET", "/api/v3/roles/editor", None).await;
    assert_response(&mut spec, "GET", "/api/v3/roles/{roleId}", "200", &body);
    let update = json!({ "roleId": "editor", "permissions": ["EDIT_USER", "BAN_USER"] });
    let (_, body) = admin(&standin, "PUT", "/api/v3/roles/editor", Some(update)).await;
    assert_response(&mut spec, "PUT", "/api/v3/roles/{roleId}", "200", &body);
    let (_, body) = admin(&standin, "DELETE", "/api/v3/roles/editor", None).await;
    assert_response(&mut spec, "DELETE", "/api/v3/roles/{roleId}", "200", &body);
    assert_eq!(body["data"][0]["isDeleted"], true);

    let missing_keyword = admin(&standin, "GET", "/api/v3/roles", None).await;
    assert_error(&mut spec, &missing_keyword, 400, 400_000, "keyword is required");
    let gone = admin(&standin, "GET", "/api/v3/roles/editor", None).await;
    assert_error(&mut spec, &gone, 404, 400_400, "deleted role");
    standin.stop().await;
}

#[tokio::test]
async fn role_crud_through_the_client_changes_what_users_hold() {
    let standin = standin().await;
    let client = client(&standin);
    let role = RoleInput {
        role_id: "event-host".into(),
        display_name: Some("Event host".into()),
        permissions: vec!["EDIT_USER".into()],
    };
    let created = client.send(&CreateRole(&role)).await.expect("create");
    assert_eq!(created.data[0].role_id, "event-host");
    let duplicate = client.send(&CreateRole(&role)).await.expect_err("duplicate");
    assert_eq!((duplicate.status(), duplicate.code()), (Some(400), Some(400_315)));
    let invented = RoleInput { role_id: "x".into(), permissions: vec!["FLY".into()], ..Default::default() };
    assert_eq!(
        client.send(&CreateRole(&invented)).await.expect_err("unknown permission").code(),
        Some(400_000)
    );

    let user = some_user(&standin, 0).await;
    client
        .send(&UpdateUser(&UserUpdate {
            user_id: user.clone(),
            roles: Some(vec!["event-host".into()]),
            ..Default::default()
        }))
        .await
        .expect("grant");
    let updated = client
        .send(&UpdateRole(&RoleInput {
            permissions: vec!["EDIT_USER".into(), "BAN_USER".into()],
            ..role.clone()
        }))
        .await
        .expect("update");
    assert_eq!(updated.data[0].permissions, vec!["EDIT_USER", "BAN_USER"]);
    assert_eq!(updated.data[0].display_name.as_deref(), Some("Event host"), "kept when not sent");
    let holder = client.send(&GetUser { user_id: &user }).await.expect("get").users.remove(0);
    assert!(holder.permissions.contains(&"BAN_USER".to_owned()), "holders get the new permissions");

    let found = client
        .send(&QueryRoles(&RoleQuery {
            keyword: "EVENT".into(),
            sort_by: RoleSortBy::DisplayName,
            ..Default::default()
        }))
        .await
        .expect("query");
    assert_eq!(found.data.iter().map(|r| r.role_id.as_str()).collect::<Vec<_>>(), vec!["event-host"]);

    let deleted = client.send(&DeleteRole { role_id: "event-host" }).await.expect("delete");
    assert!(deleted.data[0].is_deleted);
    let holder = client.send(&GetUser { user_id: &user }).await.expect("get").users.remove(0);
    assert!(holder.roles.is_empty(), "the deleted role is taken from its holders: {:?}", holder.roles);
    assert!(client.send(&GetRole { role_id: "event-host" }).await.expect_err("gone").is_not_found());
    let system = client.send(&DeleteRole { role_id: "admin" }).await.expect_err("system role");
    assert_eq!((system.status(), system.code()), (Some(403), Some(400_301)));
    standin.stop().await;
}
