//! `/audit`: the audit trail, newest first, filtered by actor, action, target and date.
//!
//! The filter lives in the URL (`?actor=&action=&target=&from=&to=&cursor=`) and is a GET
//! form, so it works without WASM. Exports of the current filter are plain links to
//! `/audit/export.csv` and `/audit/export.json`.

use super::api::list_audit;
use crate::components::{DateRangeFields, EmptyState, ErrorView, Pager, time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};
use types::audit::{AuditEntry, AuditFilter, AuditQuery, AuditView};

/// The Audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let get = |key: &str| map.get_str(key).unwrap_or_default().to_owned();
        AuditQuery {
            filter: AuditFilter {
                actor: get("actor"),
                action: get("action"),
                target: get("target"),
                from: get("from"),
                to: get("to"),
            },
            cursor: map.get_str("cursor").map(str::to_owned),
        }
    });
    let trail = Resource::new(
        move || query.get(),
        |query| async move {
            let result = list_audit(query.clone()).await;
            (query, result)
        },
    );
    view! {
        <Title text="Audit" />
        <section class="page">
            <header class="page__header">
                <h1>"Audit"</h1>
                <p class="page__lede">"Every sign-in, sign-out, action, denied attempt and configuration change, newest first. Entries are never changed or removed."</p>
            </header>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the audit trail…"</p> }>
                {move || Suspend::new(async move {
                    let (query, result) = trail.await;
                    match result {
                        Ok(view) => view! { <AuditFilters filter=query.filter.clone() actions=view.actions.clone() /> <AuditTable view filter=query.filter /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The filter form and the export links for it.
#[component]
fn AuditFilters(filter: AuditFilter, actions: Vec<String>) -> impl IntoView {
    let query = filter.query_string();
    let suffix = if query.is_empty() { String::new() } else { format!("?{query}") };
    let selected = filter.action.clone();
    view! {
        <div class="toolbar" role="search">
            <Form method="GET" action="/audit">
                <div class="field">
                    <label for="audit-actor">"Actor"</label>
                    <input id="audit-actor" name="actor" type="text" value=filter.actor.clone() autocomplete="off" />
                </div>
                <div class="field">
                    <label for="audit-action">"Action"</label>
                    <select id="audit-action" name="action">
                        <option value="" selected=selected.is_empty()>"Any"</option>
                        {actions
                            .into_iter()
                            .map(|action| {
                                let is_selected = action == selected;
                                view! { <option value=action.clone() selected=is_selected>{action.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-target">"Target"</label>
                    <input id="audit-target" name="target" type="text" value=filter.target.clone() autocomplete="off" />
                </div>
                <DateRangeFields id_prefix="audit" from=filter.from.clone() to=filter.to.clone() />
                <button type="submit" class="button">"Filter"</button>
            </Form>
            <p class="toolbar__end">
                <a class="button button--quiet" rel="external" download="" href=format!("/audit/export.csv{suffix}")>"Export CSV"</a>
                " "
                <a class="button button--quiet" rel="external" download="" href=format!("/audit/export.json{suffix}")>"Export JSON"</a>
            </p>
        </div>
    }
}

/// The entries and the pager.
#[component]
fn AuditTable(view: AuditView, filter: AuditFilter) -> impl IntoView {
    let entries = view.entries;
    if entries.is_empty() {
        return view! {
            <EmptyState title="No audit entries match.">
                <a href="/audit">"Show every entry"</a>
            </EmptyState>
        }
        .into_any();
    }
    let base = filter.query_string();
    let next = entries.next.clone().map(|cursor| {
        let cursor = types::url::encode_component(&cursor);
        if base.is_empty() {
            format!("/audit?cursor={cursor}")
        } else {
            format!("/audit?{base}&cursor={cursor}")
        }
    });
    let newest = if base.is_empty() { "/audit".to_owned() } else { format!("/audit?{base}") };
    let count = entries.items.len();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{format!("Audit entries, {count} on this page")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Actor"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Details"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.items.into_iter().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager previous=Some(newest) next label="Audit pages" />
    }
    .into_any()
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let outcome_class = format!("badge badge--outcome-{}", entry.outcome);
    let has_more = entry.reason.is_some()
        || entry.before.is_some()
        || entry.after.is_some()
        || entry.upstream_status.is_some()
        || entry.details != "{}";
    view! {
        <tr>
            <td><time datetime=entry.at.clone()>{time::date_time(&entry.at)}</time></td>
            <th scope="row">
                {entry.actor_id.clone()}
                {entry.actor_role.clone().map(|role| view! { " " <span class="badge badge--role">{role}</span> })}
            </th>
            <td class="audit__action"><code>{entry.action.clone()}</code></td>
            <td>{entry.target.clone().unwrap_or_else(|| "—".into())}</td>
            <td><span class=outcome_class>{entry.outcome.clone()}</span></td>
            <td>
                {entry.request_id.clone().map(|id| view! { <span class="muted">"request "<code>{id}</code></span> })}
                {has_more.then(|| view! {
                    <details>
                        <summary>"More"</summary>
                        <dl class="audit-details">
                            {entry.reason.clone().map(|r| view! { <dt>"Reason"</dt><dd>{r}</dd> })}
                            {entry.upstream_status.map(|s| view! { <dt>"Social+ status"</dt><dd>{s}</dd> })}
                            {entry.before.clone().map(|b| view! { <dt>"Before"</dt><dd><code>{b}</code></dd> })}
                            {entry.after.clone().map(|a| view! { <dt>"After"</dt><dd><code>{a}</code></dd> })}
                            {(entry.details != "{}").then(|| view! { <dt>"Details"</dt><dd><code>{entry.details.clone()}</code></dd> })}
                        </dl>
                    </details>
                })}
            </td>
        </tr>
    }
}
