//! The Analytics page's server function and its CSV export, on events stored in the
//! console database: the numbers follow the definitions, the CSV is the table the page
//! shows, exports are audited, and signed-out callers get nothing.

use crate::helpers::{TestApp, spawn_app};
use serde_json::json;
use sqlx::SqlitePool;
use types::{
    Role,
    analytics::{AnalyticsView, day},
};

/// Stores an event as the intake would (`source = webhook`).
async fn store_event(db: &SqlitePool, key: &str, name: &str, at: i64, actor: &str, object: (&str, &str)) {
    sqlx::query(
        "INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, community_id, \
         object_kind, object_id, data) VALUES (?, ?, ?, 'webhook', ?, ?, 'community-1', ?, ?, '{}')",
    )
    .bind(name)
    .bind(at)
    .bind(day::of_unix_ms(at))
    .bind(key)
    .bind(actor)
    .bind(object.0)
    .bind(object.1)
    .execute(db)
    .await
    .expect("event stored");
}

async fn database(app: &TestApp) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite://{}", app.database.display()))
        .await
        .expect("the console database opens")
}

async fn report(app: &TestApp, from: i64, to: i64) -> AnalyticsView {
    let query = json!({ "from": day::format(from), "to": day::format(to), "granularity": "daily" });
    let response = app.call("analytics_report", json!({ "query": query })).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("an AnalyticsView")
}

#[tokio::test]
async fn the_report_counts_stored_events_and_each_csv_is_the_table_shown() {
    let app = spawn_app().await;
    let db = database(&app).await;
    let now = backend::analytics::now_ms();
    let today = day::of_unix_ms(now);
    let yesterday_noon = (today - 1) * day::DAY_MS + day::DAY_MS / 2;
    let today_start = today * day::DAY_MS;
    // Yesterday: ann posts, bob comments, cat flags ann's post. Today: ann reacts.
    store_event(&db, "e1", "v3.post.didCreate", yesterday_noon, "ann", ("post", "p1")).await;
    store_event(&db, "e2", "v3.comment.didCreate", yesterday_noon + 1, "bob", ("comment", "c1")).await;
    store_event(&db, "e3", "v3.post.didFlag", yesterday_noon + 2, "cat", ("post", "p1")).await;
    store_event(&db, "e4", "v3.post.didAddReaction", today_start, "ann", ("post", "p1")).await;
    backend::analytics::refresh(&db, &Default::default(), now).await.expect("refresh");

    app.sign_in_with_role(Role::Viewer).await;
    let view = report(&app, today - 1, today).await;
    let chart = |id: &str| view.charts.iter().find(|c| c.id == id).expect("chart").clone();
    let active = chart("active_users");
    assert_eq!(active.labels, [day::format(today - 1), day::format(today)]);
    let values = |name: &str| active.series.iter().find(|s| s.name == name).expect("series").values.clone();
    assert_eq!(values("DAU"), [Some(3.0), Some(1.0)]);
    assert_eq!(values("WAU"), [Some(3.0), Some(3.0)]);
    assert_eq!(values("MAU"), [Some(3.0), Some(3.0)]);
    assert_eq!(chart("flags").series[0].values, [Some(1.0), Some(0.0)]);
    assert_eq!(chart("backlog").series[0].values, [Some(1.0), Some(1.0)], "the flagged post is still open");
    assert_eq!(chart("flagged_communities").labels, ["community-1"]);

    let export = format!(
        "/analytics/export.csv?chart=active_users&from={}&to={}&granularity=daily",
        day::format(today - 1),
        day::format(today)
    );
    let response = app.get(&export).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.expect("csv");
    assert_eq!(csv, active.to_csv());
    assert_eq!(csv.lines().nth(1), Some(format!(r#""{}","3","3","3""#, day::format(today - 1)).as_str()));

    let unknown = app.get("/analytics/export.csv?chart=nope").await;
    assert_eq!(unknown.status(), 404);
    let backwards = app.get("/analytics/export.csv?chart=flags&from=2026-02-01&to=2026-01-01").await;
    assert_eq!(backwards.status(), 422);

    app.sign_out().await;
    let signed_out = app.get(&export).await.status().as_u16();
    assert!(matches!(signed_out, 303 | 401), "signed out, no download: {signed_out}");
    assert_eq!(app.call("analytics_report", json!({ "query": {} })).await.status(), 401);

    app.sign_in_with_role(Role::Admin).await;
    let trail = crate::audit::eventually(&app, "action=export_analytics").await;
    assert_eq!(trail.len(), 1, "one successful export audited: {trail:?}");
    assert_eq!(trail[0]["actor_id"], "test-viewer");
    assert!(trail[0]["details"].as_str().is_some_and(|d| d.contains("active_users")));
}

#[tokio::test]
async fn a_console_action_on_a_flagged_post_closes_its_case_and_counts_for_the_moderator() {
    let app = spawn_app().await;
    let db = database(&app).await;
    let now = backend::analytics::now_ms();
    let today = day::of_unix_ms(now);
    let flagged_at = now - 3 * 3_600_000;
    store_event(&db, "f1", "v3.post.didFlag", flagged_at, "cat", ("post", "p9")).await;
    sqlx::query(
        "INSERT INTO moderation_actions (at, at_unix, actor_id, target, actions, reason_code, reason_text, outcome) \
         VALUES ('', ?, 'moderator-1', 'post:p9', 'remove', 'spam', 'spam', 'applied')",
    )
    .bind((flagged_at + 2 * 3_600_000) / 1000)
    .execute(&db)
    .await
    .expect("action stored");
    backend::analytics::refresh(&db, &Default::default(), now).await.expect("refresh");

    app.sign_in_with_role(Role::Moderator).await;
    let view = report(&app, today - 1, today).await;
    let chart = |id: &str| view.charts.iter().find(|c| c.id == id).expect("chart").clone();
    let flagged_day = usize::try_from(day::of_unix_ms(flagged_at) - (today - 1)).expect("in range");
    let acted_day =
        usize::try_from(day::of_unix_ms(flagged_at + 2 * 3_600_000) - (today - 1)).expect("in range");
    assert_eq!(
        chart("time_to_action").series[0].values[acted_day],
        Some(2.0),
        "two hours from flag to action"
    );
    assert_eq!(chart("moderation_actions").series[0].values[acted_day], Some(1.0));
    assert_eq!(chart("backlog").series[0].values[1], Some(0.0), "closed by today's end");
    assert!(flagged_day <= acted_day);
    assert_eq!(chart("moderators").labels, ["moderator-1"]);
}

/// The metrics export holds the configured charts over the configured days, value for value
/// as the page shows them, and is kept with its history and downloadable.
#[tokio::test]
async fn a_metrics_export_holds_the_charts_values_as_shown_and_is_kept_and_downloadable() {
    let app = spawn_app().await;
    let db = database(&app).await;
    let now = backend::analytics::now_ms();
    let today = day::of_unix_ms(now);
    let noon = today * day::DAY_MS + day::DAY_MS / 2;
    store_event(&db, "m1", "v3.post.didCreate", noon, "ann", ("post", "p1")).await;
    store_event(&db, "m2", "v3.post.didCreate", noon + 1, "bob", ("post", "p2")).await;
    backend::analytics::refresh(&db, &Default::default(), now).await.expect("refresh");

    app.sign_in_with_role(Role::Viewer).await;
    let made: serde_json::Value =
        app.call_form("export_metrics_now", &[]).await.json().await.expect("an export");
    let id = made["id"].as_i64().expect("id");
    // The default plan: five charts over 30 days.
    assert_eq!(
        made["charts"],
        json!(["active_users", "new_users", "content", "flags", "moderation_actions"])
    );
    assert_eq!(
        (made["from"].as_str(), made["to"].as_str()),
        (Some(day::format(today - 29).as_str()), Some(day::format(today).as_str()))
    );

    let response = app.get(&format!("/reports/metrics/{id}")).await;
    assert_eq!(response.status(), 200);
    let csv = response.text().await.expect("csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(r#""chart","label","series","value""#));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').map(|c| c.trim_matches('"')).collect()).collect();
    assert_eq!(rows.len() as i64, made["rows"].as_i64().expect("rows"));
    let view = report(&app, today - 29, today).await;
    let mut expected = 0;
    for chart in view.charts.iter().filter(|c| made["charts"].as_array().expect("ids").contains(&json!(c.id)))
    {
        for (index, label) in chart.labels.iter().enumerate() {
            for series in &chart.series {
                let value = types::analytics::format_value(series.values[index]);
                assert!(
                    rows.contains(&vec![
                        chart.id.as_str(),
                        label.as_str(),
                        series.name.as_str(),
                        value.as_str()
                    ]),
                    "{} {label} {} = {value} is in the export",
                    chart.id,
                    series.name
                );
                expected += 1;
            }
        }
    }
    assert_eq!(rows.len(), expected, "nothing else is in it");
    let today_posts =
        rows.iter().find(|r| r[0] == "content" && r[1] == day::format(today) && r[2] == "Posts");
    assert_eq!(today_posts.map(|r| r[3]), Some("2"), "{rows:?}");

    let listed: Vec<serde_json::Value> =
        app.call("list_metric_exports", json!({})).await.json().await.expect("list");
    assert_eq!(listed[0]["id"], id);
    let page = app.get("/reports").await.text().await.expect("html");
    assert!(page.contains(&format!(r#"href="/reports/metrics/{id}""#)));
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('export_metrics', 'download_metrics_export')",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn only_an_admin_asks_for_a_rebuild_which_is_audited_runs_and_repairs_the_rollups() {
    let app = spawn_app().await;
    let db = database(&app).await;
    let now = backend::analytics::now_ms();
    let today = day::of_unix_ms(now);
    let noon = today * day::DAY_MS + day::DAY_MS / 2;
    store_event(&db, "r1", "v3.post.didCreate", noon, "ann", ("post", "p1")).await;
    backend::analytics::refresh(&db, &Default::default(), now).await.expect("refresh");
    // A wrong counter, as after a change in how events count: what a rebuild repairs.
    sqlx::query("UPDATE analytics_daily SET posts = 7").execute(&db).await.expect("corrupt");

    for role in [Role::Viewer, Role::Moderator] {
        app.sign_in_with_role(role).await;
        assert_eq!(app.call_form("rebuild_analytics", &[]).await.status(), 403, "{role:?}");
        assert!(!report(&app, today, today).await.may_rebuild);
    }
    app.sign_in().await;
    assert!(report(&app, today, today).await.may_rebuild);
    assert_eq!(app.call_form("rebuild_analytics", &[]).await.status(), 200);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'analytics_rebuild_requested'")
            .fetch_one(&db)
            .await
            .expect("audit");
    assert_eq!(audited, 1);

    // It runs in the background; the page shows it until it is over.
    let mut view = report(&app, today, today).await;
    for _ in 0..100 {
        if view.rebuild.is_none() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        view = report(&app, today, today).await;
    }
    assert_eq!(view.rebuild, None, "the rebuild ended");
    let posts = view.charts.iter().find(|c| c.id == "content").expect("content").series[0].values.clone();
    assert_eq!(posts, [Some(1.0)], "the counter is computed again from the one stored post");
}
