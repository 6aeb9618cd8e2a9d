//! A rule's dry-run and enable/disable buttons, on the rules list and on the rule's page.
//! Enabling stays disabled until the current definition was dry-run (the server refuses it
//! too).

use super::api::{DryRunRule, SetRuleEnabled};
use leptos::prelude::*;
use types::rules::Rule;

/// "Dry run" and "Enable"/"Disable" for `rule`.
#[component]
pub fn RuleControls(
    rule: Rule,
    toggle: ServerAction<SetRuleEnabled>,
    dry_run: ServerAction<DryRunRule>,
) -> impl IntoView {
    let (change, change_label) = if rule.enabled { ("disable", "Disable") } else { ("enable", "Enable") };
    let needs_dry_run = !rule.enabled && rule.dry_run_at.is_none();
    let id = rule.id;
    let dry_run_label = format!("Dry run “{}”", rule.name);
    let toggle_label = format!("{change_label} “{}”", rule.name);
    view! {
        <ActionForm action=dry_run>
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button">{dry_run_label}</button>
        </ActionForm>
        <ActionForm action=toggle>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="change" value=change />
            <button type="submit" class="button" disabled=needs_dry_run>{toggle_label}</button>
        </ActionForm>
    }
}

/// Whether the rule waits for a dry run, and when its last one ran.
pub fn dry_run_note(rule: &Rule) -> String {
    match &rule.dry_run_at {
        Some(at) => format!("Last dry run {}.", crate::components::time::date_time(at)),
        None if rule.enabled => "Enabled.".into(),
        None => "Not dry-run since its definition was set: run one before enabling.".into(),
    }
}
