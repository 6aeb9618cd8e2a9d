//! Query strings in the `qs` style the API uses: `options[limit]=10`, `userIds[]=a`,
//! also `userIds=a&userIds=b` and `userIds[0]=a`. Validation problems are collected so a
//! bad request lists all of them in `data.detail`, like the real API.

use crate::error::ApiError;

/// Parsed query pairs of one request.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    problems: Vec<String>,
}

impl Params {
    /// Parses a raw (percent-encoded) query string.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self { pairs, problems: Vec::new() }
    }

    /// The last value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of the array `key`, in any of its spellings.
    pub fn array(&self, key: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| is_array_key(k, key)).map(|(_, v)| v.clone()).collect()
    }

    /// A string of at most `max_chars` characters.
    pub fn string(&mut self, key: &str, max_chars: usize) -> Option<String> {
        let value = self.get(key)?.to_owned();
        if value.chars().count() > max_chars {
            self.problems.push(format!("{key} must be at most {max_chars} characters"));
            return None;
        }
        Some(value)
    }

    /// `true` / `false`.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.problems.push(format!("{key} must be true or false, not `{other}`"));
                None
            }
        }
    }

    /// One of `allowed`, or `default` when absent.
    pub fn one_of(&mut self, key: &str, allowed: &[&'static str], default: &'static str) -> &'static str {
        let Some(value) = self.get(key) else {
            return default;
        };
        if let Some(found) = allowed.iter().find(|a| **a == value) {
            return found;
        }
        self.problems.push(format!("{key} must be one of {}, not `{value}`", allowed.join(", ")));
        default
    }

    /// An integer in `range`.
    pub fn integer(&mut self, key: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let value = self.get(key)?;
        match value.parse::<u32>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.problems.push(format!(
                    "{key} must be an integer from {} to {}, not `{value}`",
                    range.start(),
                    range.end()
                ));
                None
            }
        }
    }

    /// Records a problem found by the handler itself.
    pub fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    /// `Err(400)` listing every problem, if there were any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.problems.is_empty() { Ok(()) } else { Err(ApiError::bad_request(self.problems)) }
    }
}

fn is_array_key(candidate: &str, key: &str) -> bool {
    let Some(rest) = candidate.strip_prefix(key) else {
        return false;
    };
    rest.is_empty()
        || rest == "[]"
        || (rest.starts_with('[')
            && rest.ends_with(']')
            && rest[1..rest.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_read_in_every_qs_spelling() {
        let params = Params::parse(Some("userIds[]=a&userIds=b&userIds%5B2%5D=c&userIdsX=d"));
        assert_eq!(params.array("userIds"), vec!["a", "b", "c"]);
    }

    #[test]
    fn bracket_options_are_plain_keys() {
        let mut params = Params::parse(Some("options%5Blimit%5D=20&options[token]=abc"));
        assert_eq!(params.integer("options[limit]", 1..=100), Some(20));
        assert_eq!(params.get("options[token]"), Some("abc"));
        assert!(params.finish().is_ok());
    }

    #[test]
    fn every_problem_is_reported() {
        let mut params = Params::parse(Some("options[limit]=500&isDeleted=maybe&filter=odd"));
        assert_eq!(params.integer("options[limit]", 1..=100), None);
        assert_eq!(params.boolean("isDeleted"), None);
        assert_eq!(params.one_of("filter", &["all", "flagged"], "all"), "all");
        assert_eq!(params.problems.len(), 3);
        assert!(params.finish().is_err());
    }
}
