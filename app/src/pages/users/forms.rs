//! The user forms: each an `ActionForm` (posts without WASM), enhanced after hydration with
//! the shared validators so field errors show before anything is sent. Server-side field
//! errors (`InvalidInput { field }`) land under the same field.

use super::manage_api::{ClearUserFlags, CreateUser, DeleteUser, UpdateUserProfile};
use crate::{AppError, components::ErrorView};
use leptos::prelude::*;
use types::users::{
    UserChanged, UserDetail,
    forms::{
        FieldErrors, METADATA_MAX_BYTES, NewUserInput, ProfileInput, check_delete_confirmation,
        metadata_bytes, parse_metadata,
    },
};

/// An action's answer as a plain signal.
fn answer<T: Clone + Send + Sync + 'static>(
    value: MappedSignal<Option<Result<T, AppError>>>,
) -> Signal<Option<Result<T, AppError>>> {
    Signal::derive(move || value.get())
}

/// The message for `field`: the browser's own check first, else the server's answer.
fn field_message<T: Clone + Send + Sync + 'static>(
    field: &'static str,
    client: RwSignal<FieldErrors>,
    server: Signal<Option<Result<T, AppError>>>,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        if let Some(message) = client.read().get(field) {
            return Some(message.to_owned());
        }
        match server.read().as_ref() {
            Some(Err(AppError::InvalidInput { field: f, message })) if f == field => Some(message.clone()),
            _ => None,
        }
    }
}

/// A field's error line, linked from the input by `aria-describedby`.
#[component]
fn FieldError(
    id: &'static str,
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        {move || message().map(|m| view! { <p class="users-field-error" id=id role="alert">{m}</p> })}
    }
}

/// What an action answered: a success line, or the error unless a field shows it.
#[component]
fn Outcome(value: Signal<Option<Result<UserChanged, AppError>>>) -> impl IntoView {
    move || match value.get() {
        Some(Ok(changed)) => {
            view! { <p class="alert alert--success" role="status">{changed.summary}</p> }.into_any()
        }
        Some(Err(AppError::InvalidInput { .. })) | None => ().into_any(),
        Some(Err(error)) => view! { <ErrorView error /> }.into_any(),
    }
}

/// The metadata editor: live syntax and size check while typing.
#[component]
fn MetadataEditor(
    id: &'static str,
    text: RwSignal<String>,
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let status = move || match parse_metadata(&text.read()) {
        Ok(map) => {
            let bytes = metadata_bytes(&map);
            format!("Valid JSON · {bytes} of {METADATA_MAX_BYTES} bytes")
        }
        Err(problem) => problem,
    };
    let error_id = "metadata-error";
    view! {
        <div class="field">
            <label for=id>"Metadata (JSON object)"</label>
            <textarea
                id=id
                name="metadata"
                rows="8"
                spellcheck="false"
                class="users-json"
                aria-describedby=format!("{error_id} {id}-status")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            >
                {text.get_untracked()}
            </textarea>
            <p class="users-hint" id=format!("{id}-status") aria-live="polite">{status}</p>
            <FieldError id=error_id message />
        </div>
    }
}

/// Create a user (on the Users page).
#[component]
pub fn CreateUserForm() -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let value = answer(action.value());
    let client = RwSignal::new(FieldErrors::default());
    let user_id = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let metadata = RwSignal::new(String::new());
    let check = move |ev: leptos::ev::MouseEvent| {
        let input = NewUserInput {
            user_id: user_id.get_untracked(),
            display_name: display_name.get_untracked(),
            description: description.get_untracked(),
            metadata: metadata.get_untracked(),
        };
        match input.validate() {
            Ok(_) => client.set(FieldErrors::default()),
            Err(errors) => {
                ev.prevent_default();
                client.set(errors);
            }
        }
    };
    let message = move |field| field_message(field, client, value);
    let opened = move || value.read().as_ref().is_some_and(Result::is_err);
    view! {
        <details class="card users-create" open=opened>
            <summary>"New user"</summary>
            <p class="users-hint">"Social+ creates users when they first register a session; the console does that with the network's API key, then sets the description and metadata."</p>
            <ActionForm action>
                <div class="field">
                    <label for="new-user-id">"User id"</label>
                    <input id="new-user-id" name="user_id" type="text" required autocomplete="off" maxlength="50"
                        aria-describedby="new-user-id-error"
                        on:input=move |ev| user_id.set(event_target_value(&ev)) />
                    <FieldError id="new-user-id-error" message=message("user_id") />
                </div>
                <div class="field">
                    <label for="new-display-name">"Display name"</label>
                    <input id="new-display-name" name="display_name" type="text" required maxlength="100"
                        aria-describedby="new-display-name-error"
                        on:input=move |ev| display_name.set(event_target_value(&ev)) />
                    <FieldError id="new-display-name-error" message=message("display_name") />
                </div>
                <div class="field">
                    <label for="new-description">"Description"</label>
                    <input id="new-description" name="description" type="text" maxlength="500"
                        aria-describedby="new-description-error"
                        on:input=move |ev| description.set(event_target_value(&ev)) />
                    <FieldError id="new-description-error" message=message("description") />
                </div>
                <MetadataEditor id="new-metadata" text=metadata message=message("metadata") />
                <button type="submit" class="button" on:click=check disabled=move || action.pending().get()>
                    "Create user"
                </button>
            </ActionForm>
            <Outcome value />
        </details>
    }
}

/// Edit display name, description, avatar URL, roles and metadata.
#[component]
pub fn ProfileForm(user: UserDetail, action: ServerAction<UpdateUserProfile>) -> impl IntoView {
    let value = answer(action.value());
    let client = RwSignal::new(FieldErrors::default());
    let display_name = RwSignal::new(user.row.display_name.clone());
    let description = RwSignal::new(user.description.clone());
    let avatar = RwSignal::new(user.avatar_custom_url.clone().unwrap_or_default());
    let roles = RwSignal::new(user.row.roles.join(", "));
    let metadata = RwSignal::new(user.metadata_json.clone());
    let check = move |ev: leptos::ev::MouseEvent| {
        let input = ProfileInput {
            display_name: display_name.get_untracked(),
            description: description.get_untracked(),
            avatar_custom_url: avatar.get_untracked(),
            roles: roles.get_untracked(),
            metadata: metadata.get_untracked(),
        };
        match input.validate() {
            Ok(_) => client.set(FieldErrors::default()),
            Err(errors) => {
                ev.prevent_default();
                client.set(errors);
            }
        }
    };
    let message = move |field| field_message(field, client, value);
    view! {
        <section class="card card--wide" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"Edit profile"</h2>
            <ActionForm action>
                <input type="hidden" name="user_id" value=user.row.user_id.clone() />
                <div class="field">
                    <label for="edit-display-name">"Display name"</label>
                    <input id="edit-display-name" name="display_name" type="text" maxlength="100"
                        aria-describedby="edit-display-name-error"
                        value=display_name.get_untracked()
                        on:input=move |ev| display_name.set(event_target_value(&ev)) />
                    <FieldError id="edit-display-name-error" message=message("display_name") />
                </div>
                <div class="field">
                    <label for="edit-description">"Description"</label>
                    <input id="edit-description" name="description" type="text" maxlength="500"
                        aria-describedby="edit-description-error"
                        value=description.get_untracked()
                        on:input=move |ev| description.set(event_target_value(&ev)) />
                    <FieldError id="edit-description-error" message=message("description") />
                </div>
                <div class="field">
                    <label for="edit-avatar">"Avatar URL"</label>
                    <input id="edit-avatar" name="avatar_custom_url" type="url" maxlength="1000"
                        aria-describedby="edit-avatar-error"
                        value=avatar.get_untracked()
                        on:input=move |ev| avatar.set(event_target_value(&ev)) />
                    <FieldError id="edit-avatar-error" message=message("avatar_custom_url") />
                </div>
                <div class="field">
                    <label for="edit-roles">"Roles (comma-separated role ids)"</label>
                    <input id="edit-roles" name="roles" type="text"
                        aria-describedby="edit-roles-error"
                        value=roles.get_untracked()
                        on:input=move |ev| roles.set(event_target_value(&ev)) />
                    <FieldError id="edit-roles-error" message=message("roles") />
                </div>
                <MetadataEditor id="edit-metadata" text=metadata message=message("metadata") />
                <div class="field">
                    <label for="edit-reason">"Reason (for the audit trail)"</label>
                    <input id="edit-reason" name="reason" type="text" maxlength="500" autocomplete="off" />
                </div>
                <button type="submit" class="button" on:click=check disabled=move || action.pending().get()>
                    "Save profile"
                </button>
            </ActionForm>
            <Outcome value />
        </section>
    }
}

/// Clear the user's flags.
#[component]
pub fn ClearFlagsForm(
    user_id: String,
    flag_count: u64,
    action: ServerAction<ClearUserFlags>,
) -> impl IntoView {
    let value = answer(action.value());
    view! {
        <ActionForm action>
            <input type="hidden" name="user_id" value=user_id />
            <input type="hidden" name="reason" value="" />
            <button type="submit" class="button" disabled=move || flag_count == 0 || action.pending().get()>
                "Clear flags"
            </button>
        </ActionForm>
        <Outcome value />
    }
}

/// Delete the user: typed confirmation, hard-delete options.
#[component]
pub fn DeleteUserForm(user_id: String, action: ServerAction<DeleteUser>) -> impl IntoView {
    let value = answer(action.value());
    let client = RwSignal::new(FieldErrors::default());
    let typed = RwSignal::new(String::new());
    let expected = user_id.clone();
    let check = move |ev: leptos::ev::MouseEvent| match check_delete_confirmation(
        &expected,
        &typed.get_untracked(),
    ) {
        Ok(()) => client.set(FieldErrors::default()),
        Err(message) => {
            ev.prevent_default();
            client.set(FieldErrors(vec![types::users::forms::FieldError {
                field: "confirmation".into(),
                message,
            }]));
        }
    };
    let message = move |field| field_message(field, client, value);
    view! {
        <section class="card card--wide users-danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete user"</h2>
            <p>"The user's name becomes “Deleted user” and they can no longer sign in. Deleting cannot be undone."</p>
            <ActionForm action>
                <input type="hidden" name="user_id" value=user_id.clone() />
                <fieldset class="users-options">
                    <legend>"Also erase for good (needs the permanent-deletion permission)"</legend>
                    <label><input type="checkbox" name="hard_delete_post" value="true" />" Their posts"</label>
                    <label><input type="checkbox" name="hard_delete_comment" value="true" />" Their comments"</label>
                    <label><input type="checkbox" name="mark_message_deleted" value="true" />" Their messages"</label>
                    <label><input type="checkbox" name="delete_all" value="true" />" Everything: channels, messages, posts, comments, polls, reactions"</label>
                    <FieldError id="delete-options-error" message=message("delete_all") />
                </fieldset>
                <div class="field">
                    <label for="delete-reason">"Reason (for the audit trail)"</label>
                    <input id="delete-reason" name="reason" type="text" maxlength="500" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="delete-confirmation">{format!("Type the user id “{user_id}” to confirm")}</label>
                    <input id="delete-confirmation" name="confirmation" type="text" required autocomplete="off"
                        aria-describedby="delete-confirmation-error"
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                    <FieldError id="delete-confirmation-error" message=message("confirmation") />
                </div>
                <button type="submit" class="button button--danger" on:click=check disabled=move || action.pending().get()>
                    "Delete user"
                </button>
            </ActionForm>
            <Outcome value />
        </section>
    }
}

/// Ban (until lifted or for a time), unban, revoke sessions: one form per action so each
/// works as a plain post; the reason is required (the moderation presets).
#[component]
pub fn SanctionForms(
    user_id: String,
    banned: bool,
    action: ServerAction<super::manage_api::SanctionUser>,
) -> impl IntoView {
    use types::moderation::REASON_PRESETS;
    use types::users::forms::{BAN_UNITS, parse_ban_duration};
    let value = answer(action.value());
    let client = RwSignal::new(FieldErrors::default());
    let amount = RwSignal::new("7".to_owned());
    let unit = RwSignal::new("days".to_owned());
    let message = move |field| field_message(field, client, value);
    let check_duration = move |ev: leptos::ev::MouseEvent| match parse_ban_duration(
        &amount.get_untracked(),
        &unit.get_untracked(),
    ) {
        Ok(_) => client.set(FieldErrors::default()),
        Err(message) => {
            ev.prevent_default();
            client
                .set(FieldErrors(vec![types::users::forms::FieldError { field: "amount".into(), message }]));
        }
    };
    let reason_fields = move |prefix: &'static str| {
        view! {
            <div class="field">
                <label for=format!("{prefix}-reason")>"Reason"</label>
                <select id=format!("{prefix}-reason") name="reason_code" required>
                    <option value="">"Choose a reason"</option>
                    {REASON_PRESETS.iter().map(|p| view! { <option value=p.code>{p.label}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("{prefix}-reason-text")>"Details"</label>
                <input id=format!("{prefix}-reason-text") name="reason_text" type="text" maxlength="1000" autocomplete="off" />
            </div>
        }
    };
    let pending = move || action.pending().get();
    // Each form's children are their own closure: each gets its own copy of the id.
    let ids: [String; 4] = std::array::from_fn(|_| user_id.clone());
    let [unban_id, ban_id, timed_id, revoke_id] = ids;
    let reason_error = message("reason");
    let action_error = message("action");
    view! {
        <section class="card card--wide" aria-labelledby="sanctions-heading">
            <h2 id="sanctions-heading">"Ban and sessions"</h2>
            <FieldError id="sanction-reason-error" message=reason_error />
            <FieldError id="sanction-action-error" message=action_error />
            {move || match value.get() {
                Some(Ok(report)) => view! { <crate::pages::moderation::action_report::ActionReportView report /> }.into_any(),
                Some(Err(AppError::InvalidInput { .. })) | None => ().into_any(),
                Some(Err(error)) => view! { <ErrorView error /> }.into_any(),
            }}
            <div class="users-sanctions">
                {if banned {
                    view! {
                        <ActionForm action>
                            <input type="hidden" name="user_id" value=unban_id />
                            <input type="hidden" name="action" value="unban" />
                            {reason_fields("unban")}
                            <button type="submit" class="button" disabled=pending>"Lift the ban"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action>
                            <input type="hidden" name="user_id" value=ban_id />
                            <input type="hidden" name="action" value="ban" />
                            {reason_fields("ban")}
                            <button type="submit" class="button button--danger" disabled=pending>"Ban from the network"</button>
                        </ActionForm>
                        <ActionForm action>
                            <input type="hidden" name="user_id" value=timed_id />
                            <input type="hidden" name="action" value="timed_ban" />
                            <div class="field">
                                <label for="timed-ban-amount">"Ban for"</label>
                                <input id="timed-ban-amount" name="amount" type="number" min="1" required
                                    aria-describedby="timed-ban-amount-error"
                                    value="7" on:input=move |ev| amount.set(event_target_value(&ev)) />
                                <label for="timed-ban-unit" class="visually-hidden">"Unit"</label>
                                <select id="timed-ban-unit" name="unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                                    {BAN_UNITS.iter().map(|(value, label, _)| view! {
                                        <option value=*value selected=*value == "days">{*label}</option>
                                    }).collect_view()}
                                </select>
                                <FieldError id="timed-ban-amount-error" message=message("amount") />
                            </div>
                            {reason_fields("timed-ban")}
                            <button type="submit" class="button button--danger" on:click=check_duration disabled=pending>"Ban for a time"</button>
                        </ActionForm>
                    }.into_any()
                }}
                <ActionForm action>
                    <input type="hidden" name="user_id" value=revoke_id />
                    <input type="hidden" name="action" value="revoke_sessions" />
                    {reason_fields("revoke")}
                    <button type="submit" class="button" disabled=pending>"Sign out everywhere"</button>
                </ActionForm>
            </div>
        </section>
    }
}
