//! Property tests of the server's doors for outside bytes, driven over HTTP against a real
//! console: the webhook intake (any body, any signature header, any content type), the appeal
//! intake (any body, timestamp and signature), and the query strings of the pages and
//! downloads; and of the configuration's value checks (any text in any setting).
//!
//! Properties: no input gets a 5xx or kills a worker; only a correctly signed, fresh request
//! gets past a signature check; what the configuration accepts is what it gives back, and no
//! problem it reports quotes a secret. `cargo test` runs a quick smoke of each;
//! `cargo xtask fuzz` runs them with many more cases (`PROPTEST_CASES`).

use crate::helpers::{TestApp, expected_users, spawn_app_with};
use backend::events::{normalise, signature};
use hmac::{Hmac, Mac};
use proptest::{prelude::*, test_runner::TestRunner};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use server::{config::Settings, hooks::SecretSetting};
use types::{Role, url::encode_component};

/// A small number of cases under `cargo test`; `PROPTEST_CASES / share` under `cargo xtask fuzz`.
fn config(smoke: u32, share: u32) -> ProptestConfig {
    let cases = match std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse::<u32>().ok()) {
        Some(cases) => (cases / share).max(1),
        None => smoke,
    };
    ProptestConfig { cases, source_file: Some(file!()), ..ProptestConfig::default() }
}

/// Runs `property` for each value of `strategy` against a console set up by `customize`
/// (one console for all cases; each case is one or a few requests).
/// `before` and `after` run once, around all cases, against the same console.
fn over_http<S, F>(
    (smoke, share): (u32, u32),
    customize: impl FnOnce(&mut Settings),
    before: impl AsyncFnOnce(&TestApp),
    strategy: S,
    property: F,
    after: impl AsyncFnOnce(&TestApp),
) where
    S: Strategy,
    F: AsyncFn(&TestApp, S::Value) -> Result<(), TestCaseError>,
{
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let app = runtime.block_on(async {
        let app = spawn_app_with(customize).await;
        before(&app).await;
        app
    });
    let mut runner = TestRunner::new(config(smoke, share));
    let result = runner.run(&strategy, |value| runtime.block_on(property(&app, value)));
    if let Err(failure) = result {
        panic!("{failure}");
    }
    runtime.block_on(after(&app));
}

/// Text of any kind, weighted towards the characters parsers trip on.
fn text(max: usize) -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        " ",
        "\t",
        "\n",
        "\r\n",
        ",",
        ";",
        "=",
        "&",
        "+",
        "%",
        "%2",
        "%zz",
        "%FF",
        "%00",
        "?",
        "#",
        "/",
        "\\",
        "\"",
        "'",
        ".",
        "..",
        "*",
        "-",
        "@",
        "[",
        "]",
        "{",
        "}",
        "é",
        "😀",
        "\u{feff}",
        "\0",
        "null",
        "-1",
        "99999999999999999999",
        "1e309",
        "2026-13-45",
        "2026-01-01",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![3 => any::<char>().prop_map(String::from), 2 => interesting];
    prop::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
}

// ---------------------------------------------------------------------------------------
// The webhook intake

const WEBHOOK_SECRET: &str = "fuzz-webhook-secret-0123456789";
const WEBHOOK_MAX_BODY: usize = 4096;

#[derive(Clone, Debug)]
enum SignatureHeader {
    Missing,
    Right,
    RightHex,
    FlippedBit(usize),
    Other(Vec<u8>),
}

#[derive(Clone, Debug)]
enum ContentType {
    Json,
    Missing,
    Other(Vec<u8>),
}

fn webhook_body() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        prop::sample::select(vec!["v3.post.didCreate", "v3.comment.didFlag", "user.didUpdate", "", " ", "x"])
            .prop_map(str::to_owned),
        text(12),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        text(12).prop_map(Value::String),
        Just(json!("2026-11-26T10:00:00Z")),
    ];
    let value = leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["posts", "postId", "userId", "targetType", "createdAt", "x"]),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    });
    prop_oneof![
        3 => (name, value).prop_map(|(name, data)| json!({"event": name, "data": data}).to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => text(64).prop_map(String::into_bytes),
        // Past the intake's limit.
        1 => (WEBHOOK_MAX_BODY + 1..WEBHOOK_MAX_BODY + 64).prop_map(|n| vec![b' '; n]),
    ]
}

fn signature_header() -> impl Strategy<Value = SignatureHeader> {
    prop_oneof![
        1 => Just(SignatureHeader::Missing),
        3 => Just(SignatureHeader::Right),
        1 => Just(SignatureHeader::RightHex),
        2 => (0usize..256).prop_map(SignatureHeader::FlippedBit),
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(SignatureHeader::Other),
    ]
}

fn content_type() -> impl Strategy<Value = ContentType> {
    prop_oneof![
        4 => Just(ContentType::Json),
        1 => Just(ContentType::Missing),
        1 => prop::sample::select(vec!["text/plain", "application/jsonx", " Application/JSON; charset=utf-8", "\u{80}"])
            .prop_map(|c| ContentType::Other(c.as_bytes().to_vec())),
        1 => prop::collection::vec(any::<u8>(), 0..24).prop_map(ContentType::Other),
    ]
}

fn flipped(body: &[u8], bit: usize) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut digest =
        engine.decode(signature::sign_base64(WEBHOOK_SECRET.as_bytes(), body)).unwrap_or_default();
    if let Some(byte) = digest.get_mut(bit / 8) {
        *byte ^= 1 << (bit % 8);
    }
    engine.encode(digest)
}

async fn deliver(app: &TestApp, body: &[u8], signature: Option<&[u8]>, content_type: Option<&[u8]>) -> u16 {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut put = |name: &'static str, value: &[u8]| {
        if let Ok(value) = reqwest::header::HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    };
    if let Some(signature) = signature {
        put("x-amity-signature", signature);
    }
    if let Some(content_type) = content_type {
        put("content-type", content_type);
    }
    let request =
        app.client.post(format!("{}/hooks/webhook", app.address)).headers(headers).body(body.to_vec());
    request.send().await.expect("request").status().as_u16()
}

#[test]
fn the_webhook_intake_answers_any_delivery_without_a_5xx_and_stores_only_signed_events() {
    let canary = json!({"event": "v3.post.didCreate", "data": {"posts": [{"postId": "fuzz-canary",
        "postedUserId": "u1", "createdAt": "2026-11-26T10:00:00Z"}]}})
    .to_string();
    over_http(
        (48, 20),
        |s| {
            s.webhooks.embedded_delivery = false;
            s.webhooks.max_body_bytes = WEBHOOK_MAX_BODY;
            s.webhooks.secrets =
                vec![SecretSetting { label: "fuzz".into(), secret: SecretString::from(WEBHOOK_SECRET) }];
        },
        async |_| {},
        (webhook_body(), signature_header(), content_type()),
        async |app, (body, signature, content_type)| {
            let header = match &signature {
                SignatureHeader::Missing => None,
                SignatureHeader::Right => {
                    Some(signature::sign_base64(WEBHOOK_SECRET.as_bytes(), &body).into_bytes())
                }
                SignatureHeader::RightHex => {
                    Some(signature::sign_hex(WEBHOOK_SECRET.as_bytes(), &body).into_bytes())
                }
                SignatureHeader::FlippedBit(bit) => Some(flipped(&body, *bit).into_bytes()),
                SignatureHeader::Other(bytes) => Some(bytes.clone()),
            };
            let content = match &content_type {
                ContentType::Json => Some(b"application/json".to_vec()),
                ContentType::Missing => None,
                ContentType::Other(bytes) => Some(bytes.clone()),
            };
            let status = deliver(app, &body, header.as_deref(), content.as_deref()).await;
            // What the console can see of the header: a valid header value that is text.
            let sent = header
                .as_deref()
                .filter(|h| reqwest::header::HeaderValue::from_bytes(h).is_ok())
                .and_then(|h| std::str::from_utf8(h).ok());
            let secrets = [backend::events::WebhookSecret {
                label: "fuzz".into(),
                key: SecretString::from(WEBHOOK_SECRET),
            }];
            let signed = sent.is_some_and(|h| signature::verify(&secrets, &body, h).is_some());
            let an_event = normalise::event_name(&body).is_ok();
            if body.len() > WEBHOOK_MAX_BODY {
                prop_assert_eq!(status, 413);
            } else if !signed {
                prop_assert_eq!(status, 401, "unsigned or badly signed: {:?}", signature);
            } else if matches!(content_type, ContentType::Other(_)) {
                prop_assert!([200, 400, 415].contains(&status), "{}", status);
                prop_assert!(status != 200 || an_event);
            } else {
                prop_assert_eq!(status, if an_event { 200 } else { 400 });
            }
            Ok(())
        },
        // Whatever was stored, the processor is still alive and turns a new delivery into an event.
        async |app| {
            let signature = signature::sign_base64(WEBHOOK_SECRET.as_bytes(), canary.as_bytes());
            let status =
                deliver(app, canary.as_bytes(), Some(signature.as_bytes()), Some(b"application/json")).await;
            assert_eq!(status, 200);
            let db =
                sqlx::SqlitePool::connect(&format!("sqlite://{}", app.database.display())).await.expect("db");
            for _ in 0..150 {
                let found: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE object_id = 'fuzz-canary'")
                        .fetch_one(&db)
                        .await
                        .expect("count");
                if found == 1 {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            panic!("the delivery after the fuzzed ones was not processed within 15 s");
        },
    );
}

// ---------------------------------------------------------------------------------------

#[test]
fn query_strings_of_pages_and_downloads_never_get_a_5xx() {
    let key = prop::sample::select(vec![
        "q",
        "filter",
        "sort",
        "hide",
        "role",
        "cursor",
        "tab",
        "type",
        "community",
        "ai",
        "min_flags",
        "age",
        "from",
        "to",
        "granularity",
        "chart",
        "actor",
        "action",
        "target",
        "user",
        "before",
        "moderator",
        "upload",
    ]);
    let pair = (key, text(24), any::<bool>()).prop_map(|(key, value, raw)| {
        // Encoded as a browser would, or written raw (stray `%`, `+`, `&`, `=`).
        if raw { format!("{key}={value}") } else { format!("{key}={}", encode_component(&value)) }
    });
    let path = prop::sample::select(vec![
        "/users/export.csv",
        "/audit/export.csv",
        "/audit/export.json",
        "/analytics/export.csv",
        "/users",
        "/queue",
        "/analytics",
        "/audit",
        "/events",
        "/reports",
        "/imports",
        "/rules",
    ]);
    over_http(
        (24, 50),
        |_| {},
        async |app| app.sign_in_with_role(Role::Admin).await,
        (path, prop::collection::vec(pair, 0..5)),
        async |app, (path, pairs)| {
            let url = format!("{}{path}?{}", app.address, pairs.join("&"));
            let Ok(url) = reqwest::Url::parse(&url) else { return Ok(()) };
            let status = app.client.get(url.clone()).send().await.expect("request").status();
            prop_assert!(status.as_u16() < 500, "{} → {}", url, status);
            Ok(())
        },
        async |_| {},
    );
}

// ---------------------------------------------------------------------------------------
// The appeal intake

const APPEAL_SECRET: &str = "fuzz-appeal-intake-secret-0123456789abcdef";

#[derive(Clone, Debug)]
enum Timestamp {
    Now,
    OffBy(i64),
    Text(String),
}

#[derive(Clone, Debug)]
enum AppealSignature {
    Right,
    FlippedBit(usize),
    NoPrefix,
    Other(String),
    Missing,
}

fn appeal_mac(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(APPEAL_SECRET.as_bytes()) else {
        unreachable!("HMAC takes keys of any length");
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The user the console has banned before the run, so some appeals are filed.
fn banned_user() -> String {
    expected_users().into_iter().find(|u| !u.is_global_ban).expect("an ordinary seeded user").user_id
}

#[test]
fn the_appeal_intake_files_only_fresh_correctly_signed_appeals_and_never_answers_5xx() {
    let banned = banned_user();
    let user_id = prop_oneof![Just(banned.clone()), text(20), Just(format!(" {banned} "))];
    let appeal = (user_id, text(80), prop::option::of(text(12))).prop_map(|(user, message, external)| {
        json!({"userId": user, "message": message, "externalId": external}).to_string().into_bytes()
    });
    let body = prop_oneof![
        4 => appeal,
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => text(40).prop_map(String::into_bytes),
        1 => Just(br#"{"userId": 7, "message": null}"#.to_vec()),
    ];
    let timestamp = prop_oneof![
        4 => Just(Timestamp::Now),
        1 => prop_oneof![-100_000i64..-301, 301i64..100_000, Just(i64::MIN / 2)].prop_map(Timestamp::OffBy),
        1 => text(12).prop_map(Timestamp::Text),
    ];
    let signature = prop_oneof![
        4 => Just(AppealSignature::Right),
        2 => (0usize..256).prop_map(AppealSignature::FlippedBit),
        1 => Just(AppealSignature::NoPrefix),
        1 => text(70).prop_map(AppealSignature::Other),
        1 => Just(AppealSignature::Missing),
    ];
    let ban_banned = banned.clone();
    over_http(
        (32, 20),
        |s| s.appeals.secret = Some(APPEAL_SECRET.to_owned().into()),
        async move |app| {
            app.sign_in_with_role(Role::Moderator).await;
            let request = json!({ "request": {
                "target": { "type": "user", "id": ban_banned },
                "actions": [{ "type": "ban", "scope": { "type": "global" }, "until": null }],
                "reason": { "code": "harassment", "text": "" },
            }});
            assert_eq!(app.call("apply_action", request).await.status(), 200);
        },
        (body, timestamp, signature),
        async |app, (body, timestamp, signature)| {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let stamp = match &timestamp {
                Timestamp::Now => now.to_string(),
                Timestamp::OffBy(off) => (now + off).to_string(),
                Timestamp::Text(text) => text.clone(),
            };
            let mac = appeal_mac(&stamp, &body);
            let header = match &signature {
                AppealSignature::Right => Some(format!("sha256={}", hex(&mac))),
                AppealSignature::FlippedBit(bit) => {
                    let mut mac = mac.clone();
                    mac[bit / 8] ^= 1 << (bit % 8);
                    Some(format!("sha256={}", hex(&mac)))
                }
                AppealSignature::NoPrefix => Some(hex(&mac)),
                AppealSignature::Other(text) => Some(text.clone()),
                AppealSignature::Missing => None,
            };
            let mut request = app
                .client
                .post(format!("{}/intake/appeals", app.address))
                .header("content-type", "application/json")
                .body(body.clone());
            // A header value reqwest cannot send is a request without it.
            for (name, value) in
                [("x-appeal-timestamp", Some(stamp.clone())), ("x-appeal-signature", header.clone())]
            {
                if let Some(value) = value.filter(|v| reqwest::header::HeaderValue::from_str(v).is_ok()) {
                    request = request.header(name, value);
                }
            }
            let status = request.send().await.expect("request").status().as_u16();
            let sent_stamp = reqwest::header::HeaderValue::from_str(&stamp).is_ok();
            let fresh = sent_stamp && stamp.parse::<i64>().is_ok_and(|at| (now - at).abs() <= 299);
            let stale = !sent_stamp || stamp.parse::<i64>().is_ok_and(|at| (now - at).abs() > 301);
            let right = matches!(signature, AppealSignature::Right)
                || matches!(&signature, AppealSignature::Other(text) if *text == format!("sha256={}", hex(&mac)));
            if right && fresh {
                prop_assert!([201, 400, 422].contains(&status), "signed and fresh: {}", status);
                let parsed: Option<Value> = serde_json::from_slice(&body).ok();
                let well_formed = parsed.as_ref().is_some_and(|v| {
                    v["userId"].is_string()
                        && v["message"].is_string()
                        && (v["externalId"].is_null() || v["externalId"].is_string())
                });
                prop_assert_eq!(status == 400, !well_formed, "400 exactly for a body that is not an appeal");
            } else if !right || stale {
                prop_assert_eq!(status, 401, "{:?} / {:?}", signature, timestamp);
            }
            Ok(())
        },
        async |_| {},
    );
}

// ---------------------------------------------------------------------------------------
// Configuration values

/// Settings with a value of any kind in each text setting, and secrets marked so a leak is
/// easy to spot.
#[derive(Clone, Debug)]
struct Inputs {
    addr: String,
    public_url: Option<String>,
    region: bool,
    base_url: Option<String>,
    admin_token: Option<String>,
    trusted_proxies: Vec<String>,
    allowed_ips: Vec<String>,
    proxy_enabled: bool,
    headers: Vec<String>,
    jwt: Option<(String, Option<String>, Option<String>)>,
    oidc: Option<(Option<String>, Option<String>)>,
    username: String,
    password: Option<String>,
    appeals_secret: Option<String>,
    webhooks_path: String,
    webhook_secrets: Option<String>,
    oidc_secret: Option<String>,
}

fn url_like() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "https://console.example.com",
            "http://127.0.0.1:3000",
            "https://console.example.com/",
            "https://[::1]:8443",
            "https://xn--80ak6aa92e.com",
            "https://ПРИМЕР.рф",
            "http://a",
            "https://console.example.com/path",
            "https://user:pw@console.example.com",
            "https://console.example.com?x=1",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "//evil.example",
            "http://0x7f.1",
            "https://console.example.com:99999",
        ])
        .prop_map(str::to_owned),
        text(30),
    ]
}

fn network_like() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "10.0.0.0/8",
            "127.0.0.1",
            "::1",
            "fd00::/8",
            "0.0.0.0/0",
            "10.0.0.1/33",
            "1.2.3.4/32 ",
            "::ffff:1.2.3.4",
            "fe80::1%eth0",
            "300.1.1.1",
            "10/8",
            "",
        ])
        .prop_map(str::to_owned),
        text(20),
    ]
}

fn marked_secret() -> impl Strategy<Value = String> {
    "[a-z0-9]{24,40}".prop_map(|s| format!("SECRET{s}"))
}

/// Mostly `usual` (so whole configurations often pass and the accepted values are checked
/// too), sometimes anything.
fn mostly<T: std::fmt::Debug + Clone + 'static>(
    usual: impl Strategy<Value = T> + 'static,
    any: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![6 => usual, 1 => any].boxed()
}

fn inputs() -> impl Strategy<Value = Inputs> {
    let header = mostly(
        prop::sample::select(vec!["x-forwarded-user", "X-Forwarded-Email", " x-groups "])
            .prop_map(str::to_owned),
        prop_oneof![
            prop::sample::select(vec!["x forwarded", "", "x-forwarded-for", "é", "x:y"])
                .prop_map(str::to_owned),
            text(12),
        ],
    );
    let secret = || mostly(marked_secret(), "[a-z]{0,11}".prop_map(String::from));
    (
        (
            mostly(Just("127.0.0.1:0".to_owned()), prop_oneof![Just("[::1]:8080".to_owned()), text(20)]),
            prop::option::of(mostly(Just("https://console.example.com".to_owned()), url_like())),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.9, mostly(Just("https://apix.eu.amity.co".to_owned()), url_like())),
            prop::option::weighted(0.9, mostly(marked_secret(), Just("  ".to_owned()))),
            prop::collection::vec(mostly(Just("10.0.0.0/8".to_owned()), network_like()), 0..3),
            prop::collection::vec(mostly(Just("192.168.1.1".to_owned()), network_like()), 0..3),
            prop::bool::weighted(0.2),
        ),
        (
            prop::collection::vec(header, 4),
            prop::option::weighted(
                0.2,
                (
                    mostly(Just("x-pomerium-jwt-assertion".to_owned()), text(12)),
                    prop::option::weighted(
                        0.9,
                        mostly(Just("https://auth.example/jwks.json".to_owned()), url_like()),
                    ),
                    prop::option::weighted(0.9, mostly(Just("auth.example".to_owned()), text(10))),
                ),
            ),
            prop::option::weighted(
                0.3,
                (
                    prop::option::weighted(
                        0.9,
                        mostly(Just("https://idp.example/realms/main".to_owned()), url_like()),
                    ),
                    prop::option::weighted(0.9, mostly(Just("console".to_owned()), text(10))),
                ),
            ),
            mostly(Just("admin".to_owned()), text(10)),
            prop::option::of(secret()),
            prop::option::of(mostly(marked_secret(), "[a-z]{0,31}".prop_map(String::from))),
            mostly(Just("/hooks/webhook".to_owned()), text(16)),
            prop::option::of(
                prop::collection::vec(
                    (mostly("[a-z]{1,8}".prop_map(String::from), text(6)), marked_secret()),
                    0..4,
                )
                .prop_map(|entries| {
                    let entries: Vec<String> =
                        entries.iter().enumerate().map(|(n, (l, s))| format!("{l}{n}={s}")).collect();
                    entries.join(",")
                }),
            ),
            prop::option::of(marked_secret()),
        ),
    )
        .prop_map(
            |(
                (
                    addr,
                    public_url,
                    region,
                    base_url,
                    admin_token,
                    trusted_proxies,
                    allowed_ips,
                    proxy_enabled,
                ),
                (
                    headers,
                    jwt,
                    oidc,
                    username,
                    password,
                    appeals_secret,
                    webhooks_path,
                    webhook_secrets,
                    oidc_secret,
                ),
            )| Inputs {
                addr,
                public_url,
                region,
                base_url,
                admin_token,
                trusted_proxies,
                allowed_ips,
                proxy_enabled,
                headers,
                jwt,
                oidc,
                username,
                password,
                appeals_secret,
                webhooks_path,
                webhook_secrets,
                oidc_secret,
            },
        )
}

fn settings(inputs: &Inputs) -> Settings {
    let mut s = Settings::default();
    s.server.addr = inputs.addr.clone();
    s.server.public_url = inputs.public_url.clone();
    if inputs.region {
        s.upstream.mode = server::config::UpstreamMode::Region;
        s.upstream.base_url = inputs.base_url.clone();
        s.upstream.admin_token = inputs.admin_token.clone().map(SecretString::from);
    }
    s.standin.database = ":memory:".into();
    s.proxy.enabled = inputs.proxy_enabled;
    s.proxy.trusted_proxies = inputs.trusted_proxies.clone();
    s.access.allowed_ips = inputs.allowed_ips.clone();
    s.access.groups.admin = vec!["console-admins".into()];
    s.proxy.user_header = inputs.headers[0].clone();
    s.proxy.email_header = inputs.headers[1].clone();
    s.proxy.groups_header = inputs.headers[2].clone();
    s.proxy.client_ip_header = inputs.headers[3].clone();
    if let Some((header, jwks, issuer)) = &inputs.jwt {
        s.proxy.jwt_header = header.clone();
        s.proxy.jwks_url = jwks.clone();
        s.proxy.jwt_issuer = issuer.clone();
        s.proxy.jwt_audience = issuer.clone();
    }
    if let Some((issuer, client)) = &inputs.oidc {
        s.oidc.enabled = true;
        s.oidc.issuer_url = issuer.clone();
        s.oidc.client_id = client.clone();
        s.oidc.client_secret = inputs.oidc_secret.clone().map(SecretString::from);
    }
    s.bootstrap.username = inputs.username.clone();
    s.bootstrap.password = inputs.password.clone().map(SecretString::from);
    s.appeals.secret = inputs.appeals_secret.clone().map(SecretString::from);
    s.webhooks.path = inputs.webhooks_path.clone();
    s.webhooks.env_secrets = inputs.webhook_secrets.clone().map(SecretString::from);
    s
}

/// Every secret in `inputs` (each starts with `SECRET`).
fn secrets_of(inputs: &Inputs) -> Vec<String> {
    let mut all: Vec<String> =
        [&inputs.admin_token, &inputs.password, &inputs.appeals_secret, &inputs.oidc_secret]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
    if let Some(entries) = &inputs.webhook_secrets {
        all.extend(entries.split(',').filter_map(|e| e.split_once('=')).map(|(_, s)| s.to_owned()));
    }
    all.retain(|s| s.starts_with("SECRET"));
    all
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn any_configuration_value_is_accepted_or_explained_and_no_explanation_quotes_a_secret(inputs in inputs()) {
        let secrets = secrets_of(&inputs);
        match settings(&inputs).validate() {
            Ok(config) => {
                let shown = format!("{config:?}");
                for secret in &secrets {
                    prop_assert!(!shown.contains(secret.as_str()), "the configuration's debug form shows a secret");
                }
                if let Some(origin) = &config.public_origin {
                    // The origin it kept is itself a valid public URL, and the same origin.
                    let again = settings(&Inputs { public_url: Some(origin.clone()), ..inputs.clone() }).validate();
                    prop_assert_eq!(again.ok().and_then(|c| c.public_origin), Some(origin.clone()));
                }
                for net in config.sign_in.proxy.trusted.iter().chain(&config.sign_in.allowed_ips) {
                    prop_assert!(net.to_string().parse::<ipnet::IpNet>().is_ok());
                }
                for name in [&config.sign_in.proxy.user_header, &config.sign_in.proxy.email_header, &config.sign_in.proxy.groups_header] {
                    prop_assert!(http::HeaderName::from_bytes(name.as_bytes()).is_ok(), "{}", name);
                }
                prop_assert!(config.webhooks.secrets.iter().all(|s| !s.label.is_empty() && !s.key.expose_secret().is_empty()));
            }
            Err(problems) => {
                prop_assert!(!problems.0.is_empty());
                let shown = problems.to_string();
                for secret in &secrets {
                    prop_assert!(!shown.contains(secret.as_str()), "a problem quotes a secret: {}", shown);
                }
            }
        }
    }

    #[test]
    fn any_configuration_file_loads_or_is_refused_without_panicking(lines in prop::collection::vec((
        prop::sample::select(vec!["[server]", "[upstream]", "[proxy]", "[access]", "[access.groups]", "[webhooks]", "[events]", "[oidc]", "[appeals]", "[session]", "[standin]", "[log]", ""]),
        prop::sample::select(vec![
            "addr", "public_url", "mode", "region", "base_url", "timeout_secs", "budget_per_second", "trusted_proxies",
            "allowed_ips", "admin", "viewer", "path", "max_body_bytes", "secrets", "backfill_minutes", "metrics_export_days",
            "idle_minutes", "users", "seed", "simulate_per_second", "filter", "format", "enabled", "unknown_key",
        ]),
        prop_oneof![
            text(20).prop_map(|t| serde_json::to_string(&t).unwrap_or_default()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| format!("{n:?}")),
            Just("true".to_owned()),
            prop::collection::vec(text(8).prop_map(|t| serde_json::to_string(&t).unwrap_or_default()), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
            Just("[{ label = \"a\", secret = \"b\" }]".to_owned()),
            text(12),
        ],
    ), 0..10)) {
        let dir = tempfile::tempdir().expect("dir");
        let mut file = String::new();
        for (section, key, value) in &lines {
            file.push_str(&format!("{section}\n{key} = {value}\n"));
        }
        std::fs::write(dir.path().join("base.toml"), &file).expect("write");
        if let Ok(settings) = Settings::load(dir.path(), "fuzz") {
            let _ = settings.validate();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: what the properties above found, each with its minimal input.

#[tokio::test]
async fn a_users_page_link_whose_cursor_social_plus_cannot_read_is_a_bad_link_not_a_502() {
    // Was 502 Bad Gateway: the edited cursor went to Social+, whose 400 became "Social+ failed".
    let app = spawn_app_with(|_| {}).await;
    app.sign_in_with_role(Role::Viewer).await;
    assert_eq!(app.get("/users?cursor=%2F").await.status(), 422);
    let listed = app
        .call(
            "list_users",
            json!({ "query": { "keyword": "", "filter": "all", "sort": "name", "cursor": "/" } }),
        )
        .await;
    assert_eq!(listed.status(), 422);
    let error: Value = listed.json().await.expect("json");
    assert!(error.to_string().contains("cursor"), "{error}");
    assert_eq!(app.get("/users").await.status(), 200, "the first page still works");
}

#[test]
fn a_session_lifetime_too_long_to_count_in_seconds_is_explained_not_a_crash() {
    // Was a panic (`attempt to multiply with overflow`) in debug builds and a wrapped,
    // meaningless lifetime in release builds.
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("base.toml"), "[session]\nidle_minutes = 307445734561825861\n")
        .expect("write");
    let problems = Settings::load(dir.path(), "fuzz").expect("loads").validate().expect_err("refused");
    assert!(problems.0.iter().any(|p| p.contains("session.idle_minutes must be at most")), "{problems}");
    let mut settings = Settings::default();
    settings.session.absolute_hours = u64::MAX;
    assert!(settings.validate().is_err());
}
