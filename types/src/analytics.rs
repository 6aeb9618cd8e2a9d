//! The Analytics page's data: which range and granularity was asked for, and the charts the
//! server computed from its daily rollups. A chart is a table (one label column, one column
//! per series); the SVG, the tooltips and the CSV export all render that same table, so a
//! number in the CSV is the number shown.

pub mod day;

use serde::{Deserialize, Serialize};

/// The longest range one request may cover.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Buckets of a time chart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One point per UTC day.
    #[default]
    Daily,
    /// One point per ISO week (Monday to Sunday), cut to the range at both ends.
    Weekly,
}

impl Granularity {
    /// As written in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Daily => "daily",
            Granularity::Weekly => "weekly",
        }
    }

    /// From a URL value; anything unknown is daily.
    pub fn parse(value: &str) -> Self {
        if value.trim() == "weekly" { Granularity::Weekly } else { Granularity::Daily }
    }
}

/// What the page (and an export) asks for. Empty dates mean the default range: the last 30
/// days (daily) or 12 weeks (weekly) up to today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyticsQuery {
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), included.
    pub to: String,
    /// Daily or weekly points.
    pub granularity: Granularity,
}

impl AnalyticsQuery {
    /// Reads `from`, `to` and `granularity` from URL query pairs; other keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self::default();
        for (key, value) in pairs {
            match key {
                "from" => query.from = crate::url::clipped(value, 10),
                "to" => query.to = crate::url::clipped(value, 10),
                "granularity" => query.granularity = Granularity::parse(value),
                _ => {}
            }
        }
        query
    }

    /// The query as URL pairs (`from=…&to=…&granularity=…`), empty dates left out.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [("from", &self.from), ("to", &self.to)] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", crate::url::encode_component(value)));
            }
        }
        parts.push(format!("granularity={}", self.granularity.as_str()));
        parts.join("&")
    }
}

/// How a chart draws its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Labels are buckets of time; one line per series.
    Time,
    /// Labels are things (moderators, communities, users); one bar each, largest first.
    Ranking,
}

/// One named column of a chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Column heading, e.g. `DAU`.
    pub name: String,
    /// One value per label; `None` where there is nothing to measure (a median of no cases).
    pub values: Vec<Option<f64>>,
}

/// One chart: a table with a label column and one column per series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// Stable id, used in URLs (`/analytics/export.csv?chart=<id>`) and element ids.
    pub id: String,
    /// Heading.
    pub title: String,
    /// What the numbers mean, shown under the heading.
    pub definition: String,
    /// Time buckets or a ranking.
    pub kind: ChartKind,
    /// Heading of the label column (`date`, `moderator`, `community`…).
    pub label_heading: String,
    /// The row labels: the first day of each bucket (`YYYY-MM-DD`) or the ranked names.
    pub labels: Vec<String>,
    /// The columns.
    pub series: Vec<Series>,
}

impl Chart {
    /// The chart as RFC 4180 CSV: the label column, then one column per series, values
    /// written exactly as [`format_value`] shows them.
    pub fn to_csv(&self) -> String {
        let heading = std::iter::once(self.label_heading.clone());
        let mut out = crate::csv::line(heading.chain(self.series.iter().map(|s| s.name.clone())));
        for (row, label) in self.labels.iter().enumerate() {
            let values = self.series.iter().map(|s| format_value(s.values.get(row).copied().flatten()));
            out.push_str(&crate::csv::line(std::iter::once(label.clone()).chain(values)));
        }
        out
    }

    /// The largest value of any series (at least 1, so an empty chart still has a scale).
    pub fn max_value(&self) -> f64 {
        self.series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(1.0, f64::max)
    }
}

/// A number as the page, the tooltips and the CSV show it: whole numbers without decimals,
/// others with one; nothing for a missing value.
pub fn format_value(value: Option<f64>) -> String {
    match value {
        None => String::new(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// What the Analytics page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsView {
    /// The range actually shown (defaults applied), `YYYY-MM-DD`.
    pub from: String,
    /// Last day shown, included.
    pub to: String,
    /// Daily or weekly.
    pub granularity: Granularity,
    /// When the rollups were last brought up to date, RFC 3339, if ever.
    pub refreshed_at: Option<String>,
    /// How many stored events the rollups include.
    pub events_counted: i64,
    /// The charts, in page order.
    pub charts: Vec<Chart>,
    /// A rebuild of the rollups asked for or under way: the charts are incomplete until it ends.
    pub rebuild: Option<RebuildProgress>,
    /// Whether the caller may ask for a rebuild (admins).
    pub may_rebuild: bool,
}

/// How far a rebuild of the rollups has read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildProgress {
    /// Events read so far (0 until it starts).
    pub read: i64,
    /// Events it reads in all (0 until it starts: it reads every event stored when it starts).
    pub of: i64,
}

impl RebuildProgress {
    /// Whole percent read, for the page ("waiting to start" before it has a total).
    pub fn percent(&self) -> Option<i64> {
        (self.of > 0).then(|| (self.read.min(self.of) * 100) / self.of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_one_row_per_label_and_shows_values_as_the_page_does() {
        let chart = Chart {
            id: "x".into(),
            title: "X".into(),
            definition: String::new(),
            kind: ChartKind::Ranking,
            label_heading: "community".into(),
            labels: vec!["a,b".into(), "=SUM(A1)".into()],
            series: vec![Series { name: "hours".into(), values: vec![Some(2.0), Some(1.26)] }],
        };
        assert_eq!(chart.to_csv(), "\"community\",\"hours\"\r\n\"a,b\",\"2\"\r\n\"'=SUM(A1)\",\"1.3\"\r\n");
        assert_eq!(format_value(None), "");
        assert_eq!(format_value(Some(12.0)), "12");
    }

    #[test]
    fn query_round_trips_through_the_url() {
        let query = AnalyticsQuery {
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            granularity: Granularity::Weekly,
        };
        let text = query.query_string();
        assert_eq!(text, "from=2026-01-01&to=2026-01-31&granularity=weekly");
        let pairs: Vec<(&str, &str)> = text.split('&').filter_map(|p| p.split_once('=')).collect();
        assert_eq!(AnalyticsQuery::from_pairs(pairs), query);
    }
}
