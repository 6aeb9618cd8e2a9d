//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so they work without WASM.
//! Sign-ins (successful or not) and sign-outs are audited. Bootstrap attempts are limited per
//! client address and per user name; a break-glass bootstrap sign-in is logged at error level.

use super::{ConsoleSession, audit_trail, context::SignInContext, rate_limit, safe_next};
use app::state::AppState;
use axum::{
    Extension, Form,
    extract::{ConnectInfo, State},
    http::HeaderMap,
    response::{Html, IntoResponse, Redirect, Response},
};
use backend::audit::Outcome;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;
use std::{net::SocketAddr, sync::Arc};
use tower_sessions::Session;
use types::access::SignInMethod;

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
    Extension(ctx): Extension<Arc<SignInContext>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let request_id = app::ctx::request_id_of(&headers);
    let client_ip = ctx.client_ip(peer, &headers);
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
    // Both budgets are spent on every attempt, so neither many names from one address nor
    // one name from many addresses gets far.
    let (address_ok, name_ok) = (ctx.limiter.allow_address(client_ip), ctx.limiter.allow_name(&tried));
    if !(address_ok && name_ok) {
        tracing::warn!(client = %client_ip, username = %tried, "sign-in attempts over the limit");
        return rate_limit::too_many();
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
    if ctx.break_glass {
        tracing::error!(user = %user.id, client = %client_ip, "BREAK-GLASS sign-in with the bootstrap admin");
    } else {
        tracing::info!(user = %user.id, "signed in");
    }
    record(
        &state,
        "sign_in",
        &user.id,
        Some(user.role.as_str()),
        Outcome::Success,
        &request_id,
        json!({"method": "bootstrap", "break_glass": ctx.break_glass}),
    )
    .await;
    Redirect::to(&next).into_response()
}

/// Ends the session; after an OIDC sign-in, also at the provider when it supports
/// RP-initiated logout.
pub async fn logout(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<SignInContext>>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let user = session.get::<types::CurrentUser>("user").await.ok().flatten();
    let console = ConsoleSession(session);
    let id_token = console.id_token().await;
    if let Err(error) = console.sign_out().await {
        tracing::error!(%error, "could not end the session");
    }
    let at_provider = match (&ctx.oidc, &user) {
        (Some(provider), Some(user)) if user.method == SignInMethod::Oidc => {
            provider.logout_url(id_token.as_deref()).await
        }
        _ => None,
    };
    if let Some(user) = user {
        tracing::info!(user = %user.id, "signed out");
        let id = app::ctx::request_id_of(&headers);
        record(&state, "sign_out", &user.id, Some(user.role.as_str()), Outcome::Success, &id, json!({}))
            .await;
    }
    match at_provider {
        Some(url) => leave_for_provider(&url),
        None => Redirect::to("/login?signed_out=1").into_response(),
    }
}

/// A page that moves on to the provider's end-session endpoint. Not a redirect: sign-out is
/// a form post, and the page CSP's `form-action 'self'` would block a redirect of it to
/// another origin; a meta refresh is an ordinary navigation.
fn leave_for_provider(url: &str) -> Response {
    let url = html_escape(url);
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\"><title>Signing out</title></head>\
         <body><p>You are signed out of the console. \
         <a id=\"idp-logout\" href=\"{url}\">Continue to sign out at your identity provider</a>.</p>\
         </body></html>"
    ))
    .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
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
    audit_trail::append(&state.services.db, action, actor, role, outcome, request_id, details).await;
}
