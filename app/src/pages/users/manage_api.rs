//! Server functions of the user forms: create, edit profile, clear flags, delete.
//!
//! They take form-encoded arguments so each `ActionForm` posts without WASM too (the
//! server's Origin / Sec-Fetch-Site check guards them against other sites). Every call
//! checks its permission first, validates with the same pure validators the browser uses
//! (`types::users::forms`), and writes one audit entry with the user's state before and
//! after (or the failure). Field problems come back as `InvalidInput { field, .. }` so the
//! form can put the message under the right field.

use crate::AppError;
use leptos::prelude::*;
use types::users::UserChanged;

/// Creates a user through session registration with the network's API key (the upstream
/// way), then sets description and metadata. Answers with the new user; without WASM the
/// browser is sent to the new user's page.
#[server(endpoint = "user_create")]
pub async fn create_user(
    user_id: String,
    display_name: String,
    description: String,
    metadata: String,
) -> Result<UserChanged, AppError> {
    use types::users::forms::NewUserInput;
    server::plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::EditUsers)?;
        let input = NewUserInput { user_id, display_name, description, metadata };
        let new = input.validate().map_err(|errors| server::field_error(&ctx, &errors))?;
        backend::users::manage::create(&ctx.services, &ctx.actor, &new).await?;
        leptos_axum::redirect(&format!("/users/{}", types::url::encode_component(&new.user_id)));
        Ok(UserChanged { user_id: new.user_id.clone(), summary: format!("Created {}.", new.display_name) })
    })
    .await
}

/// Sets display name, description, avatar URL, roles and metadata in one update. Changing
/// the roles also needs the role-management permission.
#[server(endpoint = "user_update_profile")]
pub async fn update_user_profile(
    user_id: String,
    display_name: String,
    description: String,
    avatar_custom_url: String,
    roles: String,
    metadata: String,
    reason: Option<String>,
) -> Result<UserChanged, AppError> {
    use types::users::forms::ProfileInput;
    server::plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::EditUsers)?;
        let input = ProfileInput { display_name, description, avatar_custom_url, roles, metadata };
        let profile = input.validate().map_err(|errors| server::field_error(&ctx, &errors))?;
        backend::users::manage::update_profile(
            &ctx.services,
            &ctx.actor,
            &user_id,
            &profile,
            reason.as_deref(),
        )
        .await?;
        Ok(UserChanged { user_id, summary: "Profile saved.".into() })
    })
    .await
}

/// Clears every flag on the user.
#[server(endpoint = "user_clear_flags")]
pub async fn clear_user_flags(user_id: String, reason: Option<String>) -> Result<UserChanged, AppError> {
    server::plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::EditUsers)?;
        backend::users::manage::clear_flags(&ctx.services, &ctx.actor, &user_id, reason.as_deref()).await?;
        Ok(UserChanged { user_id, summary: "Flags cleared.".into() })
    })
    .await
}

/// Deletes the user after the typed confirmation (the user id). The hard-delete options
/// remove their content for good and need the permanent-deletion permission.
#[server(endpoint = "user_delete")]
pub async fn delete_user(
    user_id: String,
    confirmation: String,
    delete_all: Option<String>,
    hard_delete_post: Option<String>,
    hard_delete_comment: Option<String>,
    mark_message_deleted: Option<String>,
    reason: Option<String>,
) -> Result<UserChanged, AppError> {
    use types::users::forms::{DeleteOptions, check_delete_confirmation, checkbox};
    server::plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::DeleteUsers)?;
        check_delete_confirmation(&user_id, &confirmation).map_err(|m| ctx.invalid("confirmation", m))?;
        let options = DeleteOptions {
            delete_all: checkbox(&delete_all),
            hard_delete_post: checkbox(&hard_delete_post),
            hard_delete_comment: checkbox(&hard_delete_comment),
            mark_message_deleted: checkbox(&mark_message_deleted),
        };
        backend::users::manage::delete(&ctx.services, &ctx.actor, &user_id, options, reason.as_deref())
            .await?;
        Ok(UserChanged { user_id, summary: "User deleted.".into() })
    })
    .await
}

/// Global ban (until lifted, or timed: `amount` `unit`), unban, or revoke all sessions, as
/// a plain form over the moderation actions' back end (`apply_action` takes JSON, which a
/// form without WASM cannot send). `action` is `ban`, `timed_ban`, `unban` or
/// `revoke_sessions`. The moderation back end audits each step on `user:<id>`.
#[server(endpoint = "user_sanction")]
pub async fn sanction_user(
    user_id: String,
    action: String,
    amount: Option<String>,
    unit: Option<String>,
    reason_code: String,
    reason_text: Option<String>,
) -> Result<types::moderation::ActionReport, AppError> {
    use types::moderation::{Action, ActionRequest, BanScope, Reason, Target};
    server::plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::BanUsers)?;
        let action = match action.as_str() {
            "ban" => Action::Ban { scope: BanScope::Global, until: None },
            "timed_ban" => {
                let seconds = types::users::forms::parse_ban_duration(
                    amount.as_deref().unwrap_or_default(),
                    unit.as_deref().unwrap_or_default(),
                )
                .map_err(|m| ctx.invalid("amount", m))?;
                Action::Ban {
                    scope: BanScope::Global,
                    until: Some(backend::users::manage::ban_until(seconds)),
                }
            }
            "unban" => Action::Unban { scope: BanScope::Global },
            "revoke_sessions" => Action::RevokeSessions,
            other => return Err(ctx.invalid("action", format!("“{other}” is not an action of this form."))),
        };
        let request = ActionRequest {
            target: Target::User { id: user_id },
            actions: vec![action],
            reason: Reason { code: reason_code, text: reason_text.unwrap_or_default() },
        };
        let report = backend::moderation::apply(&ctx.services, &ctx.actor, request).await?;
        // A failed step is the form's answer (the page then shows the state Social+ reports).
        match report.failure() {
            Some(message) => Err(ctx.invalid("action", message.to_owned())),
            None => Ok(report),
        }
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    //! What the user forms' server functions share.

    use crate::{AppError, ctx::Ctx};
    use leptos::prelude::*;
    use types::users::forms::FieldErrors;

    /// Runs a form's server function. A plain form post (no WASM: the browser accepts HTML)
    /// that fails must stay a redirect back to the form, which then shows the error from the
    /// URL; the error statuses set along the way would otherwise turn it into a JSON page.
    pub async fn plain_form<T>(work: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        let result = work.await;
        let accepts_html = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if result.is_err()
            && accepts_html
            && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        {
            response.set_status(http::StatusCode::FOUND);
        }
        result
    }

    /// The first field problem as a 422 for that field.
    pub fn field_error(ctx: &Ctx, errors: &FieldErrors) -> AppError {
        match errors.first() {
            Some(first) => ctx.invalid(&first.field, first.message.clone()),
            None => ctx.invalid("form", "The form is not valid.".into()),
        }
    }
}
