//! The file object (`schema/file.yaml#/File`), side-loaded in `files`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An uploaded file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    /// Root file key.
    pub file_id: String,
    /// Download link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    /// Kind of file.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// Upload time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Name, size, type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<FileAttributes>,
}

/// `GET /api/v3/files/{fileId}` (`v3/file/response.yaml#/FileResponse`): the file's
/// information, without its URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileResponse {
    /// `success`.
    #[serde(default)]
    pub status: String,
    /// The file.
    pub data: File,
}

/// The `size` of a download: the spec's names for a picture's renditions (no effect on
/// other files).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileSize {
    /// A thumbnail.
    Small,
    /// For lists.
    Medium,
    /// For a detail view.
    Large,
    /// As uploaded.
    #[default]
    Full,
}

impl FileSize {
    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
            Self::Full => "full",
        }
    }
}

/// The kind of a file. Values the spec does not list become `Unknown`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    /// A picture.
    Image,
    /// Any other upload.
    #[default]
    File,
    /// A video.
    Video,
    /// A type this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// File attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileAttributes {
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// File extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<f64>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Image metadata (width, height, exif…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_file_types_decode_as_unknown() {
        let file: File = serde_json::from_str(r#"{"fileId":"f1","type":"hologram"}"#).expect("decode");
        assert_eq!(file.file_type, Some(FileType::Unknown));
    }
}
