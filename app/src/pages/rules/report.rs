//! A dry run's report: how many stored events matched and what the rule would have done.

use leptos::prelude::*;
use types::rules::DryRunReport;

/// The report of a dry run; `when` says when it ran, if it is a stored one.
#[component]
pub fn DryRunResult(report: DryRunReport, #[prop(optional)] when: Option<String>) -> impl IntoView {
    let shown = report.hits.len() as u64;
    view! {
        <section class="card rules-dry-run" aria-labelledby="rules-dry-run-title" data-rule-id=report.rule_id>
            <h2 id="rules-dry-run-title">{format!("Dry run of rule {}", report.rule_id)}</h2>
            {when.map(|at| view! { <p class="muted">{format!("The last dry run, {}.", crate::components::time::date_time(&at))}</p> })}
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
