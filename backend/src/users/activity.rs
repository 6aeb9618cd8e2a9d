//! The user page's extras that Social+ does not answer for one user: last activity, the
//! communities the user is in, ban history and flag events. They come from the console's own
//! records (the `events` table of issue 7 and the audit trail) and, for communities, from a
//! bounded number of live membership look-ups.
//!
//! Social+ has no admin query "communities of user X" (`GET /api/v3/communities?filter=member`
//! is about the caller). So the console checks the communities its records connect to the
//! user — events the user acted in, community roles the console granted them — at most
//! [`MAX_COMMUNITY_CHECKS`] per page view, each one call through the request budget.

use crate::Error;
use sqlx::{Row, SqlitePool};
use types::{
    audit::{AuditEntry, AuditFilter, AuditQuery},
    users::activity::{ActivitySource, Communities, CommunityMembership, FlagEvent, LastActivity, latest},
};
use upstream::endpoints::communities::QueryCommunityMembers;
use upstream::{
    Client,
    content_query::{CommunityMemberQuery, MembershipFilter},
};

/// Most communities checked live per page view (one upstream call each).
pub const MAX_COMMUNITY_CHECKS: usize = 8;

/// Audit actions that change a user's ban state.
pub const BAN_ACTIONS: [&str; 4] = ["ban", "timed_ban", "unban", "lift_timed_ban"];

/// Entries of the ban history shown.
pub const BAN_HISTORY: usize = 20;

/// Flag events shown.
pub const FLAG_EVENTS: i64 = 20;

/// The latest event the user did (as its actor), from the `events` table. Profile events
/// (`user.*`) are left out unless they come from the last-activity report: an admin editing
/// the profile is not the user being active.
pub async fn last_event(db: &SqlitePool, user_id: &str) -> Result<Option<LastActivity>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT name, occurred_at, source FROM events \
         WHERE actor_user_id = ? AND (source = 'report' OR name NOT LIKE 'user.%') \
         ORDER BY occurred_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| {
        let source = ActivitySource::from_event_source(row.get::<String, _>("source").as_str())?;
        Some(LastActivity {
            at: crate::jobs::format_ms(row.get("occurred_at")),
            what: row.get("name"),
            source,
        })
    }))
}

/// The best last activity: the latest of the stored event, the community memberships'
/// `lastActivity`, and — only when neither exists — the profile's `updatedAt`.
pub fn last_activity(
    event: Option<LastActivity>,
    communities: &Communities,
    updated_at: &str,
) -> Option<LastActivity> {
    let community = communities.memberships.iter().filter_map(|m| {
        m.last_activity.clone().map(|at| LastActivity {
            at,
            what: format!("in community {}", m.display_name.as_deref().unwrap_or(&m.community_id)),
            source: ActivitySource::Community,
        })
    });
    latest(event.into_iter().chain(community)).or_else(|| {
        (!updated_at.is_empty()).then(|| LastActivity {
            at: updated_at.to_owned(),
            what: String::new(),
            source: ActivitySource::ProfileUpdate,
        })
    })
}

/// Flag events about the user, newest first (user webhooks name no flagger; an event that
/// carries `flaggedUserId` has one).
pub async fn flag_events(db: &SqlitePool, user_id: &str) -> Result<Vec<FlagEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT name, occurred_at, source, actor_user_id FROM events \
         WHERE object_kind = 'user' AND object_id = ? \
           AND name IN ('user.didFlag', 'user.didUnflag', 'user.didClearFlag') \
         ORDER BY occurred_at DESC, id DESC LIMIT ?",
    )
    .bind(user_id)
    .bind(FLAG_EVENTS)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| FlagEvent {
            at: crate::jobs::format_ms(row.get("occurred_at")),
            name: row.get("name"),
            actor: row.get::<Option<String>, _>("actor_user_id").filter(|a| a != user_id),
            source: row.get("source"),
        })
        .collect())
}

/// Bans, unbans and timed-ban ends of the user in the audit trail, newest first.
pub async fn ban_history(db: &SqlitePool, user_id: &str) -> Result<Vec<AuditEntry>, Error> {
    let target = super::audit_target(user_id);
    let mut entries = Vec::new();
    for action in BAN_ACTIONS {
        let filter = AuditFilter { action: action.to_owned(), target: target.clone(), ..Default::default() };
        let query = AuditQuery { filter, cursor: None };
        let page = crate::audit::query::page(db, &query, BAN_HISTORY as u32 * 2)
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        // The trail matches targets by substring ("user:ann" is in "user:anna"); keep exact ones.
        entries.extend(page.items.into_iter().filter(|e| e.target.as_deref() == Some(target.as_str())));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.id));
    entries.truncate(BAN_HISTORY);
    Ok(entries)
}

/// Communities the console's records connect to the user, most recent first, without
/// repeats: communities of the user's events, then communities whose roles the console
/// changed for them (audit target `<communityId>/<userId>`).
pub async fn community_candidates(db: &SqlitePool, user_id: &str) -> Result<Vec<String>, Error> {
    let limit = i64::try_from(MAX_COMMUNITY_CHECKS + 1).unwrap_or(i64::MAX);
    let rows = sqlx::query(
        "SELECT community_id, MAX(id) AS latest FROM events \
         WHERE actor_user_id = ? AND community_id IS NOT NULL \
         GROUP BY community_id ORDER BY latest DESC LIMIT ?",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await
    .map_err(|e| Error::Internal(e.to_string()))?;
    let mut candidates: Vec<String> = rows.into_iter().map(|row| row.get("community_id")).collect();
    let suffix = format!("/{user_id}");
    let filter =
        AuditFilter { action: "community_roles_change".into(), target: suffix.clone(), ..Default::default() };
    let page = crate::audit::query::page(db, &AuditQuery { filter, cursor: None }, 50)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    for target in page.items.into_iter().filter_map(|e| e.target) {
        if let Some(community) = target.strip_suffix(&suffix).filter(|c| !c.is_empty() && !c.contains('/'))
            && !candidates.iter().any(|c| c == community)
        {
            candidates.push(community.to_owned());
        }
    }
    Ok(candidates)
}

/// Checks `candidates` live (at most [`MAX_COMMUNITY_CHECKS`]): the user's membership and
/// community roles in each. A community the user is not in is left out; a failed look-up is
/// logged and skipped.
pub async fn communities(
    upstream: &Client,
    user_id: &str,
    display_name: &str,
    candidates: &[String],
) -> Communities {
    let truncated = candidates.len() > MAX_COMMUNITY_CHECKS;
    let checked = &candidates[..candidates.len().min(MAX_COMMUNITY_CHECKS)];
    // The member search matches display names (the spec adds user ids; a name is enough to
    // narrow the page, and the exact id is matched below).
    let query = CommunityMemberQuery {
        memberships: vec![MembershipFilter::Member, MembershipFilter::Banned],
        search: Some(display_name.to_owned()).filter(|n| !n.trim().is_empty()),
        limit: Some(100),
        ..Default::default()
    };
    let mut memberships = Vec::new();
    for community_id in checked {
        let envelope = match upstream.send(&QueryCommunityMembers { community_id, query: &query }).await {
            Ok(envelope) => envelope,
            Err(error) => {
                tracing::warn!(%error, community = %community_id, "community membership look-up failed");
                continue;
            }
        };
        let Some(member) = envelope.community_users.iter().find(|m| m.user_id == user_id) else {
            continue;
        };
        memberships.push(CommunityMembership {
            community_id: community_id.clone(),
            display_name: envelope
                .communities
                .iter()
                .find(|c| &c.community_id == community_id)
                .map(|c| c.display_name.clone())
                .filter(|n| !n.is_empty()),
            membership: member.community_membership.as_str().to_owned(),
            roles: member.roles.clone(),
            last_activity: member.last_activity.clone(),
        });
    }
    memberships.sort_by(|a, b| {
        let name = |m: &CommunityMembership| m.display_name.clone().unwrap_or_else(|| m.community_id.clone());
        name(a).cmp(&name(b))
    });
    Communities { memberships, checked: u32::try_from(checked.len()).unwrap_or(u32::MAX), truncated }
}

/// Fills the user page's extras into `user`. Each part is optional: a failure is logged and
/// leaves that part empty, the profile still shows.
pub async fn enrich(upstream: &Client, db: &SqlitePool, user: &mut types::users::UserDetail) {
    let user_id = user.row.user_id.clone();
    let candidates = community_candidates(db, &user_id).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "community candidates unavailable");
        Vec::new()
    });
    let (communities, event, bans, flags) = tokio::join!(
        communities(upstream, &user_id, &user.row.display_name, &candidates),
        last_event(db, &user_id),
        ban_history(db, &user_id),
        flag_events(db, &user_id),
    );
    let event = event.unwrap_or_else(|error| {
        tracing::warn!(%error, "last activity event unavailable");
        None
    });
    user.last_activity = last_activity(event, &communities, &user.updated_at);
    user.communities = communities;
    user.ban_history = bans.unwrap_or_else(|error| {
        tracing::warn!(%error, "ban history unavailable");
        Vec::new()
    });
    user.flag_events = flags.unwrap_or_else(|error| {
        tracing::warn!(%error, "flag events unavailable");
        Vec::new()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(last_activity: Option<&str>) -> CommunityMembership {
        CommunityMembership {
            community_id: "c1".into(),
            display_name: Some("Cyclists".into()),
            membership: "member".into(),
            roles: Vec::new(),
            last_activity: last_activity.map(str::to_owned),
        }
    }

    #[test]
    fn the_profile_update_is_used_only_when_no_activity_is_recorded() {
        let none = Communities::default();
        let fallback = last_activity(None, &none, "2026-01-01T00:00:00Z").expect("fallback");
        assert_eq!(fallback.source, ActivitySource::ProfileUpdate);
        let event = LastActivity {
            at: "2025-06-01T00:00:00Z".into(),
            what: "v3.post.didCreate".into(),
            source: ActivitySource::Webhook,
        };
        // An older event still wins over a newer profile update: the update may be an admin's.
        assert_eq!(last_activity(Some(event.clone()), &none, "2026-01-01T00:00:00Z"), Some(event.clone()));
        let communities =
            Communities { memberships: vec![membership(Some("2025-07-01T00:00:00Z"))], ..Default::default() };
        let best = last_activity(Some(event), &communities, "").expect("community");
        assert_eq!(best.source, ActivitySource::Community);
        assert_eq!(best.what, "in community Cyclists");
        assert_eq!(last_activity(None, &none, ""), None);
    }
}
