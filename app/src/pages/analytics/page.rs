//! `/analytics`: the charts for a date range, daily or weekly.
//!
//! The range lives in the URL (`?from=&to=&granularity=`) and is a GET form, so the page
//! works without WASM. Each chart links its CSV (`/analytics/export.csv?chart=<id>&…`) for
//! the range actually shown.

use super::{
    api::{RebuildAnalytics, analytics_report},
    chart::ChartCard,
};
use crate::components::{DateRangeFields, ErrorView, time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};
use types::analytics::{AnalyticsQuery, AnalyticsView, Granularity};

/// The Analytics page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let pairs =
            ["from", "to", "granularity"].map(|key| (key, map.get_str(key).unwrap_or_default().to_owned()));
        AnalyticsQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    let rebuild = ServerAction::<RebuildAnalytics>::new();
    let report = Resource::new(
        move || (query.get(), rebuild.version().get()),
        |(query, _)| async move { analytics_report(query).await },
    );
    view! {
        <Title text="Analytics" />
        <section class="page">
            <header class="page__header">
                <h1>"Analytics"</h1>
                <p class="page__lede">"Computed by the console from the events it stores (webhooks, backfill, reports) and its own moderation records — Social+ has no analytics API. Days are UTC."</p>
            </header>
            // Outside the charts, which are read again after the request.
            {move || rebuild.value().get().map(|outcome| match outcome {
                Ok(()) => view! { <p class="alert alert--success" role="status">"Rebuild started."</p> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the charts…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(view) => view! {
                            <RangeForm view=view.clone() />
                            <RebuildNotice view=view.clone() />
                            <Charts view=view.clone() />
                            <Maintenance view rebuild />
                        }.into_any(),
                        Err(error) => view! { <RangeForm view=fallback_view(&query.get_untracked()) /> <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the form shows when the report failed: the query as typed.
fn fallback_view(query: &AnalyticsQuery) -> AnalyticsView {
    AnalyticsView {
        from: query.from.clone(),
        to: query.to.clone(),
        granularity: query.granularity,
        refreshed_at: None,
        events_counted: 0,
        charts: Vec::new(),
        rebuild: None,
        may_rebuild: false,
    }
}

/// While the rollups are being rebuilt the charts are incomplete: say so, and how far it got.
#[component]
fn RebuildNotice(view: AnalyticsView) -> impl IntoView {
    view.rebuild.map(|progress| {
        let text = match progress.percent() {
            Some(percent) => format!(
                "Rebuilding the rollups from the stored events: {percent}% read ({} of {} events). \
                 The charts are incomplete until it ends; reload to see its progress.",
                progress.read, progress.of
            ),
            None => {
                "A rebuild of the rollups is about to start; the charts will be incomplete until it ends."
                    .to_owned()
            }
        };
        view! { <p class="alert" role="status" data-testid="analytics-rebuild">{text}</p> }
    })
}

/// For admins: rebuild the rollups from the raw events (after a change in how events count,
/// or to repair them). An `ActionForm`, so it works without WASM.
#[component]
fn Maintenance(view: AnalyticsView, rebuild: ServerAction<RebuildAnalytics>) -> impl IntoView {
    view.may_rebuild.then(|| {
        view! {
            <details class="card analytics-maintenance">
                <summary>"Maintenance"</summary>
                <p>"The charts come from daily rollups that the console keeps up to date as events arrive. A rebuild empties them and reads every stored event again, in small steps that never hold up the webhook intake; the charts are incomplete until it ends."</p>
                <ActionForm action=rebuild>
                    <button type="submit" class="button" data-testid="analytics-rebuild-start">"Rebuild the rollups"</button>
                </ActionForm>
            </details>
        }
    })
}

#[component]
fn RangeForm(view: AnalyticsView) -> impl IntoView {
    let weekly = view.granularity == Granularity::Weekly;
    let freshness = match &view.refreshed_at {
        Some(at) => {
            format!("{} events counted; rollups updated {}.", view.events_counted, time::date_time(at))
        }
        None => "No events have been counted yet.".to_owned(),
    };
    view! {
        <div class="toolbar" role="search">
            <Form method="GET" action="/analytics">
                <DateRangeFields id_prefix="analytics" from=view.from.clone() to=view.to.clone() />
                <div class="field">
                    <label for="analytics-granularity">"Points"</label>
                    <select id="analytics-granularity" name="granularity">
                        <option value="daily" selected=!weekly>"Daily"</option>
                        <option value="weekly" selected=weekly>"Weekly"</option>
                    </select>
                </div>
                <button type="submit" class="button">"Show"</button>
            </Form>
            <p class="toolbar__end muted analytics-freshness">{freshness}</p>
        </div>
    }
}

#[component]
fn Charts(view: AnalyticsView) -> impl IntoView {
    let range =
        AnalyticsQuery { from: view.from.clone(), to: view.to.clone(), granularity: view.granularity };
    let suffix = range.query_string();
    view! {
        <div class="analytics-grid">
            {view
                .charts
                .into_iter()
                .map(|chart| {
                    let export_href = format!("/analytics/export.csv?chart={}&{suffix}", chart.id);
                    view! { <ChartCard chart export_href /> }
                })
                .collect_view()}
        </div>
    }
}
