//! The Reviewed tab: what moderators did through the console (its action records, newest
//! first), filtered by moderator, action and date range. The filters live in the URL and are
//! a GET form, so the tab works without WASM and a filtered view can be shared.

use crate::components::{DateRangeFields, EmptyState, ErrorView, time};
use crate::pages::moderation::api::list_reviewed;
use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};
use types::{
    moderation::{ACTION_CODES, ActionRecord, ReviewedQuery},
    url::encode_component,
};

/// Records per page.
const PAGE: u32 = 50;

/// The Reviewed tab's query from URL pairs (`moderator`, `action`, `from`, `to`, `before`).
/// Empty values are no filter; a `before` that is not a number is ignored.
pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ReviewedQuery {
    let mut query = ReviewedQuery { limit: Some(PAGE), ..ReviewedQuery::default() };
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    for (key, value) in pairs {
        match key {
            "moderator" => query.moderator = text(value),
            "action" => query.action = text(value),
            "from" => query.from = text(value),
            "to" => query.to = text(value),
            "before" => query.before_id = value.trim().parse().ok(),
            _ => {}
        }
    }
    query
}

/// The tab's URL for `query` (the page size is not part of it).
pub fn href(query: &ReviewedQuery) -> String {
    let mut url = "/queue?tab=reviewed".to_owned();
    let pairs = [
        ("moderator", query.moderator.clone()),
        ("action", query.action.clone()),
        ("from", query.from.clone()),
        ("to", query.to.clone()),
        ("before", query.before_id.map(|id| id.to_string())),
    ];
    for (key, value) in pairs {
        if let Some(value) = value {
            url.push_str(&format!("&{key}={}", encode_component(&value)));
        }
    }
    url
}

/// Where a record's target is shown: the user's page, or the case view.
fn target_href(target: &str) -> Option<String> {
    let (kind, id) = target.split_once(':')?;
    match kind {
        "user" => Some(format!("/users/{}", encode_component(id))),
        "post" | "comment" | "message" => Some(format!("/queue/case/{kind}/{}", encode_component(id))),
        _ => None,
    }
}

/// The Reviewed tab.
#[component]
pub fn ReviewedTab() -> impl IntoView {
    let map = use_query_map();
    let query = Memo::new(move |_| {
        let map = map.read();
        from_pairs(
            ["moderator", "action", "from", "to", "before"]
                .into_iter()
                .filter_map(|key| map.get_str(key).map(|v| (key, v))),
        )
    });
    let records = Resource::new(
        move || query.get(),
        |query| async move {
            let result = list_reviewed(query.clone()).await;
            (query, result)
        },
    );
    view! {
        <ReviewedFilters query />
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading reviewed cases…"</p> }>
            {move || Suspend::new(async move {
                let (query, result) = records.await;
                match result {
                    Ok(records) => view! { <ReviewedTable records query /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReviewedFilters(query: Memo<ReviewedQuery>) -> impl IntoView {
    let value =
        move |pick: fn(&ReviewedQuery) -> Option<String>| move || query.with(pick).unwrap_or_default();
    view! {
        <div class="toolbar queue-filters" role="search">
            <Form method="GET" action="/queue">
                <input type="hidden" name="tab" value="reviewed" />
                <div class="field">
                    <label for="reviewed-moderator">"Moderator"</label>
                    <input id="reviewed-moderator" name="moderator" type="text" autocomplete="off"
                        placeholder="Console account id" value=value(|q| q.moderator.clone()) />
                </div>
                <div class="field">
                    <label for="reviewed-action">"Action"</label>
                    <select id="reviewed-action" name="action">
                        <option value="" selected=move || query.with(|q| q.action.is_none())>"Any action"</option>
                        {ACTION_CODES.iter().map(|(code, label)| view! {
                            <option value=*code selected=move || query.with(|q| q.action.as_deref() == Some(*code))>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <DateRangeFields
                    id_prefix="reviewed"
                    from=Signal::derive(value(|q| q.from.clone()))
                    to=Signal::derive(value(|q| q.to.clone()))
                />
                <button type="submit" class="button">"Apply"</button>
                <a class="button button--quiet" href="/queue?tab=reviewed">"Clear"</a>
            </Form>
        </div>
    }
}

#[component]
fn ReviewedTable(records: Vec<ActionRecord>, query: ReviewedQuery) -> impl IntoView {
    if records.is_empty() {
        return view! { <EmptyState title="No reviewed cases match.".to_owned()>
            <a href="/queue?tab=reviewed">"Show every reviewed case"</a>
        </EmptyState> }
        .into_any();
    }
    let older = (records.len() >= PAGE as usize)
        .then(|| records.last().map(|r| href(&ReviewedQuery { before_id: Some(r.id), ..query.clone() })))
        .flatten();
    let newest = query.before_id.is_some().then(|| href(&ReviewedQuery { before_id: None, ..query.clone() }));
    view! {
        <div class="table-wrap">
            <table class="table table--dense q2-reviewed" aria-label="Reviewed cases">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Moderator"</th>
                        <th scope="col">"Case"</th>
                        <th scope="col">"Actions"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {records.into_iter().map(|record| {
                        let by_moderator = href(&ReviewedQuery { moderator: Some(record.actor_id.clone()), before_id: None, ..query.clone() });
                        let target = match target_href(&record.target) {
                            Some(link) => view! { <a href=link>{record.target.clone()}</a> }.into_any(),
                            None => view! { <span>{record.target.clone()}</span> }.into_any(),
                        };
                        let (actor, codes) = (record.actor_id.clone(), record.actions.join(","));
                        view! {
                            <tr data-testid="reviewed-row" data-actor=actor data-actions=codes>
                                <td>{time::date_time(&record.at)}</td>
                                <td><a href=by_moderator title="Only this moderator">{record.actor_id}</a></td>
                                <td>{target}</td>
                                <td>{record.actions.join(", ")}</td>
                                <td>{record.reason}</td>
                                <td><span class=format!("badge q2-outcome q2-outcome--{}", record.outcome)>{record.outcome.clone()}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Reviewed pages">
            {newest.map(|link| view! { <a class="button" href=link>"← Newest"</a> })}
            {older.map(|link| view! { <a class="button" rel="next" href=link>"Older →"</a> })}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url_and_empty_values_are_no_filter() {
        let query = from_pairs([
            ("moderator", "e2e-moderator"),
            ("action", "delete"),
            ("from", "2026-11-01"),
            ("to", ""),
            ("before", "42"),
        ]);
        assert_eq!(query.moderator.as_deref(), Some("e2e-moderator"));
        assert_eq!((query.to.as_deref(), query.before_id, query.limit), (None, Some(42), Some(PAGE)));
        let url = href(&query);
        assert_eq!(
            url,
            "/queue?tab=reviewed&moderator=e2e-moderator&action=delete&from=2026-11-01&before=42"
        );
        let back = from_pairs(
            url.split_once('?')
                .map(|(_, q)| q)
                .unwrap_or_default()
                .split('&')
                .filter_map(|p| p.split_once('=')),
        );
        assert_eq!(back, query);
        assert_eq!(from_pairs([("before", "x")]).before_id, None);
    }

    #[test]
    fn targets_link_to_the_user_or_the_case() {
        assert_eq!(target_href("user:ann").as_deref(), Some("/users/ann"));
        assert_eq!(target_href("comment:c/1").as_deref(), Some("/queue/case/comment/c%2F1"));
        assert_eq!(target_href("job:1"), None);
    }
}
