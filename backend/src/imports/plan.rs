//! The dry run and the submission of an import job.

use super::{KIND, Parsed};
use crate::{
    Error,
    jobs::{NewItem, NewJob},
};
use serde_json::json;
use sqlx::SqlitePool;
use std::{collections::HashSet, time::Duration};
use types::{
    Permission,
    imports::{ImportPreview, ImportRow, PREVIEW_ROWS},
};
use upstream::UpstreamApi;

/// Users looked up per request when checking which rows exist.
const LOOKUP_BATCH: usize = 100;

/// Which of the rows' users Social+ already has (deleted users count as existing: an update
/// reaches them, a session registration would not recreate them).
pub async fn existing_users(
    upstream: &dyn UpstreamApi,
    rows: &[ImportRow],
) -> Result<HashSet<String>, Error> {
    let mut existing = HashSet::new();
    for batch in rows.chunks(LOOKUP_BATCH) {
        let ids: Vec<String> = batch.iter().map(|r| r.user_id.clone()).collect();
        let found = upstream.list_users_by_ids(&ids).await?;
        existing.extend(found.users.into_iter().map(|u| u.user_id));
    }
    Ok(existing)
}

/// Requests one row needs: an update for an existing user; a session registration for a new
/// one, plus an update when it sets more than the display name.
fn requests_for(row: &ImportRow, exists: bool) -> u32 {
    let extra = row.description.is_some() || row.roles.is_some() || row.metadata.is_some();
    if exists { 1 } else { 1 + u32::from(extra) }
}

/// What importing `parsed` would do.
pub async fn preview(
    upstream: &dyn UpstreamApi,
    parsed: &Parsed,
    budget_per_second: Option<u32>,
) -> Result<ImportPreview, Error> {
    let existing = existing_users(upstream, &parsed.rows).await?;
    let requests = parsed.rows.iter().map(|r| requests_for(r, existing.contains(&r.user_id))).sum();
    Ok(ImportPreview {
        rows: parsed.total,
        valid: u32::try_from(parsed.rows.len()).unwrap_or(u32::MAX),
        existing: u32::try_from(parsed.rows.iter().filter(|r| existing.contains(&r.user_id)).count())
            .unwrap_or(u32::MAX),
        problems: parsed.problems.clone(),
        sample: parsed.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
        ignored_columns: parsed.ignored_columns.clone(),
        requests,
        budget_per_second,
    })
}

/// Submits the import as a job: one item per data row, in file order. Invalid rows become
/// items too (failing with their problem, without calling Social+), so the progress and the
/// result file account for every line.
pub async fn submit(
    db: &SqlitePool,
    upstream: &dyn UpstreamApi,
    created_by: &str,
    file_name: &str,
    parsed: &Parsed,
) -> Result<String, Error> {
    let existing = existing_users(upstream, &parsed.rows).await?;
    let mut items: Vec<(u32, NewItem)> = parsed
        .rows
        .iter()
        .map(|row| {
            let input = json!({ "row": row, "exists": existing.contains(&row.user_id) });
            (row.line, NewItem { key: row.user_id.clone(), input })
        })
        .collect();
    for problem in parsed.rejected() {
        let messages: Vec<String> = parsed
            .problems
            .iter()
            .filter(|p| p.line == problem.line)
            .map(|p| format!("{}: {}", p.column, p.message))
            .collect();
        let input = json!({ "line": problem.line, "problem": messages.join(" ") });
        let key = if problem.user_id.is_empty() {
            format!("line {}", problem.line)
        } else {
            problem.user_id.clone()
        };
        items.push((problem.line, NewItem { key, input }));
    }
    items.sort_by_key(|(line, _)| *line);
    let job = NewJob {
        kind: KIND,
        created_by: created_by.to_owned(),
        permission: Permission::EditUsers,
        payload: json!({ "file": file_name, "rows": parsed.total }),
        items: items.into_iter().map(|(_, item)| item).collect(),
        delay: Duration::ZERO,
    };
    crate::jobs::submit(db, &job).await
}
