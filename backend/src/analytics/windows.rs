//! DAU, WAU and MAU for a run of days in one pass over the user-days, oldest first.
//!
//! A user active on day `a` is counted in a `w`-day window ending on every day from `a` to
//! `a + w - 1`. With their previous active day `p`, the days `a .. p + w` were already
//! counted for them, so each (user, day) adds one interval `[max(a, p + w), a + w - 1]` to
//! a difference array: the cost is one hash lookup per user-day, whatever the window.

use std::collections::HashMap;

/// The window lengths, in days: DAU, WAU, MAU.
pub const WINDOWS: [i64; 3] = [1, 7, 30];

/// Distinct active users per day of `first..=last` for each of [`WINDOWS`], fed with the
/// user-days in day order (each (day, user) once) from `first - 29` on. Days outside the
/// range still update who was last seen when, which is all the windows need.
pub struct ActiveUsers {
    first: i64,
    last: i64,
    diff: Vec<[i64; 3]>,
    last_seen: HashMap<String, i64>,
}

impl ActiveUsers {
    /// Counts for the days `first..=last` (none when `last < first`).
    pub fn new(first: i64, last: i64) -> Self {
        let len = usize::try_from(last - first + 1).unwrap_or(0);
        Self { first, last, diff: vec![[0; 3]; len + 1], last_seen: HashMap::new() }
    }

    /// One user active on one day; days must come in order.
    pub fn push(&mut self, day: i64, user: &str) {
        if day > self.last {
            return;
        }
        let previous = match self.last_seen.get_mut(user) {
            Some(seen) => Some(std::mem::replace(seen, day)),
            None => {
                self.last_seen.insert(user.to_owned(), day);
                None
            }
        };
        for (slot, width) in WINDOWS.iter().enumerate() {
            let from = previous.map_or(day, |p| day.max(p + width)).max(self.first);
            let to = (day + width - 1).min(self.last);
            if from > to {
                continue;
            }
            let (Ok(from), Ok(after)) =
                (usize::try_from(from - self.first), usize::try_from(to - self.first + 1))
            else {
                continue;
            };
            if let Some(cell) = self.diff.get_mut(from) {
                cell[slot] += 1;
            }
            if let Some(cell) = self.diff.get_mut(after) {
                cell[slot] -= 1;
            }
        }
    }

    /// `[DAU, WAU, MAU]` for each day of the range, first day first.
    pub fn finish(self) -> Vec<[i64; 3]> {
        let len = self.diff.len().saturating_sub(1);
        let mut running = [0_i64; 3];
        self.diff
            .iter()
            .take(len)
            .map(|delta| {
                for slot in 0..3 {
                    running[slot] += delta[slot];
                }
                running
            })
            .collect()
    }
}

/// [`ActiveUsers`] over a whole list at once.
pub fn active_users<'a>(
    first: i64,
    last: i64,
    user_days: impl IntoIterator<Item = (i64, &'a str)>,
) -> Vec<[i64; 3]> {
    let mut counts = ActiveUsers::new(first, last);
    for (day, user) in user_days {
        counts.push(day, user);
    }
    counts.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts by definition: users with a day in `[d - w + 1, d]`.
    fn brute(first: i64, last: i64, days: &[(i64, &str)]) -> Vec<[i64; 3]> {
        (first..=last)
            .map(|d| {
                WINDOWS.map(|w| {
                    let mut users: Vec<&str> =
                        days.iter().filter(|(day, _)| *day > d - w && *day <= d).map(|(_, u)| *u).collect();
                    users.sort_unstable();
                    users.dedup();
                    i64::try_from(users.len()).unwrap_or(-1)
                })
            })
            .collect()
    }

    #[test]
    fn window_edges_count_a_user_exactly_on_the_first_and_last_day_of_a_window() {
        // Active on day 10 only: DAU on 10; WAU on 10..=16; MAU on 10..=39.
        let days = [(10, "ann")];
        let counts = active_users(9, 41, days);
        let at = |d: i64| counts[usize::try_from(d - 9).unwrap_or(0)];
        assert_eq!(at(9), [0, 0, 0]);
        assert_eq!(at(10), [1, 1, 1]);
        assert_eq!(at(11), [0, 1, 1]);
        assert_eq!(at(16), [0, 1, 1]);
        assert_eq!(at(17), [0, 0, 1]);
        assert_eq!(at(39), [0, 0, 1]);
        assert_eq!(at(40), [0, 0, 0]);
    }

    #[test]
    fn a_user_active_on_many_days_is_counted_once_per_window() {
        let days = [(1, "ann"), (2, "ann"), (2, "bob"), (8, "ann"), (31, "bob"), (40, "ann")];
        assert_eq!(active_users(1, 45, days), brute(1, 45, &days));
        // Starting mid-way: history before `first` still counts in the windows.
        assert_eq!(active_users(20, 45, days), brute(20, 45, &days));
    }

    #[test]
    fn random_histories_match_the_definition() {
        let mut rng = fastrand::Rng::with_seed(7);
        let names: Vec<String> = (0..12).map(|i| format!("u{i}")).collect();
        for _ in 0..30 {
            let mut days: Vec<(i64, &str)> = (0..rng.usize(0..80))
                .map(|_| (rng.i64(0..70), names[rng.usize(0..names.len())].as_str()))
                .collect();
            days.sort_unstable();
            days.dedup();
            let first = rng.i64(0..40);
            assert_eq!(active_users(first, 75, days.iter().copied()), brute(first, 75, &days));
        }
    }
}
