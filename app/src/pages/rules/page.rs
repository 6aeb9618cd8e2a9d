//! `/rules` (`ManageSettings`): automation rules — "when <event type> matches <conditions>
//! then <action>". A new rule starts disabled; a dry run over stored events shows what it
//! would have done, and only then can it be enabled. Each rule shows what it did so far and
//! links to its page (`/rules/{id}`: edit, history). Every form posts without WASM.

use super::api::{CreateRule, DeleteRule, DryRunRule, SetRuleEnabled, list_rules};
use super::controls::{RuleControls, dry_run_note};
use super::form::{RuleFields, RuleInputs, is_field_error};
use super::report::DryRunResult;
use crate::components::{EmptyState, ErrorView, time};
use leptos::prelude::*;
use leptos_meta::Title;
use types::{rule_runs::RuleSummary, rules::NewRule};

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
                                {rules.into_iter().map(|summary| view! { <RuleCard summary toggle delete dry_run /> }).collect_view()}
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
    summary: RuleSummary,
    toggle: ServerAction<SetRuleEnabled>,
    delete: ServerAction<DeleteRule>,
    dry_run: ServerAction<DryRunRule>,
) -> impl IntoView {
    let RuleSummary { rule, runs } = summary;
    let state = if rule.enabled { "enabled" } else { "disabled" };
    let id = rule.id;
    let delete_label = format!("Delete “{}”", rule.name);
    let open_label = format!("Open “{}”", rule.name);
    let sentence = rule.sentence();
    let history = format!("Made by {}. {}", rule.created_by, dry_run_note(&rule));
    let did = match &runs.last_run_at {
        Some(at) => format!("Runs: {}; last run {}.", runs.summary(), time::date_time(at)),
        None => "Runs: none yet.".to_owned(),
    };
    view! {
        <li class="card rules-card" data-rule-id=id data-rule-state=state>
            <h2 class="rules-card__title">{rule.name.clone()}" "<span class=format!("badge rules-state rules-state--{state}")>{state}</span></h2>
            <p class="rules-card__sentence">{sentence}</p>
            <p class="muted">{history}</p>
            <p class="rules-card__runs" data-done=runs.done data-failed=runs.failed data-running=runs.running>{did}</p>
            <div class="rules-card__actions">
                <a class="button" href=format!("/rules/{id}")>{open_label}</a>
                <RuleControls rule toggle dry_run />
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button button--danger">{delete_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn NewRuleForm(create: ServerAction<CreateRule>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let initial = NewRule { action: "open_case".into(), ..NewRule::default() };
    let inputs = RuleInputs::new(&initial);
    view! {
        <section class="card rules-new" aria-labelledby="rules-new-title">
            <h2 id="rules-new-title">"New rule"</h2>
            <ActionForm action=create>
                <RuleFields prefix="rule" initial inputs error />
                <button type="submit" class="button" on:click=inputs.check_before_posting()>"Create rule (disabled)"</button>
            </ActionForm>
            {move || create.value().get().map(|outcome| match outcome {
                Ok(id) => view! { <p class="alert alert--success" role="status">{format!("Rule {id} created. Dry-run it, then enable it.")}</p> }.into_any(),
                Err(error) if is_field_error(&error) => ().into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
        </section>
    }
}
