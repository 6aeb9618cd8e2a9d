//! `GET /api/v3/files/{fileId}` (the file's information) and
//! `GET /api/v3/files/{fileId}/download` (its bytes, `size` = `small | medium | large | full`
//! for pictures; no effect on other files). Both need a token like every API route; the
//! download also takes it as `?t=` or the `upstra-access-token` cookie (see `crate::auth`),
//! as the spec offers for `<img>` tags. A single byte range (`Range: bytes=…`) is answered
//! 206, as a file store does for video players.

use crate::{
    State,
    error::ApiError,
    media::{self, Size, StoredFile},
    params::Params,
};
use axum::{
    Json, Router,
    body::Body,
    extract::{Path, RawQuery, State as AxumState},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Value, json};
use sqlx::{Row, SqlitePool};

/// The file routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/files/{file_id}", get(get_file))
        .route("/api/v3/files/{file_id}/download", get(download_file))
}

/// A `files` row.
struct FileRow {
    stored: StoredFile,
    kind: String,
    extension: String,
    created_at: String,
    updated_at: String,
}

async fn load(db: &SqlitePool, file_id: &str) -> Result<FileRow, ApiError> {
    if file_id.chars().count() > 50 {
        return Err(ApiError::bad_request(vec!["fileId must be at most 50 characters".into()]));
    }
    let row = sqlx::query(
        "SELECT file_id, type, name, extension, size, mime_type, created_at, updated_at FROM files WHERE file_id = ?",
    )
    .bind(file_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::not_found("File"))?;
    Ok(FileRow {
        stored: StoredFile {
            file_id: row.get("file_id"),
            name: row.get("name"),
            mime_type: row.get("mime_type"),
            size: row.get("size"),
        },
        kind: row.get("type"),
        extension: row.get("extension"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

/// `GET /api/v3/files/{fileId}`: `FileResponse` (type, times, name, extension, size, MIME
/// type, and a picture's width and height).
async fn get_file(
    AxumState(state): AxumState<State>,
    Path(file_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let file = load(&state.db, &file_id).await?;
    let mut attributes = json!({
        "name": file.stored.name,
        "extension": file.extension,
        "size": file.stored.size,
        "mimeType": file.stored.mime_type,
    });
    if file.stored.is_picture() {
        let (width, height) = file.stored.full_dimensions();
        attributes["metadata"] = json!({ "width": width, "height": height, "isFull": true });
    }
    Ok(Json(json!({
        "status": "success",
        "data": {
            "fileId": file.stored.file_id,
            "type": file.kind,
            "createdAt": file.created_at,
            "updatedAt": file.updated_at,
            "attributes": attributes,
        },
    })))
}

/// `GET /api/v3/files/{fileId}/download`.
async fn download_file(
    AxumState(state): AxumState<State>,
    Path(file_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let size = params.one_of("size", &["full", "large", "medium", "small"], "full");
    params.finish()?;
    let file = load(&state.db, &file_id).await?;
    let sensitive = file.stored.is_picture() && is_sensitive(&state.db, &file_id).await?;
    let stored = file.stored.clone();
    let size = Size::parse(size).unwrap_or_default();
    let bytes = tokio::task::spawn_blocking(move || media::content(&stored, size, sensitive))
        .await
        .map_err(ApiError::unexpected)?
        .map_err(ApiError::unexpected)?;
    Ok(answer(&file.stored, bytes, headers.get(header::RANGE)))
}

/// Whether the post the file belongs to carries a sensitive AI verdict.
async fn is_sensitive(db: &SqlitePool, file_id: &str) -> Result<bool, ApiError> {
    let verdicts: Vec<String> = sqlx::query_scalar(
        "SELECT mf.ai_moderation FROM posts p JOIN moderation_feed mf \
         ON mf.content_id = coalesce(p.parent_post_id, p.post_id) \
         WHERE p.file_id = ? AND mf.ai_moderation IS NOT NULL",
    )
    .bind(file_id)
    .fetch_all(db)
    .await?;
    Ok(verdicts.iter().any(|v| media::is_sensitive_verdict(v)))
}

/// The bytes with their type, length and name; one byte range when asked for.
fn answer(file: &StoredFile, bytes: Vec<u8>, range: Option<&HeaderValue>) -> Response {
    let total = bytes.len();
    // Another unit than bytes is ignored, as HTTP says.
    let range = range.and_then(|r| r.to_str().ok()).filter(|r| r.trim_start().starts_with("bytes="));
    let (status, body, content_range) = match range.map(|r| byte_range(r, total)) {
        None => (StatusCode::OK, bytes, None),
        Some(Some((start, end))) => (
            StatusCode::PARTIAL_CONTENT,
            bytes[start..=end].to_vec(),
            Some(format!("bytes {start}-{end}/{total}")),
        ),
        Some(None) => (StatusCode::RANGE_NOT_SATISFIABLE, Vec::new(), Some(format!("bytes */{total}"))),
    };
    let name = file.name.replace(['"', '\\', '\r', '\n'], "_");
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, file.mime_type.clone());
    set(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""));
    set(header::ACCEPT_RANGES, "bytes".into());
    if let Some(content_range) = content_range {
        set(header::CONTENT_RANGE, content_range);
    }
    response
}

/// The inclusive byte range `bytes=start-end`, `bytes=start-` or `bytes=-suffix` of a body of
/// `total` bytes; `None` when it is not satisfiable. Several ranges are not supported: the
/// first is answered.
fn byte_range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (start, end) = spec.split_once('-')?;
    let last = total.checked_sub(1)?;
    match (start.trim(), end.trim()) {
        ("", suffix) => {
            let suffix: usize = suffix.parse().ok().filter(|n| *n > 0)?;
            Some((total.saturating_sub(suffix), last))
        }
        (start, "") => {
            let start: usize = start.parse().ok().filter(|s| *s <= last)?;
            Some((start, last))
        }
        (start, end) => {
            let (start, end): (usize, usize) = (start.parse().ok()?, end.parse().ok()?);
            (start <= end && start <= last).then_some((start, end.min(last)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_are_read_like_a_file_store_reads_them() {
        assert_eq!(byte_range("bytes=0-99", 1_000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1_000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-100", 1_000), Some((900, 999)));
        assert_eq!(byte_range("bytes=990-2000", 1_000), Some((990, 999)));
        assert_eq!(byte_range("bytes=0-1,5-9", 1_000), Some((0, 1)));
        assert_eq!(byte_range("bytes=1000-", 1_000), None);
        assert_eq!(byte_range("bytes=5-1", 1_000), None);
        assert_eq!(byte_range("items=0-1", 1_000), None);
    }
}
