//! Issue 13, finding 5: a role changed at the identity provider reaches live sessions. Behind
//! a trusted proxy the headers decide on every request; an OIDC session re-reads its groups
//! with its refresh token after `access.recheck_minutes`; an admin session has a shorter
//! absolute life. "Time passes" by ageing the stored session.

use crate::{
    fake_idp::{Claims, FakeIdp, callback, state_and_nonce, token},
    helpers::{TestApp, location, spawn_app_with},
    proxy::{behind_proxy, current_user, get_as},
};
use serde_json::Value;
use types::Role;

/// One audit entry: who, and its details as JSON text.
#[derive(Debug, sqlx::FromRow)]
struct Audited {
    actor_id: String,
    details: String,
}

/// Audit entries of `action`, oldest first.
async fn audited(app: &TestApp, action: &str) -> Vec<Audited> {
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    sqlx::query_as("SELECT actor_id, details FROM audit_log WHERE action = ? ORDER BY id")
        .bind(action)
        .fetch_all(&db)
        .await
        .expect("audit")
}

mod trusted_proxy {
    use super::*;

    const ANN_ADMIN: [(&str, &str); 2] =
        [("x-forwarded-user", "ann"), ("x-forwarded-groups", "console-admins")];

    #[tokio::test]
    async fn finding_5_a_role_taken_away_at_the_proxy_ends_the_session_at_the_next_request() {
        let app = behind_proxy("127.0.0.1/32").await;
        assert_eq!(get_as(&app, "/users", &ANN_ADMIN).await.status(), 200);
        let admin_session = app.session_id().expect("a session");
        assert_eq!(current_user(&app, &ANN_ADMIN).await["role"], "admin");

        let ann_viewer = [("x-forwarded-user", "ann"), ("x-forwarded-groups", "staff")];
        assert_eq!(
            current_user(&app, &ann_viewer).await["role"],
            "viewer",
            "the next request has the new role"
        );
        assert_eq!(app.session_data(&admin_session).await, None, "the admin session is gone from the store");
        assert_ne!(app.session_id().as_deref(), Some(admin_session.as_str()), "a new session id");
        let ended = audited(&app, "session_ended").await;
        assert!(
            ended.iter().any(|e| e.actor_id == "proxy:ann" && e.details.contains("the role changed")),
            "{ended:?}"
        );

        let ann_nobody = [("x-forwarded-user", "ann"), ("x-forwarded-groups", "marketing")];
        assert_eq!(get_as(&app, "/users", &ann_nobody).await.status(), 403, "no group, no access");
        assert_eq!(current_user(&app, &[]).await, Value::Null, "and no session left");
    }

    #[tokio::test]
    async fn finding_5_a_proxy_session_reached_without_identity_headers_ends() {
        let app = behind_proxy("127.0.0.1/32").await;
        assert_eq!(get_as(&app, "/users", &ANN_ADMIN).await.status(), 200);
        let session = app.session_id().expect("a session");

        let response = get_as(&app, "/users", &[]).await;
        assert_eq!(response.status(), 303, "treated as signed out");
        assert!(location(&response).starts_with("/login"), "{}", location(&response));
        assert_eq!(app.session_data(&session).await, None, "the session is deleted, not just skipped");
        let ended = audited(&app, "session_ended").await;
        assert!(ended.iter().any(|e| e.details.contains("the proxy sent no identity")), "{ended:?}");
    }

    #[tokio::test]
    async fn finding_5_another_person_behind_the_proxy_never_inherits_the_session() {
        let app = behind_proxy("127.0.0.1/32").await;
        assert_eq!(get_as(&app, "/users", &ANN_ADMIN).await.status(), 200);
        let session = app.session_id().expect("a session");
        let bob = [("x-forwarded-user", "bob"), ("x-forwarded-groups", "staff")];
        let user = current_user(&app, &bob).await;
        assert_eq!((user["id"].as_str(), user["role"].as_str()), (Some("proxy:bob"), Some("viewer")));
        assert_eq!(app.session_data(&session).await, None);
    }
}

mod oidc {
    use super::*;

    /// A console signing in with `idp`, signed in as carol (an admin) whose sign-in handed
    /// out `refresh_token`; answers the session id.
    async fn signed_in(idp: &FakeIdp, refresh_token: Option<&str>) -> (TestApp, String) {
        let app = crate::oidc::sso_app(&idp.issuer).await;
        let (state, nonce) = state_and_nonce(&crate::oidc::start_sign_in(&app, "/users").await);
        idp.will_issue(token(&idp.genuine(&nonce)));
        if let Some(refresh_token) = refresh_token {
            idp.will_hand_out_refresh_token(refresh_token);
        }
        assert_eq!(callback(&app, &state).await, "/users");
        assert_eq!(app.get("/users").await.status(), 200);
        let session = app.session_id().expect("a session");
        (app, session)
    }

    /// An ID token the provider issues on refresh, for carol with `groups`.
    fn refreshed(idp: &FakeIdp, groups: &[&str]) -> String {
        token(&Claims {
            nonce: None,
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            ..idp.genuine("")
        })
    }

    /// Moves the session's last role check past `access.recheck_minutes` (15 by default).
    async fn recheck_due(app: &TestApp, session: &str) {
        app.age_session(session, "role_checked_at", 16 * 60).await;
    }

    #[tokio::test]
    async fn finding_5_a_role_changed_at_the_provider_ends_the_session_at_the_next_recheck() {
        let idp = FakeIdp::start().await;
        let (app, session) = signed_in(&idp, Some("rt-1")).await;
        idp.on_refresh(Some(refreshed(&idp, &["mods"])));
        assert_eq!(app.get("/users").await.status(), 200, "not due yet: no refresh");
        assert!(idp.refreshed_with().is_empty());

        recheck_due(&app, &session).await;
        let response = app.get("/users").await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).contains("error=access_changed"), "{}", location(&response));
        assert_eq!(idp.refreshed_with(), ["rt-1"]);
        assert_eq!(app.session_data(&session).await, None, "the session is deleted");
        let ended = audited(&app, "session_ended").await;
        assert!(
            ended.iter().any(|e| e.actor_id == "oidc:carol" && e.details.contains("from admin to moderator")),
            "{ended:?}"
        );
    }

    #[tokio::test]
    async fn finding_5_an_unchanged_role_is_confirmed_by_a_refresh_and_the_session_goes_on() {
        let idp = FakeIdp::start().await;
        let (app, session) = signed_in(&idp, Some("rt-1")).await;
        idp.on_refresh(Some(refreshed(&idp, &["console-admins"])));
        recheck_due(&app, &session).await;
        assert_eq!(app.get("/users").await.status(), 200);
        assert_eq!(app.get("/users").await.status(), 200, "confirmed: the next request does not refresh");
        assert_eq!(idp.refreshed_with(), ["rt-1"]);

        recheck_due(&app, &session).await;
        assert_eq!(app.get("/users").await.status(), 200);
        assert_eq!(idp.refreshed_with(), ["rt-1", "rt-2"], "the rotated refresh token is used next");
    }

    #[tokio::test]
    async fn finding_5_a_refused_refresh_or_none_at_all_ends_the_session() {
        let idp = FakeIdp::start().await;
        let (app, session) = signed_in(&idp, Some("rt-1")).await;
        idp.on_refresh(None);
        recheck_due(&app, &session).await;
        let refused = app.call("get_current_user", serde_json::json!({})).await;
        assert_eq!(refused.status(), 401, "a server function gets 401");
        assert_eq!(app.session_data(&session).await, None);

        let idp = FakeIdp::start().await;
        let (app, session) = signed_in(&idp, None).await;
        recheck_due(&app, &session).await;
        let response = app.get("/users").await;
        assert!(location(&response).contains("error=access_changed"), "no refresh token: sign in again");
        assert!(idp.refreshed_with().is_empty());
    }
}

#[tokio::test]
async fn finding_5_an_admin_session_ends_after_admin_session_hours_and_others_keep_theirs() {
    let app = spawn_app_with(|s| {
        s.session.absolute_hours = 12;
        s.access.admin_session_hours = 2;
    })
    .await;
    app.sign_in_with_role(Role::Moderator).await;
    let moderator = app.session_id().expect("a session");
    app.age_session(&moderator, "signed_in_at", 3 * 3600).await;
    assert_eq!(app.get("/users").await.status(), 200, "three hours is fine for a moderator");

    app.sign_in_with_role(Role::Admin).await;
    let admin = app.session_id().expect("a session");
    app.age_session(&admin, "signed_in_at", 3600).await;
    assert_eq!(app.get("/users").await.status(), 200, "one hour is fine for an admin");
    app.age_session(&admin, "signed_in_at", 2 * 3600).await;
    let response = app.get("/users").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).contains("error=expired"), "{}", location(&response));
}
