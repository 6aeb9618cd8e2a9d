//! Blocklist and allowlist, and [`standin::blocklist::rejection`], which content handlers call.
//! Covers `GET /api/v3/blocklists`, `POST /api/v3/blocklists`, `POST /api/v3/blocklists/verify`,
//! `GET /api/v3/allowlists`, `POST /api/v3/allowlists`, `POST /api/v3/allowlists/verify`,
//! `GET /api/v2/blacklist/records`, `POST /api/v2/blacklist/records`, `PUT /api/v2/blacklist/records`,
//! `DELETE /api/v2/blacklist/records`, `PUT /api/v2/blacklist/records/:ruleId` and the same five
//! under `/api/v2/whitelist/records`.

use crate::{
    openapi::Spec,
    support::{TOKEN, admin, assert_error, assert_response, client},
};
use axum::{body::to_bytes, response::IntoResponse};
use serde_json::{Value, json};
use standin::{RunningStandIn, SeedOptions, StandInConfig, Storage};
use upstream::endpoints::blocklist::{
    self, AddRecords, DeleteRecords, ListRecords, QueryRules, ReplaceRecords, SetRecordEnabled, VerifyTexts,
};
use upstream::{
    endpoints::blocklist::{ListKind, RuleQuery},
    wire::AddRules,
};

#[tokio::test]
async fn every_rule_endpoint_exists_in_the_official_spec() {
    let mut spec = Spec::master();
    for (method, path) in [
        ("GET", "/api/v3/blocklists"),
        ("POST", "/api/v3/blocklists"),
        ("POST", "/api/v3/blocklists/verify"),
        ("GET", "/api/v3/allowlists"),
        ("POST", "/api/v3/allowlists"),
        ("POST", "/api/v3/allowlists/verify"),
        ("GET", "/api/v2/blacklist/records"),
        ("POST", "/api/v2/blacklist/records"),
        ("PUT", "/api/v2/blacklist/records"),
        ("DELETE", "/api/v2/blacklist/records"),
        ("PUT", "/api/v2/blacklist/records/:ruleId"),
        ("GET", "/api/v2/whitelist/records"),
        ("POST", "/api/v2/whitelist/records"),
        ("PUT", "/api/v2/whitelist/records"),
        ("DELETE", "/api/v2/whitelist/records"),
        ("PUT", "/api/v2/whitelist/records/:ruleId"),
    ] {
        assert!(spec.has_operation(method, path), "{method} {path} is not in the spec");
    }
}

async fn on_file(dir: &tempfile::TempDir) -> (RunningStandIn, sqlx::SqlitePool) {
    let storage = Storage::File(dir.path().join("standin.sqlite"));
    let standin = RunningStandIn::start(StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: TOKEN.into(),
        storage: storage.clone(),
        seed: SeedOptions { users: 30, seed: 5, ..SeedOptions::default() },
        ..Default::default()
    })
    .await
    .expect("stand-in starts");
    let db = standin::open_database(&storage).await.expect("second connection");
    (standin, db)
}

async fn rejected(db: &sqlx::SqlitePool, text: &str) -> Option<(u16, Value)> {
    let error = standin::blocklist::rejection(db, text).await.err()?;
    let response = error.into_response();
    let status = response.status().as_u16();
    let body = to_bytes(response.into_body(), 1 << 16).await.expect("body");
    Some((status, serde_json::from_slice(&body).expect("JSON")))
}

#[tokio::test]
async fn blocklisted_text_is_rejected_unless_an_allowlist_rule_covers_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (standin, db) = on_file(&dir).await;
    let mut spec = Spec::master();
    let client = client(&standin);

    assert!(rejected(&db, "a friendly hello").await.is_none());
    let add = AddRules { regexs: vec!["moonshot".into()], is_match_exact_word: Some(true) };
    assert!(
        client.send(&blocklist::AddRules { kind: ListKind::Block, rules: &add }).await.expect("add").success
    );
    let hit = rejected(&db, "Join the MOONSHOT today").await.expect("rejected");
    assert_error(&mut spec, &hit, 400, 400_308, "rejection");
    assert!(rejected(&db, "moonshots are words too").await.is_none(), "exact word only");

    client
        .send(&blocklist::AddRules {
            kind: ListKind::Allow,
            rules: &AddRules {
                regexs: vec![r"https://moonshot\.example(/.*)?".into()],
                ..Default::default()
            },
        })
        .await
        .expect("allow");
    assert!(
        rejected(&db, "read https://moonshot.example/faq").await.is_none(),
        "the allowlist covers the hit"
    );
    assert!(rejected(&db, "moonshot! https://moonshot.example").await.is_some());

    let verify =
        admin(&standin, "POST", "/api/v3/blocklists/verify", Some(json!({ "data": ["ok", "moonshot"] })))
            .await;
    assert_error(&mut spec, &verify, 403, 400_308, "verify (spec: 403)");
    let refused = client
        .send(&VerifyTexts { kind: ListKind::Block, texts: &["moonshot".into()] })
        .await
        .expect_err("blocked");
    assert_eq!(refused.code(), Some(400_308));
    let (status, body) =
        admin(&standin, "POST", "/api/v3/blocklists/verify", Some(json!({ "data": ["fine"] }))).await;
    assert_eq!(status, 200);
    assert_response(&mut spec, "POST", "/api/v3/blocklists/verify", "200", &body);

    // Switching the rule off (v2) lifts the rejection.
    let rules = client.send(&ListRecords { kind: ListKind::Block }).await.expect("records");
    let rule = rules.data.results.iter().find(|r| r.regex == "moonshot").expect("the rule");
    let rule_id = rule.rule_id.clone().expect("id");
    let switched = client
        .send(&SetRecordEnabled { kind: ListKind::Block, rule_id: &rule_id, is_enabled: false })
        .await
        .expect("disable");
    assert!(!switched.data.is_enabled);
    assert!(rejected(&db, "moonshot").await.is_none());
    standin.stop().await;
}

#[tokio::test]
async fn rule_lists_conform_to_the_spec_in_v3_and_v2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (standin, _db) = on_file(&dir).await;
    let mut spec = Spec::master();
    let client = client(&standin);

    let (status, body) =
        admin(&standin, "GET", "/api/v3/blocklists?sortBy=firstCreated&options[limit]=2", None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "GET", "/api/v3/blocklists", "200", &body);
    assert!(body["paging"]["next"].is_string(), "the seed has more than two rules");
    let (_, body) = admin(&standin, "GET", "/api/v3/allowlists", None).await;
    assert_response(&mut spec, "GET", "/api/v3/allowlists", "200", &body);
    assert!(body["results"][0].get("isMatchExactWord").is_none());
    let (_, body) = admin(&standin, "POST", "/api/v3/blocklists", Some(json!({ "regexs": ["grift"] }))).await;
    assert_response(&mut spec, "POST", "/api/v3/blocklists", "200", &body);
    let (_, body) =
        admin(&standin, "POST", "/api/v3/allowlists", Some(json!({ "regexs": [r"https://ok\.example"] })))
            .await;
    assert_response(&mut spec, "POST", "/api/v3/allowlists", "200", &body);
    let bad = admin(&standin, "POST", "/api/v3/blocklists", Some(json!({ "regexs": ["(unclosed"] }))).await;
    assert_error(&mut spec, &bad, 400, 400_000, "a pattern that does not compile");

    let (_, body) = admin(&standin, "GET", "/api/v2/blacklist/records", None).await;
    assert_response(&mut spec, "GET", "/api/v2/blacklist/records", "200", &body);
    let (_, body) = admin(&standin, "GET", "/api/v2/whitelist/records", None).await;
    assert_response(&mut spec, "GET", "/api/v2/whitelist/records", "200", &body);
    let id = body["data"]["results"][0]["ruleId"].as_str().expect("rule id").to_owned();
    let (status, body) = admin(
        &standin,
        "PUT",
        &format!("/api/v2/whitelist/records/{id}"),
        Some(json!({ "ruleId": id, "isEnabled": false })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "PUT", "/api/v2/whitelist/records/:ruleId", "200", &body);
    let unknown = admin(
        &standin,
        "PUT",
        "/api/v2/blacklist/records/nope",
        Some(json!({ "ruleId": "nope", "isEnabled": true })),
    )
    .await;
    assert_error(&mut spec, &unknown, 404, 400_400, "unknown rule");

    // Replace, add and delete through the client, checked through the v3 list.
    client
        .send(&ReplaceRecords { kind: ListKind::Block, regexs: &["alpha".into(), "beta".into()] })
        .await
        .expect("replace");
    client
        .send(&AddRecords {
            kind: ListKind::Block,
            rules: &AddRules { regexs: vec!["gamma".into()], ..Default::default() },
        })
        .await
        .expect("add");
    let listed = client
        .send(&QueryRules {
            kind: ListKind::Block,
            query: &RuleQuery { oldest_first: true, ..Default::default() },
        })
        .await
        .expect("list");
    let regexes: Vec<&str> = listed.results.iter().map(|r| r.regex.as_str()).collect();
    assert_eq!(regexes, vec!["alpha", "beta", "gamma"]);
    let beta = listed.results[1].rule_id.clone().expect("id");
    client.send(&DeleteRecords { kind: ListKind::Block, rule_ids: &[beta] }).await.expect("delete");
    let after = client.send(&ListRecords { kind: ListKind::Block }).await.expect("records");
    assert_eq!(
        after.data.results.iter().map(|r| r.regex.as_str()).collect::<Vec<_>>(),
        vec!["alpha", "gamma"]
    );
    let none = client
        .send(&DeleteRecords { kind: ListKind::Block, rule_ids: &["nope".into()] })
        .await
        .expect_err("unknown");
    assert!(none.is_not_found());
    standin.stop().await;
}

#[tokio::test]
async fn links_must_be_urls_the_allowlist_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (standin, _db) = on_file(&dir).await;
    let mut spec = Spec::master();
    let (status, body) = admin(
        &standin,
        "POST",
        "/api/v3/allowlists/verify",
        Some(json!({ "data": ["https://docs.social.plus/x"] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "POST", "/api/v3/allowlists/verify", "200", &body);
    let outside = admin(
        &standin,
        "POST",
        "/api/v3/allowlists/verify",
        Some(json!({ "data": ["https://evil.example"] })),
    )
    .await;
    assert_error(&mut spec, &outside, 403, 400_309, "a link outside the allowlist");
    let not_url =
        admin(&standin, "POST", "/api/v3/allowlists/verify", Some(json!({ "data": ["no link"] }))).await;
    assert_error(&mut spec, &not_url, 400, 400_000, "not a URL");
    let too_many = admin(
        &standin,
        "POST",
        "/api/v3/allowlists/verify",
        Some(json!({ "data": vec!["https://a.b"; 11] })),
    )
    .await;
    assert_error(&mut spec, &too_many, 400, 400_000, "more than ten");
    standin.stop().await;
}
