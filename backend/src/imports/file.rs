//! Reading an import file: RFC 4180 CSV with a header row. Each data row is validated on its
//! own, so one bad row is reported by line and column and the others still import.

use serde_json::Value;
use types::{
    imports::{COLUMNS, ImportRow, MAX_BYTES, MAX_ROWS, METADATA_MAX_BYTES, RowProblem},
    roles::{USER_ROLES_MAX, parse_role_list},
};

/// The position of `roles` in [`COLUMNS`].
const ROLES: usize = 3;

/// Longest user id Social+ accepts.
const USER_ID_MAX_CHARS: usize = 50;
/// Longest display name.
const DISPLAY_NAME_MAX_CHARS: usize = 100;
/// Longest description.
const DESCRIPTION_MAX_CHARS: usize = 500;

/// Why a whole file cannot be imported.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Nothing in it.
    #[error("The file is empty.")]
    Empty,
    /// Too big to take at once.
    #[error("The file is larger than {} KB; split it into smaller files.", MAX_BYTES / 1024)]
    TooLarge,
    /// Too many rows.
    #[error("The file has more than {MAX_ROWS} rows; split it into smaller files.")]
    TooManyRows,
    /// The header lacks the one required column.
    #[error("The first line must name the columns and include userId (found: {0}).")]
    NoUserIdColumn(String),
    /// Not readable as CSV.
    #[error("The file is not valid CSV: {0}")]
    NotCsv(String),
}

/// A read file: its valid rows and the problems of the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Data rows in the file.
    pub total: u32,
    /// Rows that passed validation, in file order.
    pub rows: Vec<ImportRow>,
    /// Problems, in file order (a row may have several).
    pub problems: Vec<RowProblem>,
    /// Header columns the import does not use.
    pub ignored_columns: Vec<String>,
    /// Whether the header has a `roles` column: such a file changes network roles (even
    /// where its cells are empty, a later edit of the file need not be noticed), so importing
    /// it needs `ManageRoles` (see [`super::required_permission`]).
    pub roles_column: bool,
}

impl Parsed {
    /// The first problem of each invalid row, by line.
    pub fn rejected(&self) -> Vec<&RowProblem> {
        let mut seen = std::collections::BTreeSet::new();
        self.problems.iter().filter(|p| seen.insert(p.line)).collect()
    }
}

/// Which known column each header cell is (`user_id`, `UserID` and `userId` are the same).
fn column_of(header: &str) -> Option<usize> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').replace(['_', '-', ' '], "").to_lowercase();
    COLUMNS.iter().position(|c| norm(c) == norm(header))
}

/// Line numbers as an editor shows them, whatever ends the lines (`\n`, `\r\n` or a lone
/// `\r`): the csv crate's own count is one short after a `\r\n` and never moves on a lone
/// `\r`, which put rows on the wrong line or on one line together (and its record offsets
/// point at the `\n` of a `\r\n`). Counts forward from the previous record, so a file is read
/// once.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u32,
}

impl Lines<'_> {
    /// The line of the record that starts at `offset` (records come in file order).
    fn of(&mut self, offset: u64) -> u32 {
        let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        // A record never starts with a line end: these belong to the line before it.
        while self.text.get(end).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            end += 1;
        }
        while self.at < end {
            let breaks = match self.text[self.at] {
                b'\n' => true,
                b'\r' => self.text.get(self.at + 1) != Some(&b'\n'),
                _ => false,
            };
            self.line = self.line.saturating_add(u32::from(breaks));
            self.at += 1;
        }
        self.line
    }
}

/// Reads and validates `text`.
pub fn parse(text: &str) -> Result<Parsed, FileError> {
    if text.len() > MAX_BYTES {
        return Err(FileError::TooLarge);
    }
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| FileError::NotCsv(e.to_string()))?.clone();
    let positions: Vec<Option<usize>> = headers.iter().map(column_of).collect();
    if !positions.contains(&Some(0)) {
        return Err(FileError::NoUserIdColumn(headers.iter().collect::<Vec<_>>().join(", ")));
    }
    let ignored_columns =
        headers.iter().zip(&positions).filter(|(_, p)| p.is_none()).map(|(h, _)| h.to_owned()).collect();
    let roles_column = positions.contains(&Some(ROLES));
    let mut parsed = Parsed { ignored_columns, roles_column, ..Parsed::default() };
    let mut seen_ids = std::collections::HashMap::new();
    let mut lines = Lines { text: text.as_bytes(), at: 0, line: 1 };
    for record in reader.records() {
        let record = record.map_err(|e| FileError::NotCsv(e.to_string()))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        parsed.total += 1;
        if parsed.total as usize > MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let line = record.position().map_or(parsed.total + 1, |p| lines.of(p.byte()));
        let mut cells: [Option<&str>; 5] = [None; 5];
        for (cell, position) in record.iter().zip(&positions) {
            if let Some(index) = position {
                cells[*index] = Some(cell.trim()).filter(|c| !c.is_empty());
            }
        }
        let before = parsed.problems.len();
        let row = validate(line, cells, &mut parsed.problems);
        if let Some(first_line) = seen_ids.get(&row.user_id) {
            parsed.problems.push(problem(
                &row,
                "userId",
                format!("The same user id is already on line {first_line}."),
            ));
        } else if !row.user_id.is_empty() {
            seen_ids.insert(row.user_id.clone(), line);
        }
        if parsed.problems.len() == before {
            parsed.rows.push(row);
        }
    }
    Ok(parsed)
}

fn problem(row: &ImportRow, column: &str, message: String) -> RowProblem {
    RowProblem { line: row.line, user_id: row.user_id.clone(), column: column.to_owned(), message }
}

/// One row's values, with its problems appended to `problems`.
fn validate(line: u32, cells: [Option<&str>; 5], problems: &mut Vec<RowProblem>) -> ImportRow {
    let [user_id, display_name, description, roles, metadata] = cells;
    let row = ImportRow {
        line,
        user_id: user_id.unwrap_or_default().to_owned(),
        display_name: display_name.map(str::to_owned),
        description: description.map(str::to_owned),
        roles: roles.map(parse_role_list),
        metadata: None,
    };
    let mut report = |column: &str, message: String| problems.push(problem(&row, column, message));
    match user_id {
        None => report("userId", "A user id is required.".into()),
        Some(id) if id.chars().count() > USER_ID_MAX_CHARS => {
            report("userId", format!("A user id has at most {USER_ID_MAX_CHARS} characters."))
        }
        Some(id) if id.contains(['/', '?', '#']) || id.chars().any(char::is_control) => {
            report("userId", "A user id cannot contain /, ?, # or control characters.".into())
        }
        Some(_) => {}
    }
    if display_name.is_some_and(|n| n.chars().count() > DISPLAY_NAME_MAX_CHARS) {
        report("displayName", format!("A display name has at most {DISPLAY_NAME_MAX_CHARS} characters."));
    }
    if description.is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS) {
        report("description", format!("A description has at most {DESCRIPTION_MAX_CHARS} characters."));
    }
    if row.roles.as_ref().is_some_and(|r| r.len() > USER_ROLES_MAX) {
        report("roles", format!("A user can hold at most {USER_ROLES_MAX} roles."));
    }
    let metadata = metadata.map(|text| match serde_json::from_str::<Value>(text) {
        Ok(value @ Value::Object(_)) => {
            let compact = value.to_string();
            if compact.len() > METADATA_MAX_BYTES {
                report(
                    "metadata",
                    format!("Metadata is {} bytes; the limit is {METADATA_MAX_BYTES}.", compact.len()),
                );
            }
            Some(compact)
        }
        Ok(_) => {
            report("metadata", "Metadata must be a JSON object, like {\"team\": \"blue\"}.".into());
            None
        }
        Err(e) => {
            report("metadata", format!("Metadata is not valid JSON ({e})."));
            None
        }
    });
    ImportRow { metadata: metadata.flatten(), ..row }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_rows_are_read_with_quoted_commas_and_json() {
        let text = "userId,displayName,roles,metadata,shoeSize\n\
                    ann,\"Ann, the first\",\"a;b\",\"{\"\"team\"\": \"\"blue\"\"}\",42\n\
                    bob,,,,\n";
        let parsed = parse(text).expect("parsed");
        assert_eq!(parsed.total, 2);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.ignored_columns, ["shoeSize"]);
        let ann = &parsed.rows[0];
        assert_eq!((ann.line, ann.display_name.as_deref()), (2, Some("Ann, the first")));
        assert_eq!(ann.roles, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(ann.metadata.as_deref(), Some(r#"{"team":"blue"}"#));
        assert_eq!(parsed.rows[1].display_name, None, "an empty cell changes nothing");
        assert!(parsed.roles_column);
    }

    #[test]
    fn a_roles_column_is_noticed_under_any_spelling_even_when_empty() {
        assert_eq!(COLUMNS[ROLES], "roles");
        assert!(parse("user_id,Roles\nann,\n").expect("parsed").roles_column);
        assert!(!parse("userId,displayName\nann,Ann\n").expect("parsed").roles_column);
    }

    #[test]
    fn each_bad_row_is_reported_by_line_and_column_and_the_rest_kept() {
        let long = "x".repeat(51);
        let text = format!(
            "user_id,display_name,metadata\n,Nobody,\n{long},Long,\nok,Fine,\nbadjson,B,{{oops\nok,Again,\narr,A,[1]\n"
        );
        let parsed = parse(&text).expect("parsed");
        let found: Vec<(u32, &str)> = parsed.problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(found, [(2, "userId"), (3, "userId"), (5, "metadata"), (6, "userId"), (7, "metadata")]);
        assert_eq!(parsed.rows.iter().map(|r| r.user_id.as_str()).collect::<Vec<_>>(), ["ok"]);
        assert_eq!(parsed.rejected().len(), 5);
    }

    #[test]
    fn whole_file_problems_are_explained() {
        assert_eq!(parse("  \n"), Err(FileError::Empty));
        assert!(matches!(parse("name,email\nann,a@x\n"), Err(FileError::NoUserIdColumn(_))));
        assert_eq!(parse(&"a".repeat(MAX_BYTES + 1)), Err(FileError::TooLarge));
    }
}
