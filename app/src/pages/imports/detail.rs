//! `/imports/:id`: one import's progress (polled), its failed rows and the result file.
//! The job runs on the server, so reloading or coming back later shows where it is.

use crate::pages::jobs::progress::JobProgress;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The import progress page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <Title text="Import" />
        <section class="page import">
            <p class="breadcrumb"><a href="/imports">"← Imports"</a></p>
            <header class="page__header">
                <h1>"Import"</h1>
                <p class="page__lede">"Rows are sent at the pace of the Social+ request budget. You can leave this page; the import goes on."</p>
            </header>
            {move || {
                let job_id = id();
                view! {
                    <JobProgress job_id=job_id.clone() />
                    <p>
                        <a class="button button--quiet" rel="external" download="" data-testid="import-result-file"
                            href=format!("/jobs/{job_id}/results.csv")>"Download the result file (CSV)"</a>
                    </p>
                }
            }}
        </section>
    }
}
