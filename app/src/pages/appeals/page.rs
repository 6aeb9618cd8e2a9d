//! `/appeals`: open appeals with a decide form each, and a form to enter an appeal a member
//! sent to staff. Both forms are `ActionForm`s (they post without WASM too). The member's
//! words are rendered as text.

use super::api::{DecideAppeal, FileAppeal, list_appeals};
use crate::{components::ErrorView, pages::moderation::ActionReportView};
use leptos::prelude::*;
use leptos_meta::Title;
use types::moderation::{Appeal, MAX_APPEAL_CHARS};

/// The Appeals page.
#[component]
pub fn AppealsPage() -> impl IntoView {
    let file = ServerAction::<FileAppeal>::new();
    let decide = ServerAction::<DecideAppeal>::new();
    let appeals = Resource::new(
        move || (file.version().get(), decide.version().get()),
        |_| list_appeals(String::new()),
    );
    view! {
        <Title text="Appeals" />
        <section class="page">
            <header class="page__header">
                <h1>"Appeals"</h1>
                <p class="page__lede">"Members ask for a ban or warning to be reviewed. The moderator who acted cannot decide; accepting lifts the bans."</p>
            </header>
            {move || decide.value().get().map(|outcome| match outcome {
                Ok(decided) => view! {
                    <div data-testid="appeal-decided">
                        <p class="alert alert--success" role="status">{format!("Appeal {} is {}.", decided.appeal.id, decided.appeal.status)}</p>
                        {decided.report.map(|report| view! { <ActionReportView report /> })}
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading appeals…"</p> }>
                {move || Suspend::new(async move {
                    match appeals.await {
                        Ok(list) if list.is_empty() => view! { <p class="mod-appeals__empty">"No appeals."</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="mod-appeals">
                                {list.into_iter().map(|appeal| view! { <AppealRow appeal decide /> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            <section class="card" aria-labelledby="file-appeal-title">
                <h2 id="file-appeal-title">"Enter an appeal"</h2>
                {move || file.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
                <ActionForm action=file>
                    <div class="field">
                        <label for="appeal-user">"User id"</label>
                        <input id="appeal-user" name="user_id" required />
                    </div>
                    <div class="field">
                        <label for="appeal-message">"What the member wrote"</label>
                        <textarea id="appeal-message" name="message" rows="3" maxlength=MAX_APPEAL_CHARS required></textarea>
                    </div>
                    <button type="submit" class="button">"Enter appeal"</button>
                </ActionForm>
            </section>
        </section>
    }
}

#[component]
fn AppealRow(appeal: Appeal, decide: ServerAction<DecideAppeal>) -> impl IntoView {
    let open = appeal.status == "open";
    let id = appeal.id;
    view! {
        <li class="card mod-appeal" data-testid="appeal" data-user=appeal.user_id.clone() data-status=appeal.status.clone()>
            <p class="mod-appeal__meta">
                {format!("User {} · against action #{} by {} · {} · {}", appeal.user_id,
                    appeal.action_id.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
                    appeal.acted_by, appeal.source, appeal.created_at)}
            </p>
            <p class="mod-appeal__message">{appeal.message.clone()}</p>
            {if open {
                view! {
                    <ActionForm action=decide>
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label for=format!("appeal-note-{id}")>"Decision note"</label>
                            <textarea id=format!("appeal-note-{id}") name="note" rows="2" required></textarea>
                        </div>
                        <button type="submit" class="button" name="decision" value="accept">"Accept and lift bans"</button>
                        " "
                        <button type="submit" class="button button--secondary" name="decision" value="reject">"Reject"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p class="mod-appeal__decision">
                        {format!("{} by {}: {}", appeal.status, appeal.decided_by.unwrap_or_default(), appeal.decision_note.unwrap_or_default())}
                    </p>
                }.into_any()
            }}
        </li>
    }
}
