//! The fields of a rule — name, event, conditions, action and its parameters — as the create
//! form and the edit form both show them (each wraps them in its own `ActionForm`, so both
//! post without WASM). The server checks them with [`types::rules::NewRule::check`]; its
//! `InvalidInput { field }` answer shows under that field.

use crate::AppError;
use leptos::prelude::*;
use types::rules::{ACTIONS, COLUMN_FIELDS, NewRule};

/// The server's message for `field`, if its answer was about that field.
fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || match error.read().as_ref() {
        Some(AppError::InvalidInput { field: f, message }) if f == field => Some(message.clone()),
        _ => None,
    }
}

/// Whether `error` is about one of the rule's fields (and so shown there, not as a banner).
pub fn is_field_error(error: &AppError) -> bool {
    const FIELDS: [&str; 6] = ["name", "event_name", "conditions", "action", "url", "minutes"];
    matches!(error, AppError::InvalidInput { field, .. } if FIELDS.contains(&field.as_str()))
}

/// A field's error line, linked from its input by `aria-describedby`.
#[component]
fn FieldError(id: String, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    view! {
        {move || message().map(|m| view! { <p class="users-field-error rules-field-error" id=id.clone() role="alert">{m}</p> })}
    }
}

/// The rule's inputs, filled with `initial`. `prefix` keeps element ids unique on the page;
/// `error` is the last answer of the form's server action.
#[component]
pub fn RuleFields(prefix: &'static str, initial: NewRule, error: Signal<Option<AppError>>) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    let error_id = move |field: &str| format!("{prefix}-{field}-error");
    let invalid =
        move |field: &'static str| move || field_message(error, field)().is_some().then_some("true");
    let fields = format!("{}, or data.<path> (e.g. data.posts.0.data.text)", COLUMN_FIELDS.join(", "));
    let chosen = initial.action.clone();
    view! {
        <div class="field">
            <label for=id("name")>"Name"</label>
            <input id=id("name") name="name" type="text" required maxlength="100" autocomplete="off"
                value=initial.name aria-invalid=invalid("name") aria-describedby=error_id("name") />
            <FieldError id=error_id("name") message=field_message(error, "name") />
        </div>
        <div class="field">
            <label for=id("event")>"When this event happens"</label>
            <input id=id("event") name="event_name" type="text" required placeholder="v3.post.didCreate or v3.post.*"
                autocomplete="off" value=initial.event_name aria-invalid=invalid("event_name")
                aria-describedby=error_id("event_name") />
            <FieldError id=error_id("event_name") message=field_message(error, "event_name") />
        </div>
        <div class="field">
            <label for=id("conditions")>"And these conditions hold (one per line: field operator value)"</label>
            <textarea id=id("conditions") name="conditions" rows="3" aria-invalid=invalid("conditions")
                aria-describedby=format!("{} {}", error_id("conditions"), id("conditions-hint"))
                placeholder="community is c-123\ndata.posts.0.data.text contains buy now">{initial.conditions}</textarea>
            <p class="field__hint" id=id("conditions-hint")>{format!("Fields: {fields}. Operators: is, is not, contains, >, <, exists.")}</p>
            <FieldError id=error_id("conditions") message=field_message(error, "conditions") />
        </div>
        <div class="field">
            <label for=id("action")>"Then"</label>
            <select id=id("action") name="action" aria-invalid=invalid("action") aria-describedby=error_id("action")>
                {ACTIONS.into_iter().map(|(code, label)| view! { <option value=code selected=code == chosen>{label}</option> }).collect_view()}
            </select>
            <FieldError id=error_id("action") message=field_message(error, "action") />
        </div>
        <div class="field">
            <label for=id("url")>"Notification URL (for “Notify”)"</label>
            <input id=id("url") name="url" type="url" autocomplete="off" value=initial.url
                aria-invalid=invalid("url") aria-describedby=error_id("url") />
            <FieldError id=error_id("url") message=field_message(error, "url") />
        </div>
        <div class="field">
            <label for=id("minutes")>"Ban length in minutes (for “Ban”)"</label>
            <input id=id("minutes") name="minutes" type="number" min="1" autocomplete="off" value=initial.minutes
                aria-invalid=invalid("minutes") aria-describedby=error_id("minutes") />
            <FieldError id=error_id("minutes") message=field_message(error, "minutes") />
        </div>
    }
}
