//! The one connection type the storage layer writes SQL through, on either engine: SQLite
//! (rusqlite, the embedded default) or PostgreSQL (`tokio-postgres`, waited on by the
//! storage thread that calls it, `pg.rs`; the engine a city runs on). The storage code is written once against [`Conn`]: `?N`
//! placeholders, parameters as [`Value`]s, rows read as [`Cell`]s, and SQL both engines
//! accept (`ON CONFLICT … DO NOTHING`, not `INSERT OR IGNORE`). What still differs is
//! translated here, once per statement text (`pg_text.rs`), or asked for by name
//! ([`Conn::dialect`]) where a query has to be written twice.
//!
//! Every method takes `&self`, as rusqlite's do, so the storage functions pass `&Conn`
//! around.

use std::cell::{Cell as Flag, RefCell};
use std::collections::HashMap;

use super::pg_conn::{pg_params, PgConn};
use super::pg_pipeline::{self, Deferred};
use super::DbError;

pub use super::sql_stmt::{OptionalExtension, Stmt, Tx};
pub use super::sql_values::{Cell, FromCell, Row, ToValue, Value};

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to either engine. Not `Sync`: one thread uses it at a time (the writer's
/// own, or a reader borrowed from its pool under a mutex).
pub struct Conn {
    inner: Inner,
}

enum Inner {
    Lite(rusqlite::Connection),
    // Boxed: far larger than a rusqlite handle, and there is one per connection anyway.
    Pg(Box<PgConn>),
}

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection) -> Conn {
        Conn { inner: Inner::Lite(conn) }
    }

    pub(super) fn postgres(opened: super::pg::Opened, url: String, role: super::pg::Role) -> Conn {
        let (client, driver, socket) = opened;
        Conn {
            inner: Inner::Pg(Box::new(PgConn {
                client: RefCell::new(client),
                driver: RefCell::new(Some(driver)),
                socket: RefCell::new(socket),
                url,
                role,
                statements: RefCell::new(HashMap::new()),
                in_transaction: Flag::new(false),
                round_trips: Flag::new(0),
                sent: Flag::new(0),
                deferred: RefCell::new(Vec::new()),
                gathered: RefCell::new(Default::default()),
            })),
        }
    }

    /// A new connection to `database` (SQLite: the file, created if missing).
    pub fn open(database: &super::Database) -> Result<Conn, DbError> {
        match database {
            super::Database::Sqlite(path) => Ok(Conn::sqlite(rusqlite::Connection::open(path)?)),
            super::Database::Postgres(url) => super::pg::connect(url, super::pg::Role::Writer),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Lite(_) => Dialect::Sqlite,
            Inner::Pg(_) => Dialect::Postgres,
        }
    }

    /// The PostgreSQL connection, for what only it does (`pg_rows.rs`).
    pub(super) fn pg(&self) -> Option<&PgConn> {
        match &self.inner {
            Inner::Lite(_) => None,
            Inner::Pg(pg) => Some(pg),
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the online backup).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<usize, DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?),
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let n = pg.run(&client, client.execute(&stmt, &pg_params(params)))?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// Runs several statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(pg) => {
                let client = pg.live()?;
                pg.run(&client, client.batch_execute(sql))
            }
        }
    }

    /// Runs a write whose answer nothing waits for. On PostgreSQL, inside a transaction,
    /// it is queued and goes out with the next statement (`pg_pipeline.rs`), which then
    /// reports its failure: one round trip fewer per write. SQLite runs it at once.
    pub fn execute_later(&self, sql: &str, params: &[Value<'_>]) -> Result<(), DbError> {
        match &self.inner {
            Inner::Pg(pg) if pg.in_transaction.get() => {
                let (client, stmt) = pg.prepared(sql)?;
                pg.queue_gathered(&client)?;
                let queued = {
                    let mut deferred = pg.deferred.borrow_mut();
                    deferred.push(Deferred::statement(stmt, params));
                    deferred.len()
                };
                // Bounded: answers PostgreSQL cannot send while this thread is still
                // writing would fill the socket both ways (an import queues thousands).
                if queued >= pg_pipeline::MAX_QUEUED {
                    pg.run(&client, async { Ok(()) })?;
                }
                Ok(())
            }
            _ => self.execute(sql, params).map(drop),
        }
    }

    /// A savepoint statement queued as [`Conn::execute_later`] queues a write.
    pub fn control_later(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Pg(pg) if pg.in_transaction.get() => {
                pg.queue_gathered(&pg.client.borrow())?;
                pg.deferred.borrow_mut().push(Deferred::Simple(sql.to_string()));
                Ok(())
            }
            _ => self.control(sql),
        }
    }

    /// Every row `sql` returns, each turned into a `T` by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        mut f: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        match &self.inner {
            Inner::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::from_sqlite(row, width)?)?);
                }
                Ok(out)
            }
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let rows = pg.run(&client, client.query(&stmt, &pg_params(params)))?;
                rows.iter().map(|r| f(&Row::from_postgres(r)?)).collect()
            }
        }
    }

    /// The first row `sql` returns, if any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        match &self.inner {
            Inner::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(row) => Ok(Some(f(&Row::from_sqlite(row, width)?)?)),
                    None => Ok(None),
                }
            }
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let row = pg.run(&client, client.query_opt(&stmt, &pg_params(params)))?;
                row.map(|r| f(&Row::from_postgres(&r)?)).transpose()
            }
        }
    }

    /// The one row `sql` must return: [`DbError::NoRow`] if none (`.optional()` turns
    /// that into `None`, as with rusqlite).
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRow)
    }

    /// A statement to run once or several times: the text is prepared (and cached) by the
    /// connection on first use, so this only holds it.
    pub fn prepare_cached<'c>(&'c self, sql: &'c str) -> Result<Stmt<'c>, DbError> {
        Ok(Stmt { conn: self, sql })
    }

    /// The same as [`Conn::prepare_cached`] (every statement is cached).
    pub fn prepare<'c>(&'c self, sql: &'c str) -> Result<Stmt<'c>, DbError> {
        self.prepare_cached(sql)
    }

    /// The first column of the one row `sql` returns.
    pub fn query_value<T: FromCell>(&self, sql: &str, params: &[Value<'_>]) -> Result<T, DbError> {
        self.query_row(sql, params, |r| r.get(0))
    }

    /// Whether `sql` returns any row.
    pub fn exists(&self, sql: &str, params: &[Value<'_>]) -> Result<bool, DbError> {
        Ok(self.query_opt(sql, params, |_| Ok(()))?.is_some())
    }

    /// A savepoint statement, run for every member of a writer group: SQLite keeps it
    /// prepared (parsing it showed in profiles); PostgreSQL takes it as a simple query.
    pub fn control(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.prepare_cached(sql)?.execute([]).map(drop)?),
            Inner::Pg(pg) => {
                let client = pg.live()?;
                pg.run(&client, client.batch_execute(sql))
            }
        }
    }

    /// Opens a write transaction: SQLite's `BEGIN IMMEDIATE` (take the write lock now,
    /// not at the first write). On PostgreSQL it also locks the version counter's row, so
    /// writers — in this process or another against the same database — run one after
    /// the other: versions are then handed out in commit order, and a pull that has seen
    /// version N can never miss an N−1 committed later (the cursor never skips a change).
    pub fn begin_write(&self) -> Result<(), DbError> {
        self.begin("BEGIN IMMEDIATE", "BEGIN; SELECT value FROM version_counter WHERE id = 1 FOR UPDATE")
    }

    /// Opens a read transaction: every statement until it ends sees one snapshot.
    pub fn begin_read(&self) -> Result<(), DbError> {
        self.begin("BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }

    fn begin(&self, lite: &str, pg_sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(lite)?),
            Inner::Pg(pg) => {
                let result = pg.wait(pg.live()?.batch_execute(pg_sql));
                // Open even if the batch failed after its BEGIN (the lock wait cancelled,
                // say): end it here, or every later statement would run in an aborted one.
                pg.in_transaction.set(true);
                if result.is_err() {
                    let _ = self.rollback();
                }
                Ok(result?)
            }
        }
    }

    pub fn commit(&self) -> Result<(), DbError> {
        self.finish("COMMIT")
    }

    pub fn rollback(&self) -> Result<(), DbError> {
        self.finish("ROLLBACK")
    }

    fn finish(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(pg) => {
                // Whatever the outcome, the transaction is over (a failed COMMIT rolls back).
                pg.in_transaction.set(false);
                // Never on a new connection: a COMMIT there would "succeed" with nothing
                // to commit, and a lost transaction would be acknowledged. Queued writes
                // go out with a COMMIT (which then fails if one did: PostgreSQL answers a
                // COMMIT of an aborted transaction with a quiet ROLLBACK) and never with
                // a ROLLBACK.
                let client = pg.client.borrow();
                if sql == "ROLLBACK" {
                    pg.deferred.borrow_mut().clear();
                    pg.gathered.borrow_mut().clear();
                }
                pg.run(&client, client.batch_execute(sql))
            }
        }
    }

    /// How many times this connection has waited for PostgreSQL so far (0 on SQLite):
    /// a write group's cost on PostgreSQL is mostly its round trips.
    pub fn round_trips(&self) -> u64 {
        match &self.inner {
            Inner::Lite(_) => 0,
            Inner::Pg(pg) => pg.round_trips.get(),
        }
    }

    /// How many statements this connection has sent to PostgreSQL so far, queued ones
    /// included (0 on SQLite): each costs PostgreSQL its own handling.
    pub fn statements_sent(&self) -> u64 {
        self.pg().map_or(0, |pg| pg.sent.get())
    }

    /// True when no transaction is open (SQLite may roll one back by itself on an error).
    pub fn is_autocommit(&self) -> bool {
        match &self.inner {
            Inner::Lite(c) => c.is_autocommit(),
            Inner::Pg(pg) => !pg.in_transaction.get(),
        }
    }

    /// A write transaction that rolls back when dropped uncommitted.
    pub fn transaction(&self) -> Result<Tx<'_>, DbError> {
        self.begin_write()?;
        Ok(Tx { conn: self, open: true })
    }

    /// A read transaction (one snapshot) that ends when dropped.
    pub fn snapshot(&self) -> Result<Tx<'_>, DbError> {
        self.begin_read()?;
        Ok(Tx { conn: self, open: true })
    }
}

/// `params![a, b, …]`: the parameters of one statement, each through [`ToValue`].
#[macro_export]
macro_rules! params {
    () => { &[] as &[$crate::db::sql::Value<'_>] };
    ($($p:expr),+ $(,)?) => { &[$($crate::db::sql::ToValue::to_value(&$p)),+] as &[$crate::db::sql::Value<'_>] };
}
pub use crate::params;
