//! Server functions of the Imports section (permission `EditUsers`, and `ManageRoles` for a
//! file with a `roles` column; one dry run at a time per person). The CSV travels as a
//! form field (the file picker reads the file into it after hydration), so the body limit
//! bounds it; without WASM the picker's form uploads the file to `POST /imports/upload`
//! and these functions read the stored copy by its `upload_id`.

use crate::AppError;
use leptos::prelude::*;
use types::{
    imports::{ImportPreview, UploadPreview},
    jobs::JobView,
};

/// The imports page lists this many recent imports.
#[cfg(feature = "ssr")]
const RECENT_IMPORTS: u32 = 10;

#[cfg(feature = "ssr")]
fn parse(ctx: &crate::ctx::Ctx, csv: &str) -> Result<backend::imports::Parsed, AppError> {
    backend::imports::parse(csv).map_err(|e| ctx.invalid("csv", e.to_string()))
}

/// Refuses a file whose import needs more than the caller's role grants (a `roles` column
/// needs `ManageRoles`), audited as a denied attempt like any missing permission.
#[cfg(feature = "ssr")]
fn check_permission(ctx: &crate::ctx::Ctx, parsed: &backend::imports::Parsed) -> Result<(), AppError> {
    crate::ctx::require(backend::imports::required_permission(parsed))
        .map(drop)
        .map_err(|_| ctx.invalid("csv", backend::imports::ROLES_NEED_MANAGE_ROLES.into()))
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
    check_permission(&ctx, &parsed)?;
    let _running = ctx.throttled(backend::throttle::Work::ImportPreview)?;
    backend::imports::preview(ctx.services.upstream.as_ref(), &parsed, ctx.services.upstream_budget)
        .await
        .map_err(|e| ctx.fail(e))
}

/// The uploaded file `upload_id` of the caller, as `(file name, CSV)`.
#[cfg(feature = "ssr")]
async fn uploaded(ctx: &crate::ctx::Ctx, upload_id: &str) -> Result<(String, String), AppError> {
    let keep = ctx.services.retention.uploads;
    match backend::imports::uploads::load(&ctx.services.db, upload_id, &ctx.actor.id, keep).await {
        Ok(Some(upload)) => Ok((upload.file_name, upload.csv)),
        Ok(None) => Err(ctx.not_found(format!(
            "This uploaded file (it is kept {}, for the person who uploaded it)",
            backend::retention::for_people(keep)
        ))),
        Err(error) => Err(ctx.fail(backend::Error::Internal(error.to_string()))),
    }
}

/// The dry run of a file uploaded without WASM.
#[server(endpoint = "preview_upload", input = leptos::server_fn::codec::Json)]
pub async fn preview_upload(upload_id: String) -> Result<UploadPreview, AppError> {
    let ctx = crate::ctx::require(types::Permission::EditUsers)?;
    let (file_name, csv) = uploaded(&ctx, &upload_id).await?;
    let parsed = parse(&ctx, &csv)?;
    check_permission(&ctx, &parsed)?;
    let _running = ctx.throttled(backend::throttle::Work::ImportPreview)?;
    let preview =
        backend::imports::preview(ctx.services.upstream.as_ref(), &parsed, ctx.services.upstream_budget)
            .await
            .map_err(|e| ctx.fail(e))?;
    Ok(UploadPreview { upload_id, file_name, preview })
}

/// Starts the import as a background job and sends the browser to its progress page. The
/// file is `csv`, or the stored upload `upload_id` when given.
#[server(endpoint = "start_import")]
pub async fn start_import(
    file_name: String,
    csv: String,
    upload_id: Option<String>,
) -> Result<String, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::EditUsers)?;
    let (file_name, csv) = match upload_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => uploaded(&ctx, id).await?,
        None => (file_name, csv),
    };
    let parsed = parse(&ctx, &csv)?;
    check_permission(&ctx, &parsed)?;
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
    // Without WASM the form post follows this; with WASM the page navigates the same way.
    leptos_axum::redirect(&format!("/imports/{id}"));
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
