//! The user last-activity report: CSV with the columns
//! `user_id, user_public_id, display_name, last_active_utc` (docs:
//! `generate-user-last-activity-report.mdx`; no spec describes it). Quoting follows RFC 4180,
//! because display names may hold commas, quotes and line breaks.

use serde::{Deserialize, Serialize};

/// The header row, in order.
pub const LAST_ACTIVITY_COLUMNS: [&str; 4] = ["user_id", "user_public_id", "display_name", "last_active_utc"];

/// One row of the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastActivity {
    /// Internal id.
    pub user_id: String,
    /// Public id.
    pub user_public_id: String,
    /// Display name.
    pub display_name: String,
    /// Last activity, ISO-8601 UTC (empty when the user was never active).
    pub last_active_utc: String,
}

/// Writes the report, header first, lines ending in CRLF.
pub fn last_activity_csv(rows: &[LastActivity]) -> String {
    let mut out = String::new();
    push_record(&mut out, &LAST_ACTIVITY_COLUMNS);
    for row in rows {
        push_record(&mut out, &[&row.user_id, &row.user_public_id, &row.display_name, &row.last_active_utc]);
    }
    out
}

/// Reads the report; the header must name the four columns (in any order).
pub fn parse_last_activity_csv(text: &str) -> Result<Vec<LastActivity>, String> {
    let mut records = parse_records(text)?.into_iter();
    let header = records.next().ok_or("the report is empty")?;
    let position = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("the report has no `{name}` column"))
    };
    let [user_id, public_id, name, last] = [
        position("user_id")?,
        position("user_public_id")?,
        position("display_name")?,
        position("last_active_utc")?,
    ];
    records
        .enumerate()
        .filter(|(_, record)| !(record.len() == 1 && record[0].is_empty()))
        .map(|(index, record)| {
            let cell = |i: usize| {
                record.get(i).cloned().ok_or_else(|| format!("row {} has {} cells", index + 2, record.len()))
            };
            Ok(LastActivity {
                user_id: cell(user_id)?,
                user_public_id: cell(public_id)?,
                display_name: cell(name)?,
                last_active_utc: cell(last)?,
            })
        })
        .collect()
}

fn push_record(out: &mut String, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

fn parse_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err("the report ends inside a quoted cell".into());
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, last: &str) -> LastActivity {
        LastActivity {
            user_id: "64b0c0ffee".into(),
            user_public_id: "ann".into(),
            display_name: name.into(),
            last_active_utc: last.into(),
        }
    }

    #[test]
    fn names_with_commas_quotes_and_newlines_survive_a_round_trip() {
        let rows = vec![row("Ann, \"the\" admin\nline two", "2026-11-01T09:00:00.000Z"), row("Bo", "")];
        let text = last_activity_csv(&rows);
        assert!(text.starts_with("user_id,user_public_id,display_name,last_active_utc\r\n"));
        assert_eq!(parse_last_activity_csv(&text).expect("parses"), rows);
    }

    #[test]
    fn columns_are_found_by_name_and_missing_ones_are_reported() {
        let text = "last_active_utc,display_name,user_public_id,user_id\n2026-01-01T00:00:00Z,Cy,cy,123\n";
        let rows = parse_last_activity_csv(text).expect("parses");
        assert_eq!(rows[0].user_id, "123");
        assert_eq!(rows[0].display_name, "Cy");
        let error = parse_last_activity_csv("user_id,display_name\n1,a\n").expect_err("incomplete header");
        assert!(error.contains("user_public_id"), "{error}");
        assert!(
            parse_last_activity_csv("user_id,user_public_id,display_name,last_active_utc\n\"open").is_err()
        );
    }
}
