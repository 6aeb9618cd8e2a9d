//! CSV import of users: the columns, the dry-run report and the limits, shared by the
//! Imports page and the server.

use serde::{Deserialize, Serialize};

/// The columns an import file may have (header names, any case; `userId` is required).
pub const COLUMNS: [&str; 5] = ["userId", "displayName", "description", "roles", "metadata"];
/// Most rows in one import.
pub const MAX_ROWS: usize = 10_000;
/// Largest import file, in bytes.
pub const MAX_BYTES: usize = 768 * 1024;
/// Largest `metadata` JSON, in bytes (the Social+ limit).
pub const METADATA_MAX_BYTES: usize = 5_000;
/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// One problem with one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// Line in the file (the header is line 1).
    pub line: u32,
    /// The row's user id, as written (may be empty).
    pub user_id: String,
    /// The column at fault.
    pub column: String,
    /// What is wrong, in words.
    pub message: String,
}

/// A valid row as it will be sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Line in the file.
    pub line: u32,
    /// The user to create or update.
    pub user_id: String,
    /// New display name, when the column has a value.
    pub display_name: Option<String>,
    /// New description, when given.
    pub description: Option<String>,
    /// The complete new role list, when given.
    pub roles: Option<Vec<String>>,
    /// The complete new metadata object as JSON text, when given.
    pub metadata: Option<String>,
}

/// The dry run: what an import would do, without doing it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Data rows in the file.
    pub rows: u32,
    /// Rows that pass validation.
    pub valid: u32,
    /// Of the valid rows, users that already exist (updated) — the rest are created.
    pub existing: u32,
    /// Every problem, by line.
    pub problems: Vec<RowProblem>,
    /// The first valid rows, as they will be sent.
    pub sample: Vec<ImportRow>,
    /// Columns found in the header that the import ignores.
    pub ignored_columns: Vec<String>,
    /// Upstream requests the import will need (its time is bounded by the request budget).
    pub requests: u32,
    /// The request budget per second, when limited.
    pub budget_per_second: Option<u32>,
}

impl ImportPreview {
    /// Rough time the import needs at the request budget, in whole seconds.
    pub fn estimated_seconds(&self) -> Option<u32> {
        self.budget_per_second.filter(|n| *n > 0).map(|n| self.requests.div_ceil(n))
    }
}

/// The dry run of a file uploaded by a plain form post (`POST /imports/upload`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadPreview {
    /// The stored upload; `start_import` takes it instead of the CSV text.
    pub upload_id: String,
    /// The file's name as the browser sent it.
    pub file_name: String,
    /// The dry run.
    pub preview: ImportPreview,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_follows_the_budget() {
        let preview = ImportPreview { requests: 1_001, budget_per_second: Some(10), ..Default::default() };
        assert_eq!(preview.estimated_seconds(), Some(101));
        assert_eq!(ImportPreview { budget_per_second: None, ..preview }.estimated_seconds(), None);
    }
}
