//! The reason every moderation action asks for: a preset and free text. Other pages mount
//! it in their action forms and read the [`Reason`] from the signal they pass in.

use leptos::prelude::*;
use types::moderation::{MAX_REASON_CHARS, REASON_PRESETS, Reason};

/// A `<select>` of the preset reasons and a text box; writes into `reason`.
#[component]
pub fn ReasonPicker(
    /// Element id prefix (two pickers on one page need different ones).
    #[prop(default = "reason")]
    id: &'static str,
    /// The reason being edited.
    reason: RwSignal<Reason>,
) -> impl IntoView {
    let code_id = format!("{id}-code");
    let text_id = format!("{id}-text");
    let problem = move || {
        let current = reason.get();
        (!current.code.is_empty()).then(|| current.problem()).flatten()
    };
    view! {
        <fieldset class="mod-reason">
            <legend>"Reason"</legend>
            <div class="field">
                <label for=code_id.clone()>"Why"</label>
                <select
                    id=code_id
                    name="reason_code"
                    data-testid="reason-code"
                    required
                    on:change=move |ev| reason.update(|r| r.code = event_target_value(&ev))
                >
                    <option value="" selected=move || reason.with(|r| r.code.is_empty())>"Choose a reason…"</option>
                    {REASON_PRESETS
                        .iter()
                        .map(|preset| view! {
                            <option value=preset.code selected=move || reason.with(|r| r.code == preset.code)>
                                {preset.label}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=text_id.clone()>"Details (required for “Other”)"</label>
                <textarea
                    id=text_id
                    name="reason_text"
                    data-testid="reason-text"
                    rows="2"
                    maxlength=MAX_REASON_CHARS
                    prop:value=move || reason.with(|r| r.text.clone())
                    on:input=move |ev| reason.update(|r| r.text = event_target_value(&ev))
                ></textarea>
            </div>
            {move || problem().map(|p| view! { <p class="field__error" role="alert">{p}</p> })}
        </fieldset>
    }
}
