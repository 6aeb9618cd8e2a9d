//! What the Reports page lists: the user last-activity reports the console keeps (Social+'s CSV
//! of when each user was last active) and its CSV exports of chosen metrics, each made on a
//! schedule or on demand and stored with its history.

use serde::{Deserialize, Serialize};

/// One stored report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityReport {
    /// Its id (the download is `/reports/last-activity/{id}`).
    pub id: i64,
    /// When it was fetched, RFC 3339.
    pub fetched_at: String,
    /// Who asked: a console account, or `schedule`.
    pub requested_by: String,
    /// Users in it.
    pub rows: i64,
    /// Users with a last-activity time.
    pub active_rows: i64,
    /// New activity rows it added to the console's events.
    pub imported: i64,
}

impl ActivityReport {
    /// Where the stored CSV is downloaded.
    pub fn download_href(&self) -> String {
        format!("/reports/last-activity/{}", self.id)
    }
}

/// One stored CSV export of chosen Analytics charts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricExport {
    /// Its id (the download is `/reports/metrics/{id}`).
    pub id: i64,
    /// When it was made, RFC 3339.
    pub created_at: String,
    /// Who asked: a console account, or `schedule`.
    pub requested_by: String,
    /// The chart ids in it.
    pub charts: Vec<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Value rows.
    pub rows: i64,
}

impl MetricExport {
    /// Where the stored CSV is downloaded.
    pub fn download_href(&self) -> String {
        format!("/reports/metrics/{}", self.id)
    }
}
