//! `/reports`: the stored last-activity reports and metrics exports with their download links,
//! and buttons that make a new one now (`ActionForm`s, so they work without WASM too).

use super::api::{ExportMetricsNow, FetchActivityReport, list_activity_reports, list_metric_exports};
use crate::components::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use types::reports::{ActivityReport, MetricExport};

/// The Reports page.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let fetch = ServerAction::<FetchActivityReport>::new();
    let reports = Resource::new(move || fetch.version().get(), |_| list_activity_reports());
    let export = ServerAction::<ExportMetricsNow>::new();
    let exports = Resource::new(move || export.version().get(), |_| list_metric_exports());
    view! {
        <Title text="Reports" />
        <section class="page">
            <header class="page__header">
                <h1>"Reports"</h1>
                <p class="page__lede">
                    "Social+'s user last-activity report: when each user was last active. The console fetches it on its schedule and when you ask, keeps every copy, and adds the activity to its analytics."
                </p>
            </header>
            <ActionForm action=fetch>
                <button type="submit" class="button" data-testid="fetch-report">"Fetch the report now"</button>
            </ActionForm>
            {move || fetch.value().get().map(|outcome| match outcome {
                Ok(report) => view! {
                    <p class="alert alert--success" role="status">
                        {format!("Fetched: {} users, {} with activity, {} new activity rows.", report.rows, report.active_rows, report.imported)}
                    </p>
                }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading reports…"</p> }>
                {move || Suspend::new(async move {
                    match reports.await {
                        Ok(list) if list.is_empty() => view! { <p class="reports-empty">"No report fetched yet."</p> }.into_any(),
                        Ok(list) => view! { <ReportTable list /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            <section class="card" aria-labelledby="metric-exports-title">
                <h2 id="metric-exports-title">"Metrics exports"</h2>
                <p>"The Analytics charts chosen in the configuration (events.metrics_export_charts), over the last events.metrics_export_days days, as one CSV with a row per value: chart, label, series, value."</p>
                <ActionForm action=export>
                    <button type="submit" class="button" data-testid="export-metrics">"Export the metrics now"</button>
                </ActionForm>
                {move || export.value().get().map(|outcome| match outcome {
                    Ok(made) => view! {
                        <p class="alert alert--success" role="status">{format!("Exported {} values from {} to {}.", made.rows, made.from, made.to)}</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                })}
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading exports…"</p> }>
                    {move || Suspend::new(async move {
                        match exports.await {
                            Ok(list) if list.is_empty() => view! { <p class="reports-empty">"No metrics export yet."</p> }.into_any(),
                            Ok(list) => view! { <ExportTable list /> }.into_any(),
                            Err(error) => view! { <ErrorView error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </section>
    }
}

#[component]
fn ExportTable(list: Vec<MetricExport>) -> impl IntoView {
    view! {
        <table class="table" data-testid="metric-exports">
            <thead>
                <tr>
                    <th scope="col">"Made"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Days"</th>
                    <th scope="col">"Charts"</th>
                    <th scope="col" class="num">"Values"</th>
                    <th scope="col">"File"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|export| view! {
                    <tr data-testid="metric-export" data-id=export.id>
                        <td><time datetime=export.created_at.clone()>{export.created_at.clone()}</time></td>
                        <td>{export.requested_by.clone()}</td>
                        <td>{format!("{} – {}", export.from, export.to)}</td>
                        <td>{export.charts.join(", ")}</td>
                        <td class="num">{export.rows}</td>
                        <td><a rel="external" download="" href=export.download_href()>"Download CSV"</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ReportTable(list: Vec<ActivityReport>) -> impl IntoView {
    view! {
        <table class="table" data-testid="reports">
            <thead>
                <tr>
                    <th scope="col">"Fetched"</th>
                    <th scope="col">"By"</th>
                    <th scope="col" class="num">"Users"</th>
                    <th scope="col" class="num">"With activity"</th>
                    <th scope="col" class="num">"New activity rows"</th>
                    <th scope="col">"File"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|report| view! {
                    <tr data-testid="report" data-id=report.id>
                        <td><time datetime=report.fetched_at.clone()>{report.fetched_at.clone()}</time></td>
                        <td>{report.requested_by.clone()}</td>
                        <td class="num">{report.rows}</td>
                        <td class="num">{report.active_rows}</td>
                        <td class="num">{report.imported}</td>
                        <td><a rel="external" download="" href=report.download_href()>"Download CSV"</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
