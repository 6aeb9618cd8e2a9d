//! The bytes behind the network's files: generated pictures for images (PNG or JPEG, as the
//! file's MIME type says, at the requested size), a short sample video and a one-page PDF
//! shipped in `standin/assets/`.
//!
//! Sizes (the spec names them, not their dimensions): `small` fits 160 px, `medium` 600 px,
//! `large` 1024 px, `full` is the picture as uploaded (512 px square for avatars, 1280 px on
//! the longer side for photos). The full picture is padded to the file's recorded `size`,
//! so metadata and download agree. A picture is drawn with warning stripes when the post it
//! belongs to carries an AI verdict in a sensitive category.

mod padding;
pub mod picture;

use picture::Format;

/// 3 s of VP9 test pattern, 320×180, no audio (see the commit that added it for the command).
pub const SAMPLE_VIDEO: &[u8] = include_bytes!("../../assets/sample.webm");
/// A one-page PDF with one line of text, written by hand.
pub const SAMPLE_PDF: &[u8] = include_bytes!("../../assets/sample.pdf");

/// AI moderation categories whose pictures moderators should not see unasked.
pub const SENSITIVE_CATEGORIES: &[&str] =
    &["Explicit Nudity", "Suggestive", "Violence", "Visually Disturbing"];

/// The `size` query parameter of a download.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Size {
    Small,
    Medium,
    Large,
    /// The default.
    #[default]
    Full,
}

impl Size {
    /// The spec's enum values.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "small" => Some(Self::Small),
            "medium" => Some(Self::Medium),
            "large" => Some(Self::Large),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    /// The longest side a picture of this size may have; `None` for the uploaded size.
    pub fn longest_side(self) -> Option<u32> {
        match self {
            Self::Small => Some(160),
            Self::Medium => Some(600),
            Self::Large => Some(1_024),
            Self::Full => None,
        }
    }
}

/// A `files` row, as much as the bytes depend on.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub file_id: String,
    pub name: String,
    pub mime_type: String,
    /// The recorded size in bytes.
    pub size: i64,
}

impl StoredFile {
    /// Whether it is one of the generated pictures.
    pub fn is_picture(&self) -> bool {
        matches!(self.mime_type.as_str(), "image/png" | "image/jpeg")
    }

    /// Avatars are square.
    fn is_avatar(&self) -> bool {
        self.name.starts_with("avatar-")
    }

    /// The picture's dimensions at full size.
    pub fn full_dimensions(&self) -> (u32, u32) {
        picture::full_dimensions(&self.file_id, self.is_avatar())
    }
}

/// Why a file has no bytes.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// A MIME type the stand-in has no sample for.
    #[error("no content for {0}")]
    NoContent(String),
    /// The encoder failed.
    #[error("encoding the picture failed: {0}")]
    Encode(#[from] image::ImageError),
}

/// The bytes of `file` at `size` (size only changes pictures).
pub fn content(file: &StoredFile, size: Size, sensitive: bool) -> Result<Vec<u8>, MediaError> {
    match file.mime_type.as_str() {
        "image/png" | "image/jpeg" => picture_bytes(file, size, sensitive),
        "video/webm" => Ok(SAMPLE_VIDEO.to_vec()),
        "application/pdf" => Ok(SAMPLE_PDF.to_vec()),
        other => Err(MediaError::NoContent(other.to_owned())),
    }
}

fn picture_bytes(file: &StoredFile, size: Size, sensitive: bool) -> Result<Vec<u8>, MediaError> {
    let (width, height) = picture::fit(file.full_dimensions(), size.longest_side());
    let painted = picture::render(&picture::scene(&file.file_id, sensitive), width, height);
    let format = if file.mime_type == "image/png" { Format::Png } else { Format::Jpeg };
    let encoded = picture::encode(&painted, format)?;
    if size != Size::Full {
        return Ok(encoded);
    }
    let total = usize::try_from(file.size).unwrap_or(0);
    Ok(match format {
        Format::Png => padding::pad_png(encoded, total),
        Format::Jpeg => padding::pad_jpeg(encoded, total),
    })
}

/// Whether an AI verdict (the moderation feed's `aiModeration` JSON) names a sensitive
/// category with a score of at least one half.
pub fn is_sensitive_verdict(verdict: &str) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(verdict) else {
        return false;
    };
    value["categories"].as_array().is_some_and(|categories| {
        categories.iter().any(|c| {
            c["name"].as_str().is_some_and(|name| SENSITIVE_CATEGORIES.contains(&name))
                && c["score"].as_f64().is_some_and(|score| score >= 0.5)
        })
    })
}

/// Where a file is downloaded, relative to the API's origin (the stored `file_url`; the
/// origin is put in front when the file is side-loaded).
pub fn download_path(file_id: &str) -> String {
    format!("/api/v3/files/{file_id}/download")
}

/// The thumbnail of a video: a generated picture whose id is the video's id reversed, so
/// seeding draws nothing more for it.
pub fn video_thumbnail_id(video_file_id: &str) -> String {
    video_file_id.chars().rev().collect()
}

/// The extension and MIME type of a generated picture: one in four is a PNG (chosen by the
/// id, so seeding draws nothing more), the rest JPEG.
pub fn picture_type(file_id: &str) -> (&'static str, &'static str) {
    if picture::seed_of(file_id) % 4 == 3 { ("png", "image/png") } else { ("jpg", "image/jpeg") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(mime: &str, size: i64) -> StoredFile {
        StoredFile {
            file_id: "5f0c3a9e2b7d4c1e8a6f0b3d".into(),
            name: "upload.x".into(),
            mime_type: mime.into(),
            size,
        }
    }

    #[test]
    fn a_full_picture_is_as_long_as_its_recorded_size_and_smaller_sizes_fit_their_box() {
        for mime in ["image/jpeg", "image/png"] {
            let file = photo(mime, 400_000);
            assert_eq!(content(&file, Size::Full, false).expect("full").len(), 400_000, "{mime}");
            let small = content(&file, Size::Small, false).expect("small");
            let (w, h) = image::load_from_memory(&small).expect("decodes").to_rgb8().dimensions();
            assert_eq!(w.max(h), 160, "{mime}");
            assert!(small.len() < 400_000);
        }
    }

    #[test]
    fn videos_and_documents_are_the_samples_whatever_the_size() {
        assert_eq!(content(&photo("video/webm", 1), Size::Small, false).expect("video"), SAMPLE_VIDEO);
        assert_eq!(content(&photo("application/pdf", 1), Size::Full, false).expect("pdf"), SAMPLE_PDF);
        assert!(SAMPLE_PDF.starts_with(b"%PDF-1.4") && SAMPLE_VIDEO.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]));
        assert!(content(&photo("text/html", 1), Size::Full, false).is_err());
    }

    #[test]
    fn only_a_confident_sensitive_category_makes_a_verdict_sensitive() {
        assert!(is_sensitive_verdict(r#"{"categories":[{"name":"Violence","score":0.91}]}"#));
        assert!(!is_sensitive_verdict(r#"{"categories":[{"name":"Violence","score":0.2}]}"#));
        assert!(!is_sensitive_verdict(r#"{"categories":[{"name":"Drugs","score":0.9}]}"#));
        assert!(!is_sensitive_verdict("not json"));
    }
}
