//! Reading the audit trail: filters (actor, action, target, date range) and keyset paging,
//! newest first. The cursor is the id of the last entry shown, so pages never shift when
//! new entries arrive while someone reads.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use time::{Date, macros::format_description};
use types::{
    Page,
    audit::{AuditEntry, AuditFilter, AuditQuery},
};

/// Entries per page of the Audit page.
pub const PAGE_SIZE: u32 = 50;

/// Most entries one export holds; the export says when it was cut.
pub const EXPORT_LIMIT: u32 = 50_000;

/// Why a query could not run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A filter field is malformed.
    #[error("{field}: {message}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// One page of entries matching `query`, at most `limit` long.
pub async fn page(db: &SqlitePool, query: &AuditQuery, limit: u32) -> Result<Page<AuditEntry>, QueryError> {
    let before = match query.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(cursor) => Some(cursor.parse::<i64>().map_err(|_| QueryError::Invalid {
            field: "cursor",
            message: "is not a cursor of this list".into(),
        })?),
    };
    let mut items = fetch(db, &query.filter, before, limit + 1).await?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|last| last.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next, previous: None })
}

/// Every entry matching `filter`, newest first, up to [`EXPORT_LIMIT`]; `true` when cut.
pub async fn export(db: &SqlitePool, filter: &AuditFilter) -> Result<(Vec<AuditEntry>, bool), QueryError> {
    let mut items = fetch(db, filter, None, EXPORT_LIMIT + 1).await?;
    let cut = items.len() > EXPORT_LIMIT as usize;
    items.truncate(EXPORT_LIMIT as usize);
    Ok((items, cut))
}

/// The distinct action codes recorded so far, for the filter's choices.
pub async fn actions(db: &SqlitePool) -> Result<Vec<String>, QueryError> {
    Ok(sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action").fetch_all(db).await?)
}

async fn fetch(
    db: &SqlitePool,
    filter: &AuditFilter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>, QueryError> {
    let from = day(&filter.from, "from")?;
    let to = day(&filter.to, "to")?;
    if let (Some(from), Some(to)) = (&from, &to)
        && from > to
    {
        return Err(QueryError::Invalid { field: "to", message: "is before the first day".into() });
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, actor_id, actor_role, action, target, outcome, reason, before_json, after_json, \
         upstream_status, request_id, details FROM audit_log WHERE 1 = 1",
    );
    if let Some(before) = before {
        sql.push(" AND id < ").push_bind(before);
    }
    let actor = filter.actor.trim();
    if !actor.is_empty() {
        sql.push(" AND actor_id = ").push_bind(actor.to_owned());
    }
    let action = filter.action.trim();
    if !action.is_empty() {
        sql.push(" AND action = ").push_bind(action.to_owned());
    }
    let target = filter.target.trim();
    if !target.is_empty() {
        // instr, not LIKE: the person's text is matched literally, `%` and `_` included.
        sql.push(" AND instr(target, ").push_bind(target.to_owned()).push(") > 0");
    }
    if let Some(from) = from {
        sql.push(" AND substr(at, 1, 10) >= ").push_bind(from);
    }
    if let Some(to) = to {
        sql.push(" AND substr(at, 1, 10) <= ").push_bind(to);
    }
    sql.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
    let rows = sql.build_query_as::<Row>().fetch_all(db).await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// `YYYY-MM-DD`, checked, or `None` when empty.
fn day(value: &str, field: &'static str) -> Result<Option<String>, QueryError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Date::parse(value, format_description!("[year]-[month]-[day]"))
        .map(|_| Some(value.to_owned()))
        .map_err(|_| QueryError::Invalid { field, message: "must be a date like 2026-01-31".into() })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: String,
    actor_id: String,
    actor_role: Option<String>,
    action: String,
    target: Option<String>,
    outcome: String,
    reason: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    upstream_status: Option<i64>,
    request_id: Option<String>,
    details: String,
}

impl From<Row> for AuditEntry {
    fn from(row: Row) -> Self {
        AuditEntry {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            actor_role: row.actor_role,
            action: row.action,
            target: row.target,
            outcome: row.outcome,
            reason: row.reason,
            before: row.before_json,
            after: row.after_json,
            upstream_status: row.upstream_status.and_then(|s| u16::try_from(s).ok()),
            request_id: row.request_id,
            details: row.details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Entry, Outcome, append};
    use serde_json::json;

    async fn trail(actions: &[(&str, &str, &str)]) -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database opens");
        for (actor, action, target) in actions {
            let entry = Entry {
                actor_id: actor,
                actor_role: Some("admin"),
                action,
                target: Some(*target),
                outcome: Outcome::Success,
                request_id: None,
                details: json!({}),
            };
            append(&db, &entry).await.expect("append");
        }
        (dir, db)
    }

    fn filter(actor: &str, action: &str, target: &str) -> AuditFilter {
        AuditFilter {
            actor: actor.into(),
            action: action.into(),
            target: target.into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn keyset_pages_visit_every_entry_once_newest_first() {
        let rows: Vec<(&str, &str, &str)> = (0..7).map(|_| ("ann", "sign_in", "-")).collect();
        let (_dir, db) = trail(&rows).await;
        let mut query = AuditQuery::default();
        let mut seen = Vec::new();
        loop {
            let page = page(&db, &query, 3).await.expect("page");
            seen.extend(page.items.iter().map(|e| e.id));
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, vec![7, 6, 5, 4, 3, 2, 1]);
    }

    #[tokio::test]
    async fn filters_combine_and_match_the_target_literally() {
        let (_dir, db) = trail(&[
            ("ann", "ban_user", "user:bob"),
            ("ann", "sign_in", "-"),
            ("cid", "ban_user", "user:bo%"),
            ("ann", "ban_user", "user:zed"),
        ])
        .await;
        let ids = |page: Page<AuditEntry>| page.items.iter().map(|e| e.id).collect::<Vec<_>>();
        let q = |f| AuditQuery { filter: f, cursor: None };
        assert_eq!(ids(page(&db, &q(filter("ann", "ban_user", "")), 10).await.expect("page")), vec![4, 1]);
        assert_eq!(ids(page(&db, &q(filter("", "", "bo%")), 10).await.expect("page")), vec![3]);
        assert_eq!(ids(page(&db, &q(filter("", "ban_user", "bob")), 10).await.expect("page")), vec![1]);
    }

    #[tokio::test]
    async fn the_date_range_includes_both_days_and_rejects_nonsense() {
        let (_dir, db) = trail(&[("ann", "sign_in", "-")]).await;
        let today = time::OffsetDateTime::now_utc().date().to_string();
        let mut query = AuditQuery::default();
        query.filter.from = today.clone();
        query.filter.to = today;
        assert_eq!(page(&db, &query, 10).await.expect("page").items.len(), 1);
        query.filter.to = "1999-01-01".into();
        assert!(matches!(page(&db, &query, 10).await, Err(QueryError::Invalid { field: "to", .. })));
        query.filter.from = "yesterday".into();
        assert!(matches!(page(&db, &query, 10).await, Err(QueryError::Invalid { field: "from", .. })));
    }

    #[tokio::test]
    async fn a_forged_cursor_is_refused() {
        let (_dir, db) = trail(&[]).await;
        let query = AuditQuery { cursor: Some("1 OR 1=1".into()), ..Default::default() };
        assert!(matches!(page(&db, &query, 10).await, Err(QueryError::Invalid { field: "cursor", .. })));
    }
}
