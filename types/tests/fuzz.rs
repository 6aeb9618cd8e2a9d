//! Property tests of the parsers in `types` that read what people type or put in URLs: rule
//! conditions, the list queries of the Users, Queue, Analytics, Events and Audit pages, event
//! id lists, role lists, and the CSV cell and URL component writers those round-trip through.
//!
//! Every property holds for any input: no parser panics, and what a parser accepted survives
//! being written out and read again unchanged. `cargo test` runs a quick smoke of each;
//! `cargo xtask fuzz` runs them with many more cases (`PROPTEST_CASES`).

use proptest::prelude::*;
use types::{
    Choice,
    analytics::AnalyticsQuery,
    audit::AuditFilter,
    csv::safe_cell,
    event_log::{EventFilter, MAX_FORWARD, parse_event_ids},
    queue::QueueQuery,
    roles::parse_role_list,
    rules::{COLUMN_FIELDS, NewRule, RuleAction, parse_conditions},
    url::encode_component,
    users::{UserColumn, UserFilter, UserListQuery},
};

/// A small number of cases under `cargo test`; `PROPTEST_CASES / share` under `cargo xtask fuzz`.
fn config(smoke: u32, share: u32) -> ProptestConfig {
    let cases = match std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse::<u32>().ok()) {
        Some(cases) => (cases / share).max(1),
        None => smoke,
    };
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Any text up to `max` characters, weighted towards the characters parsers split on.
fn text(max: usize) -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        " ", "  ", "\t", "\n", "\r", "\r\n", "\u{a0}", "\u{2003}", ",", ";", "=", "&", "+", "%", "%2", "%zz",
        "?", "#", "/", "\\", "\"", "'", ".", "..", "*", "-", "@", "is", "not", "is not", "contains", ">",
        "<", "exists", "data.", "0", "-1", "1e309", "NaN", "é", "😀", "\u{feff}", "\0",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![3 => any::<char>().prop_map(String::from), 2 => interesting];
    prop::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
}

/// Condition lines built from the grammar's own words, so valid ones are common.
fn condition_line() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        prop::sample::select(COLUMN_FIELDS.to_vec()).prop_map(str::to_owned),
        "[a-z0-9.]{0,12}".prop_map(|path| format!("data.{path}")),
        text(6),
    ];
    let space = prop::sample::select(vec![" ", "  ", "\t", "\u{a0}", " \u{2003} ", ""]);
    let op = prop::sample::select(vec![
        "is", "is not", "is  not", "is\tnot", "contains", ">", "<", "exists", "not", "",
    ]);
    let value =
        prop_oneof![text(12), "-?[0-9]{1,4}(\\.[0-9]{1,2})?".prop_map(String::from), Just(String::new())];
    (field, space.clone(), op, space, value).prop_map(|(f, s1, op, s2, v)| format!("{f}{s1}{op}{s2}{v}"))
}

fn conditions_text() -> impl Strategy<Value = String> {
    prop_oneof![prop::collection::vec(condition_line(), 0..6).prop_map(|lines| lines.join("\n")), text(200),]
}

/// URL pairs as a browser would send them, decoded (the way the server and the router read them).
fn decode(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes()).into_owned().collect()
}

fn pairs_strategy(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![4 => prop::sample::select(keys.to_vec()).prop_map(str::to_owned), 1 => text(4)];
    prop::collection::vec((key, text(120)), 0..8)
}

fn borrowed(pairs: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn rule_conditions_never_panic_and_what_parses_reads_back_the_same_from_its_own_lines(text in conditions_text()) {
        if let Ok(conditions) = parse_conditions(&text) {
            let written: Vec<String> = conditions.iter().map(|c| c.line()).collect();
            prop_assert_eq!(parse_conditions(&written.join("\n")), Ok(conditions));
        }
    }

    #[test]
    fn a_rule_form_that_checks_is_refilled_from_the_stored_rule_to_the_same_definition(
        name in text(20),
        event_name in prop_oneof![Just("v3.post.*".to_owned()), Just("v3.post.didCreate".to_owned()), text(12)],
        conditions in conditions_text(),
        action in prop_oneof![prop::sample::select(vec!["open_case", "notify", "clear_flags", "delete_content", "ban"]).prop_map(str::to_owned), text(8)],
        url in prop_oneof![Just("https://chat.example/hook".to_owned()), text(30)],
        minutes in prop_oneof![Just("30".to_owned()), text(8)],
    ) {
        let form = NewRule { name, event_name, conditions, action, url, minutes };
        if let Ok(checked) = form.check() {
            let stored = types::rules::Rule {
                id: 1,
                name: checked.name.clone(),
                event_name: checked.event_name.clone(),
                conditions: checked.conditions.clone(),
                action: checked.action.clone(),
                enabled: false,
                created_by: "admin".into(),
                dry_run_at: None,
            };
            prop_assert!(!checked.redefines(&stored));
            prop_assert_eq!(NewRule::from_rule(&stored).check(), Ok(checked));
            let _ = stored.sentence();
        }
    }

    #[test]
    fn a_rule_action_from_any_form_values_is_refused_or_within_its_limits(code in text(16), url in text(40), minutes in text(12)) {
        match RuleAction::from_form(&code, &url, &minutes) {
            Ok(RuleAction::Ban { minutes }) => prop_assert!((1..=types::rules::MAX_BAN_MINUTES).contains(&minutes)),
            Ok(RuleAction::Notify { url }) => prop_assert!(url.starts_with("http://") || url.starts_with("https://")),
            _ => {}
        }
    }

    #[test]
    fn the_users_list_query_survives_a_trip_through_its_url(pairs in pairs_strategy(&["q", "filter", "sort", "hide", "role", "cursor"])) {
        let query = UserListQuery::from_pairs(borrowed(&pairs));
        let again = decode(&query.to_query_string());
        prop_assert_eq!(UserListQuery::from_pairs(borrowed(&again)), query);
    }

    #[test]
    fn the_users_list_query_keeps_its_limits_whatever_the_url_says(pairs in pairs_strategy(&["q", "filter", "sort", "hide", "role", "cursor"])) {
        let query = UserListQuery::from_pairs(borrowed(&pairs));
        prop_assert!(query.keyword.chars().count() <= types::users::MAX_KEYWORD_CHARS);
        prop_assert!(query.role.chars().count() <= types::users::forms::ROLE_MAX_CHARS);
        prop_assert!(UserFilter::ALL.contains(&query.filter));
        prop_assert!(query.hidden.len() <= UserColumn::ALL.len());
    }

    #[test]
    fn the_queue_query_survives_a_trip_through_its_url(pairs in pairs_strategy(&["tab", "type", "community", "ai", "min_flags", "age", "sort", "q", "cursor"])) {
        let query = QueueQuery::from_pairs(borrowed(&pairs));
        let again = decode(&query.to_query_string());
        prop_assert_eq!(QueueQuery::from_pairs(borrowed(&again)), query);
    }

    #[test]
    fn the_analytics_query_survives_a_trip_through_its_url(pairs in pairs_strategy(&["from", "to", "granularity"])) {
        let query = AnalyticsQuery::from_pairs(borrowed(&pairs));
        let again = decode(&query.query_string());
        prop_assert_eq!(AnalyticsQuery::from_pairs(borrowed(&again)), query);
    }

    #[test]
    fn the_events_and_audit_filters_write_query_strings_that_read_back_to_themselves(values in prop::collection::vec(text(60), 8)) {
        let events = EventFilter { event_type: values[0].clone(), user: values[1].clone(), community: values[2].clone() };
        let written = events.query_string();
        let read = |pairs: &[(String, String)], key: &str| {
            pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let pairs = decode(&written);
        let back = EventFilter { event_type: read(&pairs, "type"), user: read(&pairs, "user"), community: read(&pairs, "community") };
        prop_assert_eq!(back.query_string(), written);

        let audit = AuditFilter { actor: values[3].clone(), action: values[4].clone(), target: values[5].clone(), from: values[6].clone(), to: values[7].clone() };
        let written = audit.query_string();
        let pairs = decode(&written);
        let back = AuditFilter {
            actor: read(&pairs, "actor"), action: read(&pairs, "action"), target: read(&pairs, "target"),
            from: read(&pairs, "from"), to: read(&pairs, "to"),
        };
        prop_assert_eq!(back.query_string(), written);
    }

    #[test]
    fn a_url_component_decodes_to_exactly_the_value_and_holds_only_unreserved_characters(value in text(80)) {
        let encoded = encode_component(&value);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)), "{}", encoded);
        prop_assert_eq!(decode(&format!("k={encoded}")), vec![("k".to_owned(), value)]);
    }

    #[test]
    fn event_id_lists_are_refused_or_hold_one_to_a_hundred_distinct_ids_that_read_back(text in prop_oneof![
        prop::collection::vec(any::<i64>(), 0..120).prop_map(|ids| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
        text(200),
    ]) {
        if let Ok(ids) = parse_event_ids(&text) {
            prop_assert!((1..=MAX_FORWARD).contains(&ids.len()));
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len());
            let written: Vec<String> = ids.iter().map(i64::to_string).collect();
            prop_assert_eq!(parse_event_ids(&written.join(",")), Ok(ids));
        }
    }

    #[test]
    fn role_lists_hold_distinct_non_empty_names_without_separators_and_read_back(text in text(200)) {
        let roles = parse_role_list(&text);
        for role in &roles {
            prop_assert!(!role.is_empty());
            prop_assert!(!role.contains([',', ';']) && !role.contains(char::is_whitespace));
        }
        let mut unique = roles.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), roles.len());
        prop_assert_eq!(parse_role_list(&roles.join(",")), roles);
    }

    #[test]
    fn csv_cells_stay_one_field_each_and_hold_the_value_with_at_most_a_defusing_quote_per_part(cells in prop::collection::vec(text(40), 1..6)) {
        let line: Vec<String> = cells.iter().map(|c| safe_cell(c)).collect();
        let file = format!("{}\n", line.join(","));
        let mut reader = csv_reader(&file);
        let record = reader.next();
        prop_assert!(reader.next().is_none(), "one record: {:?}", file);
        let record = record.unwrap_or_default();
        prop_assert_eq!(record.len(), cells.len(), "{:?}", file);
        // Each `;`-part (a cell of its own in `;` locales) is the value's part, or it with one
        // defusing quote in front.
        for (field, value) in record.iter().zip(&cells) {
            let (fields, values): (Vec<&str>, Vec<&str>) = (field.split(';').collect(), value.split(';').collect());
            prop_assert_eq!(fields.len(), values.len(), "{:?} → {:?}", value, field);
            for (got, part) in fields.iter().zip(&values) {
                prop_assert!(got == part || *got == format!("'{part}"), "{:?} → {:?}", value, field);
            }
        }
    }
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF), so `types` needs no
/// CSV crate: the records of `text`.
fn csv_reader(text: &str) -> std::vec::IntoIter<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if at_start => {
                quoted = true;
                at_start = false;
            }
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, ',') => {
                record.push(std::mem::take(&mut field));
                at_start = true;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            (_, c) => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records.into_iter()
}

// Regressions: what the properties above found, each with its minimal input.

#[test]
fn a_condition_with_two_spaces_between_is_and_not_means_is_not_as_its_own_line_reads_back() {
    // Was `is` with the value `not x`, written back as `actor is not x`: editing the rule
    // turned it into its opposite.
    let parsed = parse_conditions("actor is  not x").expect("valid");
    assert_eq!((parsed[0].op, parsed[0].value.as_str()), (types::rules::Operator::IsNot, "x"));
    assert_eq!(parse_conditions(&parsed[0].line()), Ok(parsed));
    assert_eq!(parse_conditions("actor is\u{a0}not x").map(|c| c[0].op), Ok(types::rules::Operator::IsNot));
    assert!(parse_conditions("actor is  not ").is_err(), "`is not` needs a value, like `actor is not`");
    let nothing = parse_conditions("actor is nothing").expect("valid");
    assert_eq!((nothing[0].op, nothing[0].value.as_str()), (types::rules::Operator::Is, "nothing"));
}

#[test]
fn a_search_or_date_cut_at_its_length_limit_keeps_no_trailing_space_and_reads_back_from_its_link() {
    // Was `a…a ` (the cut kept the space), read back from the link as `a…a`.
    let long = format!("{} b", "a".repeat(99));
    let users = UserListQuery::from_pairs([("q", long.as_str()), ("role", long.as_str())]);
    assert_eq!((users.keyword.len(), users.role.len()), (99, 99));
    let queue = QueueQuery::from_pairs([("q", long.as_str())]);
    assert_eq!(queue.search, "a".repeat(99));
    let analytics = AnalyticsQuery::from_pairs([("from", "2026-01-0 1")]);
    assert_eq!(analytics.from, "2026-01-0");
}
