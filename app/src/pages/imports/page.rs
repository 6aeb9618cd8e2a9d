//! `/imports`: pick a users CSV file (or paste it), check it with a dry run, then import the
//! valid rows as a background job. Lists recent imports, so one started earlier is easy to find.
//!
//! The file picker works both ways: after hydration, choosing a file reads it in the browser
//! into the text box; without WASM its form uploads the file (`POST /imports/upload`,
//! multipart) and the server sends the browser back to `/imports?upload=<id>`, where the
//! dry run of the stored file is rendered and its import can be started.

use super::api::{PreviewImport, StartImport, list_imports, preview_upload};
use crate::{
    AppError,
    components::{ErrorView, time::date_time},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use types::imports::{COLUMNS, ImportPreview, MAX_BYTES, MAX_ROWS};

/// The Imports page.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let preview = ServerAction::<PreviewImport>::new();
    let start = ServerAction::<StartImport>::new();
    let csv = RwSignal::new(String::new());
    let file_name = RwSignal::new("users.csv".to_owned());
    let recent = Resource::new(move || start.version().get(), |_| list_imports());
    let query = use_query_map();
    let upload_error = move || query.read().get("upload_error");
    let upload = Resource::new(
        move || query.read().get("upload").filter(|id| !id.is_empty()),
        |id| async move {
            match id {
                Some(id) => Some(preview_upload(id).await),
                None => None,
            }
        },
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(job_id)) = start.value().get() {
            navigate(&format!("/imports/{job_id}"), Default::default());
        }
    });
    view! {
        <Title text="Imports" />
        <section class="page import">
            <header class="page__header">
                <h1>"Import users"</h1>
                <p class="page__lede">{format!(
                    "Create or update up to {MAX_ROWS} users from CSV. The first line names the columns: {} (userId is required; an empty cell changes nothing; roles are separated by semicolons; metadata is a JSON object).",
                    COLUMNS.join(", ")
                )}</p>
            </header>
            <section class="card" aria-labelledby="import-file-title">
                <h2 id="import-file-title">"1. The file"</h2>
                <FilePicker csv file_name />
                {move || upload_error().map(|message| view! {
                    <p class="field__error import-error" role="alert" data-testid="import-upload-error">{message}</p>
                })}
                <ActionForm action=preview attr:class="form">
                    <div class="field">
                        <label for="import-name">"File name (for the record)"</label>
                        <input id="import-name" name="file_name" type="text" maxlength="100" bind:value=file_name />
                    </div>
                    <div class="field">
                        <label for="import-csv">"CSV content"</label>
                        <textarea id="import-csv" name="csv" rows="12" required spellcheck="false" class="import-csv" bind:value=csv
                            placeholder="userId,displayName,roles,metadata"></textarea>
                    </div>
                    <button type="submit" class="button">"Check (dry run)"</button>
                </ActionForm>
            </section>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match upload.await {
                        Some(Ok(uploaded)) => view! {
                            <PreviewReport report=uploaded.preview csv file_name start upload_id=Some((uploaded.upload_id, uploaded.file_name)) />
                        }.into_any(),
                        Some(Err(error)) => view! { <ErrorView error /> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Suspense>
            {move || preview.value().get().map(|result| match result {
                Ok(report) => view! { <PreviewReport report csv file_name start upload_id=None /> }.into_any(),
                Err(AppError::InvalidInput { message, .. }) => view! {
                    <p class="field__error import-error" role="alert" data-testid="import-file-error">{message}</p>
                }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            <section class="card" aria-labelledby="import-recent-title">
                <h2 id="import-recent-title">"Recent imports"</h2>
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match recent.await {
                            Ok(jobs) if jobs.is_empty() => view! { <p class="muted">"No imports yet."</p> }.into_any(),
                            Ok(jobs) => view! {
                                <ul class="import-recent">
                                    {jobs.into_iter().map(|job| view! {
                                        <li>
                                            <a href=format!("/imports/{}", job.id)>{date_time(&job.created_at)}</a>
                                            {format!(" by {} — {}: {} of {} rows succeeded, {} failed",
                                                job.created_by, job.state.as_str(), job.counts.done, job.counts.total, job.counts.failed)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) => view! { <ErrorView error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </section>
    }
}

/// The file input. After hydration a chosen file is read here into `csv` (and its name into
/// `file_name`); the "Upload and check" button posts it to the server, with or without WASM.
#[component]
fn FilePicker(csv: RwSignal<String>, file_name: RwSignal<String>) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, String>>);
    let on_change = move |ev: leptos::ev::Event| read_picked(ev, csv, file_name, status);
    view! {
        <form class="form import-upload" method="post" action="/imports/upload" enctype="multipart/form-data">
            <div class="field">
                <label for="import-file">"CSV file"</label>
                <input id="import-file" name="file" type="file" accept=".csv,text/csv,text/plain" on:change=on_change />
                <p class="users-hint">{format!("Up to {} KB. Choosing a file fills the text box below; “Upload and check” sends it to the server instead.", MAX_BYTES / 1024)}</p>
            </div>
            <button type="submit" class="button button--quiet">"Upload and check"</button>
            {move || status.get().map(|read| match read {
                Ok(text) => view! { <p class="notice" role="status" data-testid="import-file-read">{text}</p> }.into_any(),
                Err(text) => view! { <p class="field__error" role="alert">{text}</p> }.into_any(),
            })}
        </form>
    }
}

/// Reads the picked file into the text box (browser only; on the server nothing fires).
fn read_picked(
    ev: leptos::ev::Event,
    csv: RwSignal<String>,
    file_name: RwSignal<String>,
    status: RwSignal<Option<Result<String, String>>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        if file.size() > MAX_BYTES as f64 {
            status.set(Some(Err(format!(
                "The file is larger than {} KB; split it into smaller files.",
                MAX_BYTES / 1024
            ))));
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
                Some(text) => {
                    let lines = text.lines().count();
                    csv.set(text);
                    status.set(Some(Ok(format!(
                        "Read {name} ({lines} lines) into the text box; check it with the dry run."
                    ))));
                    file_name.set(name);
                }
                None => status.set(Some(Err(format!("{name} could not be read as text.")))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, csv, file_name, status);
}

#[component]
fn PreviewReport(
    report: ImportPreview,
    csv: RwSignal<String>,
    file_name: RwSignal<String>,
    start: ServerAction<StartImport>,
    /// The stored upload (id, file name) this report is of; `None` for the text box.
    upload_id: Option<(String, String)>,
) -> impl IntoView {
    let created = report.valid.saturating_sub(report.existing);
    let estimate = report.estimated_seconds().map(|s| {
        format!(
            " It needs about {} requests; at the budget of {} per second that is about {s} s.",
            report.requests,
            report.budget_per_second.unwrap_or_default()
        )
    });
    let invalid_lines = {
        let mut lines: Vec<u32> = report.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    };
    view! {
        <section class="card" aria-labelledby="import-check-title">
            <h2 id="import-check-title">"2. The dry run"</h2>
            <p data-testid="import-summary">{format!(
                "{} rows: {} valid ({} new users, {} updates), {} with problems.{}",
                report.rows, report.valid, created, report.existing, invalid_lines, estimate.unwrap_or_default()
            )}</p>
            {(!report.ignored_columns.is_empty()).then(|| view! {
                <p class="notice">{format!("Ignored columns: {}.", report.ignored_columns.join(", "))}</p>
            })}
            {(!report.problems.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table import-problems" data-testid="import-problems">
                        <caption>"Rows that will not be imported"</caption>
                        <thead><tr><th scope="col">"Line"</th><th scope="col">"User id"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                        <tbody>
                            {report.problems.iter().map(|p| view! {
                                <tr><td>{p.line}</td><td>{p.user_id.clone()}</td><td>{p.column.clone()}</td><td>{p.message.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(report.valid > 0).then(|| view! {
                <ActionForm action=start attr:class="form">
                    {match upload_id.clone() {
                        // Rendered as attributes: this form must post without WASM.
                        Some((id, name)) => view! {
                            <p class="notice" data-testid="import-uploaded">{format!("Uploaded file: {name}")}</p>
                            <input type="hidden" name="file_name" value=name />
                            <input type="hidden" name="csv" value="" />
                            <input type="hidden" name="upload_id" value=id />
                        }.into_any(),
                        None => view! {
                            <input type="hidden" name="file_name" prop:value=move || file_name.get() />
                            <input type="hidden" name="csv" prop:value=move || csv.get() />
                        }.into_any(),
                    }}
                    <button type="submit" class="button" data-testid="import-start">
                        {format!("Import {} valid rows", report.valid)}
                    </button>
                </ActionForm>
            })}
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
        </section>
    }
}
