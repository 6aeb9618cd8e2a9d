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
    let ctx = crate::ctx::require(types::Permission::ManageAdminToken)?;
    Ok(backend::admin_token::regenerate_for(&ctx.services, &ctx.actor, &confirmation, &reason).await?)
}
