//! A labelled `<select>` for a [`Choice`]: a plain form field without WASM, a live control
//! after hydration.

use leptos::prelude::*;
use types::Choice;

/// `<label>` + `<select name=…>` listing every option of `C`.
#[component]
pub fn ChoiceField<C: Choice, F: Fn(C) + 'static>(
    /// Element id (the label points at it).
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// Form field name (the URL key).
    name: &'static str,
    /// The option shown as selected.
    #[prop(into)]
    selected: Signal<C>,
    /// Called with the option picked after hydration.
    on_pick: F,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name on:change=move |ev| on_pick(C::parse(&event_target_value(&ev)))>
                {C::ALL
                    .iter()
                    .copied()
                    .map(|choice| view! {
                        <option value=choice.as_str() selected=move || selected.get() == choice>{choice.label()}</option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
