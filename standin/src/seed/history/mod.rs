//! A history of activity before the end of seeding, so a console that takes it in shows
//! living charts: every day of the period members sign up, post (some with pictures),
//! comment, react, join communities and flag, with a weekly rhythm (quieter weekends),
//! gentle growth, day-to-day noise, waking-hours timing, and one spam wave that makes the
//! flags spike (moderators delete the spam and ban the spammers the same day). Flagged posts
//! are mostly cleared or deleted within 30 hours; some still wait.
//!
//! Everything is written into the stand-in's tables like any seeded content, and each
//! happening is recorded in `history_events` (time, webhook event name, object, actor), the
//! log the stand-in replays as signed webhooks (`crate::replay`). The same options and end
//! give the same rows. Sizes: about 10 events per 100 members a day, with at most
//! [`world::POPULATION`] seeded members taking part.

mod actions;
mod rhythm;
mod world;
mod write;

use super::SeedOptions;
use actions::{Action, Agenda};
use sqlx::{Sqlite, Transaction};
use time::{Duration, OffsetDateTime, Time};
use world::World;

/// The tables this module fills (emptied before a reseed).
pub const TABLES: &[&str] = &["history_events"];

/// Whether and how much history to generate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Days of activity before the end; 0 = none.
    pub days: u32,
    /// When the history ends; `None` = when it is generated (a console then shows it up to
    /// today). Tests fix it.
    pub end: Option<OffsetDateTime>,
}

impl HistoryOptions {
    /// The end to generate up to: the given one or now, to the whole minute.
    pub fn resolved_end(&self) -> OffsetDateTime {
        let end = self.end.unwrap_or_else(OffsetDateTime::now_utc);
        end.replace_second(0).and_then(|e| e.replace_nanosecond(0)).unwrap_or(end)
    }
}

/// Simulates `days` days ending at `end` over the seeded network and writes them; returns
/// how many events the log holds.
pub async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    options: &SeedOptions,
    days: u32,
    end: OffsetDateTime,
) -> anyhow::Result<usize> {
    if days == 0 || options.users == 0 {
        return Ok(0);
    }
    let mut world = World::load(tx, options).await?;
    world.end = end.unix_timestamp();
    let first_date = end.date() - Duration::days(i64::from(days) - 1);
    let first_day = first_date.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp();
    let population = world.members.len();
    let mut agenda = Agenda::default();
    for day in 0..days {
        let date = first_date + Duration::days(i64::from(day));
        let start = first_day + i64::from(day) * 86_400;
        let factor = rhythm::day_factor(&mut world.rng, date, day, days);
        plan_day(&mut world, &mut agenda, start, factor, population);
        if rhythm::spike_day(days) == Some(day) {
            for _ in 0..3 {
                let at = start + world.rng.i64(9 * 3_600..10 * 3_600);
                agenda.plan(at, Action::SignUp { spammer: true });
            }
        }
        let until = (start + 86_400).min(world.end + 1);
        agenda.run_until(&mut world, until);
    }
    write::all(tx, &world, first_day).await?;
    Ok(world.events.len())
}

/// The day's sign-ups (about 0.2 % of the members, by the day's rhythm) and each member's
/// actions: active with a chance of their weight times the rhythm, then one to three things.
fn plan_day(world: &mut World, agenda: &mut Agenda, start: i64, factor: f64, population: usize) {
    let sign_ups = 0.002 * population as f64 * factor;
    let count = sign_ups as u32 + u32::from(world.rng.f64() < sign_ups.fract());
    for _ in 0..count {
        let at = start + rhythm::second_of_day(&mut world.rng);
        agenda.plan(at, Action::SignUp { spammer: false });
    }
    for member in 0..world.members.len() {
        let m = &world.members[member];
        if m.banned_at.is_some() || m.weight <= 0.0 {
            continue;
        }
        if world.rng.f64() >= (m.weight * factor).min(0.9) {
            continue;
        }
        let actions = 1 + (2.5 * world.rng.f64().powi(2)) as u32;
        for _ in 0..actions {
            let at = start + rhythm::second_of_day(&mut world.rng);
            agenda.plan(at, Action::Act { member });
        }
    }
}

#[cfg(test)]
mod tests;
