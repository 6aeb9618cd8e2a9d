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
    imports::{ImportPreview, ImportRow, PREVIEW_ROWS, RowProblem},
};
use upstream::Client;
use upstream::endpoints::users::ListUsersByIds;

/// Users looked up per request when checking which rows exist.
const LOOKUP_BATCH: usize = 100;

/// Why a file is refused to someone without `ManageRoles`, in words they can act on.
pub const ROLES_NEED_MANAGE_ROLES: &str = "This file has a roles column, and changing network roles needs \
     the manage_roles permission (admins). Remove the roles column to import the rest.";

/// The permission importing `parsed` needs: a file with a `roles` column sets network roles,
/// so it needs `ManageRoles` whatever its cells hold (an empty cell today, a filled one after
/// the next edit of the same file); any other file `EditUsers`. Server functions ask for it
/// before the dry run and the submission, and the job stores it, so following or cancelling
/// the import, and the runner's check of each row, need the same.
pub fn required_permission(parsed: &Parsed) -> Permission {
    if parsed.roles_column { Permission::ManageRoles } else { Permission::EditUsers }
}

/// `parsed` with each row that names a role Social+ does not know moved to the problems
/// (column `roles`, by line), as `set_user_roles` refuses an unknown role. One request to
/// Social+, none when no row sets a role.
async fn known_roles_only(upstream: &Client, parsed: &Parsed) -> Result<Parsed, Error> {
    if !parsed.rows.iter().any(|row| row.roles.as_ref().is_some_and(|roles| !roles.is_empty())) {
        return Ok(parsed.clone());
    }
    let known: HashSet<String> =
        crate::roles::overview(upstream).await?.roles.into_iter().map(|role| role.role_id).collect();
    let mut checked = Parsed { rows: Vec::with_capacity(parsed.rows.len()), ..parsed.clone() };
    for row in &parsed.rows {
        match row.roles.iter().flatten().find(|role| !known.contains(*role)) {
            Some(unknown) => checked.problems.push(RowProblem {
                line: row.line,
                user_id: row.user_id.clone(),
                column: "roles".into(),
                message: format!("There is no role “{unknown}”."),
            }),
            None => checked.rows.push(row.clone()),
        }
    }
    // Stable: a line's earlier problems keep their order.
    checked.problems.sort_by_key(|problem| problem.line);
    Ok(checked)
}

/// Which of the rows' users Social+ already has (deleted users count as existing: an update
/// reaches them, a session registration would not recreate them).
pub async fn existing_users(upstream: &Client, rows: &[ImportRow]) -> Result<HashSet<String>, Error> {
    let mut existing = HashSet::new();
    for batch in rows.chunks(LOOKUP_BATCH) {
        let ids: Vec<String> = batch.iter().map(|r| r.user_id.clone()).collect();
        let found = upstream.send(&ListUsersByIds { user_ids: &ids }).await?;
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

/// What importing `parsed` would do (rows naming an unknown role are problems).
pub async fn preview(
    upstream: &Client,
    parsed: &Parsed,
    budget_per_second: Option<u32>,
) -> Result<ImportPreview, Error> {
    let parsed = &known_roles_only(upstream, parsed).await?;
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
/// result file account for every line. The job needs [`required_permission`]; the caller
/// checked that the submitter holds it.
pub async fn submit(
    db: &SqlitePool,
    upstream: &Client,
    created_by: &str,
    file_name: &str,
    parsed: &Parsed,
) -> Result<String, Error> {
    let parsed = &known_roles_only(upstream, parsed).await?;
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
        permission: required_permission(parsed),
        payload: json!({ "file": file_name, "rows": parsed.total }),
        items: items.into_iter().map(|(_, item)| item).collect(),
        delay: Duration::ZERO,
    };
    crate::jobs::submit(db, &job).await
}
