//! Reading a claim that `openidconnect`'s standard claim types do not model (the configurable
//! groups claim) from a JWT **whose signature and standard claims were already verified**.
//! The payload read here is the exact string that was verified; nothing here verifies.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;

/// The JSON payload of a compact JWT, or `Null` when it is not one.
pub fn payload_of_verified(jwt: &str) -> Value {
    jwt.split('.')
        .nth(1)
        .and_then(|part| URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

/// The groups in `claim`: a JSON array of strings, or one string of comma-separated names.
pub fn groups(payload: &Value, claim: &str) -> Vec<String> {
    match payload.get(claim) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(text)) => split_list(text),
        _ => Vec::new(),
    }
}

/// `a, b,c` → `["a", "b", "c"]`, empty names dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|g| !g.is_empty()).map(str::to_owned).collect()
}

/// A string claim, if present and not empty.
pub fn string(payload: &Value, claim: &str) -> Option<String> {
    payload.get(claim).and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(payload: &Value) -> String {
        format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(payload.to_string()))
    }

    #[test]
    fn groups_come_from_an_array_or_a_comma_list() {
        let token = jwt(&json!({"groups": ["a", "b", 3], "roles": "x, y,,z"}));
        let payload = payload_of_verified(&token);
        assert_eq!(groups(&payload, "groups"), ["a", "b"]);
        assert_eq!(groups(&payload, "roles"), ["x", "y", "z"]);
        assert!(groups(&payload, "missing").is_empty());
    }

    #[test]
    fn garbage_is_no_claims() {
        assert_eq!(payload_of_verified("not a jwt"), Value::Null);
        assert!(groups(&payload_of_verified("a.!!!.c"), "groups").is_empty());
    }
}
