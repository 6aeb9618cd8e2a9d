//! Blocklist and allowlist enforcement over the `list_rules` table.
//!
//! A blocklist rule is a case-insensitive regular expression; with `isMatchExactWord` it must
//! match whole words. An allowlist rule is a regular expression for links. A blocklist hit is
//! forgiven when an enabled allowlist rule matches a span of the text that covers it (so
//! `spam` blocked and `spamalot\.example` allowed lets "see spamalot.example" through).

use crate::error::ApiError;
use axum::http::StatusCode;
use regex::{Regex, RegexBuilder};
use sqlx::{Row, SqlitePool};
use upstream::wire::code;

/// Largest compiled rule, so a hostile pattern cannot exhaust memory.
const RULE_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a rule the way it is enforced (case-insensitive; whole words when asked).
pub fn compile(regex: &str, exact_word: bool) -> Result<Regex, regex::Error> {
    let pattern = if exact_word { format!(r"\b(?:{regex})\b") } else { regex.to_owned() };
    RegexBuilder::new(&pattern).case_insensitive(true).size_limit(RULE_SIZE_LIMIT).build()
}

/// The enabled rules of one list, compiled. Rules that no longer compile are skipped (they
/// were validated when added).
async fn enabled_rules(db: &SqlitePool, list: &str) -> Result<Vec<Regex>, ApiError> {
    let rows = sqlx::query(
        "SELECT regex, is_match_exact_word FROM list_rules WHERE list = ? AND is_enabled = 1 AND is_deleted = 0",
    )
    .bind(list)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| compile(row.get::<&str, _>("regex"), row.get("is_match_exact_word")).ok())
        .collect())
}

/// The first blocked word in `text` that no allowlist rule forgives.
fn first_blocked<'t>(text: &'t str, blocked: &[Regex], allowed: &[Regex]) -> Option<&'t str> {
    let allowed_spans: Vec<(usize, usize)> =
        allowed.iter().flat_map(|rule| rule.find_iter(text).map(|m| (m.start(), m.end()))).collect();
    blocked.iter().flat_map(|rule| rule.find_iter(text)).find_map(|hit| {
        let forgiven = allowed_spans.iter().any(|(start, end)| *start <= hit.start() && hit.end() <= *end);
        (!forgiven && !hit.as_str().is_empty()).then_some(hit.as_str())
    })
}

/// `Err(400 / 400308)` when `text` matches an enabled blocklist rule not covered by an
/// allowlist rule. Every handler that stores user-written text calls it first.
pub async fn rejection(db: &SqlitePool, text: &str) -> Result<(), ApiError> {
    let blocked = enabled_rules(db, "block").await?;
    if blocked.is_empty() {
        return Ok(());
    }
    let allowed = enabled_rules(db, "allow").await?;
    match first_blocked(text, &blocked, &allowed) {
        Some(_) => Err(blocked_word(StatusCode::BAD_REQUEST)),
        None => Ok(()),
    }
}

/// `POST /api/v3/blocklists/verify`: like [`rejection`] for each text, but answered with the
/// spec's 403.
pub async fn verify_texts(db: &SqlitePool, texts: &[String]) -> Result<(), ApiError> {
    let blocked = enabled_rules(db, "block").await?;
    let allowed = enabled_rules(db, "allow").await?;
    if texts.iter().any(|text| first_blocked(text, &blocked, &allowed).is_some()) {
        return Err(blocked_word(StatusCode::FORBIDDEN));
    }
    Ok(())
}

/// `POST /api/v3/allowlists/verify`: every item must be an http(s) URL (400 / 400000
/// otherwise) matched in full by an enabled allowlist rule (403 / 400309 otherwise).
pub async fn verify_links(db: &SqlitePool, urls: &[String]) -> Result<(), ApiError> {
    let invalid: Vec<String> =
        urls.iter().filter(|u| !is_url(u)).map(|u| format!("`{u}` is not a valid URL")).collect();
    if !invalid.is_empty() {
        return Err(ApiError::bad_request(invalid));
    }
    let allowed = enabled_rules(db, "allow").await?;
    let listed = |url: &str| {
        allowed.iter().any(|rule| rule.find_iter(url).any(|m| m.start() == 0 && m.end() == url.len()))
    };
    if urls.iter().all(|url| listed(url)) {
        Ok(())
    } else {
        Err(ApiError::with_code(
            StatusCode::FORBIDDEN,
            code::LINK_NOT_ALLOWED,
            "Some URLs are not in the allow list",
        ))
    }
}

fn blocked_word(status: StatusCode) -> ApiError {
    ApiError::with_code(status, code::BLOCKED_WORD, "Data contain blacklist word")
}

fn is_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && host.contains('.') && !text.chars().any(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(patterns: &[(&str, bool)]) -> Vec<Regex> {
        patterns.iter().map(|(p, exact)| compile(p, *exact).expect("valid rule")).collect()
    }

    #[test]
    fn blocked_words_match_case_insensitively_and_exact_words_only_whole() {
        let blocked = rules(&[("spam", false), ("scam", true)]);
        assert_eq!(first_blocked("Buy SPAM now", &blocked, &[]), Some("SPAM"));
        assert_eq!(first_blocked("scammer here", &blocked, &[]), None);
        assert_eq!(first_blocked("a scam!", &blocked, &[]), Some("scam"));
    }

    #[test]
    fn an_allowlist_match_covering_the_hit_forgives_it() {
        let blocked = rules(&[("spam", false)]);
        let allowed = rules(&[(r"spamalot\.example", false)]);
        assert_eq!(first_blocked("see spamalot.example", &blocked, &allowed), None);
        assert_eq!(first_blocked("spam and spamalot.example", &blocked, &allowed), Some("spam"));
    }

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(is_url("https://social.plus/x"));
        assert!(!is_url("social.plus"));
        assert!(!is_url("https:///x"));
        assert!(!is_url("https://a b.com"));
    }
}
