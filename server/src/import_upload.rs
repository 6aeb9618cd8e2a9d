//! `POST /imports/upload`: the Imports page's file picker without WASM. The browser posts the
//! chosen file as `multipart/form-data`; the console stores it for the uploader and sends the
//! browser to `/imports?upload=<id>`, where the page shows the file's dry run and can start
//! the import from the stored copy. Permission `edit_users`, like the rest of the page, and
//! `manage_roles` too for a file with a `roles` column (refused here already, audited as
//! denied); the request body limit bounds the file, and the cross-site check guards the post.
//!
//! (After hydration the picker reads the file in the browser instead and fills the text box.)

use app::{AppError, state::AppState};
use axum::{
    Extension,
    extract::{Multipart, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use backend::audit::Outcome;
use serde_json::json;
use types::{CurrentUser, Permission, imports::MAX_BYTES};

/// Receives the file and redirects to its dry run (or back to the page with the problem).
pub async fn upload(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let db = &state.services.db;
    const ACTION: &str = "upload_import_file";
    let (user, request_id) =
        match crate::download_audit::require(db, user, &headers, ACTION, Permission::EditUsers, json!({}))
            .await
        {
            Ok(caller) => caller,
            Err(refused) => return refused,
        };
    let audit = |outcome: Outcome, details: serde_json::Value| {
        crate::download_audit::record(db, &user, &request_id, ACTION, outcome, details)
    };
    let (file_name, csv) = match read_file(multipart).await {
        Ok(file) => file,
        Err(problem) => return back_with(&problem),
    };
    // A file that is not CSV is stored all the same: its dry run explains what is wrong.
    if let Ok(parsed) = backend::imports::parse(&csv) {
        let needed = backend::imports::required_permission(&parsed);
        if !user.can(needed) {
            audit(Outcome::Denied, json!({ "file": file_name, "permission": needed })).await;
            return back_with(backend::imports::ROLES_NEED_MANAGE_ROLES);
        }
    }
    match backend::imports::uploads::store(db, &user.id, &file_name, &csv).await {
        Ok(id) => {
            audit(Outcome::Success, json!({ "upload": id, "file": file_name, "bytes": csv.len() })).await;
            see_other(&format!("/imports?upload={id}"))
        }
        Err(error) => {
            tracing::error!(incident = %request_id, %error, "storing an uploaded import file failed");
            AppError::Internal { incident: request_id }.into_response()
        }
    }
}

/// The `file` part's name and text; a sentence for the person when it cannot be used.
async fn read_file(mut multipart: Multipart) -> Result<(String, String), String> {
    while let Some(field) =
        multipart.next_field().await.map_err(|_| "The upload was cut off; try again.".to_owned())?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = clean_file_name(field.file_name().unwrap_or_default());
        let bytes = field.bytes().await.map_err(|_| "The upload was cut off; try again.".to_owned())?;
        if bytes.is_empty() {
            return Err("Choose a CSV file first.".into());
        }
        if bytes.len() > MAX_BYTES {
            return Err(format!(
                "The file is larger than {} KB; split it into smaller files.",
                MAX_BYTES / 1024
            ));
        }
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "The file is not UTF-8 text.".to_owned())?;
        return Ok((name, text));
    }
    Err("Choose a CSV file first.".into())
}

/// A file name fit for the record: no control characters, at most 100 characters.
fn clean_file_name(name: &str) -> String {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).take(100).collect();
    if name.is_empty() { "import.csv".to_owned() } else { name }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_owned())]).into_response()
}

/// Back to the page, which shows `problem` from the URL.
fn back_with(problem: &str) -> Response {
    see_other(&format!("/imports?upload_error={}", types::url::encode_component(problem)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_control_characters_and_are_capped() {
        assert_eq!(clean_file_name(" users\u{7}.csv "), "users.csv");
        assert_eq!(clean_file_name(""), "import.csv");
        assert_eq!(clean_file_name(&"x".repeat(300)).len(), 100);
    }
}
