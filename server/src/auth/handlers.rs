//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so they work without WASM.
//! Attempts are limited per client network and per user name before anything else runs;
//! refused ones reach the audit trail aggregated ([`super::attempts`]), successful sign-ins
//! and sign-outs one row each. Password checks run under a global ceiling
//! ([`super::rate_limit::PasswordWork`]). A break-glass bootstrap sign-in is logged at error
//! level.

use super::{
    ConsoleSession, address,
    attempts::{self, Refused},
    audit_trail,
    context::SignInContext,
    rate_limit, safe_next,
};
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
    if form.username.trim().is_empty() || form.password.is_empty() {
        return back("missing");
    }
    // The name tried is recorded, cleaned and capped, for refused attempts; the password never is.
    let tried = attempts::clean_name(&form.username);
    let refused = |outcome: Outcome, code: &'static str, reason: &'static str| Refused {
        method: "bootstrap",
        name: &tried,
        network: address::network_of(client_ip),
        outcome,
        code,
        reason,
        request_id: &request_id,
    };
    // First: an attempt over the limit costs one map lookup, no hash and no audit row of its
    // own; a flood's is answered a second late.
    if !ctx.limiter.allow_attempt(client_ip, &tried) {
        let refusals =
            refuse(&ctx, refused(Outcome::Denied, "over_limit", "over the sign-in attempt limit")).await;
        ctx.tarpit.hold(refusals).await;
        return rate_limit::too_many();
    }
    let Some(admin) = state.services.bootstrap.clone() else {
        refuse(&ctx, refused(Outcome::Denied, "disabled", "bootstrap admin disabled")).await;
        return back("disabled");
    };
    let verified = {
        let Some(_slot) = ctx.password_work.enter().await else {
            refuse(&ctx, refused(Outcome::Denied, "busy", "every password-check slot was busy")).await;
            return rate_limit::busy();
        };
        admin.verify(&tried, SecretString::from(form.password)).await
    };
    let user = match verified {
        Ok(Some(user)) => user,
        Ok(None) => {
            refuse(&ctx, refused(Outcome::Failed, "wrong_password", "wrong name or password")).await;
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

/// Counts a refused attempt; logs it at warn level when it made an audit row (the first of
/// its episode, or a summary), so a flood does not flood the log either. Returns the
/// attempts of its network's episode so far.
async fn refuse(ctx: &SignInContext, attempt: Refused<'_>) -> u64 {
    let noted = ctx.attempts.note(&attempt).await;
    if noted.wrote_row {
        tracing::warn!(network = %attempt.network, name = attempt.name, reason = attempt.reason, "sign-in refused");
    } else {
        tracing::debug!(network = %attempt.network, name = attempt.name, reason = attempt.reason, "sign-in refused");
    }
    noted.attempts
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
