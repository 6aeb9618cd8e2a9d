//! The batched row writer every generator uses: rows of one table are collected and written
//! with multi-row `INSERT`s (one statement per ~1,000 rows) inside the caller's transaction,
//! so a million posts seed in seconds rather than minutes.

use sqlx::{QueryBuilder, Sqlite, Transaction};

/// A bound value of a generated row.
pub(crate) enum Val {
    Text(String),
    Int(i64),
    Null,
}

impl From<&str> for Val {
    fn from(value: &str) -> Self {
        Val::Text(value.to_owned())
    }
}
impl From<String> for Val {
    fn from(value: String) -> Self {
        Val::Text(value)
    }
}
impl From<i64> for Val {
    fn from(value: i64) -> Self {
        Val::Int(value)
    }
}
impl From<bool> for Val {
    fn from(value: bool) -> Self {
        Val::Int(i64::from(value))
    }
}
impl From<Option<String>> for Val {
    fn from(value: Option<String>) -> Self {
        value.map_or(Val::Null, Val::Text)
    }
}

/// Rows of one table, written in multi-row statements as they fill up.
pub(crate) struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
    /// Rows written so far.
    pub(crate) written: u64,
}

impl Batch {
    pub(crate) fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self { table, columns, rows: Vec::new(), written: 0 }
    }

    /// Rows per statement: well under SQLite's 32,766 bound parameters.
    fn capacity(&self) -> usize {
        (30_000 / self.columns.len()).min(1_000)
    }

    /// Adds a row (one value per column, in order), writing the batch when it is full.
    pub(crate) async fn push(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        row: Vec<Val>,
    ) -> anyhow::Result<()> {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
        if self.rows.len() >= self.capacity() {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Writes the rows collected so far.
    pub(crate) async fn flush(&mut self, tx: &mut Transaction<'_, Sqlite>) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut sql =
            QueryBuilder::<Sqlite>::new(format!("INSERT INTO {} ({}) ", self.table, self.columns.join(", ")));
        let rows = std::mem::take(&mut self.rows);
        self.written += rows.len() as u64;
        sql.push_values(rows, |mut b, row| {
            for value in row {
                match value {
                    Val::Text(text) => b.push_bind(text),
                    Val::Int(n) => b.push_bind(n),
                    Val::Null => b.push_bind(None::<String>),
                };
            }
        });
        sql.build().execute(&mut **tx).await?;
        Ok(())
    }
}
