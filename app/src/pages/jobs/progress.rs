//! `JobProgress`: a job's progress bar, counts, Cancel button and failed items. It polls
//! `get_job` once a second until the job finishes; without WASM it shows the state at page
//! load and reloading the page shows the current one (the job runs on the server regardless).

use super::api::{CancelJob, get_job, list_job_items};
use crate::components::{ErrorView, time::date_time};
use leptos::prelude::*;
use std::time::Duration;
use types::jobs::{ItemStatus, JobItemsQuery, JobState, JobView};

/// How often a running job is polled.
const POLL: Duration = Duration::from_secs(1);

/// How many failed items are listed under the bar.
const FAILED_SHOWN: u32 = 50;

/// The live progress of job `job_id`.
#[component]
pub fn JobProgress(
    /// The job to follow.
    job_id: String,
) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let cancel = ServerAction::<CancelJob>::new();
    let id = StoredValue::new(job_id);
    let job = Resource::new(move || (tick.get(), cancel.version().get()), move |_| get_job(id.get_value()));
    let failed = Resource::new(
        move || (tick.get(), cancel.version().get()),
        move |_| {
            let query = JobItemsQuery { status: Some(ItemStatus::Failed), offset: 0, limit: FAILED_SHOWN };
            list_job_items(id.get_value(), query)
        },
    );
    // Poll again while the job is not finished (browser only: effects do not run on the server).
    Effect::new(move |_| {
        if let Some(Ok(view)) = job.get()
            && !view.state.is_finished()
        {
            set_timeout(move || tick.update(|t| *t = t.wrapping_add(1)), POLL);
        }
    });
    view! {
        <section class="card job" aria-label="Job progress">
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading progress…"</p> }>
                {move || Suspend::new(async move {
                    match job.await {
                        Ok(view) => view! { <Summary view cancel /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
                {move || Suspend::new(async move {
                    match failed.await {
                        Ok(items) if !items.is_empty() => view! {
                            <h3>"Failed items"</h3>
                            <table class="table job__failed" data-testid="job-failed">
                                <thead><tr><th scope="col">"Item"</th><th scope="col">"Why"</th></tr></thead>
                                <tbody>
                                    {items.into_iter().map(|item| view! {
                                        <tr><td>{item.key}</td><td>{item.message.unwrap_or_default()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Ok(_) => ().into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Summary(view: JobView, cancel: ServerAction<CancelJob>) -> impl IntoView {
    let counts = view.counts;
    let state_text = match view.state {
        JobState::Waiting => format!("Starts at {} unless cancelled", date_time(&view.not_before)),
        JobState::Running => "Running".to_owned(),
        JobState::Done => "Finished".to_owned(),
        JobState::Cancelled => {
            format!("Cancelled by {}", view.cancelled_by.clone().unwrap_or_else(|| "someone".into()))
        }
        JobState::Failed => format!("Stopped: {}", view.error.clone().unwrap_or_default()),
    };
    let budget = view.budget.map(|b| {
        let rate = b.per_second.map_or_else(|| "unlimited".to_owned(), |n| format!("{n} requests/s"));
        format!(
            "Request budget ({rate}): {} requests, {} waited for their turn ({} ms in total).",
            b.attempts, b.delayed, b.waited_ms
        )
    });
    view! {
        <p class="job__state" data-testid="job-state" data-state=view.state.as_str()>{state_text}</p>
        <progress class="job__bar" max=counts.total value=counts.finished() aria-label="Items finished">
            {format!("{}%", counts.percent())}
        </progress>
        <p class="job__counts" data-testid="job-counts">
            {format!(
                "{} of {} finished: {} succeeded, {} failed, {} skipped.",
                counts.finished(), counts.total, counts.done, counts.failed, counts.skipped
            )}
        </p>
        {budget.map(|text| view! { <p class="job__budget" data-testid="job-budget">{text}</p> })}
        {view.cancellable().then(|| view! {
            <ActionForm action=cancel>
                <input type="hidden" name="job_id" value=view.id.clone() />
                <button type="submit" class="button button--danger">
                    {if view.state == JobState::Waiting { "Undo" } else { "Stop" }}
                </button>
            </ActionForm>
        })}
        // Refused, e.g. to someone who neither started the job nor is a senior role.
        {move || cancel.value().get().and_then(Result::err).map(|error| view! {
            <p class="alert alert--error" role="alert" data-testid="job-cancel-error">{error.to_string()}</p>
        })}
    }
}
