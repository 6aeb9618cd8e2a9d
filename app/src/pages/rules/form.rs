//! The fields of a rule — name, event, conditions, action and its parameters — as the create
//! form and the edit form both show them (each wraps them in its own `ActionForm`, so both
//! post without WASM). [`types::rules::NewRule::check`] checks them twice: after hydration in
//! the browser before posting ([`RuleInputs::check_before_posting`]), and on the server, whose
//! `InvalidInput { field }` answer shows under that field too.

use crate::AppError;
use leptos::prelude::*;
use types::rules::{ACTIONS, COLUMN_FIELDS, NewRule};

/// What the inputs hold now (tracked after hydration), and the browser's own finding.
#[derive(Clone, Copy)]
pub struct RuleInputs {
    name: RwSignal<String>,
    event_name: RwSignal<String>,
    conditions: RwSignal<String>,
    action: RwSignal<String>,
    url: RwSignal<String>,
    minutes: RwSignal<String>,
    problem: RwSignal<Option<(&'static str, String)>>,
}

impl RuleInputs {
    /// Inputs holding `initial`.
    pub fn new(initial: &NewRule) -> Self {
        RuleInputs {
            name: RwSignal::new(initial.name.clone()),
            event_name: RwSignal::new(initial.event_name.clone()),
            conditions: RwSignal::new(initial.conditions.clone()),
            action: RwSignal::new(initial.action.clone()),
            url: RwSignal::new(initial.url.clone()),
            minutes: RwSignal::new(initial.minutes.clone()),
            problem: RwSignal::new(None),
        }
    }

    /// The submit button's click handler: checks the form as the server will and, on a
    /// problem, keeps it from posting and shows the problem under its field.
    pub fn check_before_posting(self) -> impl Fn(leptos::ev::MouseEvent) + Copy {
        move |ev| {
            let form = NewRule {
                name: self.name.get_untracked(),
                event_name: self.event_name.get_untracked(),
                conditions: self.conditions.get_untracked(),
                action: self.action.get_untracked(),
                url: self.url.get_untracked(),
                minutes: self.minutes.get_untracked(),
            };
            match form.check() {
                Ok(_) => self.problem.set(None),
                Err(problem) => {
                    ev.prevent_default();
                    self.problem.set(Some(problem));
                }
            }
        }
    }

    /// Whether the browser found a problem (the form stays open to show it).
    pub fn has_problem(self) -> bool {
        self.problem.read().is_some()
    }

    /// The message for `field`: the browser's finding first, else the server's answer.
    fn message(
        self,
        error: Signal<Option<AppError>>,
        field: &'static str,
    ) -> impl Fn() -> Option<String> + Copy {
        move || {
            if let Some((f, message)) = self.problem.get()
                && f == field
            {
                return Some(message);
            }
            match error.read().as_ref() {
                Some(AppError::InvalidInput { field: f, message }) if f == field => Some(message.clone()),
                _ => None,
            }
        }
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

/// The rule's inputs, filled with `initial` and tracked in `inputs` (made from the same
/// `initial`). `prefix` keeps element ids unique on the page; `error` is the last answer of the
/// form's server action.
#[component]
pub fn RuleFields(
    prefix: &'static str,
    initial: NewRule,
    inputs: RuleInputs,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    let error_id = move |field: &str| format!("{prefix}-{field}-error");
    let message = move |field: &'static str| inputs.message(error, field);
    let invalid = move |field: &'static str| move || message(field)().is_some().then_some("true");
    let track = |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    let fields = format!("{}, or data.<path> (e.g. data.posts.0.data.text)", COLUMN_FIELDS.join(", "));
    let chosen = initial.action.clone();
    view! {
        <div class="field">
            <label for=id("name")>"Name"</label>
            <input id=id("name") name="name" type="text" required maxlength="100" autocomplete="off"
                value=initial.name on:input=track(inputs.name) aria-invalid=invalid("name") aria-describedby=error_id("name") />
            <FieldError id=error_id("name") message=message("name") />
        </div>
        <div class="field">
            <label for=id("event")>"When this event happens"</label>
            <input id=id("event") name="event_name" type="text" required placeholder="v3.post.didCreate or v3.post.*"
                autocomplete="off" value=initial.event_name on:input=track(inputs.event_name) aria-invalid=invalid("event_name")
                aria-describedby=error_id("event_name") />
            <FieldError id=error_id("event_name") message=message("event_name") />
        </div>
        <div class="field">
            <label for=id("conditions")>"And these conditions hold (one per line: field operator value)"</label>
            <textarea id=id("conditions") name="conditions" rows="3" on:input=track(inputs.conditions) aria-invalid=invalid("conditions")
                aria-describedby=format!("{} {}", error_id("conditions"), id("conditions-hint"))
                placeholder="community is c-123\ndata.posts.0.data.text contains buy now">{initial.conditions}</textarea>
            <p class="field__hint" id=id("conditions-hint")>{format!("Fields: {fields}. Operators: is, is not, contains, >, <, exists.")}</p>
            <FieldError id=error_id("conditions") message=message("conditions") />
        </div>
        <div class="field">
            <label for=id("action")>"Then"</label>
            <select id=id("action") name="action" on:change=track(inputs.action) aria-invalid=invalid("action") aria-describedby=error_id("action")>
                {ACTIONS.into_iter().map(|(code, label)| view! { <option value=code selected=code == chosen>{label}</option> }).collect_view()}
            </select>
            <FieldError id=error_id("action") message=message("action") />
        </div>
        <div class="field">
            <label for=id("url")>"Notification URL (for “Notify”)"</label>
            <input id=id("url") name="url" type="url" autocomplete="off" value=initial.url on:input=track(inputs.url)
                aria-invalid=invalid("url") aria-describedby=error_id("url") />
            <FieldError id=error_id("url") message=message("url") />
        </div>
        <div class="field">
            <label for=id("minutes")>"Ban length in minutes (for “Ban”)"</label>
            <input id=id("minutes") name="minutes" type="number" min="1" autocomplete="off" value=initial.minutes on:input=track(inputs.minutes)
                aria-invalid=invalid("minutes") aria-describedby=error_id("minutes") />
            <FieldError id=error_id("minutes") message=message("minutes") />
        </div>
    }
}
