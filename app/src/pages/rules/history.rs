//! A rule's runs, newest first, one per event it acted on: the event (linked to the Events
//! page), the outcome in a sentence, and when it started and ended. Paged with `?before=`.

use super::api::list_rule_runs;
use crate::components::{EmptyState, ErrorView, Pager, time};
use leptos::prelude::*;
use types::{page::Page, rule_runs::RuleRun};

/// The history of rule `id`, from the run on event `before` down (`None` = the newest).
#[component]
pub fn RunHistory(id: i64, before: Memo<Option<i64>>) -> impl IntoView {
    let runs = Resource::new(move || before.get(), move |before| list_rule_runs(id, before));
    view! {
        <section class="rules-history" aria-labelledby="rules-history-title">
            <h2 id="rules-history-title">"What the rule did"</h2>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the runs…"</p> }>
                {move || Suspend::new(async move {
                    match runs.await {
                        Ok(page) => view! { <RunTable id page paged=before.get_untracked().is_some() /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The table's columns, in order.
const COLUMNS: [&str; 5] = ["Event", "Happened", "Outcome", "Started", "Ended"];

#[component]
fn RunTable(id: i64, page: Page<RuleRun>, paged: bool) -> impl IntoView {
    if page.is_empty() {
        return view! {
            <EmptyState title="No runs yet.">
                <span>"An enabled rule runs once on every new matching event; the dry run shows what it would do to stored ones."</span>
            </EmptyState>
        }
        .into_any();
    }
    let newest = paged.then(|| format!("/rules/{id}"));
    let next = page.next.map(|before| format!("/rules/{id}?before={before}"));
    let caption = format!("Runs of the rule, {} on this page, newest first", page.items.len());
    view! {
        <div class="table-wrap">
            <table class="table rules-runs">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{COLUMNS.map(|column| view! { <th scope="col">{column}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|run| view! { <RunRow run /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager previous=newest next label="Rule run pages" />
    }
    .into_any()
}

#[component]
fn RunRow(run: RuleRun) -> impl IntoView {
    let state = run.state.as_str();
    let outcome = run.outcome();
    let ended = run.finished_at.as_deref().map_or_else(|| "—".to_owned(), time::date_time);
    view! {
        <tr data-run-state=state data-event-id=run.event_id>
            <td><a href=run.event_href()><code>{run.event_name.clone()}</code>{format!(" #{}", run.event_id)}</a></td>
            <td>{time::date_time(&run.occurred_at)}</td>
            <td><span class=format!("badge rules-run rules-run--{state}")>{state}</span>" "{outcome}</td>
            <td>{time::date_time(&run.started_at)}</td>
            <td>{ended}</td>
        </tr>
    }
}
