//! UTC day numbers (days since 1970-01-01, the `events.day` column) and `YYYY-MM-DD` dates,
//! without a calendar crate: the browser bundle needs them too. The conversions are Howard
//! Hinnant's `days_from_civil` / `civil_from_days` (proleptic Gregorian calendar).

/// Milliseconds in a UTC day (Unix time has no leap seconds).
pub const DAY_MS: i64 = 86_400_000;

/// The day number of a calendar date.
pub fn from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The calendar date `(year, month, day)` of a day number.
pub fn to_civil(day_number: i64) -> (i64, u32, u32) {
    let z = day_number + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are in range by construction (1..=31 and 1..=12).
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

/// `YYYY-MM-DD` of a day number.
pub fn format(day_number: i64) -> String {
    let (year, month, day) = to_civil(day_number);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day number of a `YYYY-MM-DD` date, `None` unless it is a real date.
pub fn parse(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let number = from_civil(year, month, day);
    // 2026-02-31 would land in March: refuse it rather than guess.
    (to_civil(number) == (year, month, day)).then_some(number)
}

/// The Monday starting the ISO week of a day (1970-01-01 was a Thursday).
pub fn week_start(day_number: i64) -> i64 {
    day_number - (day_number + 3).rem_euclid(7)
}

/// The day number of a Unix time in milliseconds.
pub fn of_unix_ms(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_convert_both_ways() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(from_civil(2000, 3, 1), 11_017);
        assert_eq!(format(20_418), "2025-11-26");
        assert_eq!(parse("2026-11-26"), Some(20_783));
        assert_eq!(format(-1), "1969-12-31");
        for day in -800..800_i64 {
            let n = day * 37;
            assert_eq!(parse(&format(n)), Some(n), "{}", format(n));
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse("2026-02-29"), None);
        assert_eq!(parse("2024-02-29"), Some(from_civil(2024, 2, 29)));
        assert_eq!(parse("2026-13-01"), None);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        let thursday = parse("2026-11-26").unwrap_or_default();
        assert_eq!(format(week_start(thursday)), "2026-11-23");
        let monday = parse("2026-11-23").unwrap_or_default();
        assert_eq!(week_start(monday), monday);
        assert_eq!(format(week_start(monday - 1)), "2026-11-16");
    }
}
