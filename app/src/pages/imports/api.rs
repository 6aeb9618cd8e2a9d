//! Server functions of the Imports section (permission `EditUsers`). The CSV travels as a
//! form field, so the browser needs no upload machinery and the body limit bounds it.

use crate::AppError;
use leptos::prelude::*;
use types::{imports::ImportPreview, jobs::JobView};

/// The imports page lists this many recent imports.
#[cfg(feature = "ssr")]
const RECENT_IMPORTS: u32 = 10;

#[cfg(feature = "ssr")]
fn parse(ctx: &crate::ctx::Ctx, csv: &str) -> Result<backend::imports::Parsed, AppError> {
    backend::imports::parse(csv).map_err(|e| ctx.invalid("csv", e.to_string()))
}

#[cfg(feature = "ssr")]
fn clean_file_name(name: &str) -> String {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).take(100).collect();
    if name.is_empty() { "import.csv".to_owned() } else { name }
}

/// The dry run: every row validated, which users exist, how many requests it will take.
#[server(endpoint = "preview_import")]
pub async fn preview_import(file_name: String, csv: String) -> Result<ImportPreview, AppError> {
    let ctx = crate::ctx::require(types::Permission::EditUsers)?;
    let _ = file_name;
    let parsed = parse(&ctx, &csv)?;
    backend::imports::preview(ctx.services.upstream.as_ref(), &parsed, ctx.services.upstream_budget)
        .await
        .map_err(|e| ctx.fail(e))
}

/// Starts the import as a background job; answers its id (the page then follows it).
#[server(endpoint = "start_import")]
pub async fn start_import(file_name: String, csv: String) -> Result<String, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::EditUsers)?;
    let parsed = parse(&ctx, &csv)?;
    if parsed.rows.is_empty() {
        return Err(ctx.invalid("csv", "No row of the file is valid; nothing to import.".into()));
    }
    let name = clean_file_name(&file_name);
    let id = backend::imports::submit(
        &ctx.services.db,
        ctx.services.upstream.as_ref(),
        &ctx.actor.id,
        &name,
        &parsed,
    )
    .await
    .map_err(|e| ctx.fail(e))?;
    let change = Change {
        reason: Some("CSV import started"),
        after: Some(serde_json::json!({
            "file": name, "rows": parsed.total, "valid": parsed.rows.len(), "invalid": parsed.rejected().len()
        })),
        ..Change::default()
    };
    ctx.record("user_import_start", Some(&id), Outcome::Success, change).await;
    Ok(id)
}

/// The latest imports, newest first.
#[server(endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<JobView>, AppError> {
    let ctx = crate::ctx::require(types::Permission::EditUsers)?;
    backend::jobs::recent(&ctx.services.db, backend::imports::KIND, RECENT_IMPORTS)
        .await
        .map_err(|e| ctx.fail(e))
}
