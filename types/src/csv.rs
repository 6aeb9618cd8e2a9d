//! One CSV cell for every download the console offers (audit, users, job results, charts,
//! reports).
//! Names, reasons and metadata in those files are typed by people, so a cell that a
//! spreadsheet would run as a formula is defused, and RFC 4180 quoting keeps commas, quotes
//! and line breaks inside their cell.

/// An RFC 4180 cell, with spreadsheet formulas defused: a value starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`.
pub fn safe_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(safe_cell("plain"), "plain");
        assert_eq!(safe_cell("a,b"), "\"a,b\"");
        assert_eq!(safe_cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(safe_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("line\nbreak"), "\"line\nbreak\"");
    }
}
