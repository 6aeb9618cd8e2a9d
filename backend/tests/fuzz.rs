//! Property tests of the backend's parsers of outside bytes: the webhook signature check, the
//! normalisation of webhook bodies into events, and the CSV import reader.
//!
//! Properties: no input makes them panic; the signature check accepts exactly the right MAC
//! (any other header, and any single flipped bit, is refused); what the import reader accepts
//! reads back the same when written out again; the work stays bounded by the same caps the
//! real path applies. `cargo test` runs a quick smoke of each; `cargo xtask fuzz` runs them
//! with many more cases (`PROPTEST_CASES`).

use backend::{
    events::{
        normalise::{self, Source},
        signature::{self, WebhookSecret},
    },
    imports::{self, FileError},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use proptest::prelude::*;
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use types::{
    imports::{COLUMNS, ImportRow, MAX_BYTES, MAX_ROWS, METADATA_MAX_BYTES},
    roles::USER_ROLES_MAX,
};

/// A small number of cases under `cargo test`; `PROPTEST_CASES / share` under `cargo xtask fuzz`.
fn config(smoke: u32, share: u32) -> ProptestConfig {
    let cases = match std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse::<u32>().ok()) {
        Some(cases) => (cases / share).max(1),
        None => smoke,
    };
    ProptestConfig { cases, ..ProptestConfig::default() }
}

fn secret(label: &str, key: &str) -> WebhookSecret {
    WebhookSecret { label: label.into(), key: SecretString::from(key.to_owned()) }
}

/// Headers that are often nearly right: real signatures of other bodies or keys, their hex
/// and Base64 forms with whitespace, truncated or padded, and plain noise.
fn header_for(body: &[u8], key: &str) -> impl Strategy<Value = String> + use<> {
    let base64 = signature::sign_base64(key.as_bytes(), body);
    let hex = signature::sign_hex(key.as_bytes(), body);
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F]{62,66}",
        "[A-Za-z0-9+/]{42,44}={0,2}",
        (0..base64.len(), any::<char>()).prop_map({
            let base64 = base64.clone();
            move |(at, c)| {
                let mut chars: Vec<char> = base64.chars().collect();
                chars[at] = c;
                chars.into_iter().collect()
            }
        }),
        (0..hex.len()).prop_map({
            let hex = hex.clone();
            move |cut| hex[..cut].to_owned()
        }),
        prop::sample::select(vec![
            format!(" {base64}\t"),
            format!("{hex}\n"),
            hex.to_uppercase(),
            format!("{base64}="),
            format!("sha256={hex}")
        ]),
    ]
}

/// A JSON value shaped like the network's webhook data, with the keys normalisation reads.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "posts",
        "comments",
        "messages",
        "users",
        "communities",
        "channels",
        "channel",
        "stories",
        "polls",
        "postId",
        "commentId",
        "messageId",
        "userId",
        "communityId",
        "channelId",
        "storyId",
        "pollId",
        "postedUserId",
        "creatorId",
        "creatorPublicId",
        "targetId",
        "targetType",
        "createdAt",
        "updatedAt",
        "flaggedUserId",
        "reactor",
        "communityUsers",
        "channelUsers",
        "from",
        "to",
        "data",
        "text",
        "",
    ])
    .prop_map(str::to_owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            "2026-11-26T10:00:00.000Z",
            "2026-11-26T10:00:00+14:00",
            "9999-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "2026-02-30T10:00:00Z",
            "community",
            "u1",
            "c1",
            "p1",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "v3.post.didCreate",
            "v3.comment.didFlag",
            "v3.community.didJoin",
            "v5.message.didCreate",
            "message.didCreate",
            "user.didUpdate",
            "user.didCreate",
            "v3.post.didDelete",
            "follow.didFollow",
            "push-notification/post.created",
            "v.x",
            "v1",
            ".",
            "",
            " ",
            "v3.",
            "x.didAddReaction",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

/// Bodies: random bytes, random JSON, and `{"event", "data"}` envelopes around random data.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (event_name(), json_value())
            .prop_map(|(name, data)| json!({"event": name, "data": data}).to_string().into_bytes()),
        (event_name(), prop::collection::btree_map("[a-zA-Z]{0,12}", json_value(), 0..6))
            .prop_map(|(name, data)| json!({"event": name, "data": data}).to_string().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn the_webhook_signature_check_accepts_exactly_the_right_mac_in_base64_or_hex(
        (body, key, header) in (prop::collection::vec(any::<u8>(), 0..200), "[ -~]{1,40}")
            .prop_flat_map(|(body, key)| { let header = header_for(&body, &key); (Just(body), Just(key), header) })
    ) {
        let secrets = [secret("current", &key)];
        let right_base64 = signature::sign_base64(key.as_bytes(), &body);
        let right_hex = signature::sign_hex(key.as_bytes(), &body);
        let trimmed = header.trim();
        let right = trimmed == right_base64 || trimmed.eq_ignore_ascii_case(&right_hex);
        prop_assert_eq!(signature::verify(&secrets, &body, &header).is_some(), right, "{:?}", header);
    }

    #[test]
    fn any_single_flipped_bit_of_the_mac_is_refused(body in prop::collection::vec(any::<u8>(), 0..200), key in "[ -~]{1,40}", bit in 0usize..256) {
        let secrets = [secret("current", &key)];
        let mut digest = STANDARD.decode(signature::sign_base64(key.as_bytes(), &body)).unwrap_or_default();
        prop_assert_eq!(digest.len(), 32);
        digest[bit / 8] ^= 1 << (bit % 8);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        prop_assert_eq!(signature::verify(&secrets, &body, &STANDARD.encode(&digest)), None);
        prop_assert_eq!(signature::verify(&secrets, &body, &hex), None);
        let mut flipped_body = body.clone();
        if let Some(first) = flipped_body.get_mut(bit % body.len().max(1)) {
            *first ^= 1 << (bit % 8);
            prop_assert_eq!(signature::verify(&secrets, &flipped_body, &signature::sign_base64(key.as_bytes(), &body)), None);
        }
    }

    #[test]
    fn during_a_rotation_each_secret_verifies_only_its_own_signature(body in prop::collection::vec(any::<u8>(), 0..100), old in "[ -~]{1,30}", new in "[ -~]{1,30}") {
        prop_assume!(old != new);
        let secrets = [secret("old", &old), secret("new", &new)];
        let by = |key: &str| signature::verify(&secrets, &body, &signature::sign_base64(key.as_bytes(), &body)).map(|v| v.label);
        let (by_old, by_new) = (by(&old), by(&new));
        prop_assert_eq!(by_old.as_deref(), Some("old"));
        prop_assert_eq!(by_new.as_deref(), Some("new"));
        prop_assert_eq!(signature::verify(&secrets[..1], &body, &signature::sign_hex(new.as_bytes(), &body)), None);
    }

    #[test]
    fn any_webhook_body_is_named_or_refused_alike_by_the_intake_and_the_processor_without_panicking(body in body(), received_at in any::<i64>()) {
        let named = normalise::event_name(&body);
        let event = normalise::from_delivery(&body, 1, received_at);
        prop_assert_eq!(named.is_ok(), event.is_ok());
        if let (Ok(name), Ok(event)) = (named, event) {
            prop_assert!(!name.trim().is_empty());
            prop_assert_eq!(&event.name, &name);
            prop_assert!(!event.dedupe_key.is_empty());
            prop_assert_eq!(event.source, Source::Webhook);
            prop_assert_eq!(Some(event.clone()), normalise::from_delivery(&body, 1, received_at).ok(), "deterministic");
            let data: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
            prop_assert!(data.is_object(), "the stored data is the body's object");
        }
    }

    #[test]
    fn the_same_happening_from_a_webhook_and_the_backfill_shares_one_dedupe_key(name in event_name(), data in prop::collection::btree_map("[a-zA-Z]{0,12}", json_value(), 0..6), at in any::<i64>()) {
        let data: Map<String, Value> = data.into_iter().collect();
        let webhook = normalise::from_data(&name, &data, Source::Webhook, Some(1), at);
        let backfill = normalise::from_data(&name, &data, Source::Backfill, None, at);
        prop_assert_eq!(webhook.dedupe_key, backfill.dedupe_key);
    }

    #[test]
    fn any_time_text_parses_or_is_ignored(text in prop_oneof![any::<String>(), "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})"]) {
        let _ = normalise::parse_time(&text);
    }
}

/// Text that looks like an import file: a header of known, misspelt and unknown columns, then
/// rows of cells with quotes, commas, line breaks, JSON and noise.
fn csv_text() -> impl Strategy<Value = String> {
    let column = prop_oneof![
        prop::sample::select(COLUMNS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(vec![
            "user_id",
            "UserID",
            " userid ",
            "\u{feff}userId",
            "display-name",
            "shoeSize",
            ""
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,8}",
    ];
    let cell = prop_oneof![
        "[ -~]{0,20}",
        any::<String>(),
        prop::sample::select(vec![
            "\"a,b\"",
            "\"a\"\"b\"",
            "\"line\nbreak\"",
            "\"{\"\"team\"\": \"\"blue\"\"}\"",
            "{}",
            "[1]",
            "{oops",
            "a;b c",
            "\"",
            "\"unterminated",
            "=1+1",
            "x/y",
            "a?b",
            "#",
            "\u{0}",
            "\u{feff}",
            "😀",
        ])
        .prop_map(str::to_owned),
    ];
    let newline = prop::sample::select(vec!["\n", "\r\n", "\r"]);
    (
        prop::collection::vec(column, 1..7),
        prop::collection::vec((prop::collection::vec(cell, 0..7), newline), 0..12),
    )
        .prop_map(|(header, rows)| {
            let mut text = header.join(",");
            text.push('\n');
            for (cells, newline) in rows {
                text.push_str(&cells.join(","));
                text.push_str(newline);
            }
            text
        })
}

/// A valid row as a person would write it: trimmed, non-empty values within the limits.
fn valid_row() -> impl Strategy<Value = ImportRow> {
    let value = |max: usize| {
        let pattern = format!("[^\\x00-\\x20\\x7f]([^\\x00-\\x1f\\x7f]{{0,{max}}}[^\\x00-\\x20\\x7f])?");
        prop::option::of(proptest::string::string_regex(&pattern).expect("a valid pattern"))
            .prop_map(|v| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()))
    };
    (
        "[A-Za-z0-9_.@-]{1,50}",
        value(60),
        value(200),
        prop::option::of(prop::collection::vec("[A-Za-z0-9_-]{1,12}", 0..USER_ROLES_MAX)),
        prop::option::of(prop::collection::btree_map("[a-z]{1,8}", "[ -~]{0,20}", 0..5)),
    )
        .prop_map(|(user_id, display_name, description, roles, metadata)| {
            let roles = roles.map(|roles| {
                let mut unique: Vec<String> = Vec::new();
                for role in roles {
                    if !unique.contains(&role) {
                        unique.push(role);
                    }
                }
                unique
            });
            ImportRow {
                line: 0,
                user_id,
                display_name,
                description,
                // An empty cell means "no change", so an empty list cannot be written.
                roles: roles.filter(|r| !r.is_empty()),
                metadata: metadata.map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect()).to_string()
                }),
            }
        })
}

proptest! {
    #![proptest_config(config(128, 2))]

    #[test]
    fn any_import_file_is_read_or_refused_and_every_row_is_either_valid_or_reported(text in prop_oneof![csv_text(), any::<String>()]) {
        let Ok(parsed) = imports::parse(&text) else { return Ok(()) };
        prop_assert_eq!(parsed.rows.len() + parsed.rejected().len(), parsed.total as usize);
        prop_assert!(parsed.total as usize <= MAX_ROWS);
        let mut last_line = 0;
        for row in &parsed.rows {
            prop_assert!(row.line > last_line, "rows in file order");
            last_line = row.line;
            prop_assert!(!row.user_id.is_empty() && row.user_id.chars().count() <= 50);
            prop_assert!(!row.user_id.contains(['/', '?', '#']) && !row.user_id.chars().any(char::is_control));
            prop_assert!(row.roles.as_ref().is_none_or(|r| r.len() <= USER_ROLES_MAX && r.iter().all(|r| !r.is_empty())));
            if let Some(metadata) = &row.metadata {
                prop_assert!(metadata.len() <= METADATA_MAX_BYTES);
                prop_assert!(serde_json::from_str::<Value>(metadata).is_ok_and(|v| v.is_object()));
            }
        }
        let mut ids: Vec<&str> = parsed.rows.iter().map(|r| r.user_id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        prop_assert_eq!(ids.len(), before, "a user id is imported once");
    }

    #[test]
    fn valid_rows_written_as_csv_read_back_unchanged(rows in prop::collection::vec(valid_row(), 1..20), crlf in any::<bool>()) {
        let mut unique: Vec<ImportRow> = Vec::new();
        for row in rows {
            if !unique.iter().any(|r| r.user_id == row.user_id) {
                unique.push(row);
            }
        }
        let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let mut writer = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
        writer.write_record(COLUMNS).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for row in &unique {
            let cell = |v: &Option<String>| v.clone().unwrap_or_default();
            writer
                .write_record([
                    row.user_id.clone(),
                    cell(&row.display_name),
                    cell(&row.description),
                    row.roles.as_ref().map(|r| r.join(";")).unwrap_or_default(),
                    cell(&row.metadata),
                ])
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let bytes = writer.into_inner().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = imports::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let read: Vec<ImportRow> = parsed.rows.into_iter().map(|r| ImportRow { line: 0, ..r }).collect();
        prop_assert_eq!(read, unique);
    }
}

#[test]
fn a_deeply_nested_webhook_body_is_refused_without_overflowing_the_stack() {
    // A 1 MiB body (the intake's default cap) of nothing but brackets.
    let depth = 512 * 1024 - 32;
    let body = format!(
        r#"{{"event":"v3.post.didCreate","data":{{"x":{}{}}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(normalise::event_name(body.as_bytes()).is_err());
    assert!(normalise::from_delivery(body.as_bytes(), 1, 0).is_err());
}

#[test]
fn an_import_file_with_more_rows_than_the_limit_is_refused_once_the_limit_is_passed() {
    let mut text = String::from("userId\n");
    for n in 0..=MAX_ROWS {
        text.push_str(&format!("u{n}\n"));
    }
    assert!(text.len() <= MAX_BYTES, "the row limit, not the size limit, is what refuses it");
    assert_eq!(imports::parse(&text), Err(FileError::TooManyRows));
}

#[test]
fn an_import_cell_of_deeply_nested_metadata_is_a_row_problem_not_a_crash() {
    let nested = format!("{}{}", "{\"\"a\"\":".repeat(10_000), "}".repeat(10_000));
    let parsed = imports::parse(&format!("userId,metadata\nann,\"{nested}\"\n")).expect("read");
    assert_eq!(parsed.rows.len(), 0);
    assert_eq!(parsed.problems.first().map(|p| p.column.as_str()), Some("metadata"));
}

#[test]
fn rows_of_an_import_file_with_crlf_or_cr_line_ends_are_each_reported_on_their_own_line() {
    // Was lines 2 and 2 (the csv crate's count after a mixed `\r\n`), so a problem named the
    // wrong line and the job's accounting, which keys on lines, lost a row.
    let lines = |text: &str| {
        let parsed = imports::parse(text).expect("read");
        let mut lines: Vec<u32> =
            parsed.rows.iter().map(|r| r.line).chain(parsed.rejected().iter().map(|p| p.line)).collect();
        lines.sort_unstable();
        lines
    };
    assert_eq!(lines("userId\nA\r\nB\n"), [2, 3]);
    assert_eq!(lines("userId\r\nA\r\nB\r\n"), [2, 3], "a spreadsheet's CRLF export");
    assert_eq!(lines("userId\rA\rB\r"), [2, 3], "lone CR line ends");
    assert_eq!(lines("userId\n\"x\ny\"\nB\n"), [2, 4], "a quoted line break still counts");
    let parsed = imports::parse("userId\r/bad\r?bad\r").expect("read");
    assert_eq!(parsed.rejected().len(), 2, "two bad rows, two problems on their own lines");
}
