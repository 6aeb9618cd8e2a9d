//! `/rules` (`ManageSettings`): automation rules — "when <event type> matches <conditions>
//! then <action>". A new rule starts disabled; a dry run over stored events shows what it
//! would have done, and only then can it be enabled. Every form posts without WASM.

use super::api::{CreateRule, DeleteRule, DryRunRule, SetRuleEnabled, list_rules};
use crate::components::{EmptyState, ErrorView};
use leptos::prelude::*;
use leptos_meta::Title;
use types::rules::{ACTIONS, COLUMN_FIELDS, DryRunReport, Rule};

/// The Rules page.
#[component]
pub fn RulesPage() -> impl IntoView {
    let create = ServerAction::<CreateRule>::new();
    let toggle = ServerAction::<SetRuleEnabled>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let dry_run = ServerAction::<DryRunRule>::new();
    let rules = Resource::new(
        move || {
            (create.version().get(), toggle.version().get(), delete.version().get(), dry_run.version().get())
        },
        |_| list_rules(),
    );
    view! {
        <Title text="Rules" />
        <section class="page">
            <header class="page__header">
                <h1>"Rules"</h1>
                <p class="page__lede">"Automation on the network's events: when an event of a type matches conditions, the console acts — open a case, notify a URL, clear flags, delete the content or ban the author for a while. Each action is audited with the rule as the actor."</p>
            </header>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading rules…"</p> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(rules) if rules.is_empty() => view! {
                            <EmptyState title="No rules yet."><span>"Add one below."</span></EmptyState>
                            <NewRuleForm create />
                        }.into_any(),
                        Ok(rules) => view! {
                            <ul class="rules-list">
                                {rules.into_iter().map(|rule| view! { <RuleCard rule toggle delete dry_run /> }).collect_view()}
                            </ul>
                            <NewRuleForm create />
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
            {move || dry_run.value().get().map(|outcome| match outcome {
                Ok(report) => view! { <DryRunResult report /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn RuleCard(
    rule: Rule,
    toggle: ServerAction<SetRuleEnabled>,
    delete: ServerAction<DeleteRule>,
    dry_run: ServerAction<DryRunRule>,
) -> impl IntoView {
    let state = if rule.enabled { "enabled" } else { "disabled" };
    let (change, change_label) = if rule.enabled { ("disable", "Disable") } else { ("enable", "Enable") };
    let needs_dry_run = !rule.enabled && rule.dry_run_at.is_none();
    let id = rule.id;
    let dry_run_label = format!("Dry run “{}”", rule.name);
    let toggle_label = format!("{change_label} “{}”", rule.name);
    let delete_label = format!("Delete “{}”", rule.name);
    let sentence = rule.sentence();
    let history = match &rule.dry_run_at {
        Some(at) => {
            format!("Made by {}. Last dry run {}.", rule.created_by, crate::components::time::date_time(at))
        }
        None => format!("Made by {}. Not dry-run yet: run one before enabling.", rule.created_by),
    };
    view! {
        <li class="card rules-card" data-rule-id=id data-rule-state=state>
            <h2 class="rules-card__title">{rule.name}" "<span class=format!("badge rules-state rules-state--{state}")>{state}</span></h2>
            <p class="rules-card__sentence">{sentence}</p>
            <p class="muted">{history}</p>
            <div class="rules-card__actions">
                <ActionForm action=dry_run>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button">{dry_run_label}</button>
                </ActionForm>
                <ActionForm action=toggle>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="change" value=change />
                    <button type="submit" class="button" disabled=needs_dry_run>{toggle_label}</button>
                </ActionForm>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button button--danger">{delete_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn DryRunResult(report: DryRunReport) -> impl IntoView {
    let shown = report.hits.len() as u64;
    view! {
        <section class="card rules-dry-run" aria-labelledby="rules-dry-run-title" data-rule-id=report.rule_id>
            <h2 id="rules-dry-run-title">{format!("Dry run of rule {}", report.rule_id)}</h2>
            <p role="status">{format!(
                "Looked at the newest {} stored events: {} matched. Nothing was done.{}",
                report.scanned,
                report.matched,
                if report.matched > shown { format!(" The first {shown} are listed.") } else { String::new() },
            )}</p>
            <ul class="rules-dry-run__hits">
                {report.hits.into_iter().map(|hit| view! {
                    <li>
                        <code>{hit.name}</code>{format!(" #{} ({}) — would ", hit.event_id, crate::components::time::date_time(&hit.occurred_at))}
                        <strong>{hit.would}</strong>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewRuleForm(create: ServerAction<CreateRule>) -> impl IntoView {
    let fields = format!("{}, or data.<path> (e.g. data.posts.0.data.text)", COLUMN_FIELDS.join(", "));
    view! {
        <section class="card rules-new" aria-labelledby="rules-new-title">
            <h2 id="rules-new-title">"New rule"</h2>
            <ActionForm action=create>
                <div class="field">
                    <label for="rule-name">"Name"</label>
                    <input id="rule-name" name="name" type="text" required maxlength="100" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="rule-event">"When this event happens"</label>
                    <input id="rule-event" name="event_name" type="text" required placeholder="v3.post.didCreate or v3.post.*" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="rule-conditions">"And these conditions hold (one per line: field operator value)"</label>
                    <textarea id="rule-conditions" name="conditions" rows="3" placeholder="community is c-123\ndata.posts.0.data.text contains buy now"></textarea>
                    <p class="field__hint">{format!("Fields: {fields}. Operators: is, is not, contains, >, <, exists.")}</p>
                </div>
                <div class="field">
                    <label for="rule-action">"Then"</label>
                    <select id="rule-action" name="action">
                        {ACTIONS.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="rule-url">"Notification URL (for “Notify”)"</label>
                    <input id="rule-url" name="url" type="url" autocomplete="off" />
                </div>
                <div class="field">
                    <label for="rule-minutes">"Ban length in minutes (for “Ban”)"</label>
                    <input id="rule-minutes" name="minutes" type="number" min="1" autocomplete="off" />
                </div>
                <button type="submit" class="button">"Create rule (disabled)"</button>
            </ActionForm>
            {move || create.value().get().map(|outcome| match outcome {
                Ok(id) => view! { <p class="alert alert--success" role="status">{format!("Rule {id} created. Dry-run it, then enable it.")}</p> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
        </section>
    }
}
