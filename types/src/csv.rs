//! The one CSV writer behind every download the console offers (audit, users, job results,
//! charts, reports, the metrics export).
//!
//! Names, reasons and metadata in those files are typed by people, so every cell is quoted
//! (RFC 4180: commas, quotes and line breaks stay inside their cell) and every part a
//! spreadsheet could run as a formula is defused with a leading `'`: the cell's start, also
//! after leading whitespace, and every part after a `;` (spreadsheets in locales whose list
//! separator is `;` split cells there).

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet could read `part` as a formula: after any leading whitespace it
/// starts with `=`, `+`, `-` or `@` (or it starts with a tab or carriage return).
fn is_formula(part: &str) -> bool {
    part.starts_with(FORMULA_STARTS) || part.trim_start().starts_with(FORMULA_STARTS)
}

/// `value` with a `'` before each part (split at `;`) a spreadsheet could run as a formula.
fn defuse(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for (index, part) in value.split(';').enumerate() {
        if index > 0 {
            out.push(';');
        }
        if is_formula(part) {
            out.push('\'');
        }
        out.push_str(part);
    }
    out
}

/// One cell: defused, then always quoted, with inner quotes doubled.
pub fn safe_cell(value: &str) -> String {
    format!("\"{}\"", defuse(value).replace('"', "\"\""))
}

/// One line of cells ([`safe_cell`] each), separated by commas, ending in CRLF.
pub fn line<I, S>(cells: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = cells.into_iter().map(|cell| safe_cell(cell.as_ref())).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_always_quoted_with_inner_quotes_doubled() {
        assert_eq!(safe_cell("plain"), "\"plain\"");
        assert_eq!(safe_cell(""), "\"\"");
        assert_eq!(safe_cell("a,b"), "\"a,b\"");
        assert_eq!(safe_cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(safe_cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(line(["a", "b,c"]), "\"a\",\"b,c\"\r\n");
    }

    #[test]
    fn a_formula_at_the_start_is_defused() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(safe_cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(safe_cell("-1"), "\"'-1\"");
        assert_eq!(safe_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(safe_cell("\tx"), "\"'\tx\"");
    }

    #[test]
    fn finding_10_csv_formulas_after_leading_whitespace_or_a_semicolon_are_defused() {
        // Leading whitespace: spreadsheets skip it and still run the formula.
        assert_eq!(safe_cell("  =cmd|' /C calc'!A0"), "\"'  =cmd|' /C calc'!A0\"");
        assert_eq!(safe_cell("\u{a0}+1"), "\"'\u{a0}+1\"");
        assert_eq!(safe_cell("\n=1+1"), "\"'\n=1+1\"");
        // In `;` locales every `;` starts a new cell.
        assert_eq!(safe_cell("ann;=HYPERLINK(\"http://x\")"), "\"ann;'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(safe_cell("moderator; @SUM(1)"), "\"moderator;' @SUM(1)\"");
        assert_eq!(safe_cell("a;b;-2"), "\"a;b;'-2\"");
        // Nothing else changes.
        assert_eq!(safe_cell("a;b; c"), "\"a;b; c\"");
        assert_eq!(safe_cell("x = 1"), "\"x = 1\"");
    }
}
