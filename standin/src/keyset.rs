//! Keyset paging: a page token names the last row seen by its sort key and id, so a page
//! continues after that row whatever was inserted or deleted meanwhile (skip offsets would
//! repeat or skip rows). Tokens are base64 of a compact JSON array
//! `[key, id, limit]` (forward) or `[key, id, limit, 1]` (backward), ≤ 100 characters like
//! the spec's `Generic_paging` for ids and timestamps.

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use sqlx::{QueryBuilder, Row, Sqlite, sqlite::SqliteRow};
use upstream::wire::Paging;

/// A position in an ordered list.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    /// Sort key of the row (text or integer).
    pub key: Value,
    /// Id of the row (ties on the key).
    pub id: String,
    /// Page size.
    pub limit: u32,
    /// `true`: the page before this row; `false`: the page after it.
    pub backward: bool,
}

impl Cursor {
    /// The token text.
    pub fn encode(&self) -> String {
        let array = if self.backward {
            json!([self.key, self.id, self.limit, 1])
        } else {
            json!([self.key, self.id, self.limit])
        };
        STANDARD.encode(array.to_string())
    }

    /// Reads a token; `None` if it is not one of ours.
    pub fn decode(token: &str) -> Option<Self> {
        let bytes = STANDARD.decode(token.trim()).ok()?;
        let Value::Array(items) = serde_json::from_slice::<Value>(&bytes).ok()? else {
            return None;
        };
        let key = items.first().filter(|k| k.is_string() || k.is_i64())?.clone();
        let id = items.get(1)?.as_str()?.to_owned();
        let limit = u32::try_from(items.get(2)?.as_u64()?).ok().filter(|l| (1..=100).contains(l))?;
        let backward = items.get(3).and_then(Value::as_u64) == Some(1);
        Some(Self { key, id, limit, backward })
    }
}

/// An order over a table: `key` then `id`, both SQL expressions.
#[derive(Clone, Copy, Debug)]
pub struct Keyset {
    /// Sort key expression.
    pub key: &'static str,
    /// Unique tie-breaker expression.
    pub id: &'static str,
    /// Largest key first.
    pub descending: bool,
}

impl Keyset {
    /// Extra SELECT columns the page needs (`sort_key`, `sort_id`).
    pub fn columns(&self) -> String {
        format!(", {} AS sort_key, {} AS sort_id", self.key, self.id)
    }

    /// Appends the cursor condition (after a `WHERE …`), the order and the limit (+1 row
    /// to know whether more follow).
    pub fn push(&self, sql: &mut QueryBuilder<'_, Sqlite>, cursor: Option<&Cursor>, limit: u32) {
        let descending = self.descending != cursor.is_some_and(|c| c.backward);
        if let Some(cursor) = cursor {
            let op = if descending { "<" } else { ">" };
            sql.push(format!(" AND ({}, {}) {op} (", self.key, self.id));
            match &cursor.key {
                Value::Number(n) => sql.push_bind(n.as_i64().unwrap_or_default()),
                other => sql.push_bind(other.as_str().unwrap_or_default().to_owned()),
            };
            sql.push(", ").push_bind(cursor.id.clone()).push(")");
        }
        let direction = if descending { "DESC" } else { "ASC" };
        sql.push(format!(" ORDER BY {} {direction}, {} {direction}", self.key, self.id));
        sql.push(" LIMIT ").push_bind(i64::from(limit) + 1);
    }

    /// Trims the extra row, restores display order and computes the neighbours' tokens.
    pub fn page(
        &self,
        mut rows: Vec<SqliteRow>,
        cursor: Option<&Cursor>,
        limit: u32,
    ) -> (Vec<SqliteRow>, Paging) {
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let backward = cursor.is_some_and(|c| c.backward);
        if backward {
            rows.reverse();
        }
        let at = |row: &SqliteRow, backward: bool| {
            let key = match row.try_get::<i64, _>("sort_key") {
                Ok(n) => json!(n),
                Err(_) => json!(row.try_get::<String, _>("sort_key").unwrap_or_default()),
            };
            let id: String = row.try_get("sort_id").unwrap_or_default();
            Cursor { key, id, limit, backward }.encode()
        };
        let (next, previous) = match (rows.first(), rows.last()) {
            (Some(first), Some(last)) => {
                if backward {
                    (Some(at(last, false)), has_more.then(|| at(first, true)))
                } else {
                    (has_more.then(|| at(last, false)), cursor.is_some().then(|| at(first, true)))
                }
            }
            // An empty page past either end: offer the way back.
            _ => match cursor {
                Some(c) => {
                    let back = Cursor { backward: !c.backward, ..c.clone() }.encode();
                    if c.backward { (Some(back), None) } else { (None, Some(back)) }
                }
                None => (None, None),
            },
        };
        (rows, Paging { next, previous, total: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_stay_short() {
        let cursor = Cursor {
            key: json!("2026-11-01T09:00:00.000Z"),
            id: "0123456789abcdef01234567".into(),
            limit: 100,
            backward: true,
        };
        let token = cursor.encode();
        assert!(token.len() <= 100, "{} chars", token.len());
        assert_eq!(Cursor::decode(&token), Some(cursor));
        let counted = Cursor { key: json!(12), id: "x".into(), limit: 5, backward: false };
        assert_eq!(Cursor::decode(&counted.encode()), Some(counted));
    }

    #[test]
    fn foreign_tokens_are_rejected() {
        assert_eq!(Cursor::decode("eyJza2lwIjoxMCwibGltaXQiOjEwfQ=="), None);
        assert_eq!(Cursor::decode("%%%"), None);
        assert_eq!(Cursor::decode(&STANDARD.encode(r#"["k","i",500]"#)), None);
    }
}
