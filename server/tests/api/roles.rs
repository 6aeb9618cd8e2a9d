//! Roles admin over HTTP: create, edit and delete a Social+ role, grant system roles to a
//! user and community roles to a member, with state checked in the stand-in's database and
//! every change in the audit trail with before and after.

use crate::helpers::{TestApp, expected_users, spawn_app};
use serde_json::Value;
use types::Role;

/// The embedded stand-in's database (next to the console's in the test's folder).
pub async fn standin_db(app: &TestApp) -> sqlx::SqlitePool {
    let path = app.database.with_file_name("standin.sqlite");
    sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("the stand-in database")
}

async fn stored_permissions(app: &TestApp, role_id: &str) -> Option<Vec<String>> {
    let json: Option<String> = sqlx::query_scalar("SELECT permissions FROM roles WHERE role_id = ?")
        .bind(role_id)
        .fetch_optional(&standin_db(app).await)
        .await
        .expect("query");
    json.map(|j| serde_json::from_str(&j).expect("a JSON array"))
}

async fn user_roles(app: &TestApp, user_id: &str) -> Vec<String> {
    let json: String = sqlx::query_scalar("SELECT roles FROM users WHERE user_id = ?")
        .bind(user_id)
        .fetch_one(&standin_db(app).await)
        .await
        .expect("the user exists");
    serde_json::from_str(&json).expect("a JSON array")
}

async fn error_field(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("an AppError");
    (status, body["field"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_role_is_created_edited_granted_and_deleted_with_audit() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let create = [
        ("mode", "create"),
        ("role_id", "it-helper"),
        ("display_name", "Helper"),
        ("permissions[]", "BAN_USER"),
        ("permissions[]", "EDIT_USER"),
    ];
    let created = app.call_form("save_role", &create).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap_or_default());
    assert_eq!(
        stored_permissions(&app, "it-helper").await,
        Some(vec!["BAN_USER".into(), "EDIT_USER".into()])
    );

    assert_eq!(error_field(app.call_form("save_role", &create).await).await, (422, "role_id".into()));
    let bad = [("mode", "create"), ("role_id", "it-other"), ("display_name", ""), ("permissions[]", "FLY")];
    assert_eq!(error_field(app.call_form("save_role", &bad).await).await, (422, "permissions".into()));
    assert_eq!(stored_permissions(&app, "it-other").await, None, "an invalid form changes nothing");

    let listed: Value = app.call_form("list_roles", &[]).await.json().await.expect("overview");
    let row =
        listed["roles"].as_array().and_then(|r| r.iter().find(|r| r["role_id"] == "it-helper")).cloned();
    assert_eq!(row.expect("listed")["display_name"], "Helper");

    let edit = [
        ("mode", "edit"),
        ("role_id", "it-helper"),
        ("display_name", "Helper"),
        ("permissions[]", "MUTE_CHANNEL"),
    ];
    assert_eq!(app.call_form("save_role", &edit).await.status(), 200);
    assert_eq!(stored_permissions(&app, "it-helper").await, Some(vec!["MUTE_CHANNEL".into()]));
    let none = [("mode", "edit"), ("role_id", "it-helper"), ("display_name", "Helper")];
    assert_eq!(app.call_form("save_role", &none).await.status(), 200, "no box checked grants nothing");
    assert_eq!(stored_permissions(&app, "it-helper").await, Some(vec![]));

    let user = expected_users().into_iter().find(|u| !u.is_deleted).expect("a seeded user").user_id;
    let granted = app.call_form("set_user_roles", &[("user_id", &user), ("roles", "it-helper")]).await;
    assert_eq!(granted.status(), 200, "{}", granted.text().await.unwrap_or_default());
    assert_eq!(user_roles(&app, &user).await, ["it-helper"]);
    let unknown = app.call_form("set_user_roles", &[("user_id", &user), ("roles", "nope-role")]).await;
    assert_eq!(error_field(unknown).await, (422, "roles".into()));

    let wrong = app.call_form("delete_role", &[("role_id", "it-helper"), ("confirmation", "yes")]).await;
    assert_eq!(error_field(wrong).await, (422, "confirmation".into()));
    let builtin =
        app.call_form("delete_role", &[("role_id", "moderator"), ("confirmation", "moderator")]).await;
    assert_eq!(error_field(builtin).await, (422, "role_id".into()));
    let deleted =
        app.call_form("delete_role", &[("role_id", "it-helper"), ("confirmation", "it-helper")]).await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(stored_permissions(&app, "it-helper").await, None);
    assert!(user_roles(&app, &user).await.is_empty(), "Social+ takes a deleted role from its holders");

    let created = crate::audit::eventually(&app, "action=role_create").await;
    let entry = created.iter().find(|e| e["outcome"] == "success").expect("the create is audited");
    assert!(entry["after"].as_str().unwrap_or_default().contains("EDIT_USER"), "{entry}");
    let updated = crate::audit::eventually(&app, "action=role_update").await;
    assert!(updated.iter().any(|e| e["before"].as_str().unwrap_or_default().contains("BAN_USER")));
    let deleted = crate::audit::eventually(&app, "action=role_delete").await;
    assert!(deleted.iter().any(|e| e["outcome"] == "success" && e["before"].as_str().is_some()));
    let set = crate::audit::eventually(&app, "action=user_roles_set").await;
    assert!(set[0]["after"].as_str().unwrap_or_default().contains("it-helper"), "{}", set[0]);
}

#[tokio::test]
async fn community_roles_are_granted_to_and_taken_from_a_member() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let db = standin_db(&app).await;
    let (community, member): (String, String) = sqlx::query_as(
        "SELECT community_id, user_id FROM community_members WHERE membership = 'member' ORDER BY community_id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("a seeded member");
    let stored = |db: sqlx::SqlitePool, community: String, member: String| async move {
        let json: String =
            sqlx::query_scalar("SELECT roles FROM community_members WHERE community_id = ? AND user_id = ?")
                .bind(community)
                .bind(member)
                .fetch_one(&db)
                .await
                .expect("member");
        serde_json::from_str::<Vec<String>>(&json).expect("array")
    };
    let form = |change: &'static str| {
        [
            ("community_id", community.clone()),
            ("user_id", member.clone()),
            ("roles", "it-curator".to_owned()),
            ("change", change.to_owned()),
        ]
    };
    let pairs = |f: &[(&'static str, String); 4]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let grant = pairs(&form("grant"));
    let grant: Vec<(&str, &str)> = grant.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.call_form("change_community_roles", &grant).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    assert!(stored(db.clone(), community.clone(), member.clone()).await.contains(&"it-curator".to_owned()));

    let revoke = pairs(&form("revoke"));
    let revoke: Vec<(&str, &str)> = revoke.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_form("change_community_roles", &revoke).await.status(), 200);
    assert!(!stored(db.clone(), community.clone(), member.clone()).await.contains(&"it-curator".to_owned()));

    let trail = crate::audit::eventually(&app, "action=community_roles_change").await;
    assert_eq!(trail.len(), 2, "both changes are audited");
}

#[tokio::test]
async fn a_moderator_cannot_change_roles() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let create = [("mode", "create"), ("role_id", "it-sneaky"), ("display_name", "")];
    assert_eq!(app.call_form("save_role", &create).await.status(), 403);
    assert_eq!(stored_permissions(&app, "it-sneaky").await, None);
}
