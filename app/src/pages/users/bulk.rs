//! The Users table's bulk actions: the bar above the table (what to do to the selected rows,
//! a preview of every change and of the upstream calls it costs, then a job with its progress
//! and a result per user).
//!
//! The selection lives in a signal the table's checkboxes write. Selecting needs WASM; the
//! job itself runs on the server and goes on if the page is left.

use super::bulk_api::{PreviewUserBulk, SubmitUserBulk};
use crate::{
    AppError,
    components::ErrorView,
    pages::{
        jobs::{api::list_job_items, progress::JobProgress},
        moderation::reason_picker::ReasonPicker,
    },
};
use leptos::prelude::*;
use std::time::Duration;
use types::{
    Choice,
    jobs::{ItemStatus, JobItemView, JobItemsQuery},
    moderation::{BULK_UNDO_SECONDS, Reason},
    users::bulk::{MAX_SELECTED_USERS, UserBulkAction, UserBulkPreview, UserBulkRequest},
};

/// Which bulk actions the person may use (cosmetic: the server checks again).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BulkRights {
    /// Ban, unban, revoke sessions (`BanUsers`).
    pub ban: bool,
    /// Add or remove a role (`ManageRoles`).
    pub roles: bool,
}

impl BulkRights {
    /// Whether any bulk action is offered (and so the table shows checkboxes).
    pub fn any(self) -> bool {
        self.ban || self.roles
    }

    fn allows(self, action: UserBulkAction) -> bool {
        if action.needs_role() { self.roles } else { self.ban }
    }
}

/// How often the per-user results are read while the job runs.
const POLL: Duration = Duration::from_secs(1);

/// The bulk action bar for the users in `selected`.
#[component]
pub fn BulkBar(
    /// The selected user ids, in the order they were picked.
    selected: RwSignal<Vec<String>>,
    /// What the person may do.
    rights: BulkRights,
    /// Called once the job has finished (the page then reloads the table).
    on_finished: Callback<()>,
) -> impl IntoView {
    let offered: Vec<UserBulkAction> =
        UserBulkAction::ALL.iter().copied().filter(|a| rights.allows(*a)).collect();
    let action = RwSignal::new(offered.first().copied().unwrap_or_default());
    let role = RwSignal::new(String::new());
    let reason = RwSignal::new(Reason::default());
    let preview = ServerAction::<PreviewUserBulk>::new();
    let submit = ServerAction::<SubmitUserBulk>::new();
    let request = move || UserBulkRequest {
        user_ids: selected.get_untracked(),
        action: action.get_untracked(),
        role: role.get_untracked(),
        reason: reason.get_untracked(),
    };
    // A preview is of one request: any change of the request asks for a new one.
    let previewed = RwSignal::new(None::<UserBulkRequest>);
    let stale =
        move || previewed.with(|p| p.as_ref() != Some(&request_tracked(selected, action, role, reason)));
    let count = move || selected.with(Vec::len);
    let cannot_preview = move || !(1..=MAX_SELECTED_USERS).contains(&count());
    let on_preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = request();
        previewed.set(Some(request.clone()));
        preview.dispatch(PreviewUserBulk { request });
    };
    let on_submit = move |_| {
        if let Some(request) = previewed.get_untracked() {
            submit.dispatch(SubmitUserBulk { request });
        }
    };
    view! {
        <section class="card users-bulk" aria-labelledby="users-bulk-title" data-testid="users-bulk">
            <h2 id="users-bulk-title">"Bulk action"</h2>
            <p class="users-bulk__count" data-testid="bulk-count" role="status">{move || match count() {
                0 => "Select users in the table (the box in the header selects the whole page).".to_owned(),
                1 => "1 user selected.".to_owned(),
                n => format!("{n} users selected."),
            }}</p>
            <form class="form users-bulk__form" on:submit=on_preview>
                <div class="field">
                    <label for="bulk-action">"Action"</label>
                    <select id="bulk-action" name="action" on:change=move |ev| action.set(UserBulkAction::parse(&event_target_value(&ev)))>
                        {offered.into_iter().map(|choice| view! {
                            <option value=choice.as_str() selected=move || action.get() == choice>{choice.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || action.get().needs_role()>
                    <div class="field">
                        <label for="bulk-role">"Role id"</label>
                        <input id="bulk-role" name="role" type="text" autocomplete="off" maxlength="100" required
                            prop:value=move || role.get() on:input=move |ev| role.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <ReasonPicker id="bulk-reason" reason />
                <button type="submit" class="button" disabled=cannot_preview>
                    "Preview"
                </button>
            </form>
            {move || preview.value().get().map(|result| match result {
                Ok(report) => view! {
                    <BulkPreviewView report />
                    {move || (!stale()).then(|| view! {
                        <button type="button" class="button button--danger" data-testid="bulk-submit"
                            disabled=move || submit.pending().get() || preview.value().with(|v| !matches!(v, Some(Ok(p)) if p.problems == 0))
                            on:click=on_submit>
                            {format!("Submit for {} users", count())}
                        </button>
                    })}
                    {move || stale().then(|| view! { <p class="notice">"The selection or action changed: preview again."</p> })}
                }.into_any(),
                Err(error) => error_view(error),
            })}
            {move || submit.value().get().map(|result| match result {
                Ok(submitted) => view! {
                    <p class="notice" role="status">{format!(
                        "Submitted for {} users. It starts in {} s; Undo before then changes nothing.",
                        submitted.total, BULK_UNDO_SECONDS
                    )}</p>
                    <JobProgress job_id=submitted.job_id.clone() />
                    <BulkResults job_id=submitted.job_id on_finished />
                }.into_any(),
                Err(error) => error_view(error),
            })}
        </section>
    }
}

/// The request as the form shows it, tracked (for the "preview again" notice).
fn request_tracked(
    selected: RwSignal<Vec<String>>,
    action: RwSignal<UserBulkAction>,
    role: RwSignal<String>,
    reason: RwSignal<Reason>,
) -> UserBulkRequest {
    UserBulkRequest { user_ids: selected.get(), action: action.get(), role: role.get(), reason: reason.get() }
}

fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::InvalidInput { message, .. } => {
            view! { <p class="field__error" role="alert" data-testid="bulk-error">{message}</p> }.into_any()
        }
        error => view! { <ErrorView error /> }.into_any(),
    }
}

/// Each selected user and what will happen to them.
#[component]
fn BulkPreviewView(report: UserBulkPreview) -> impl IntoView {
    let summary = format!(
        "{} users; at most {} calls to Social+, sent at the pace of the request budget.{}",
        report.total,
        report.upstream_calls,
        match report.problems {
            0 => String::new(),
            n => format!(" {n} cannot run: fix the selection first."),
        }
    );
    view! {
        <p data-testid="bulk-preview-summary">{summary}</p>
        <div class="table-wrap">
            <table class="table users-bulk__preview" data-testid="bulk-preview">
                <caption class="visually-hidden">"What will change"</caption>
                <thead><tr><th scope="col">"User"</th><th scope="col">"Change"</th></tr></thead>
                <tbody>
                    {report.items.into_iter().map(|item| view! {
                        <tr>
                            <td><code>{item.user_id}</code></td>
                            <td>{match item.problem {
                                Some(problem) => view! { <span class="field__error">{problem}</span> }.into_any(),
                                None => item.change.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The outcome for each user of job `job_id`, read every second until every one is known.
#[component]
fn BulkResults(job_id: String, on_finished: Callback<()>) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let id = StoredValue::new(job_id);
    let items = Resource::new(
        move || tick.get(),
        move |_| {
            let query = JobItemsQuery { status: None, offset: 0, limit: MAX_SELECTED_USERS as u32 };
            list_job_items(id.get_value(), query)
        },
    );
    let reported = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(Ok(items)) = items.get() else { return };
        let open = items.iter().any(|i| matches!(i.status, ItemStatus::Pending | ItemStatus::Running));
        if open {
            set_timeout(move || tick.update(|t| *t = t.wrapping_add(1)), POLL);
        } else if !reported.get_value() {
            reported.set_value(true);
            on_finished.run(());
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) => view! { <ResultsTable items /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ResultsTable(items: Vec<JobItemView>) -> impl IntoView {
    view! {
        <table class="table users-bulk__results" data-testid="bulk-results">
            <caption>"Result per user"</caption>
            <thead><tr><th scope="col">"User"</th><th scope="col">"Status"</th><th scope="col">"Result"</th></tr></thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let user = item.key.strip_prefix("user:").unwrap_or(&item.key).to_owned();
                    view! {
                        <tr data-status=item.status.as_str()>
                            <td><code>{user}</code></td>
                            <td>{item.status.as_str()}</td>
                            <td>{item.message.unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
