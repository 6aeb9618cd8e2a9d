//! The queue's pure logic: merging the cases of several sources, then filtering, sorting and
//! paging them the way the Queue page asks. Sources overlap (a pending post can also be in
//! the moderation feed), so the same item is merged into one case.

use std::collections::{BTreeMap, BTreeSet};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use types::{
    Page,
    queue::{Case, CaseKind, QueueQuery, QueueSort, QueueTab, ReviewState},
};

/// Cases per page of the Queue table.
pub const PAGE_SIZE: usize = 50;

/// One case per `(kind, id)`, in first-seen order. Duplicates keep the larger flag and
/// reporter counts, every AI score and reason once, the latest flag time, and the most
/// decided state (reviewed over pending over open).
pub fn merge(sources: impl IntoIterator<Item = Case>) -> Vec<Case> {
    let mut order: Vec<(CaseKind, String)> = Vec::new();
    let mut cases: BTreeMap<(CaseKind, String), Case> = BTreeMap::new();
    for case in sources {
        let key = (case.kind, case.id.clone());
        match cases.get_mut(&key) {
            None => {
                order.push(key.clone());
                cases.insert(key, case);
            }
            Some(known) => absorb(known, case),
        }
    }
    order.into_iter().filter_map(|key| cases.remove(&key)).collect()
}

fn absorb(known: &mut Case, other: Case) {
    known.flag_count = known.flag_count.max(other.flag_count);
    known.reporter_count = known.reporter_count.max(other.reporter_count);
    for reason in other.reasons {
        if !known.reasons.contains(&reason) {
            known.reasons.push(reason);
        }
    }
    for score in other.ai {
        if !known.ai.iter().any(|s| s.category == score.category) {
            known.ai.push(score);
        }
    }
    known.ai.sort_by(|a, b| b.score.total_cmp(&a.score));
    if other.last_flagged_at > known.last_flagged_at {
        known.last_flagged_at = other.last_flagged_at;
    }
    if rank(other.state) > rank(known.state) {
        known.state = other.state;
    }
    fill(&mut known.internal_id, other.internal_id);
    fill(&mut known.feed_id, other.feed_id);
    fill(&mut known.community_id, other.community_id);
    fill(&mut known.community_name, other.community_name);
    fill(&mut known.created_at, other.created_at);
    if known.excerpt.is_empty() {
        known.excerpt = other.excerpt;
    }
    if known.author_name.is_empty() {
        known.author_name = other.author_name;
    }
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn rank(state: ReviewState) -> u8 {
    match state {
        ReviewState::Open => 0,
        ReviewState::Pending => 1,
        ReviewState::Kept | ReviewState::Deleted => 2,
    }
}

/// Whether a case belongs on `tab`.
pub fn on_tab(case: &Case, tab: QueueTab) -> bool {
    match tab {
        QueueTab::ToReview => case.state == ReviewState::Open,
        QueueTab::Pending => case.state == ReviewState::Pending,
        QueueTab::Reviewed => matches!(case.state, ReviewState::Kept | ReviewState::Deleted),
    }
}

fn parse_time(value: Option<&str>) -> Option<OffsetDateTime> {
    value.and_then(|v| OffsetDateTime::parse(v, &Rfc3339).ok())
}

/// Whether a case passes every filter of `query` (the tab included), at time `now`.
pub fn admits(case: &Case, query: &QueueQuery, now: OffsetDateTime) -> bool {
    if !on_tab(case, query.tab) || !query.kind.admits(case.kind) || case.flag_count < query.min_flags {
        return false;
    }
    if !query.community.is_empty() && case.community_id.as_deref() != Some(query.community.as_str()) {
        return false;
    }
    if !query.ai_category.is_empty() && !case.ai.iter().any(|s| s.category == query.ai_category) {
        return false;
    }
    if let Some(window) = query.age.seconds() {
        let recent = parse_time(case.last_flagged_at.as_deref())
            .is_some_and(|at| (now - at).whole_seconds() <= window);
        if !recent {
            return false;
        }
    }
    let needle = query.search.to_lowercase();
    needle.is_empty()
        || [&case.excerpt, &case.author_name, &case.author_id, &case.id]
            .iter()
            .any(|field| field.to_lowercase().contains(&needle))
}

/// Sorts in place; ties keep the id order so pages are stable.
pub fn sort(cases: &mut [Case], order: QueueSort) {
    cases.sort_by(|a, b| {
        let primary = match order {
            QueueSort::MostFlagged => b.flag_count.cmp(&a.flag_count),
            QueueSort::Oldest => a.created_at.cmp(&b.created_at),
            QueueSort::Newest => b.created_at.cmp(&a.created_at),
            QueueSort::LastFlagged => b.last_flagged_at.cmp(&a.last_flagged_at),
        };
        primary.then_with(|| a.kind.cmp(&b.kind)).then_with(|| a.id.cmp(&b.id))
    });
}

/// The page at `cursor` (an offset written by this function), [`PAGE_SIZE`] long.
pub fn page(cases: Vec<Case>, cursor: Option<&str>) -> Page<Case> {
    let start = cursor.and_then(|c| c.parse::<usize>().ok()).unwrap_or(0).min(cases.len());
    let end = (start + PAGE_SIZE).min(cases.len());
    let next = (end < cases.len()).then(|| end.to_string());
    let previous = (start > 0).then(|| start.saturating_sub(PAGE_SIZE).to_string());
    let items = cases.into_iter().skip(start).take(end - start).collect();
    Page { items, next, previous }
}

/// Communities `(id, name)` and AI categories present in `cases`, sorted, for the filter menus.
pub fn facets(cases: &[Case]) -> (Vec<(String, String)>, Vec<String>) {
    let communities: BTreeMap<String, String> = cases
        .iter()
        .filter_map(|c| {
            let id = c.community_id.clone()?;
            Some((id.clone(), c.community_name.clone().unwrap_or(id)))
        })
        .collect();
    let mut communities: Vec<_> = communities.into_iter().collect();
    communities.sort_by_key(|(_, name)| name.to_lowercase());
    let categories: BTreeSet<String> =
        cases.iter().flat_map(|c| c.ai.iter().map(|s| s.category.clone())).collect();
    (communities, categories.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use types::queue::{AgeFilter, AiScore, KindFilter};

    fn case(kind: CaseKind, id: &str, flags: u64) -> Case {
        Case {
            kind,
            id: id.into(),
            internal_id: None,
            feed_id: None,
            excerpt: format!("text of {id}"),
            author_id: "u1".into(),
            author_name: "Ann".into(),
            community_id: Some("c1".into()),
            community_name: Some("Gardening".into()),
            flag_count: flags,
            reporter_count: flags,
            reasons: vec![],
            ai: vec![],
            created_at: Some(format!("2026-10-0{}T00:00:00Z", flags.min(9))),
            last_flagged_at: Some("2026-11-20T00:00:00Z".into()),
            state: ReviewState::Open,
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-21 00:00:00 UTC);

    #[test]
    fn the_same_item_from_two_sources_becomes_one_case() {
        let mut from_feed = case(CaseKind::Post, "p1", 2);
        from_feed.ai = vec![AiScore { category: "Spam".into(), score: 0.4 }];
        from_feed.internal_id = Some("i1".into());
        let mut pending = case(CaseKind::Post, "p1", 3);
        pending.state = ReviewState::Pending;
        pending.ai = vec![AiScore { category: "Violence".into(), score: 0.9 }];
        let merged = merge([from_feed, case(CaseKind::Comment, "p1", 1), pending]);
        assert_eq!(merged.len(), 2, "a comment with the same id is another case");
        let post = &merged[0];
        assert_eq!((post.flag_count, post.reporter_count, post.state), (3, 3, ReviewState::Pending));
        assert_eq!(post.internal_id.as_deref(), Some("i1"));
        let categories: Vec<_> = post.ai.iter().map(|s| s.category.as_str()).collect();
        assert_eq!(categories, ["Violence", "Spam"]);
    }

    #[test]
    fn filters_combine_tab_type_community_ai_flags_age_and_search() {
        let mut hit = case(CaseKind::Comment, "c-hit", 4);
        hit.ai = vec![AiScore { category: "Spam".into(), score: 0.7 }];
        let query = QueueQuery {
            kind: KindFilter::Comment,
            community: "c1".into(),
            ai_category: "Spam".into(),
            min_flags: 3,
            age: AgeFilter::Week,
            search: "C-HIT".into(),
            ..QueueQuery::default()
        };
        assert!(admits(&hit, &query, NOW));
        let mut old = hit.clone();
        old.last_flagged_at = Some("2026-10-01T00:00:00Z".into());
        assert!(!admits(&old, &query, NOW), "outside the age window");
        let mut reviewed = hit.clone();
        reviewed.state = ReviewState::Kept;
        assert!(!admits(&reviewed, &query, NOW), "reviewed cases are on their own tab");
        assert!(admits(&reviewed, &QueueQuery { tab: QueueTab::Reviewed, ..query.clone() }, NOW));
        assert!(!admits(&hit, &QueueQuery { min_flags: 5, ..query.clone() }, NOW));
        assert!(!admits(&hit, &QueueQuery { community: "c2".into(), ..query.clone() }, NOW));
        assert!(!admits(&hit, &QueueQuery { kind: KindFilter::Post, ..query.clone() }, NOW));
        assert!(!admits(&hit, &QueueQuery { ai_category: "Violence".into(), ..query }, NOW));
    }

    #[test]
    fn sorts_order_by_flags_age_and_last_flag_with_stable_ties() {
        let mut cases =
            vec![case(CaseKind::Post, "b", 1), case(CaseKind::Post, "a", 5), case(CaseKind::Post, "c", 1)];
        cases[2].last_flagged_at = Some("2026-11-20T10:00:00Z".into());
        sort(&mut cases, QueueSort::MostFlagged);
        assert_eq!(ids(&cases), ["a", "b", "c"]);
        sort(&mut cases, QueueSort::Oldest);
        assert_eq!(ids(&cases), ["b", "c", "a"]);
        sort(&mut cases, QueueSort::Newest);
        assert_eq!(ids(&cases), ["a", "b", "c"]);
        sort(&mut cases, QueueSort::LastFlagged);
        assert_eq!(ids(&cases), ["c", "a", "b"]);
    }

    fn ids(cases: &[Case]) -> Vec<&str> {
        cases.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn pages_link_forward_and_back_by_offset() {
        let cases: Vec<Case> = (0..120).map(|i| case(CaseKind::Post, &format!("{i:03}"), 1)).collect();
        let first = page(cases.clone(), None);
        assert_eq!(
            (first.items.len(), first.next.as_deref(), first.previous.as_deref()),
            (50, Some("50"), None)
        );
        let last = page(cases.clone(), Some("100"));
        assert_eq!((last.items.len(), last.next, last.previous.as_deref()), (20, None, Some("50")));
        assert_eq!(page(cases, Some("junk")).items[0].id, "000");
    }
}
