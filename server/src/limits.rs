//! `[limits]`: per-person limits on work any role may start but that spends the Social+
//! request budget or stores files (`backend::throttle`), and how long stored reports, metrics
//! exports and uploaded import files are kept (`backend::retention`, pruned hourly).

use backend::{
    retention::Retention,
    throttle::{Limit, Limits},
};
use serde::Deserialize;
use std::time::Duration;

/// How often stored files past their retention are deleted.
pub const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// `[limits]` as written.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsSettings {
    /// Least time between two users exports (`GET /users/export.csv`) of one person; 0 = none.
    pub users_export_cooldown_secs: u64,
    /// Users exports one person may run at once.
    pub users_exports_at_once: u32,
    /// Least time between two fetches of the last-activity report by one person; 0 = none.
    pub report_fetch_cooldown_minutes: u64,
    /// Least time between two on-demand metrics exports by one person; 0 = none.
    pub metrics_export_cooldown_minutes: u64,
    /// Import dry runs one person may run at once.
    pub import_previews_at_once: u32,
    /// Days a stored last-activity report is kept.
    pub reports_keep_days: u64,
    /// Days a stored metrics export is kept.
    pub metrics_exports_keep_days: u64,
    /// Hours an uploaded import file is kept (its dry run and import need it).
    pub uploads_keep_hours: u64,
}

impl Default for LimitsSettings {
    fn default() -> Self {
        Self {
            users_export_cooldown_secs: 10,
            users_exports_at_once: 2,
            report_fetch_cooldown_minutes: 10,
            metrics_export_cooldown_minutes: 1,
            import_previews_at_once: 1,
            reports_keep_days: 90,
            metrics_exports_keep_days: 90,
            uploads_keep_hours: 24,
        }
    }
}

/// `[limits]`, validated.
#[derive(Clone, Copy, Debug, Default)]
pub struct LimitsConfig {
    /// Per-person cooldowns and caps.
    pub throttle: Limits,
    /// Retention of stored files.
    pub retention: Retention,
}

impl LimitsSettings {
    /// The validated limits; each problem is pushed in words an operator can act on.
    pub fn validate(&self, problems: &mut Vec<String>) -> LimitsConfig {
        for (name, value) in [
            ("limits.users_exports_at_once", u64::from(self.users_exports_at_once)),
            ("limits.import_previews_at_once", u64::from(self.import_previews_at_once)),
            ("limits.reports_keep_days", self.reports_keep_days),
            ("limits.metrics_exports_keep_days", self.metrics_exports_keep_days),
            ("limits.uploads_keep_hours", self.uploads_keep_hours),
        ] {
            if value == 0 {
                problems.push(format!("{name} must be at least 1"));
            }
        }
        let secs = Duration::from_secs;
        LimitsConfig {
            throttle: Limits {
                users_export: Limit {
                    cooldown: secs(self.users_export_cooldown_secs),
                    at_once: self.users_exports_at_once,
                },
                report_fetch: Limit { cooldown: secs(self.report_fetch_cooldown_minutes * 60), at_once: 1 },
                metrics_export: Limit {
                    cooldown: secs(self.metrics_export_cooldown_minutes * 60),
                    at_once: 1,
                },
                import_preview: Limit { cooldown: Duration::ZERO, at_once: self.import_previews_at_once },
            },
            retention: Retention {
                reports: secs(self.reports_keep_days * 86_400),
                metrics_exports: secs(self.metrics_exports_keep_days * 86_400),
                uploads: secs(self.uploads_keep_hours * 3_600),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_match_the_backends_and_zero_caps_or_retentions_are_refused() {
        let mut problems = Vec::new();
        let config = LimitsSettings::default().validate(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.throttle, Limits::default());
        assert_eq!(config.retention, Retention::default());

        let zero =
            LimitsSettings { users_exports_at_once: 0, uploads_keep_hours: 0, ..LimitsSettings::default() };
        zero.validate(&mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("limits.users_exports_at_once"));
    }
}
