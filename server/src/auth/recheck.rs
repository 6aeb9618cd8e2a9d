//! Keeping a live session's role current, so a role taken away at the identity provider does
//! not outlive it in an open browser.
//!
//! * Trusted proxy (`proxy.rs`): the headers are read on every request; a session whose
//!   person or role they no longer match, or that arrives without them, ends.
//! * OIDC (here): at most every `access.recheck_minutes` the gate refreshes the tokens with
//!   the session's refresh token and maps the new ID token's groups again. The session ends
//!   — the person signs in again and gets the role the provider gives now — when there is no
//!   refresh token, the provider refuses it, the new token names someone else, or the role
//!   changed. One refresh per session at a time: requests arriving meanwhile go on with the
//!   role confirmed at most one interval ago.
//!
//! Every ended session is audited (`session_ended`, with the reason).

use super::{
    audit_trail,
    context::SignInContext,
    session::{ConsoleSession, SessionState},
};
use backend::audit::Outcome;
use serde_json::json;
use time::OffsetDateTime;
use types::CurrentUser;

/// Ends `console`'s session of `user` (deleted from the store) and audits why.
pub async fn end_session(
    ctx: &SignInContext,
    console: &ConsoleSession,
    user: &CurrentUser,
    reason: &str,
    request_id: &str,
) {
    tracing::info!(user = %user.id, %reason, "session ended");
    if let Err(error) = console.sign_out().await {
        tracing::error!(%error, "could not end a session");
    }
    let details = json!({ "reason": reason, "method": user.method });
    audit_trail::append(
        &ctx.db,
        "session_ended",
        &user.id,
        Some(user.role.as_str()),
        Outcome::Success,
        request_id,
        details,
    )
    .await;
}

/// Whether an OIDC session whose role is due for a re-check still stands; it is ended (and
/// audited) when not.
pub async fn oidc_still_valid(
    ctx: &SignInContext,
    console: &ConsoleSession,
    user: &CurrentUser,
    request_id: &str,
) -> Result<bool, tower_sessions::session::Error> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let recheck_secs = i64::try_from(ctx.recheck.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(console.role_checked_at().await?) < recheck_secs {
        return Ok(true);
    }
    let Some(session_id) = console.id() else { return Ok(true) };
    let Some(_claim) = Claim::take(ctx, &session_id) else {
        // Another request of this session is re-checking it right now.
        return Ok(true);
    };
    let verdict = match (&ctx.oidc, console.refresh_token().await?) {
        (None, _) => Err("single sign-on is no longer configured".to_owned()),
        (Some(_), None) => Err("no refresh token to re-read the role with".to_owned()),
        (Some(provider), Some(refresh_token)) => match provider.refresh(&refresh_token).await {
            Err(why) => Err(why),
            Ok(refreshed) if format!("oidc:{}", refreshed.subject) != user.id => {
                Err("the provider answered for another person".to_owned())
            }
            Ok(refreshed) => match ctx.groups.role_for(&refreshed.groups) {
                Some(role) if role == user.role => Ok(refreshed),
                Some(role) => {
                    Err(format!("the role changed from {} to {}", user.role.as_str(), role.as_str()))
                }
                None => Err("no configured group any more".to_owned()),
            },
        },
    };
    match verdict {
        Ok(refreshed) => {
            console.role_checked_now().await?;
            console.remember_id_token(refreshed.id_token).await;
            if let Some(rotated) = refreshed.refresh_token {
                console.remember_refresh_token(rotated).await?;
            }
            Ok(true)
        }
        Err(reason) => {
            end_session(ctx, console, user, &reason, request_id).await;
            Ok(false)
        }
    }
}

/// The one re-check of a session in flight; released when dropped.
struct Claim<'a> {
    ctx: &'a SignInContext,
    session_id: String,
}

impl<'a> Claim<'a> {
    fn take(ctx: &'a SignInContext, session_id: &str) -> Option<Self> {
        let mut rechecking = ctx.rechecking.lock().ok()?;
        rechecking.insert(session_id.to_owned()).then(|| Claim { ctx, session_id: session_id.to_owned() })
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Ok(mut rechecking) = self.ctx.rechecking.lock() {
            rechecking.remove(&self.session_id);
        }
    }
}

/// The signed-in user of `console`, whatever its age (to compare with what the proxy says).
pub async fn session_user(console: &ConsoleSession) -> Option<CurrentUser> {
    match console.state(super::session::Lifetime::UNLIMITED).await {
        Ok(SessionState::SignedIn(user)) => Some(user),
        _ => None,
    }
}
