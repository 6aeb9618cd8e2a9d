//! Files: `GET /api/v3/files/{fileId}` and `GET /api/v3/files/{fileId}/download`. Seeded
//! image, video and file posts and user avatars point to files the stand-in serves:
//! generated pictures (PNG or JPEG, at the spec's sizes), a sample video and a sample PDF.

use crate::{
    content_support::{TOKEN, assert_conforms, assert_error, client, get, ids, standin},
    openapi::{Spec, violations},
    support::session,
};
use serde_json::Value;
use standin::RunningStandIn;
use upstream::{
    endpoints::files::{DownloadFile, GetFile},
    wire::FileSize,
};

/// A raw download: status, headers, bytes.
async fn download(
    standin: &RunningStandIn,
    path_and_query: &str,
    auth: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    upstream::ensure_tls_provider();
    let mut request = reqwest::Client::new().get(format!("{}{path_and_query}", standin.base_url()));
    if let Some(token) = auth {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("body").to_vec())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// Posts of each media kind with their side-loaded files, found by reading community feeds.
struct MediaPosts {
    /// (post, the envelope's files) per data type.
    image: (Value, Vec<Value>),
    video: (Value, Vec<Value>),
    file: (Value, Vec<Value>),
}

async fn media_posts(standin: &RunningStandIn) -> MediaPosts {
    let communities = get(standin, "/api/v3/communities?options[limit]=100&isDeleted=false").await;
    let mut found: [Option<(Value, Vec<Value>)>; 3] = [None, None, None];
    for community in ids(&communities, "communities", "communityId") {
        let body = get(standin, &format!("/api/v4/posts?targetId={community}&options[limit]=100")).await;
        let files = body["files"].as_array().cloned().unwrap_or_default();
        for post in body["posts"].as_array().expect("posts") {
            let slot = match post["dataType"].as_str() {
                Some("image") => 0,
                Some("video") => 1,
                Some("file") => 2,
                _ => continue,
            };
            found[slot].get_or_insert_with(|| (post.clone(), files.clone()));
        }
        if found.iter().all(Option::is_some) {
            let [image, video, file] = found.map(|f| f.expect("found"));
            return MediaPosts { image, video, file };
        }
    }
    panic!("the seed has no image, video and file posts in its communities");
}

fn file_of<'a>(files: &'a [Value], file_id: &str) -> &'a Value {
    files.iter().find(|f| f["fileId"] == file_id).unwrap_or_else(|| panic!("{file_id} is not side-loaded"))
}

#[tokio::test]
async fn every_file_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [("GET", "/api/v3/files/{fileId}"), ("GET", "/api/v3/files/{fileId}/download")] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

#[tokio::test]
async fn seeded_media_posts_point_to_files_the_stand_in_serves_with_their_recorded_type_and_size() {
    let standin = standin().await;
    let posts = media_posts(&standin).await;
    let video_data = &posts.video.0["data"];
    let video_id = video_data["videoFileId"]["original"].as_str().expect("a video post names its video");
    let thumbnail_id = video_data["thumbnailFileId"].as_str().expect("and its thumbnail");
    for (file_id, files, mime_prefix) in [
        (posts.image.0["data"]["fileId"].as_str().expect("image file"), &posts.image.1, "image/"),
        (video_id, &posts.video.1, "video/webm"),
        (thumbnail_id, &posts.video.1, "image/"),
        (posts.file.0["data"]["fileId"].as_str().expect("file"), &posts.file.1, "application/pdf"),
    ] {
        let file = file_of(files, file_id);
        let url = file["fileUrl"].as_str().expect("a URL");
        assert_eq!(
            url,
            format!("{}/api/v3/files/{file_id}/download", standin.base_url()),
            "no invented host"
        );
        let (status, headers, bytes) =
            download(&standin, &format!("/api/v3/files/{file_id}/download"), Some(TOKEN), &[]).await;
        assert_eq!(status, 200, "{file_id}");
        let mime = file["attributes"]["mimeType"].as_str().expect("mime");
        assert!(mime.starts_with(mime_prefix), "{mime}");
        assert_eq!(header(&headers, "content-type"), mime);
        assert_eq!(header(&headers, "content-length"), bytes.len().to_string());
        assert_eq!(
            file["attributes"]["size"].as_f64(),
            Some(bytes.len() as f64),
            "metadata size = full download"
        );
    }
    let picture = image::load_from_memory(
        &download(&standin, &format!("/api/v3/files/{thumbnail_id}/download"), Some(TOKEN), &[]).await.2,
    );
    assert!(picture.is_ok(), "the thumbnail is a picture");

    let users = get(&standin, "/api/v3/users?options[limit]=100").await;
    let avatar = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .find_map(|u| u["avatarFileId"].as_str())
        .expect("an avatar");
    let avatar_file = file_of(users["files"].as_array().expect("files"), avatar);
    let (status, _, bytes) =
        download(&standin, &format!("/api/v3/files/{avatar}/download?size=small"), Some(TOKEN), &[]).await;
    assert_eq!(status, 200);
    let small = image::load_from_memory(&bytes).expect("the avatar is a picture");
    assert_eq!((small.width(), small.height()), (160, 160), "avatars are square");
    assert!(avatar_file["fileUrl"].as_str().is_some_and(|u| u.starts_with(&standin.base_url())));
    standin.stop().await;
}

#[tokio::test]
async fn a_file_s_information_conforms_to_the_spec_and_the_client_reads_it() {
    let standin = standin().await;
    let mut spec = Spec::master();
    let posts = media_posts(&standin).await;
    let schema = spec.response_schema("GET", "/api/v3/files/{fileId}", "200");
    let image_id = posts.image.0["data"]["fileId"].as_str().expect("image file").to_owned();
    let body = get(&standin, &format!("/api/v3/files/{image_id}")).await;
    assert_conforms(&schema, &body, "GET /api/v3/files/{fileId} (image)");
    let metadata = &body["data"]["attributes"]["metadata"];
    assert!(metadata["width"].as_u64().is_some_and(|w| w >= 720) && metadata["height"].as_u64().is_some());
    let pdf_id = posts.file.0["data"]["fileId"].as_str().expect("pdf");
    let body = get(&standin, &format!("/api/v3/files/{pdf_id}")).await;
    assert_conforms(&schema, &body, "GET /api/v3/files/{fileId} (pdf)");
    // FileResponse's `type` enum lacks `video`, which `schema/file.yaml#/File` has
    // (docs/contract-notes.md): only that value may differ.
    let video_id = posts.video.0["data"]["videoFileId"]["original"].as_str().expect("video");
    let body = get(&standin, &format!("/api/v3/files/{video_id}")).await;
    assert_eq!(body["data"]["type"], "video");
    let errors = violations(&schema, &body);
    assert!(errors.iter().all(|e| e.starts_with("/data/type")), "{errors:?}");

    let file =
        client(&standin).send(&GetFile { file_id: &image_id }).await.expect("the client decodes it").data;
    assert_eq!(file.file_id, image_id);
    assert!(file.attributes.and_then(|a| a.mime_type).is_some_and(|m| m.starts_with("image/")));
    let error_schema = spec.schema("global/error.yaml", "/Error");
    let (status, body) =
        crate::content_support::call(&standin, "GET", "/api/v3/files/000000000000000000000000", None).await;
    assert_error(status, &body, 404, 400_400, &error_schema);
    standin.stop().await;
}

#[tokio::test]
async fn a_download_honours_size_and_range_and_needs_a_token_in_the_header_query_or_cookie() {
    let standin = standin().await;
    let posts = media_posts(&standin).await;
    let image_id = posts.image.0["data"]["fileId"].as_str().expect("image file").to_owned();
    let path = format!("/api/v3/files/{image_id}/download");
    let mut longest = Vec::new();
    for size in ["small", "medium", "large"] {
        let (status, headers, bytes) =
            download(&standin, &format!("{path}?size={size}"), Some(TOKEN), &[]).await;
        assert_eq!(status, 200, "{size}");
        let picture = image::load_from_memory(&bytes).expect("decodes");
        longest.push(picture.width().max(picture.height()));
        assert!(header(&headers, "content-type").starts_with("image/"));
    }
    assert_eq!(longest, vec![160, 600, 1024]);
    let again = download(&standin, &format!("{path}?size=small"), Some(TOKEN), &[]).await.2;
    assert_eq!(
        again,
        download(&standin, &format!("{path}?size=small"), Some(TOKEN), &[]).await.2,
        "deterministic"
    );

    let (status, headers, bytes) = download(&standin, &path, Some(TOKEN), &[("range", "bytes=0-99")]).await;
    assert_eq!((status, bytes.len()), (206, 100));
    assert!(header(&headers, "content-range").starts_with("bytes 0-99/"));

    let mut spec = Spec::master();
    let error_schema = spec.schema("global/error.yaml", "/Error");
    let json = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).expect("an error envelope");
    let (status, _, body) = download(&standin, &path, None, &[]).await;
    assert_error(status, &json(&body), 401, 400_100, &error_schema);
    let (status, _, body) = download(&standin, &format!("{path}?t=not-a-token"), None, &[]).await;
    assert_error(status, &json(&body), 401, 400_100, &error_schema);
    let users = get(&standin, "/api/v3/users?options[limit]=20").await;
    let user =
        users["users"].as_array().expect("users").iter().find(|u| u["isGlobalBan"] == false).expect("a user");
    let user_token = session(&standin, user["userId"].as_str().expect("id")).await;
    assert_eq!(download(&standin, &path, Some(&user_token), &[]).await.0, 200, "a user token in the header");
    let encoded: String = form_urlencoded::byte_serialize(user_token.as_bytes()).collect();
    assert_eq!(download(&standin, &format!("{path}?size=small&t={encoded}"), None, &[]).await.0, 200, "?t=");
    let cookie = format!("upstra-access-token={user_token}");
    assert_eq!(download(&standin, &path, None, &[("cookie", &cookie)]).await.0, 200, "the cookie");
    let (status, _, _) =
        download(&standin, &format!("/api/v3/files/{image_id}?t={encoded}"), None, &[]).await;
    assert_eq!(status, 401, "only the download takes the token from the URL");

    let (status, _, body) = download(&standin, &format!("{path}?size=huge"), Some(TOKEN), &[]).await;
    assert_error(status, &json(&body), 400, 400_000, &error_schema);
    let (status, _, body) =
        download(&standin, "/api/v3/files/000000000000000000000000/download", Some(TOKEN), &[]).await;
    assert_error(status, &json(&body), 404, 400_400, &error_schema);

    let download = DownloadFile { file_id: &image_id, size: FileSize::Small };
    let got = client(&standin).send(&download).await.expect("the client downloads");
    assert!(got.content_type.as_deref().is_some_and(|t| t.starts_with("image/")));
    assert_eq!(got.bytes, again);
    standin.stop().await;
}
