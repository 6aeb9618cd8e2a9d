//! The shape of the activity history, as pure functions of the day: a weekly rhythm (quieter
//! weekends), gentle growth over the period, a little day-to-day noise, a diurnal curve
//! within the day, and the day of the flag spike.

use time::{Date, Weekday};

/// How busy a weekday is, relative to a Monday.
pub fn weekday_factor(weekday: Weekday) -> f64 {
    match weekday {
        Weekday::Monday => 1.0,
        Weekday::Tuesday => 1.03,
        Weekday::Wednesday => 1.0,
        Weekday::Thursday => 0.98,
        Weekday::Friday => 0.9,
        Weekday::Saturday => 0.68,
        Weekday::Sunday => 0.62,
    }
}

/// Growth over the period: the last day is 30 % busier than the first.
pub fn growth(day: u32, days: u32) -> f64 {
    1.0 + 0.3 * f64::from(day) / f64::from(days.saturating_sub(1).max(1))
}

/// How busy day `day` (0 = the first) of `days` is, with ±8 % noise from `rng`.
pub fn day_factor(rng: &mut fastrand::Rng, date: Date, day: u32, days: u32) -> f64 {
    weekday_factor(date.weekday()) * growth(day, days) * (0.92 + 0.16 * rng.f64())
}

/// A second of the day for one action: most between late morning and late evening (UTC),
/// few at night.
pub fn second_of_day(rng: &mut fastrand::Rng) -> i64 {
    // The mean of three uniforms is bell-shaped around the middle of the range.
    let t = (rng.f64() + rng.f64() + rng.f64()) / 3.0;
    ((0.1 + 0.85 * t) * 86_400.0) as i64
}

/// The day of the flag spike (a spam wave): about three weeks before the end, so it shows in
/// the 30-day charts; none in a history shorter than a week.
pub fn spike_day(days: u32) -> Option<u32> {
    (days >= 7).then(|| days.saturating_sub(20).max(days / 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weekends_are_quieter_than_weekdays() {
        let weekend = weekday_factor(Weekday::Saturday).max(weekday_factor(Weekday::Sunday));
        for weekday in [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday] {
            assert!(weekday_factor(weekday) > weekend + 0.2, "{weekday}");
        }
    }

    #[test]
    fn activity_grows_gently_over_the_period() {
        assert_eq!(growth(0, 90), 1.0);
        assert!((growth(89, 90) - 1.3).abs() < 1e-9);
        assert!(growth(45, 90) > growth(44, 90));
        let mut rng = fastrand::Rng::with_seed(1);
        // 2026-12-07 is a Monday: with noise it stays within ±8 % of the rhythm.
        let factor = day_factor(&mut rng, date!(2026 - 12 - 07), 0, 90);
        assert!((0.92..=1.08).contains(&factor), "{factor}");
    }

    #[test]
    fn actions_happen_mostly_in_the_waking_hours() {
        let mut rng = fastrand::Rng::with_seed(2);
        let hours: Vec<i64> = (0..10_000).map(|_| second_of_day(&mut rng) / 3_600).collect();
        let night = hours.iter().filter(|h| **h < 6).count();
        let day = hours.iter().filter(|h| (10..20).contains(*h)).count();
        assert!(day > 6 * night, "{day} by day, {night} at night");
        assert!(hours.iter().all(|h| (2..24).contains(h)));
    }

    #[test]
    fn the_spike_falls_in_the_last_month_of_a_long_history() {
        assert_eq!(spike_day(90), Some(70));
        assert_eq!(spike_day(14), Some(7));
        assert_eq!(spike_day(3), None);
    }
}
