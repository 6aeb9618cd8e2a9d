//! The upstream's timestamp format: ISO-8601 UTC with milliseconds (`2024-05-01T08:30:00.000Z`).
//! Fixed width, so the text sorts in time order (the SQL relies on it).

use time::{OffsetDateTime, format_description::FormatItem, macros::format_description};

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Formats a UTC instant the way the API does.
pub fn format(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(FORMAT).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_have_fixed_width_milliseconds() {
        assert_eq!(format(datetime!(2024-05-01 08:30:00 UTC)), "2024-05-01T08:30:00.000Z");
        assert_eq!(format(datetime!(2024-05-01 08:30:00.5 UTC)), "2024-05-01T08:30:00.500Z");
    }
}
