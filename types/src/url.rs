//! Building URLs by hand, safely.

/// Percent-encodes everything but RFC 3986 unreserved characters, so the result can be
/// used as a query value or a single path segment.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A text value from a URL, trimmed and cut to `max_chars` characters, with no whitespace left
/// at either end after the cut: the form that reads back unchanged from its own link.
pub fn clipped(value: &str, max_chars: usize) -> String {
    let cut: String = value.trim().chars().take(max_chars).collect();
    cut.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn reserved_and_non_ascii_characters_are_escaped() {
        assert_eq!(encode_component("a/b c?d"), "a%2Fb%20c%3Fd");
        assert_eq!(encode_component("Zoë"), "Zo%C3%AB");
        assert_eq!(encode_component("plain-id_1.x~"), "plain-id_1.x~");
    }
}
