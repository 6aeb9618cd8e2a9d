//! The "From" and "To" date fields of a GET filter form (`from`, `to`, `YYYY-MM-DD`), shared
//! by the Analytics range, the audit filters and the queue's Reviewed tab.

use leptos::prelude::*;

/// Two labelled date inputs named `from` and `to`, with ids `<id_prefix>-from` / `-to`.
#[component]
pub fn DateRangeFields(
    /// Prefix of the inputs' ids, unique on the page (e.g. "audit").
    id_prefix: &'static str,
    /// The first day shown in the field.
    #[prop(into)]
    from: Signal<String>,
    /// The last day shown in the field.
    #[prop(into)]
    to: Signal<String>,
) -> impl IntoView {
    let (from_id, to_id) = (format!("{id_prefix}-from"), format!("{id_prefix}-to"));
    view! {
        <div class="field">
            <label for=from_id.clone()>"From"</label>
            <input id=from_id name="from" type="date" value=from />
        </div>
        <div class="field">
            <label for=to_id.clone()>"To"</label>
            <input id=to_id name="to" type="date" value=to />
        </div>
    }
}
