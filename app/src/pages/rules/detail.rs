//! `/rules/{id}` (`ManageSettings`): one rule — its definition, what it did (run counts and a
//! paged history), its last dry run, and the edit form. Saving a changed definition disables
//! the rule until it is dry-run again (the server enforces it). Every form posts without WASM.

use super::api::{DryRunRule, SetRuleEnabled, UpdateRule, get_rule};
use super::controls::{RuleControls, dry_run_note};
use super::form::{RuleFields, RuleInputs, is_field_error};
use super::history::RunHistory;
use super::report::DryRunResult;
use crate::components::{ErrorView, time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use types::{
    rule_runs::RuleDetail,
    rules::{NewRule, Rule},
};

/// The rule page.
#[component]
pub fn RulePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0));
    let before = Memo::new(move |_| query.read().get_str("before").and_then(|b| b.parse::<i64>().ok()));
    let update = ServerAction::<UpdateRule>::new();
    let toggle = ServerAction::<SetRuleEnabled>::new();
    let dry_run = ServerAction::<DryRunRule>::new();
    // Only a save that went through reloads the rule: after a refused one the form keeps what
    // was typed, with the problem under its field.
    let saves = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            saves.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(
        move || (id.get(), saves.get(), toggle.version().get(), dry_run.version().get()),
        |(id, ..)| get_rule(id),
    );
    view! {
        <Title text="Rule" />
        <section class="page rules-detail">
            <p class="breadcrumb"><a href="/rules">"← Rules"</a></p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the rule…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! {
                            <RuleOverview detail update toggle dry_run />
                            <RunHistory id=id.get_untracked() before=before />
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RuleOverview(
    detail: RuleDetail,
    update: ServerAction<UpdateRule>,
    toggle: ServerAction<SetRuleEnabled>,
    dry_run: ServerAction<DryRunRule>,
) -> impl IntoView {
    let RuleDetail { rule, runs, last_dry_run } = detail;
    let state = if rule.enabled { "enabled" } else { "disabled" };
    let stored_at = rule.dry_run_at.clone();
    let did = match &runs.last_run_at {
        Some(at) => format!("Runs: {}; last run {}.", runs.summary(), time::date_time(at)),
        None => "Runs: none yet.".to_owned(),
    };
    let made = format!("Made by {}. {}", rule.created_by, dry_run_note(&rule));
    view! {
        <header class="page__header">
            <h1 class="rules-card__title" data-rule-id=rule.id data-rule-state=state>
                {rule.name.clone()}" "<span class=format!("badge rules-state rules-state--{state}")>{state}</span>
            </h1>
            <p class="page__lede rules-card__sentence">{rule.sentence()}</p>
            <p class="muted">{made}</p>
            <p class="rules-card__runs" data-done=runs.done data-failed=runs.failed data-running=runs.running>{did}</p>
        </header>
        <div class="rules-card__actions">
            <RuleControls rule=rule.clone() toggle dry_run />
        </div>
        {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
        {
            let stored = last_dry_run.clone();
            let stored_at = stored_at.clone();
            move || match dry_run.value().get() {
                Some(Ok(report)) => view! { <DryRunResult report /> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error /> }.into_any(),
                None => stored.clone().map(|report| view! { <DryRunResult report when=stored_at.clone().unwrap_or_default() /> }).into_any(),
            }
        }
        <EditRuleForm rule update />
    }
}

#[component]
fn EditRuleForm(rule: Rule, update: ServerAction<UpdateRule>) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let id = rule.id;
    let initial = NewRule::from_rule(&rule);
    let inputs = RuleInputs::new(&initial);
    let opened = move || error.read().is_some() || inputs.has_problem();
    view! {
        <details class="card rules-edit" open=opened>
            <summary>"Edit rule"</summary>
            <p class="muted">"Changing the event, the conditions or the action disables the rule: dry-run the new definition, then enable it again. A new name alone changes nothing else."</p>
            <ActionForm action=update>
                <input type="hidden" name="id" value=id />
                <RuleFields prefix="edit-rule" initial inputs error />
                <button type="submit" class="button" on:click=inputs.check_before_posting()>"Save rule"</button>
            </ActionForm>
        </details>
        {move || update.value().get().map(|outcome| match outcome {
            Ok(rule) if !rule.enabled && rule.dry_run_at.is_none() => view! {
                <p class="alert alert--success" role="status">"Saved. The rule is disabled until its new definition is dry-run and enabled again."</p>
            }.into_any(),
            Ok(_) => view! { <p class="alert alert--success" role="status">"Saved."</p> }.into_any(),
            Err(error) if is_field_error(&error) => ().into_any(),
            Err(error) => view! { <ErrorView error /> }.into_any(),
        })}
    }
}
