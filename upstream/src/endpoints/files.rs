//! File endpoints (`spec: swagger.yaml` `/api/v3/files…`, `v3/file/response.yaml`).

use super::{Endpoint, Request};
use crate::wire::{FileResponse, FileSize};

/// `GET /api/v3/files/{fileId}`: the file's type, name, size, MIME type and picture
/// metadata (no URL).
#[derive(Clone, Copy, Debug)]
pub struct GetFile<'a> {
    /// The file.
    pub file_id: &'a str,
}

impl Endpoint for GetFile<'_> {
    type Response = FileResponse;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "files", self.file_id])
    }
}

/// `GET /api/v3/files/{fileId}/download`: the file's bytes and `Content-Type`; `size` picks
/// a picture's rendition. The admin token goes in the header, never in the URL.
#[derive(Clone, Copy, Debug)]
pub struct DownloadFile<'a> {
    /// The file.
    pub file_id: &'a str,
    /// The rendition (pictures only).
    pub size: FileSize,
}

impl Endpoint for DownloadFile<'_> {
    type Response = Download;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "files", self.file_id, "download"])
            .with_query(vec![("size".to_owned(), self.size.as_str().to_owned())])
            .expecting_file()
    }
}

/// A downloaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// The body.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        endpoints::Method,
        testing::{Canned, ScriptedTransport},
    };

    #[test]
    fn a_download_names_its_size_and_expects_a_file() {
        let request = DownloadFile { file_id: "f1", size: FileSize::Small }.request();
        assert_eq!(request.path_for_logs(), "/api/v3/files/f1/download");
        assert_eq!(request.query, vec![("size".to_owned(), "small".to_owned())]);
        assert!(request.binary && request.idempotent);
        assert!(!GetFile { file_id: "f1" }.request().binary);
    }

    #[tokio::test]
    async fn a_download_keeps_the_bytes_and_their_content_type() {
        let (client, script) = ScriptedTransport::client();
        let reply = Canned::raw(200, "PNG bytes").content_type("image/png");
        script.answer(Method::Get, "/api/v3/files/f1/download", reply);
        let got = client.send(&DownloadFile { file_id: "f1", size: FileSize::Full }).await.expect("download");
        assert_eq!(got.content_type.as_deref(), Some("image/png"));
        assert_eq!(got.bytes, b"PNG bytes");
    }
}
