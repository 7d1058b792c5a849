//! `wangge-server migrate`: moves a district's SQLite database into PostgreSQL, exactly,
//! so phones carry on across the move with their tokens, cursors and outboxes.
//!
//! The source is read in one read transaction (one consistent snapshot, on a read-only
//! connection). The target is migrated to the current schema, must hold nothing but the
//! rows its schema seeds (the epoch, the version counter, the ID-card key — replaced by
//! the source's), and receives every table in foreign-key order, in multi-row INSERTs,
//! inside ONE transaction. Before COMMIT each table is read back and its row count and an
//! order-independent checksum (`Tally`) must equal what was read from SQLite; otherwise
//! the whole copy rolls back, naming the table.
//!
//! The epoch: copied as it is, so phones see the same server. If the SQLite database
//! changed while it was copied (a server still running on it), the copy is consistent but
//! not the latest: it is committed under a new epoch instead, which sends every phone
//! through the reset path (re-pull, re-offer what it holds) rather than let it trust
//! acknowledgements the copy does not have. Stop the server first for an exact move.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::migrate_catalog::{self as catalog, quoted, Table};
use super::sql::{params, Cell, Conn, Row, Value};
use super::{migrations, pg, store, DbError};

/// At most this many parameters in one INSERT (PostgreSQL allows 65,535).
const PARAMS_PER_INSERT: usize = 30_000;
/// Rows read back from PostgreSQL per FETCH.
const FETCH_ROWS: usize = 10_000;

/// What a migration copied.
#[derive(Debug)]
pub struct Migrated {
    /// Every table in the order copied, with what both sides agreed on.
    pub tables: Vec<TableCopy>,
    /// The schema version of both databases.
    pub schema_version: u32,
    /// The source's epoch (the copy keeps it unless `new_epoch` is set).
    pub epoch: String,
    /// The source changed during the copy: the copy serves under this epoch instead.
    pub new_epoch: Option<String>,
}

/// One table's copy: rows and checksum, equal on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    pub checksum: u128,
}

/// Copies the SQLite database at `source` into the (empty) PostgreSQL database at
/// `target_url`. Nothing is written to the target unless every table verifies.
pub fn migrate(source: &Path, target_url: &str) -> Result<Migrated, DbError> {
    if !source.is_file() {
        return Err(DbError::Refused(format!("no SQLite database at {} (is --from right?)", source.display())));
    }
    let lite = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    lite.busy_timeout(std::time::Duration::from_secs(5))?;
    let before = data_version(&lite)?;
    let lite = Conn::sqlite(lite);
    let mut target = pg::connect(target_url, pg::Role::Writer)?;
    copy(&lite, &mut target, before)
}

/// The copy proper. `before` is the source's `data_version` before its snapshot began.
fn copy(lite: &Conn, target: &mut Conn, before: i64) -> Result<Migrated, DbError> {
    let source = lite.snapshot()?;
    let found = migrations::current_version(&source)?;
    migrations::run(target)?;
    let schema_version = migrations::current_version(target)?;
    if found != schema_version {
        let what_to_do = if found < schema_version {
            "start this version of the server on it once (it migrates on start), stop it, then migrate"
        } else {
            "migrate with the newer server that wrote it"
        };
        return Err(DbError::Refused(format!(
            "the SQLite database is at schema version {found}, this server's schema is {schema_version}: {what_to_do}; nothing was copied"
        )));
    }
    let tables = catalog::tables(&source, target)?;
    let tx = target.transaction()?;
    if let Some(table) = catalog::first_non_empty(&tx, &tables)? {
        return Err(DbError::Refused(format!(
            "the PostgreSQL database is not empty (table {table} holds data): migrate only into a new database or schema; nothing was changed"
        )));
    }
    for seeded in catalog::SEEDED {
        tx.execute(&format!("DELETE FROM {}", quoted(seeded)), params![])?;
    }
    let mut copies = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        let read = copy_table(&source, &tx, table)?;
        let written = tally_target(&tx, table, i)?;
        if read != written {
            return Err(DbError::Refused(format!(
                "table {}: SQLite gave {} rows (checksum {:032x}), PostgreSQL holds {} rows (checksum {:032x}); rolled back, nothing was written",
                table.name, read.rows, read.sum, written.rows, written.sum
            )));
        }
        copies.push(TableCopy { table: table.name.clone(), rows: read.rows, checksum: read.sum });
    }
    // The snapshot ends here; a commit to the source since before it began shows now.
    drop(source);
    let changed = data_version(lite.as_sqlite().ok_or_else(not_sqlite)?)? != before;
    let epoch = store::epoch(&tx)?;
    let new_epoch = if changed {
        tx.execute(
            "UPDATE server_meta SET value = replace(gen_random_uuid()::text, '-', '') WHERE key = 'epoch'",
            params![],
        )?;
        Some(store::epoch(&tx)?)
    } else {
        None
    };
    // Sequences are not transactional: moved last, so a copy refused above leaves them be.
    catalog::move_identities(&tx)?;
    tx.commit()?;
    Ok(Migrated { tables: copies, schema_version, epoch, new_epoch })
}

/// Streams one table out of the snapshot into the target in multi-row INSERTs; the tally
/// of what was read.
fn copy_table(source: &Conn, target: &Conn, table: &Table) -> Result<Tally, DbError> {
    let lite = source.as_sqlite().ok_or_else(not_sqlite)?;
    let mut stmt = lite.prepare(&format!("SELECT {} FROM {}", table.column_list(), quoted(&table.name)))?;
    let width = stmt.column_count();
    let per_insert = (PARAMS_PER_INSERT / width.max(1)).max(1);
    let mut rows = stmt.query([])?;
    let (mut tally, mut batch) = (Tally::default(), Vec::with_capacity(per_insert));
    while let Some(row) = rows.next()? {
        let row = Row::from_sqlite(row, width)?;
        tally.add(&row);
        batch.push(row);
        if batch.len() == per_insert {
            insert(target, table, &batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        insert(target, table, &batch)?;
    }
    Ok(tally)
}

fn insert(target: &Conn, table: &Table, rows: &[Row]) -> Result<(), DbError> {
    let width = table.columns.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let marks: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let sql = format!("INSERT INTO {} ({}) VALUES {}", quoted(&table.name), table.column_list(), tuples.join(", "));
    let values: Vec<Value<'_>> = rows.iter().flat_map(|r| r.cells().iter().map(Cell::as_value)).collect();
    target.execute(&sql, &values)?;
    Ok(())
}

/// Reads the table back from the target through a cursor (a village's 600,000 field rows
/// never sit in memory at once); `n` names the cursor, one per table.
fn tally_target(target: &Conn, table: &Table, n: usize) -> Result<Tally, DbError> {
    let cursor = format!("migrate_check_{n}");
    target.execute_batch(&format!(
        "DECLARE {cursor} NO SCROLL CURSOR FOR SELECT {} FROM {}",
        table.column_list(),
        quoted(&table.name)
    ))?;
    let fetch = format!("FETCH {FETCH_ROWS} FROM {cursor}");
    let mut tally = Tally::default();
    loop {
        let page = target.query_map(&fetch, params![], |row| {
            tally.add(row);
            Ok(())
        })?;
        if page.is_empty() {
            break;
        }
    }
    target.execute_batch(&format!("CLOSE {cursor}"))?;
    Ok(tally)
}

/// A table's row count and the wrapping sum of a SHA-256-derived number per row: equal
/// for the same rows in any order, and different (but for a 2⁻¹²⁸ chance) if any cell of
/// any row differs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub rows: u64,
    pub sum: u128,
}

impl Tally {
    /// Counts `row` in.
    pub fn add(&mut self, row: &Row) {
        let mut hash = Sha256::new();
        for cell in row.cells() {
            // A tag per kind and a length per text, so no two different rows encode alike.
            match cell {
                Cell::Null => hash.update([0]),
                Cell::Int(n) => {
                    hash.update([1]);
                    hash.update(n.to_le_bytes());
                }
                Cell::Real(f) => {
                    hash.update([2]);
                    hash.update(f.to_bits().to_le_bytes());
                }
                Cell::Text(s) => {
                    hash.update([3]);
                    hash.update((s.len() as u64).to_le_bytes());
                    hash.update(s.as_bytes());
                }
                Cell::Blob(b) => {
                    hash.update([4]);
                    hash.update((b.len() as u64).to_le_bytes());
                    hash.update(b);
                }
            }
        }
        let digest = hash.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }
}

/// SQLite's count of commits by other connections, as this connection last saw it.
fn data_version(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

fn not_sqlite() -> DbError {
    DbError::Corrupt("the migration's source is not a SQLite connection".into())
}
