//! Internal notes on a case or a user, with a form to add one. Mount it on the case view
//! (`subject` = `post:<id>`…) or the user page (`user:<id>`). Note text is rendered as text.

use super::teamwork_api::{AddNote, list_notes};
use crate::components::ErrorView;
use leptos::prelude::*;
use types::moderation::MAX_NOTE_CHARS;

/// The notes on `subject`, oldest first, and an "Add note" form.
#[component]
pub fn NotesPanel(
    /// The case or user ([`types::moderation::Target::key`]).
    subject: String,
    /// Element id prefix (two panels on one page need different ones).
    #[prop(default = "mod-notes")]
    id: &'static str,
    /// The panel's heading.
    #[prop(default = "Internal notes")]
    title: &'static str,
) -> impl IntoView {
    let (title_id, labelled_by) = (format!("{id}-title"), format!("{id}-title"));
    let body_id = format!("{id}-body");
    let subject_attr = subject.clone();
    let add = ServerAction::<AddNote>::new();
    let notes = Resource::new(
        {
            let subject = subject.clone();
            move || (subject.clone(), add.version().get())
        },
        |(subject, _)| list_notes(subject),
    );
    view! {
        <section class="mod-notes card" aria-labelledby=labelled_by data-testid="notes-panel" data-subject=subject_attr>
            <h2 id=title_id>{title}</h2>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading notes…"</p> }>
                {move || Suspend::new(async move {
                    match notes.await {
                        Ok(list) if list.is_empty() => view! { <p class="mod-notes__empty">"No notes yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="mod-notes__list">
                                {list.into_iter().map(|note| view! {
                                    <li class="mod-notes__note">
                                        <p class="mod-notes__meta">{note.author_name}" · "<time>{note.created_at}</time></p>
                                        <p class="mod-notes__body">{note.body}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
            <ActionForm action=add>
                <input type="hidden" name="subject" value=subject />
                <div class="field">
                    <label for=body_id.clone()>"Add a note (only moderators see it)"</label>
                    <textarea id=body_id name="body" rows="3" maxlength=MAX_NOTE_CHARS required></textarea>
                </div>
                <button type="submit" class="button">"Add note"</button>
            </ActionForm>
        </section>
    }
}
