//! `GET /api/v1/reports/user-last-activity`: documented, in no spec (see
//! `docs/contract-notes.md`), so only the documented columns are checked.

use crate::support::{TOKEN, client, session, some_user, standin};
use upstream::endpoints::reports::GetUserLastActivity;
use upstream::wire::parse_last_activity_csv;

#[tokio::test]
async fn the_last_activity_report_lists_every_user_with_the_documented_columns() {
    let standin = standin().await;
    upstream::ensure_tls_provider();
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/reports/user-last-activity", standin.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = response.text().await.expect("text");
    assert!(text.starts_with("user_id,user_public_id,display_name,last_active_utc\r\n"), "{}", &text[..80]);
    let rows = parse_last_activity_csv(&text).expect("CSV");
    assert_eq!(rows.len(), 120, "every seeded user");
    assert!(
        rows.iter().filter(|r| !r.last_active_utc.is_empty()).count() > 60,
        "most users have a seeded activity"
    );

    let user = some_user(&standin, 7).await;
    session(&standin, &user).await;
    let rows = client(&standin).send(&GetUserLastActivity).await.expect("client parses the report");
    assert_eq!(rows[0].user_public_id, user, "a new session makes the user the most recent");
    assert!(rows[0].last_active_utc.as_str() > "2026-11-01");
    assert!(
        rows.windows(2)
            .all(|w| w[1].last_active_utc.is_empty() || w[0].last_active_utc >= w[1].last_active_utc),
        "most recent first, never-active last"
    );

    let refused = reqwest::Client::new()
        .get(format!("{}/api/v1/reports/user-last-activity", standin.base_url()))
        .bearer_auth(session(&standin, &some_user(&standin, 8).await).await)
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), 403, "a user token cannot read the report");
    standin.stop().await;
}
