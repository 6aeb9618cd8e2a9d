//! Showing upstream timestamps (ISO-8601 UTC) compactly and unambiguously.

/// `2024-05-01T08:30:00.000Z` → `2024-05-01`. Anything unexpected is shown as it came.
pub fn date(iso: &str) -> String {
    match iso.get(..10) {
        Some(day) if iso.as_bytes().get(10) == Some(&b'T') => day.to_owned(),
        _ => iso.to_owned(),
    }
}

/// `2024-05-01T08:30:00.000Z` → `2024-05-01 08:30 UTC`.
pub fn date_time(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(clock)) if iso.ends_with('Z') => format!("{day} {clock} UTC"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_timestamps_are_shortened() {
        assert_eq!(date("2024-05-01T08:30:00.000Z"), "2024-05-01");
        assert_eq!(date_time("2024-05-01T08:30:00.000Z"), "2024-05-01 08:30 UTC");
    }

    #[test]
    fn odd_values_are_shown_unchanged() {
        assert_eq!(date("yesterday"), "yesterday");
        assert_eq!(date_time("2024-05-01"), "2024-05-01");
    }
}
