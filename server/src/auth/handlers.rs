//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so they work without WASM.
//! Sign-ins (successful or not) and sign-outs are audited.

use super::{ConsoleSession, safe_next};
use app::state::AppState;
use axum::{
    Form,
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use backend::audit::{self, Entry, Outcome};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Checks the bootstrap admin's credentials and starts a session.
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let request_id = app::ctx::request_id_of(&headers);
    let next = safe_next(&form.next);
    let back = |error: &str| {
        Redirect::to(&format!("/login?error={error}&next={}", types::url::encode_component(&next)))
            .into_response()
    };
    // The name tried is recorded, capped, for failed attempts; the password never is.
    let tried: String = form.username.trim().chars().take(100).collect();
    let Some(admin) = state.services.bootstrap.clone() else {
        record(
            &state,
            "sign_in",
            &tried,
            None,
            Outcome::Denied,
            &request_id,
            json!({"reason": "bootstrap admin disabled"}),
        )
        .await;
        return back("disabled");
    };
    if tried.is_empty() || form.password.is_empty() {
        return back("missing");
    }
    let user = match admin.verify(&tried, SecretString::from(form.password)).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::warn!(username = %tried, "sign-in failed");
            record(
                &state,
                "sign_in",
                &tried,
                None,
                Outcome::Failed,
                &request_id,
                json!({"method": "bootstrap"}),
            )
            .await;
            return back("invalid");
        }
        Err(error) => {
            tracing::error!(%error, "sign-in check failed");
            return back("invalid");
        }
    };
    if let Err(error) = ConsoleSession(session).sign_in(&user).await {
        tracing::error!(%error, "could not start a session");
        return back("invalid");
    }
    tracing::info!(user = %user.id, "signed in");
    record(
        &state,
        "sign_in",
        &user.id,
        Some(user.role.as_str()),
        Outcome::Success,
        &request_id,
        json!({"method": "bootstrap"}),
    )
    .await;
    Redirect::to(&next).into_response()
}

/// Ends the session.
pub async fn logout(State(state): State<AppState>, session: Session, headers: HeaderMap) -> Response {
    let user = session.get::<types::CurrentUser>("user").await.ok().flatten();
    if let Err(error) = ConsoleSession(session).sign_out().await {
        tracing::error!(%error, "could not end the session");
    }
    if let Some(user) = user {
        tracing::info!(user = %user.id, "signed out");
        let id = app::ctx::request_id_of(&headers);
        record(&state, "sign_out", &user.id, Some(user.role.as_str()), Outcome::Success, &id, json!({}))
            .await;
    }
    Redirect::to("/login?signed_out=1").into_response()
}

async fn record(
    state: &AppState,
    action: &str,
    actor: &str,
    role: Option<&str>,
    outcome: Outcome,
    request_id: &str,
    details: serde_json::Value,
) {
    let entry = Entry {
        actor_id: actor,
        actor_role: role,
        action,
        target: None,
        outcome,
        request_id: Some(request_id),
        details,
    };
    if let Err(error) = audit::append(&state.services.db, &entry).await {
        tracing::error!(%error, "could not write the audit entry");
    }
}
