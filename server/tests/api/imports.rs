//! CSV import and export over HTTP: the dry run reports bad rows by line, the import runs as
//! a job on the runner (users created or updated on the stand-in, bad rows recorded as failed
//! items), the result file lists every row, and the users export downloads the filtered list.

use crate::{
    helpers::{TestApp, expected_users, spawn_app, spawn_app_with},
    roles::standin_db,
};
use serde_json::Value;
use std::time::Duration;
use types::Role;

/// 17 good rows (15 new users, 2 updates of seeded users) and 3 bad ones.
fn import_file(existing: &[String]) -> String {
    let mut csv = String::from("userId,displayName,description,metadata\n");
    for i in 0..15 {
        csv.push_str(&format!("imp-new-{i},Imported {i},,\"{{\"\"batch\"\": {i}}}\"\n"));
        if i == 4 {
            csv.push_str(",No id,,\n");
        }
        if i == 9 {
            csv.push_str("imp-bad-json,Bad,,{nope\n");
        }
    }
    for id in existing {
        csv.push_str(&format!("{id},,Updated by import,\n"));
    }
    csv.push_str("imp-new-3,Twice,,\n");
    csv
}

async fn wait_finished(app: &TestApp, job_id: &str) -> Value {
    for _ in 0..300 {
        let job: Value =
            app.call("get_job", serde_json::json!({ "job_id": job_id })).await.json().await.expect("job");
        if matches!(job["state"].as_str(), Some("done" | "failed" | "cancelled")) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not finish in 30 s");
}

#[tokio::test]
async fn an_import_creates_and_updates_users_and_reports_bad_rows() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let existing: Vec<String> =
        expected_users().into_iter().filter(|u| !u.is_deleted).take(2).map(|u| u.user_id).collect();
    let csv = import_file(&existing);

    let preview = app.call_form("preview_import", &[("file_name", "t.csv"), ("csv", &csv)]).await;
    assert_eq!(preview.status(), 200);
    let preview: Value = preview.json().await.expect("a preview");
    assert_eq!((preview["rows"].as_u64(), preview["valid"].as_u64()), (Some(20), Some(17)));
    assert_eq!(preview["existing"], 2);
    let lines: Vec<u64> =
        preview["problems"].as_array().expect("problems").iter().filter_map(|p| p["line"].as_u64()).collect();
    assert_eq!(lines, [7, 13, 21], "the empty id, the bad JSON and the repeated id, by line");
    let db = standin_db(&app).await;
    let count = |id: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE user_id = ?")
                .bind(id)
                .fetch_one(&db)
                .await
                .expect("count")
        }
    };
    assert_eq!(count("imp-new-0").await, 0, "a dry run creates nobody");

    let started = app.call_form("start_import", &[("file_name", "t.csv"), ("csv", &csv)]).await;
    assert_eq!(started.status(), 200);
    let job_id: String = started.json().await.expect("a job id");
    let job = wait_finished(&app, &job_id).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(
        (job["counts"]["done"].as_u64(), job["counts"]["failed"].as_u64()),
        (Some(17), Some(3)),
        "{job}"
    );
    assert!(job["budget"]["attempts"].as_u64().is_some_and(|n| n >= 17), "budget use is reported: {job}");

    let (name, metadata): (String, String) =
        sqlx::query_as("SELECT display_name, metadata FROM users WHERE user_id = 'imp-new-7'")
            .fetch_one(&db)
            .await
            .expect("imported user exists on the stand-in");
    assert_eq!(name, "Imported 7");
    assert!(metadata.contains("\"batch\":7"), "{metadata}");
    let description: String = sqlx::query_scalar("SELECT description FROM users WHERE user_id = ?")
        .bind(&existing[0])
        .fetch_one(&db)
        .await
        .expect("seeded user");
    assert_eq!(description, "Updated by import");

    let result = app.get(&format!("/jobs/{job_id}/results.csv")).await;
    assert_eq!(result.status(), 200);
    let text = result.text().await.expect("csv");
    assert_eq!(text.lines().count(), 21, "a header and one line per row: {text}");
    assert!(text.lines().any(|l| l.contains("line 7") && l.contains("failed")), "{text}");
    assert!(text.lines().any(|l| l.starts_with(r#""1","imp-new-0","done""#)), "{text}");

    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(app.call_form("preview_import", &[("file_name", "t.csv"), ("csv", &csv)]).await.status(), 403);
    assert_eq!(app.get(&format!("/jobs/{job_id}/results.csv")).await.status(), 403);
}

#[tokio::test]
async fn a_file_without_a_user_id_column_is_refused_as_a_whole() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let response = app.call_form("start_import", &[("file_name", "x"), ("csv", "name\nann\n")]).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("an AppError");
    assert_eq!(error["field"], "csv");
}

#[tokio::test]
async fn the_users_export_downloads_the_filtered_list_and_is_audited() {
    let app = spawn_app_with(|s| s.limits.users_export_cooldown_secs = 0).await;
    app.sign_in_with_role(Role::Viewer).await;
    let response = app.get("/users/export.csv").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("csv");
    let expected = expected_users().into_iter().filter(|u| !u.is_deleted).count();
    assert_eq!(text.lines().count(), expected + 1, "every listed user and a header");
    assert!(text.starts_with(r#""userId","displayName","roles""#));

    let one = &expected_users()[0];
    let filtered = app.get(&format!("/users/export.csv?q={}", one.user_id)).await.text().await.expect("csv");
    assert!(filtered.lines().count() < text.lines().count(), "the filter applies");

    app.sign_out().await;
    let signed_out = app.get("/users/export.csv").await.status().as_u16();
    assert!(matches!(signed_out, 303 | 401), "signed out, no download: {signed_out}");
    app.sign_in_with_role(Role::Admin).await;
    let trail = crate::audit::eventually(&app, "action=export_users").await;
    assert!(trail.iter().any(|e| e["actor_id"] == "test-viewer" && e["outcome"] == "success"));
}

/// A `multipart/form-data` body with one file part, as a browser's form sends it.
fn multipart_file(name: &str, content: &str) -> (String, String) {
    let boundary = "----console-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, name: &str, content: &str) -> reqwest::Response {
    let (content_type, body) = multipart_file(name, content);
    app.client
        .post(format!("{}/imports/upload", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_file_uploaded_without_wasm_is_checked_and_imported_from_the_stored_copy() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Moderator).await;
    let csv = "userId,displayName\nup-new-1,Uploaded One\nup-new-2,Uploaded Two\n,No id\n";

    let uploaded = upload(&app, "team.csv", csv).await;
    assert_eq!(uploaded.status(), 303);
    let location = crate::helpers::location(&uploaded);
    let upload_id = location.strip_prefix("/imports?upload=").expect("sent to the dry run").to_owned();

    let preview = app.call("preview_upload", serde_json::json!({ "upload_id": upload_id })).await;
    assert_eq!(preview.status(), 200);
    let preview: Value = preview.json().await.expect("a preview");
    assert_eq!(preview["file_name"], "team.csv");
    assert_eq!(
        (preview["preview"]["rows"].as_u64(), preview["preview"]["valid"].as_u64()),
        (Some(3), Some(2))
    );
    // The page renders that dry run on the server, with a start form carrying the upload.
    let page = app.get(&location).await.text().await.expect("html");
    assert!(page.contains("3 rows: 2 valid"), "the dry run is in the page without WASM");
    assert!(page.contains(&format!("value=\"{upload_id}\"")), "the start form names the upload");

    let started = app
        .call_form("start_import", &[("file_name", "ignored"), ("csv", ""), ("upload_id", &upload_id)])
        .await;
    assert_eq!(started.status(), 200);
    let job_id: String = started.json().await.expect("a job id");
    let job = wait_finished(&app, &job_id).await;
    assert_eq!(
        (job["counts"]["done"].as_u64(), job["counts"]["failed"].as_u64()),
        (Some(2), Some(1)),
        "{job}"
    );
    let db = standin_db(&app).await;
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE user_id = 'up-new-2'")
        .fetch_one(&db)
        .await
        .expect("created from the uploaded file");
    assert_eq!(name, "Uploaded Two");

    // Another account cannot use the upload; an empty file is sent back with the problem.
    app.sign_in_with_role(Role::Admin).await;
    let other = app.call("preview_upload", serde_json::json!({ "upload_id": upload_id })).await;
    assert_eq!(other.status(), 404);
    let empty = upload(&app, "empty.csv", "").await;
    assert_eq!(crate::helpers::location(&empty), "/imports?upload_error=Choose%20a%20CSV%20file%20first.");
    let trail = crate::audit::eventually(&app, "action=upload_import_file").await;
    assert_eq!(trail.len(), 1, "the stored upload is audited");

    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(upload(&app, "team.csv", csv).await.status(), 403);
}

#[tokio::test]
async fn finding_6_a_second_users_export_within_the_cooldown_gets_429_and_others_are_not_held_up() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(app.get("/users/export.csv").await.status(), 200, "a viewer may export");
    let again = app.get("/users/export.csv").await;
    assert_eq!(again.status(), 429);
    let retry_after: u64 = again.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((1..=10).contains(&retry_after), "{retry_after}");
    let error: Value = again.json().await.expect("an AppError");
    assert_eq!(error["code"], "too_many_requests");

    app.sign_in_with_role(Role::Moderator).await;
    assert_eq!(app.get("/users/export.csv").await.status(), 200, "the cooldown is per person");
}

/// `userId,roles` rows: one with a role the network has, one with a role it lacks.
fn roles_file(known: &str) -> String {
    format!("userId,displayName,roles\nimp-role-1,With role,{known}\nimp-role-2,Bad role,no-such-role\n")
}

#[tokio::test]
async fn finding_1_import_roles_need_manage_roles() {
    let app = spawn_app().await;
    app.sign_in_with_role(Role::Admin).await;
    let form =
        [("mode", "create"), ("role_id", "it-imported"), ("display_name", ""), ("permissions[]", "BAN_USER")];
    assert_eq!(app.call_form("save_role", &form).await.status(), 200);
    let csv = roles_file("it-imported");

    // A moderator (EditUsers, not ManageRoles) is refused at the dry run, the start and the upload.
    app.sign_in_with_role(Role::Moderator).await;
    for endpoint in ["preview_import", "start_import"] {
        let response = app.call_form(endpoint, &[("file_name", "roles.csv"), ("csv", &csv)]).await;
        assert_eq!(response.status(), 422, "{endpoint}");
        let error: Value = response.json().await.expect("an AppError");
        assert_eq!(error["field"], "csv", "{endpoint}");
        assert!(
            error["message"].as_str().unwrap_or_default().contains("manage_roles"),
            "{endpoint}: {error}"
        );
    }
    let empty_column = "userId,roles\nimp-role-3,\n";
    let response = app.call_form("preview_import", &[("file_name", "x.csv"), ("csv", empty_column)]).await;
    assert_eq!(response.status(), 422, "a roles column needs the permission even with empty cells");
    let uploaded = upload(&app, "roles.csv", &csv).await;
    assert!(
        crate::helpers::location(&uploaded).starts_with("/imports?upload_error="),
        "refused at the upload"
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM import_uploads")
        .fetch_one(
            &sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db"),
        )
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing stored");

    // An admin's dry run names the unknown role by line and column; the import sets the known one.
    app.sign_in_with_role(Role::Admin).await;
    let preview: Value = app
        .call_form("preview_import", &[("file_name", "roles.csv"), ("csv", &csv)])
        .await
        .json()
        .await
        .expect("a preview");
    assert_eq!(preview["valid"], 1, "{preview}");
    let problem = &preview["problems"][0];
    assert_eq!((problem["line"].as_u64(), problem["column"].as_str()), (Some(3), Some("roles")), "{preview}");
    assert!(problem["message"].as_str().unwrap_or_default().contains("no-such-role"), "{problem}");

    let started = app.call_form("start_import", &[("file_name", "roles.csv"), ("csv", &csv)]).await;
    assert_eq!(started.status(), 200);
    let job_id: String = started.json().await.expect("a job id");
    let job = wait_finished(&app, &job_id).await;
    assert_eq!(job["permission"], "manage_roles", "the job stores the permission it needed");
    assert_eq!(
        (job["counts"]["done"].as_u64(), job["counts"]["failed"].as_u64()),
        (Some(1), Some(1)),
        "{job}"
    );
    let roles: String = sqlx::query_scalar("SELECT roles FROM users WHERE user_id = 'imp-role-1'")
        .fetch_one(&standin_db(&app).await)
        .await
        .expect("created");
    assert!(roles.contains("it-imported"), "{roles}");

    app.sign_in_with_role(Role::Moderator).await;
    assert_eq!(app.call("get_job", serde_json::json!({ "job_id": job_id })).await.status(), 403);
    app.sign_in_with_role(Role::Admin).await;
    let denied = crate::audit::eventually(&app, "action=preview_import").await;
    assert!(
        denied.iter().any(|e| e["outcome"] == "denied" && e["actor_id"] == "test-moderator"),
        "{denied:?}"
    );
}
