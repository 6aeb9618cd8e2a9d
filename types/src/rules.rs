//! Automation rules: "when <event type> matches <conditions> then <action>".
//!
//! Conditions are written one per line as `<field> <operator> <value>`, e.g.
//! `community is c-123` or `data.posts.0.data.text contains buy now`. Fields are the event's
//! columns (`actor`, `subject`, `user` = actor or subject, `community`, `channel`, `kind`,
//! `object`) or a dot path into its `data` JSON (`data.…`, numbers index arrays). Operators:
//! `is`, `is not`, `contains`, `>`, `<`, `exists`. Every condition must hold. The parser and
//! the matcher are pure so the server, the dry run and the tests share one definition.

use crate::event_log::{EventRow, name_matches};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// `actor`, `subject`, `user`, `community`, `channel`, `kind`, `object` or `data.<path>`.
    pub field: String,
    /// How to compare.
    pub op: Operator,
    /// What to compare with (empty for `exists`).
    pub value: String,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// Equal as text.
    Is,
    /// Not equal as text (a missing field is "not equal").
    IsNot,
    /// The text contains the value, ignoring case.
    Contains,
    /// Greater, as numbers.
    GreaterThan,
    /// Less, as numbers.
    LessThan,
    /// The field is present and not null.
    Exists,
}

impl Operator {
    /// How it is written in a condition line.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Is => "is",
            Operator::IsNot => "is not",
            Operator::Contains => "contains",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists => "exists",
        }
    }
}

/// The fields a condition may name, besides `data.<path>`.
pub const COLUMN_FIELDS: [&str; 7] = ["actor", "subject", "user", "community", "channel", "kind", "object"];

impl Condition {
    /// The line this condition is written as.
    pub fn line(&self) -> String {
        match self.op {
            Operator::Exists => format!("{} exists", self.field),
            op => format!("{} {} {}", self.field, op.as_str(), self.value),
        }
    }
}

/// Parses the conditions text (one per line; blank lines ignored).
pub fn parse_conditions(text: &str) -> Result<Vec<Condition>, String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(parse_condition).collect()
}

fn parse_condition(line: &str) -> Result<Condition, String> {
    let (field, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let valid_field = COLUMN_FIELDS.contains(&field)
        || field.strip_prefix("data.").is_some_and(|path| !path.is_empty() && !path.contains(".."));
    if !valid_field {
        return Err(format!("“{field}” is not a field: use {} or data.<path>.", COLUMN_FIELDS.join(", ")));
    }
    // Longest operator first, so `is not` is not read as `is` with the value `not …`.
    let ops = [
        Operator::IsNot,
        Operator::Is,
        Operator::Contains,
        Operator::GreaterThan,
        Operator::LessThan,
        Operator::Exists,
    ];
    for op in ops {
        let Some(value) = rest.strip_prefix(op.as_str()) else { continue };
        if !(value.is_empty() || value.starts_with(char::is_whitespace)) {
            continue;
        }
        let value = value.trim();
        // `is` then `not` is `is not`, whatever whitespace separates them: that is how the
        // condition reads back from its own line (`Condition::line`), e.g. in the edit form.
        let (op, value) = match (op, value.strip_prefix("not")) {
            (Operator::Is, Some(rest)) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                (Operator::IsNot, rest.trim())
            }
            _ => (op, value),
        };
        let value = value.to_owned();
        return match op {
            Operator::Exists if !value.is_empty() => Err(format!("“{line}”: exists takes no value.")),
            Operator::Exists => Ok(Condition { field: field.to_owned(), op, value }),
            _ if value.is_empty() => Err(format!("“{line}” needs a value to compare with.")),
            Operator::GreaterThan | Operator::LessThan if value.parse::<f64>().is_err() => {
                Err(format!("“{line}”: {} compares numbers.", op.as_str()))
            }
            _ => Ok(Condition { field: field.to_owned(), op, value }),
        };
    }
    Err(format!("“{line}” has no operator: use is, is not, contains, >, < or exists."))
}

/// The values of `field` in `event` (`user` has two: actor and subject).
fn values_of(field: &str, event: &EventRow, data: &Value) -> Vec<Value> {
    let column = |v: &Option<String>| v.clone().map(Value::String).unwrap_or(Value::Null);
    match field {
        "actor" => vec![column(&event.actor_user_id)],
        "subject" => vec![column(&event.subject_user_id)],
        "user" => vec![column(&event.actor_user_id), column(&event.subject_user_id)],
        "community" => vec![column(&event.community_id)],
        "channel" => vec![column(&event.channel_id)],
        "kind" => vec![column(&event.object_kind)],
        "object" => vec![column(&event.object_id)],
        other => {
            let path = other.strip_prefix("data.").unwrap_or(other);
            let mut at = data;
            for step in path.split('.') {
                let next = match at {
                    Value::Object(map) => map.get(step),
                    Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                match next {
                    Some(value) => at = value,
                    None => return vec![Value::Null],
                }
            }
            vec![at.clone()]
        }
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Condition {
    /// Whether `event` (with its parsed `data`) satisfies this condition.
    pub fn holds(&self, event: &EventRow, data: &Value) -> bool {
        let values = values_of(&self.field, event, data);
        match self.op {
            Operator::IsNot => values.iter().all(|v| as_text(v).as_deref() != Some(self.value.as_str())),
            op => values.iter().any(|v| match op {
                Operator::Is => as_text(v).as_deref() == Some(self.value.as_str()),
                Operator::Contains => {
                    as_text(v).is_some_and(|t| t.to_lowercase().contains(&self.value.to_lowercase()))
                }
                Operator::GreaterThan => {
                    as_number(v).zip(self.value.parse::<f64>().ok()).is_some_and(|(a, b)| a > b)
                }
                Operator::LessThan => {
                    as_number(v).zip(self.value.parse::<f64>().ok()).is_some_and(|(a, b)| a < b)
                }
                Operator::Exists => !v.is_null(),
                Operator::IsNot => false,
            }),
        }
    }
}

/// What a rule does when an event matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleAction {
    /// Open a case for the event's object in the console's rule case list.
    OpenCase,
    /// POST the event to a chat or webhook URL.
    Notify {
        /// Where.
        url: String,
    },
    /// Keep the content and clear its flags.
    ClearFlags,
    /// Soft-delete the content.
    DeleteContent,
    /// Ban the event's actor network-wide for a while (the console lifts the ban).
    Ban {
        /// How long, in minutes.
        minutes: u32,
    },
}

/// The longest ban a rule may give: 90 days.
pub const MAX_BAN_MINUTES: u32 = 90 * 24 * 60;

impl RuleAction {
    /// Stable code, as the form and the audit trail name it.
    pub fn code(&self) -> &'static str {
        match self {
            RuleAction::OpenCase => "open_case",
            RuleAction::Notify { .. } => "notify",
            RuleAction::ClearFlags => "clear_flags",
            RuleAction::DeleteContent => "delete_content",
            RuleAction::Ban { .. } => "ban",
        }
    }

    /// A sentence for the rules list.
    pub fn describe(&self) -> String {
        match self {
            RuleAction::OpenCase => "open a case in the queue".into(),
            RuleAction::Notify { url } => format!("notify {url}"),
            RuleAction::ClearFlags => "clear the content's flags".into(),
            RuleAction::DeleteContent => "delete the content".into(),
            RuleAction::Ban { minutes } => format!("ban the author for {minutes} minutes"),
        }
    }

    /// Builds an action from the form's fields.
    pub fn from_form(code: &str, url: &str, minutes: &str) -> Result<Self, String> {
        match code {
            "open_case" => Ok(RuleAction::OpenCase),
            "clear_flags" => Ok(RuleAction::ClearFlags),
            "delete_content" => Ok(RuleAction::DeleteContent),
            "notify" => {
                let url = url.trim();
                if url.starts_with("http://") || url.starts_with("https://") {
                    Ok(RuleAction::Notify { url: url.to_owned() })
                } else {
                    Err("The notification URL must start with http:// or https://.".into())
                }
            }
            "ban" => match minutes.trim().parse::<u32>() {
                Ok(m) if (1..=MAX_BAN_MINUTES).contains(&m) => Ok(RuleAction::Ban { minutes: m }),
                _ => Err(format!("The ban lasts 1 to {MAX_BAN_MINUTES} minutes.")),
            },
            other => Err(format!("“{other}” is not an action.")),
        }
    }
}

/// The action codes the form offers, with their labels.
pub const ACTIONS: [(&str, &str); 5] = [
    ("open_case", "Open a case in the queue"),
    ("notify", "Notify a chat/webhook URL"),
    ("clear_flags", "Clear the content's flags"),
    ("delete_content", "Delete the content"),
    ("ban", "Ban the author for a while"),
];

/// A stored rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Row id.
    pub id: i64,
    /// A name people recognise.
    pub name: String,
    /// The event name it listens to: exact, or a prefix ending in `*`.
    pub event_name: String,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// What it does.
    pub action: RuleAction,
    /// Whether it runs on new events.
    pub enabled: bool,
    /// Who made it.
    pub created_by: String,
    /// When its current definition was last dry-run (RFC 3339); needed before enabling.
    pub dry_run_at: Option<String>,
}

impl Rule {
    /// Whether `event` triggers this rule.
    pub fn matches(&self, event: &EventRow) -> bool {
        if !name_matches(&self.event_name, &event.name) {
            return false;
        }
        let data = serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null);
        self.conditions.iter().all(|c| c.holds(event, &data))
    }

    /// "When v3.post.didCreate where … then …".
    pub fn sentence(&self) -> String {
        let conditions = if self.conditions.is_empty() {
            String::new()
        } else {
            format!(
                " where {}",
                self.conditions.iter().map(Condition::line).collect::<Vec<_>>().join(" and ")
            )
        };
        format!("When {}{conditions}, {}.", self.event_name, self.action.describe())
    }
}

/// A new rule as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRule {
    /// Name.
    pub name: String,
    /// Event name or prefix*.
    pub event_name: String,
    /// Condition lines (none: every event of the type).
    #[serde(default)]
    pub conditions: String,
    /// Action code (see [`ACTIONS`]).
    pub action: String,
    /// For `notify`.
    #[serde(default)]
    pub url: String,
    /// For `ban`.
    #[serde(default)]
    pub minutes: String,
}

/// A rule definition that passed [`NewRule::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRule {
    /// Trimmed name.
    pub name: String,
    /// Trimmed event name or prefix*.
    pub event_name: String,
    /// Parsed conditions.
    pub conditions: Vec<Condition>,
    /// The action with its parameters.
    pub action: RuleAction,
}

impl CheckedRule {
    /// Whether this defines a different rule than `rule` (a new name alone does not).
    pub fn redefines(&self, rule: &Rule) -> bool {
        self.event_name != rule.event_name || self.conditions != rule.conditions || self.action != rule.action
    }
}

impl NewRule {
    /// The form filled in with a stored rule, for editing it.
    pub fn from_rule(rule: &Rule) -> Self {
        let (url, minutes) = match &rule.action {
            RuleAction::Notify { url } => (url.clone(), String::new()),
            RuleAction::Ban { minutes } => (String::new(), minutes.to_string()),
            _ => (String::new(), String::new()),
        };
        NewRule {
            name: rule.name.clone(),
            event_name: rule.event_name.clone(),
            conditions: rule.conditions.iter().map(Condition::line).collect::<Vec<_>>().join("\n"),
            action: rule.action.code().to_owned(),
            url,
            minutes,
        }
    }

    /// Checks the form; on error answers the field (its input's `name`) and a sentence.
    pub fn check(&self) -> Result<CheckedRule, (&'static str, String)> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(("name", "Give the rule a name (up to 100 characters).".into()));
        }
        let event_name = self.event_name.trim();
        let well_formed = !event_name.is_empty()
            && event_name.len() <= 100
            && event_name
                .trim_end_matches('*')
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        if !well_formed {
            return Err((
                "event_name",
                "Name the event like v3.post.didCreate, or a prefix like v3.post.*".into(),
            ));
        }
        let conditions = parse_conditions(&self.conditions).map_err(|m| ("conditions", m))?;
        let action = RuleAction::from_form(&self.action, &self.url, &self.minutes).map_err(|m| {
            let field = match self.action.as_str() {
                "notify" => "url",
                "ban" => "minutes",
                _ => "action",
            };
            (field, m)
        })?;
        Ok(CheckedRule { name: name.to_owned(), event_name: event_name.to_owned(), conditions, action })
    }
}

/// One event a dry run matched, and what the rule would have done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunHit {
    /// The event.
    pub event_id: i64,
    /// Its name.
    pub name: String,
    /// When it happened.
    pub occurred_at: String,
    /// What the rule would have done, or why it could not have.
    pub would: String,
}

/// The result of running a rule over stored events without acting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunReport {
    /// The rule.
    pub rule_id: i64,
    /// How many stored events were looked at (the newest first).
    pub scanned: u64,
    /// How many matched.
    pub matched: u64,
    /// The first matches, newest first.
    pub hits: Vec<DryRunHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(data: &str) -> EventRow {
        EventRow {
            id: 7,
            name: "v3.post.didCreate".into(),
            occurred_at: "2026-11-26T10:00:00Z".into(),
            source: "webhook".into(),
            actor_user_id: Some("ann".into()),
            subject_user_id: Some("bob".into()),
            community_id: Some("c1".into()),
            channel_id: None,
            object_kind: Some("post".into()),
            object_id: Some("p1".into()),
            data: data.into(),
        }
    }

    fn rule(event_name: &str, conditions: &str) -> Rule {
        Rule {
            id: 1,
            name: "r".into(),
            event_name: event_name.into(),
            conditions: parse_conditions(conditions).expect("valid conditions"),
            action: RuleAction::OpenCase,
            enabled: false,
            created_by: "admin".into(),
            dry_run_at: None,
        }
    }

    #[test]
    fn conditions_parse_every_operator_and_reject_nonsense() {
        let parsed =
            parse_conditions("community is c1\n\nuser is not bob\ndata.posts.0.flagCount > 2\nactor exists")
                .expect("valid");
        let ops: Vec<_> = parsed.iter().map(|c| c.op).collect();
        assert_eq!(ops, [Operator::Is, Operator::IsNot, Operator::GreaterThan, Operator::Exists]);
        assert_eq!(parsed[1].value, "bob");
        assert!(parse_conditions("colour is red").is_err());
        assert!(parse_conditions("community equals c1").is_err());
        assert!(parse_conditions("community is").is_err());
        assert!(parse_conditions("data.count > many").is_err());
        assert!(parse_conditions("actor exists now").is_err());
        assert!(parse_conditions("data. is x").is_err());
    }

    #[test]
    fn a_rule_matches_by_name_prefix_columns_and_data_paths() {
        let e = event(r#"{"posts":[{"data":{"text":"Buy NOW cheap"},"flagCount":3}]}"#);
        assert!(rule("v3.post.*", "").matches(&e));
        assert!(!rule("v3.comment.*", "").matches(&e));
        assert!(
            rule("v3.post.didCreate", "community is c1\ndata.posts.0.data.text contains buy now").matches(&e)
        );
        assert!(rule("v3.post.didCreate", "data.posts.0.flagCount > 2").matches(&e));
        assert!(!rule("v3.post.didCreate", "data.posts.0.flagCount < 2").matches(&e));
        assert!(!rule("v3.post.didCreate", "data.posts.1.flagCount exists").matches(&e));
        assert!(rule("v3.post.didCreate", "user is bob").matches(&e), "user is actor or subject");
        assert!(!rule("v3.post.didCreate", "user is not bob").matches(&e));
        assert!(rule("v3.post.didCreate", "channel is not x").matches(&e), "a missing field is not x");
        assert!(!rule("v3.post.didCreate", "community is c2").matches(&e));
    }

    #[test]
    fn the_form_is_checked_field_by_field_and_round_trips_a_stored_rule() {
        let form = NewRule {
            name: " spam ".into(),
            event_name: "v3.post.*".into(),
            conditions: "community is c1\ndata.n > 2".into(),
            action: "ban".into(),
            url: String::new(),
            minutes: "30".into(),
        };
        let checked = form.check().expect("valid form");
        assert_eq!(checked.name, "spam");
        let mut stored = rule("v3.post.*", "community is c1\ndata.n > 2");
        stored.action = RuleAction::Ban { minutes: 30 };
        assert!(!checked.redefines(&stored));
        assert_eq!(
            NewRule::from_rule(&stored).check(),
            Ok(CheckedRule { name: "r".into(), ..checked.clone() })
        );
        stored.action = RuleAction::Ban { minutes: 31 };
        assert!(checked.redefines(&stored), "a new ban length is a new definition");

        let field = |change: fn(&mut NewRule)| {
            let mut bad = form.clone();
            change(&mut bad);
            bad.check().err().map(|(field, _)| field)
        };
        assert_eq!(field(|f| f.name = "  ".into()), Some("name"));
        assert_eq!(field(|f| f.event_name = "v3 post".into()), Some("event_name"));
        assert_eq!(field(|f| f.conditions = "colour is red".into()), Some("conditions"));
        assert_eq!(field(|f| f.minutes = "0".into()), Some("minutes"));
        assert_eq!(field(|f| f.action = "notify".into()), Some("url"));
        assert_eq!(field(|f| f.action = "explode".into()), Some("action"));
    }

    #[test]
    fn actions_come_from_the_form_with_their_limits() {
        assert_eq!(RuleAction::from_form("ban", "", "60"), Ok(RuleAction::Ban { minutes: 60 }));
        assert!(RuleAction::from_form("ban", "", "0").is_err());
        assert!(RuleAction::from_form("notify", "ftp://x", "").is_err());
        assert!(RuleAction::from_form("explode", "", "").is_err());
        let sentence = rule("v3.post.*", "community is c1").sentence();
        assert_eq!(sentence, "When v3.post.* where community is c1, open a case in the queue.");
    }
}
