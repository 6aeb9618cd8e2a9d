//! Server functions of the Settings page. Neither ever returns the admin token: only its
//! fingerprint and expiry.

use crate::AppError;
use leptos::prelude::*;
use types::admin_token::AdminTokenInfo;

/// The admin token's fingerprint, expiry and where it is kept.
#[server(endpoint = "get_admin_token_info")]
pub async fn get_admin_token_info() -> Result<AdminTokenInfo, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageAdminToken)?;
    Ok(ctx.services.admin_token.info())
}

/// Asks Social+ for a new admin token (the old one stops working at once), stores it in the
/// secret file and starts using it. `confirmation` must be the word
/// [`types::admin_token::REGENERATE_CONFIRMATION`]; `reason` goes to the audit trail.
#[server(endpoint = "regenerate_admin_token")]
pub async fn regenerate_admin_token(
    confirmation: String,
    reason: String,
) -> Result<AdminTokenInfo, AppError> {
    use backend::{
        admin_token::RegenerateError,
        audit::{Change, Outcome},
    };
    use serde_json::json;
    let ctx = crate::ctx::require(types::Permission::ManageAdminToken)?;
    if confirmation.trim() != types::admin_token::REGENERATE_CONFIRMATION {
        return Err(ctx.invalid(
            "confirmation",
            format!("type “{}” to confirm", types::admin_token::REGENERATE_CONFIRMATION),
        ));
    }
    let reason = reason.trim().chars().take(500).collect::<String>();
    let reason = (!reason.is_empty()).then_some(reason.as_str());
    let token = &ctx.services.admin_token;
    let (outcome, change, result) = match token.regenerate(ctx.services.upstream.as_ref()).await {
        Ok((before, after)) => {
            let change = Change {
                reason,
                before: Some(json!({ "fingerprint": before })),
                after: Some(json!({ "fingerprint": after })),
                upstream_status: Some(200),
            };
            (Outcome::Success, change, Ok(token.info()))
        }
        Err(RegenerateError::NotStorable) => {
            let change = Change { reason, ..Default::default() };
            (
                Outcome::Denied,
                change,
                Err(ctx.invalid("admin_token", RegenerateError::NotStorable.to_string())),
            )
        }
        Err(RegenerateError::Upstream(error)) => {
            let change = Change { reason, upstream_status: error.status(), ..Default::default() };
            (Outcome::Failed, change, Err(ctx.fail(error.into())))
        }
        Err(not_saved @ RegenerateError::NotSaved(_)) => {
            tracing::error!(request_id = %ctx.request_id, error = %not_saved, "new admin token not saved");
            let change = Change { reason, upstream_status: Some(200), ..Default::default() };
            (Outcome::Failed, change, Err(ctx.invalid("admin_token_file", not_saved.to_string())))
        }
    };
    ctx.record("regenerate_admin_token", Some("admin_token"), outcome, change).await;
    result
}
