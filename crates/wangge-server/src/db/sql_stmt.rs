//! The small types around [`Conn`] that give the storage code rusqlite's shape: a
//! statement to run (`conn.prepare_cached(sql)?.query_map(…)`), `.optional()` on a
//! one-row query, and a transaction that rolls back when dropped uncommitted.

use super::sql::{Conn, Row, Value};
use super::DbError;

/// One statement's text on one connection, in rusqlite's shape (`stmt.query_map(…)`).
pub struct Stmt<'c> {
    pub(super) conn: &'c Conn,
    pub(super) sql: &'c str,
}

impl Stmt<'_> {
    pub fn execute(&mut self, params: &[Value<'_>]) -> Result<usize, DbError> {
        self.conn.execute(self.sql, params)
    }

    /// [`Conn::execute_later`]: a write whose answer nothing waits for.
    pub fn execute_later(&mut self, params: &[Value<'_>]) -> Result<(), DbError> {
        self.conn.execute_later(self.sql, params)
    }

    pub fn query_row<T>(
        &mut self,
        params: &[Value<'_>],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.conn.query_row(self.sql, params, f)
    }

    /// Every row, read out at once, each turned into a `T` by `f`.
    pub fn query_map<T>(
        &mut self,
        params: &[Value<'_>],
        f: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<impl Iterator<Item = Result<T, DbError>>, DbError> {
        // Read out already (rows are converted as they come); wrapped for the callers
        // that collect into a `Result` as they did with rusqlite's lazy rows.
        Ok(self.conn.query_map(self.sql, params, f)?.into_iter().map(Ok))
    }

    pub fn exists(&mut self, params: &[Value<'_>]) -> Result<bool, DbError> {
        self.conn.exists(self.sql, params)
    }
}

/// `.optional()` on a [`Conn::query_row`] result: no row is `None`, as with rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>, DbError>;
}

impl<T> OptionalExtension<T> for Result<T, DbError> {
    fn optional(self) -> Result<Option<T>, DbError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// An open transaction; dropped without [`Tx::commit`], it rolls back.
pub struct Tx<'a> {
    pub(super) conn: &'a Conn,
    pub(super) open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<(), DbError> {
        self.open = false;
        self.conn.commit()
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            // Nothing to report: the caller is already returning the error that stopped it.
            let _ = self.conn.rollback();
        }
    }
}
