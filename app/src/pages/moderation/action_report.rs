//! The step-by-step outcome of a moderation action: what succeeded, what failed and why,
//! and what was skipped because of it. User text (labels quote ids) is rendered as text.

use leptos::prelude::*;
use types::moderation::{ActionReport, StepOutcome};

/// A list with one line per step; a summary first.
#[component]
pub fn ActionReportView(report: ActionReport) -> impl IntoView {
    let summary = if report.succeeded() {
        "Done.".to_owned()
    } else {
        match report.failure() {
            Some(message) => format!("Not everything was applied: {message}"),
            None => "Nothing was applied.".to_owned(),
        }
    };
    let class = if report.succeeded() { "alert alert--success" } else { "alert alert--error" };
    view! {
        <section class="mod-report" data-testid="action-report" aria-live="polite">
            <p class=class role="status">{summary}</p>
            <ol class="mod-report__steps">
                {report
                    .steps
                    .into_iter()
                    .map(|step| {
                        let (state, mark, detail) = match step.outcome {
                            StepOutcome::Succeeded => ("succeeded", "✓", None),
                            StepOutcome::Failed { message } => ("failed", "✗", Some(message)),
                            StepOutcome::Skipped => ("skipped", "–", Some("Not attempted.".to_owned())),
                        };
                        view! {
                            <li class=format!("mod-report__step mod-report__step--{state}") data-state=state>
                                <span class="mod-report__mark" aria-hidden="true">{mark}</span>
                                <span class="mod-report__label">{step.label}</span>
                                <span class="visually-hidden">{format!(" ({state})")}</span>
                                {detail.map(|d| view! { <span class="mod-report__detail">{d}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
