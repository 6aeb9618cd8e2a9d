//! The user page's cards built from the console's own records: last activity (with where it
//! comes from), communities and community roles, ban history and flag events.

use super::list::roles_view;
use crate::components::time;
use leptos::prelude::*;
use types::{
    audit::AuditEntry,
    users::activity::{ActivitySource, Communities, FlagEvent, LastActivity},
};

/// When the user was last active, and how the console knows.
#[component]
pub fn LastActivityFacts(activity: Option<LastActivity>) -> impl IntoView {
    match activity {
        Some(activity) => {
            let source = match activity.source {
                ActivitySource::Webhook => "webhook",
                ActivitySource::Backfill => "backfill",
                ActivitySource::Report => "report",
                ActivitySource::Community => "community",
                ActivitySource::ProfileUpdate => "profile_update",
            };
            let what = (!activity.what.is_empty()).then(|| format!(" — {}", activity.what));
            view! {
                <dd data-testid="last-activity" data-source=source>
                    <time datetime=activity.at.clone()>{time::date_time(&activity.at)}</time>
                    {what}
                    " "
                    <span class="users-hint">{format!("({})", activity.source.label())}</span>
                </dd>
            }
            .into_any()
        }
        None => view! { <dd data-testid="last-activity" data-source="none">"Unknown"</dd> }.into_any(),
    }
}

/// The communities the console's records connect to the user, checked live.
#[component]
pub fn CommunitiesCard(communities: Communities) -> impl IntoView {
    let note = format!(
        "Social+ has no admin query for the communities of a user. The console checked {} {} its records connect to this user (events they took part in, community roles changed here){}.",
        communities.checked,
        if communities.checked == 1 { "community" } else { "communities" },
        if communities.truncated { "; more exist in the records but were not checked" } else { "" },
    );
    view! {
        <section class="card card--wide" aria-labelledby="communities-heading">
            <h2 id="communities-heading">"Communities"</h2>
            {if communities.memberships.is_empty() {
                view! { <p class="muted" data-testid="user-communities-empty">"No community membership found."</p> }.into_any()
            } else {
                view! {
                    <table class="table users-communities" data-testid="user-communities">
                        <thead><tr>
                            <th scope="col">"Community"</th><th scope="col">"Membership"</th>
                            <th scope="col">"Community roles"</th><th scope="col">"Last active there"</th>
                        </tr></thead>
                        <tbody>
                            {communities.memberships.into_iter().map(|m| view! {
                                <tr>
                                    <td>{m.display_name.clone().unwrap_or_else(|| m.community_id.clone())}" "<code>{m.community_id.clone()}</code></td>
                                    <td>{m.membership}</td>
                                    <td>{roles_view(&m.roles)}</td>
                                    <td>{match m.last_activity {
                                        Some(at) => view! { <time datetime=at.clone()>{time::date_time(&at)}</time> }.into_any(),
                                        None => "—".into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p class="users-hint" role="note">{note}</p>
        </section>
    }
}

/// Bans, unbans and ends of timed bans, newest first.
#[component]
pub fn BanHistory(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <section class="card card--wide" aria-labelledby="ban-history-heading">
            <h2 id="ban-history-heading">"Ban history"</h2>
            {if entries.is_empty() {
                view! { <p class="muted" data-testid="ban-history-empty">"The console has not banned or unbanned this user."</p> }.into_any()
            } else {
                view! {
                    <table class="table users-audit" data-testid="ban-history">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Who"</th><th scope="col">"Outcome"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {entries.into_iter().map(|entry| view! {
                                <tr>
                                    <td><time datetime=entry.at.clone()>{time::date_time(&entry.at)}</time></td>
                                    <td>{ban_label(&entry.action).to_owned()}</td>
                                    <td>{entry.actor_id}</td>
                                    <td>{entry.outcome}</td>
                                    <td>{entry.reason.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// An audit action of the ban history in words.
fn ban_label(action: &str) -> &str {
    match action {
        "ban" => "Banned until lifted",
        "timed_ban" => "Banned for a time",
        "unban" => "Unbanned",
        "lift_timed_ban" => "Timed ban ended",
        other => other,
    }
}

/// Flag events the console stored about the user (who flagged, where the event says).
#[component]
pub fn FlagEvents(events: Vec<FlagEvent>) -> impl IntoView {
    (!events.is_empty()).then(|| {
        view! {
            <ul class="users-content" data-testid="flag-events">
                {events.into_iter().map(|event| view! {
                    <li>
                        <time datetime=event.at.clone()>{time::date_time(&event.at)}</time>
                        {format!(
                            " {} by {} ({})",
                            event.name,
                            event.actor.unwrap_or_else(|| "someone Social+ does not name".into()),
                            event.source
                        )}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
