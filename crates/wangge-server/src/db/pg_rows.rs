//! PostgreSQL: an open transaction's [`RowWrite`] rows, gathered per kind as column
//! arrays and sent as one statement each (`row_writes.rs` says why).
//!
//! **Order.** Gathered rows are always newer than every write already queued
//! (`pg_pipeline.rs`): before any other statement is queued or sent, the gathered rows
//! go into the queue first ([`PgConn::queue_gathered`]). Between two such moments only
//! gathered writes happen, and they touch different tables per kind or, within a kind,
//! replace each other as running them one by one would (`keep_last_by`), so sending a
//! kind's rows together changes nothing a later statement can see.

use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type};

use super::pg_conn::PgConn;
use super::pg_pipeline::Deferred;
use super::row_writes::RowWrite;
use super::sql_values::Value;
use super::DbError;

/// A column's PostgreSQL array type.
#[derive(Debug, Clone, Copy)]
pub(super) enum Column {
    /// `text[]`
    Text,
    /// `int8[]`
    Int,
}

/// One column's gathered values, bound as one array parameter.
#[derive(Debug)]
pub(super) enum Array {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}

impl Array {
    fn new(column: Column) -> Array {
        match column {
            Column::Text => Array::Text(Vec::new()),
            Column::Int => Array::Int(Vec::new()),
        }
    }

    /// Sets element `at` (or appends at the end) to `value`.
    fn put(&mut self, at: usize, value: Value<'_>) -> Result<(), DbError> {
        fn set<T>(v: &mut Vec<T>, at: usize, x: T) {
            match v.get_mut(at) {
                Some(slot) => *slot = x,
                None => v.push(x),
            }
        }
        match (self, value) {
            (Array::Text(v), Value::Text(s)) => set(v, at, Some(s.to_owned())),
            (Array::Text(v), Value::Null) => set(v, at, None),
            (Array::Int(v), Value::Int(i)) => set(v, at, Some(i)),
            (Array::Int(v), Value::Null) => set(v, at, None),
            (_, other) => {
                return Err(DbError::Worker(format!("a gathered row's value {other:?} does not fit its column")))
            }
        }
        Ok(())
    }
}

impl ToSql for Array {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Array::Text(v) => v.to_sql(ty, out),
            Array::Int(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <Vec<Option<String>> as ToSql>::accepts(ty) || <Vec<Option<i64>> as ToSql>::accepts(ty)
    }

    tokio_postgres::types::to_sql_checked!();
}

/// One kind's rows so far.
struct Gathered {
    write: &'static RowWrite,
    columns: Vec<Array>,
    rows: usize,
    /// Row index by key, when rows with the same key replace each other.
    keys: HashMap<String, usize>,
}

/// Rows past which a kind is sent at once: keeps one statement's arrays (an import's
/// thousands of fields) to a few hundred kilobytes.
const MAX_ROWS: usize = 2_000;

/// The open transaction's gathered rows, kinds in the order they first came.
#[derive(Default)]
pub(super) struct GatheredRows {
    kinds: Vec<Gathered>,
}

impl GatheredRows {
    fn add(&mut self, write: &'static RowWrite, values: &[Value<'_>]) -> Result<usize, DbError> {
        let at = match self.kinds.iter().position(|g| std::ptr::eq(g.write, write)) {
            Some(at) => at,
            None => {
                let columns = write.columns.iter().map(|c| Array::new(*c)).collect();
                self.kinds.push(Gathered { write, columns, rows: 0, keys: HashMap::new() });
                self.kinds.len() - 1
            }
        };
        let kind = &mut self.kinds[at];
        for row in values.chunks(write.columns.len()) {
            let index = match write.keep_last_by {
                Some(n) => *kind.keys.entry(key_of(&row[..n])).or_insert(kind.rows),
                None => kind.rows,
            };
            for (column, value) in kind.columns.iter_mut().zip(row) {
                column.put(index, *value)?;
            }
            kind.rows = kind.rows.max(index + 1);
        }
        Ok(kind.rows)
    }

    fn take(&mut self) -> Vec<(&'static RowWrite, Vec<Array>)> {
        // Stable: kinds of one rank keep the order they came in.
        self.kinds.sort_by_key(|g| g.write.rank);
        self.kinds.drain(..).map(|g| (g.write, g.columns)).collect()
    }

    pub(super) fn clear(&mut self) {
        self.kinds.clear();
    }
}

/// A row's key columns as one string (a separator no id or field name contains).
fn key_of(values: &[Value<'_>]) -> String {
    let mut key = String::new();
    for v in values {
        match v {
            Value::Text(s) => key.push_str(s),
            Value::Int(i) => key.push_str(&i.to_string()),
            _ => key.push('\u{0}'),
        }
        key.push('\u{1f}');
    }
    key
}

impl PgConn {
    /// Gathers `values` (rows of `write`) in an open transaction; outside one, sends them
    /// at once.
    pub(super) fn gather(&self, write: &'static RowWrite, values: &[Value<'_>]) -> Result<(), DbError> {
        let rows = self.gathered.borrow_mut().add(write, values)?;
        if !self.in_transaction.get() || rows >= MAX_ROWS {
            let client = self.live()?;
            return self.run(&client, async { Ok(()) });
        }
        Ok(())
    }

    /// Moves the gathered rows into the queue of writes (one statement per kind, a
    /// handful at most: the queue's bound of [`MAX_QUEUED`](super::pg_pipeline::MAX_QUEUED)
    /// is checked by the callers that grow it one by one), ahead of whatever is queued or
    /// sent next.
    pub(super) fn queue_gathered(&self, client: &tokio_postgres::Client) -> Result<(), DbError> {
        let kinds = self.gathered.borrow_mut().take();
        for (write, arrays) in kinds {
            let stmt = self.prepared_on(client, write.pg_rows)?;
            self.deferred.borrow_mut().push(Deferred::Rows(stmt, arrays));
        }
        Ok(())
    }
}
