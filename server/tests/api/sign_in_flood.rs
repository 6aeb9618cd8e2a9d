//! Finding 2: anyone can post to `/auth/login`. A flood of attempts is refused before any
//! work, from one IPv6 /64 as from one address, and leaves a few readable audit rows instead
//! of one row per attempt under names the attacker chose.

use crate::helpers::{PASSWORD, TestApp, location, spawn_app_with};
use std::collections::BTreeMap;

/// A console behind a trusted proxy on loopback that names the client in `x-real-ip`: the
/// way a deployment behind nginx sees IPv6 clients, and how this test sends many addresses.
/// Three attempts a minute: the budget cannot refill (one per 20 s) while a test runs.
async fn app_behind_a_proxy() -> TestApp {
    spawn_app_with(|s| {
        s.access.sign_in_attempts_per_minute = 3;
        s.proxy.trusted_proxies = vec!["127.0.0.1/32".into()];
        s.proxy.client_ip_header = "x-real-ip".into();
    })
    .await
}

async fn attempt(app: &TestApp, client: &str, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/auth/login", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("x-real-ip", client)
        .form(&[("username", username), ("password", password), ("next", "/users")])
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn finding_2_a_flood_from_one_ipv6_64_is_refused_and_leaves_a_few_readable_audit_rows() {
    let app = app_behind_a_proxy().await;
    let mut answers = BTreeMap::new();
    for i in 0..300u32 {
        // A different address of 2001:db8:1:2::/64 and a different name every time.
        let client = format!("2001:db8:1:2:{:x}:{:x}::1", i, i.wrapping_mul(7919) & 0xffff);
        let response = attempt(&app, &client, &format!("guess-{i}"), "not-the-password").await;
        *answers.entry(response.status().as_u16()).or_insert(0) += 1;
    }
    assert_eq!(answers, BTreeMap::from([(303, 3), (429, 297)]), "the /64's budget is 3 a minute");

    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let rows: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT actor_id, action, target, details FROM audit_log ORDER BY id")
            .fetch_all(&db)
            .await
            .expect("audit");
    let shape: Vec<_> = rows
        .iter()
        .map(|(actor, action, target, _)| (actor.as_str(), action.as_str(), target.as_deref()))
        .collect();
    let network = Some("network:2001:db8:1:2::/64");
    assert_eq!(
        shape,
        [
            ("attempt:guess-0", "sign_in", network),
            ("attempt:*", "sign_in_attempts", network),
            ("attempt:*", "sign_in_attempts", network),
        ],
        "the first attempt, then summaries at 10 and 100 attempts"
    );
    let summary: serde_json::Value = serde_json::from_str(&rows[2].3).expect("details");
    assert_eq!(summary["attempts"], 100);
    assert_eq!(summary["reasons"]["wrong_password"], 3, "the three the budget let through");
    assert_eq!(summary["reasons"]["over_limit"], 97);
    assert_eq!(summary["other_names"], 90, "ten names are listed, the rest counted");
}

#[tokio::test]
async fn finding_2_other_people_sign_in_during_a_flood_from_another_network() {
    let app = app_behind_a_proxy().await;
    for i in 0..50u32 {
        attempt(&app, &format!("2001:db8:1:2::{i:x}"), &format!("guess-{i}"), "not-the-password").await;
    }
    let flood_tries_the_real_password = attempt(&app, "2001:db8:1:2::ffff", "admin", PASSWORD).await;
    assert_eq!(flood_tries_the_real_password.status(), 429, "still the flooding /64");
    let colleague = attempt(&app, "2001:db8:9:9::1", "admin", PASSWORD).await;
    assert_eq!(location(&colleague), "/users", "another network signs in");
}

#[tokio::test]
async fn finding_2_a_disabled_bootstrap_admin_is_rate_limited_before_anything_is_audited() {
    let app = spawn_app_with(|s| {
        s.upstream.mode = server::config::UpstreamMode::Region;
        s.upstream.base_url = Some("http://127.0.0.1:9".into());
        s.upstream.admin_token = Some(secrecy::SecretString::from("x"));
    })
    .await;
    let mut answers = BTreeMap::new();
    for i in 0..40 {
        let response = app.sign_in_as(&format!("guess-{i}"), "not-the-password").await;
        *answers.entry(response.status().as_u16()).or_insert(0) += 1;
    }
    assert_eq!(answers, BTreeMap::from([(303, 10), (429, 30)]));
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
    let entries = backend::audit::recent(&db, 100).await.expect("audit");
    let actions: Vec<_> = entries.iter().rev().map(|e| (e.actor_id.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, [("attempt:guess-0", "sign_in"), ("attempt:*", "sign_in_attempts")], "not 40 rows");
}

#[tokio::test]
async fn finding_2_past_a_thousand_refusals_a_network_is_answered_a_second_late_and_others_are_not() {
    let app = app_behind_a_proxy().await;
    for batch in 0..20u32 {
        let app = &app;
        let attempts = (0..50u32).map(|i| {
            let n = batch * 50 + i;
            let client = format!("2001:db8:1:2::{n:x}");
            async move { attempt(app, &client, &format!("guess-{n}"), "not-the-password").await.status() }
        });
        for status in futures::future::join_all(attempts).await {
            assert!(matches!(status.as_u16(), 303 | 429 | 503), "{status}");
        }
    }
    let started = std::time::Instant::now();
    let (flood, colleague) =
        tokio::join!(attempt(&app, "2001:db8:1:2::ffff", "guess-x", "not-the-password"), async {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let response = attempt(&app, "2001:db8:9:9::1", "admin", PASSWORD).await;
            (response, started.elapsed())
        });
    assert_eq!(flood.status(), 429);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "the flood's answer waited");
    let (colleague, took) = colleague;
    assert_eq!(location(&colleague), "/users");
    assert!(took < std::time::Duration::from_secs(1), "another network is answered at once: {took:?}");
}
