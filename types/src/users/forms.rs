//! The user forms' validation, shared by the browser (instant field errors) and the server
//! (the same rules again, because a form can be posted without WASM or by hand).
//!
//! Every function is pure: text in, cleaned values or field errors out. Limits are the
//! upstream's (`v3/user/api.yaml`, `v4/session/api.yaml`), so a form that passes here is not
//! refused by Social+ for its shape.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Longest user id Social+ accepts when registering a session.
pub const USER_ID_MAX_CHARS: usize = 50;
/// Longest display name.
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;
/// Longest description.
pub const DESCRIPTION_MAX_CHARS: usize = 500;
/// Longest avatar URL.
pub const AVATAR_URL_MAX_CHARS: usize = 1_000;
/// Most roles one user may hold.
pub const ROLES_MAX: usize = 10;
/// Longest role id.
pub const ROLE_MAX_CHARS: usize = 100;
/// Largest metadata object, in bytes of its compact JSON text.
pub const METADATA_MAX_BYTES: usize = 5_000;

/// One problem with one form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`.
    pub field: String,
    /// What is wrong, for the person at the screen.
    pub message: String,
}

/// Every problem found in a form, in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records `result`'s error under `field` and passes its value on.
    fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.0.push(FieldError { field: field.to_owned(), message });
                None
            }
        }
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// No problems.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first problem (the server reports one field per answer).
    pub fn first(&self) -> Option<&FieldError> {
        self.0.first()
    }
}

/// Parses the metadata editor's text: a JSON object of at most [`METADATA_MAX_BYTES`] bytes
/// once written compactly (how it travels). Empty text means `{}`.
pub fn parse_metadata(text: &str) -> Result<Map<String, Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("This is not valid JSON (line {}, column {}): {}", e.line(), e.column(), describe(&e))
    })?;
    let Value::Object(map) = value else {
        return Err("Metadata must be a JSON object, like {\"key\": \"value\"}.".into());
    };
    let bytes = metadata_bytes(&map);
    if bytes > METADATA_MAX_BYTES {
        return Err(format!("Metadata is {bytes} bytes; Social+ accepts at most {METADATA_MAX_BYTES}."));
    }
    Ok(map)
}

/// The size Social+ measures: bytes of the compact JSON text.
pub fn metadata_bytes(map: &Map<String, Value>) -> usize {
    serde_json::to_string(map).map(|s| s.len()).unwrap_or(usize::MAX)
}

/// serde_json's message without its own "at line … column …" tail (we say it first).
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Parses a role list typed as comma- or line-separated ids; blanks and repeats are dropped.
pub fn parse_roles(text: &str) -> Result<Vec<String>, String> {
    let mut roles: Vec<String> = Vec::new();
    for role in text.split([',', '\n']).map(str::trim).filter(|r| !r.is_empty()) {
        if role.chars().count() > ROLE_MAX_CHARS {
            return Err(format!("A role id is at most {ROLE_MAX_CHARS} characters."));
        }
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_owned());
        }
    }
    if roles.len() > ROLES_MAX {
        return Err(format!("A user holds at most {ROLES_MAX} roles, not {}.", roles.len()));
    }
    Ok(roles)
}

fn at_most(text: &str, max: usize, what: &str) -> Result<String, String> {
    let text = text.trim();
    let count = text.chars().count();
    if count > max {
        return Err(format!("{what} is {count} characters; at most {max} are allowed."));
    }
    Ok(text.to_owned())
}

/// A display name: trimmed, at most [`DISPLAY_NAME_MAX_CHARS`], not empty.
pub fn check_display_name(text: &str) -> Result<String, String> {
    let name = at_most(text, DISPLAY_NAME_MAX_CHARS, "The display name")?;
    if name.is_empty() {
        return Err("Enter a display name.".into());
    }
    Ok(name)
}

/// A description: trimmed, at most [`DESCRIPTION_MAX_CHARS`].
pub fn check_description(text: &str) -> Result<String, String> {
    at_most(text, DESCRIPTION_MAX_CHARS, "The description")
}

/// An avatar URL: empty (none) or an `http(s)://` URL of at most [`AVATAR_URL_MAX_CHARS`].
pub fn check_avatar_url(text: &str) -> Result<Option<String>, String> {
    let url = at_most(text, AVATAR_URL_MAX_CHARS, "The avatar URL")?;
    if url.is_empty() {
        return Ok(None);
    }
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) => Ok(Some(url)),
        _ => Err("Enter a web address starting with https:// (or leave it empty).".into()),
    }
}

/// A new user's id: 1 to [`USER_ID_MAX_CHARS`] characters, no spaces or slashes (it becomes
/// part of URLs everywhere).
pub fn check_user_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err("Enter a user id.".into());
    }
    let count = id.chars().count();
    if count > USER_ID_MAX_CHARS {
        return Err(format!("A user id is at most {USER_ID_MAX_CHARS} characters, not {count}."));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
        return Err("A user id cannot contain spaces or slashes.".into());
    }
    Ok(id.to_owned())
}

/// The profile form as posted (every field is text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    /// Display name.
    pub display_name: String,
    /// Description.
    pub description: String,
    /// Avatar URL, empty for none.
    pub avatar_custom_url: String,
    /// Roles, comma- or line-separated.
    pub roles: String,
    /// Metadata as JSON text.
    pub metadata: String,
}

/// A validated profile: what the update sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// Display name.
    pub display_name: String,
    /// Description (may be empty).
    pub description: String,
    /// Avatar URL, `None` to leave the avatar alone.
    pub avatar_custom_url: Option<String>,
    /// The complete role list.
    pub roles: Vec<String>,
    /// The complete metadata object.
    pub metadata: Map<String, Value>,
}

impl ProfileInput {
    /// Checks every field; all problems at once.
    pub fn validate(&self) -> Result<Profile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let display_name = errors.check("display_name", check_display_name(&self.display_name));
        let description = errors.check("description", check_description(&self.description));
        let avatar = errors.check("avatar_custom_url", check_avatar_url(&self.avatar_custom_url));
        let roles = errors.check("roles", parse_roles(&self.roles));
        let metadata = errors.check("metadata", parse_metadata(&self.metadata));
        match (display_name, description, avatar, roles, metadata) {
            (Some(display_name), Some(description), Some(avatar_custom_url), Some(roles), Some(metadata))
                if errors.is_empty() =>
            {
                Ok(Profile { display_name, description, avatar_custom_url, roles, metadata })
            }
            _ => Err(errors),
        }
    }
}

/// The create-user form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserInput {
    /// The new user's public id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Description (optional).
    pub description: String,
    /// Metadata as JSON text (optional).
    pub metadata: String,
}

/// A validated new user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewUser {
    /// Public id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Description (may be empty).
    pub description: String,
    /// Metadata (may be empty).
    pub metadata: Map<String, Value>,
}

impl NewUserInput {
    /// Checks every field; all problems at once.
    pub fn validate(&self) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::default();
        let user_id = errors.check("user_id", check_user_id(&self.user_id));
        let display_name = errors.check("display_name", check_display_name(&self.display_name));
        let description = errors.check("description", check_description(&self.description));
        let metadata = errors.check("metadata", parse_metadata(&self.metadata));
        match (user_id, display_name, description, metadata) {
            (Some(user_id), Some(display_name), Some(description), Some(metadata)) if errors.is_empty() => {
                Ok(NewUser { user_id, display_name, description, metadata })
            }
            _ => Err(errors),
        }
    }
}

/// The typed confirmation of a delete: exactly the user id (surrounding spaces forgiven).
pub fn check_delete_confirmation(user_id: &str, typed: &str) -> Result<(), String> {
    if typed.trim() == user_id {
        Ok(())
    } else {
        Err(format!("Type the user id “{user_id}” exactly to confirm."))
    }
}

/// Shortest timed ban, in seconds.
pub const BAN_MIN_SECONDS: u64 = 10;
/// Longest timed ban, in seconds (one year).
pub const BAN_MAX_SECONDS: u64 = 365 * 24 * 3600;
/// The units of a timed ban's duration: (form value, label, seconds).
pub const BAN_UNITS: [(&str, &str, u64); 4] = [
    ("seconds", "seconds", 1),
    ("minutes", "minutes", 60),
    ("hours", "hours", 3600),
    ("days", "days", 86_400),
];

/// A timed ban's duration from the form's amount and unit, in seconds.
pub fn parse_ban_duration(amount: &str, unit: &str) -> Result<u64, String> {
    let amount: u64 =
        amount.trim().parse().map_err(|_| "Enter the ban's length as a whole number, like 7.".to_owned())?;
    let (_, _, per) = BAN_UNITS
        .iter()
        .find(|(value, ..)| *value == unit)
        .ok_or_else(|| "Choose seconds, minutes, hours or days.".to_owned())?;
    let seconds = amount.saturating_mul(*per);
    if !(BAN_MIN_SECONDS..=BAN_MAX_SECONDS).contains(&seconds) {
        return Err("A timed ban lasts from 10 seconds to 365 days.".into());
    }
    Ok(seconds)
}

/// A checkbox as a form posts it: present (any value but "false") means on.
pub fn checkbox(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| v != "false")
}

/// What a delete also erases for good, as the delete form's checkboxes say (all off: the
/// user is deleted, their content stays).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteOptions {
    /// Every channel, message, post, comment, poll and reaction of the user.
    pub delete_all: bool,
    /// Their posts.
    pub hard_delete_post: bool,
    /// Their comments.
    pub hard_delete_comment: bool,
    /// Their messages.
    pub mark_message_deleted: bool,
}

impl DeleteOptions {
    /// Whether anything is erased beyond the user (needs the permanent-deletion permission).
    pub fn erases_content(self) -> bool {
        self != Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_must_be_a_json_object_and_errors_say_where() {
        assert_eq!(parse_metadata("").expect("empty is {}"), Map::new());
        assert_eq!(parse_metadata(r#" {"a": 1} "#).expect("object")["a"], 1);
        let broken = parse_metadata("{\"a\": 1,\n \"b\": }").expect_err("syntax error");
        assert!(broken.starts_with("This is not valid JSON (line 2, column"), "{broken}");
        assert!(!broken.contains(" at line "), "the position is said once: {broken}");
        assert!(parse_metadata("[1, 2]").expect_err("array").contains("JSON object"));
    }

    #[test]
    fn metadata_is_measured_compactly_up_to_five_thousand_bytes() {
        // {"k":"…"} is 8 bytes of framing.
        let fits = format!(r#"{{"k": "{}"}}"#, "x".repeat(METADATA_MAX_BYTES - 8));
        assert!(parse_metadata(&fits).is_ok(), "exactly 5,000 compact bytes fit despite the spaces");
        let too_big = format!(r#"{{"k":"{}"}}"#, "x".repeat(METADATA_MAX_BYTES - 7));
        assert_eq!(
            parse_metadata(&too_big).expect_err("too big"),
            "Metadata is 5001 bytes; Social+ accepts at most 5000."
        );
    }

    #[test]
    fn roles_are_split_trimmed_deduplicated_and_capped() {
        assert_eq!(parse_roles(" moderator,\nvip , moderator,, ").expect("ok"), vec!["moderator", "vip"]);
        assert!(parse_roles("").expect("none").is_empty());
        let eleven: Vec<String> = (0..11).map(|i| format!("r{i}")).collect();
        assert!(parse_roles(&eleven.join(",")).expect_err("too many").contains("at most 10"));
        assert!(parse_roles(&"r".repeat(101)).is_err());
    }

    #[test]
    fn the_profile_form_reports_every_bad_field_at_once() {
        let input = ProfileInput {
            display_name: "  ".into(),
            description: "d".repeat(501),
            avatar_custom_url: "ftp://x".into(),
            roles: "a".into(),
            metadata: "{".into(),
        };
        let errors = input.validate().expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["display_name", "description", "avatar_custom_url", "metadata"]);
        assert_eq!(errors.get("display_name"), Some("Enter a display name."));

        let good = ProfileInput {
            display_name: " Ann ".into(),
            avatar_custom_url: "https://img.example/a.png".into(),
            roles: "vip".into(),
            metadata: r#"{"tier":"gold"}"#.into(),
            ..Default::default()
        };
        let profile = good.validate().expect("valid");
        assert_eq!(profile.display_name, "Ann");
        assert_eq!(profile.avatar_custom_url.as_deref(), Some("https://img.example/a.png"));
        assert_eq!(profile.roles, vec!["vip"]);
    }

    #[test]
    fn new_user_ids_are_url_safe_and_bounded() {
        assert!(check_user_id("ann-01").is_ok());
        assert!(check_user_id("").is_err());
        assert!(check_user_id("a b").is_err());
        assert!(check_user_id("a/b").is_err());
        assert!(check_user_id(&"x".repeat(51)).expect_err("long").contains("at most 50"));
        let errors =
            NewUserInput { user_id: "ok".into(), ..Default::default() }.validate().expect_err("no name");
        assert_eq!(errors.first().map(|e| e.field.as_str()), Some("display_name"));
    }

    #[test]
    fn a_delete_is_confirmed_only_by_the_exact_user_id() {
        assert!(check_delete_confirmation("ann-01", " ann-01 ").is_ok());
        assert!(check_delete_confirmation("ann-01", "ANN-01").is_err());
        assert!(check_delete_confirmation("ann-01", "").is_err());
    }

    #[test]
    fn ban_durations_are_whole_amounts_of_a_known_unit_within_a_year() {
        assert_eq!(parse_ban_duration("7", "days"), Ok(7 * 86_400));
        assert_eq!(parse_ban_duration(" 15 ", "seconds"), Ok(15));
        assert!(parse_ban_duration("5", "seconds").is_err(), "too short");
        assert!(parse_ban_duration("366", "days").is_err(), "too long");
        assert!(parse_ban_duration("1.5", "hours").is_err());
        assert!(parse_ban_duration("1", "weeks").is_err());
        assert!(parse_ban_duration("99999999999999999999", "days").is_err());
    }

    #[test]
    fn checkboxes_read_plainly_and_any_one_ticked_erases_content() {
        assert!(checkbox(&Some("on".into())));
        assert!(!checkbox(&None));
        assert!(!checkbox(&Some("false".into())));
        assert!(!DeleteOptions::default().erases_content());
        assert!(DeleteOptions { hard_delete_comment: true, ..Default::default() }.erases_content());
    }
}
