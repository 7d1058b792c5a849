//! The writes a push makes row by row — a record's fields, its row, an issue's event,
//! the push's answers, the client's seq, the version counter — each described once for
//! both engines ([`RowWrite`]) and made through [`Conn::write_rows`].
//!
//! SQLite runs each row as it comes: a statement there is a function call. PostgreSQL
//! gathers an open transaction's rows of each kind and sends them as one statement over
//! arrays (`pg_rows.rs`), with the next statement that must go out anyway. Counted on a
//! village-scale push load, a push was about 16 statements (two 8-mutation pushes per
//! group on average), and PostgreSQL spent less than half of its CPU per mutation inside
//! the statements themselves: the rest was each statement's own handling. Gathered, a
//! group is about six writes whatever its size.

use super::pg_rows::Column;
use super::sql::{Conn, Value};
use super::DbError;

/// One kind of row write, in each engine's spelling. Both texts use SQLite's `?N`
/// placeholders (`pg_text.rs` renumbers them).
pub(super) struct RowWrite {
    /// One row's statement, `?1` … `?width` in [`Self::columns`]' order.
    pub(super) sqlite_row: &'static str,
    /// Every gathered row at once: `?k` is column k's values as one array.
    pub(super) pg_rows: &'static str,
    /// Each column's PostgreSQL array type.
    pub(super) columns: &'static [Column],
    /// Rows whose first `n` columns are equal replace each other, the later one kept
    /// (`Some(0)`: only the last row is kept). One statement may not upsert a row twice
    /// (PostgreSQL refuses), and the last of a run of upserts is what they leave behind.
    pub(super) keep_last_by: Option<usize>,
    /// Kinds go out lowest rank first, whatever order they came in: a new client's row
    /// before the answers that refer to it (a foreign key) and before its seq's update.
    pub(super) rank: u8,
}

use Column::{Int, Text};

/// A client's first push makes its row (`push::push`).
pub(super) static NEW_CLIENT: RowWrite = RowWrite {
    sqlite_row: "INSERT INTO clients (client_id, username, last_seq) VALUES (?1, ?2, 0)",
    pg_rows: "INSERT INTO clients (client_id, username, last_seq)
              SELECT c, u, 0 FROM unnest(?1::text[], ?2::text[]) AS n(c, u)",
    columns: &[Text, Text],
    keep_last_by: None,
    rank: 0,
};

/// A record's fields (`store::write_fields`).
pub(super) static FIELDS: RowWrite = RowWrite {
    sqlite_row: "INSERT INTO record_fields (collection, id, field, value, version, writer, written_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (collection, id, field) DO UPDATE
                 SET value = excluded.value, version = excluded.version, writer = excluded.writer,
                     written_at = excluded.written_at",
    pg_rows: "INSERT INTO record_fields (collection, id, field, value, version, writer, written_at)
              SELECT * FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[], ?5::int8[], ?6::text[], ?7::int8[])
              ON CONFLICT (collection, id, field) DO UPDATE
              SET value = excluded.value, version = excluded.version, writer = excluded.writer,
                  written_at = excluded.written_at",
    columns: &[Text, Text, Text, Text, Int, Text, Int],
    keep_last_by: Some(3),
    rank: 1,
};

/// A record's row, new or moved to `grid` at `version` (`store::upsert_record`).
pub(super) static RECORD: RowWrite = RowWrite {
    sqlite_row: "INSERT INTO records (collection, id, grid, deleted, version) VALUES (?1, ?2, ?3, 0, ?4)
                 ON CONFLICT (collection, id) DO UPDATE SET grid = excluded.grid, version = excluded.version",
    pg_rows: "INSERT INTO records (collection, id, grid, deleted, version)
              SELECT c, i, g, 0, v FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::int8[]) AS r(c, i, g, v)
              ON CONFLICT (collection, id) DO UPDATE SET grid = excluded.grid, version = excluded.version",
    columns: &[Text, Text, Text, Int],
    keep_last_by: Some(2),
    rank: 1,
};

/// An issue's event (`apply::append_event`). An event id used twice fails either way.
pub(super) static EVENT: RowWrite = RowWrite {
    sqlite_row: "INSERT INTO issue_events (event_id, issue_id, grid, event, version) VALUES (?1, ?2, ?3, ?4, ?5)",
    pg_rows: "INSERT INTO issue_events (event_id, issue_id, grid, event, version)
              SELECT * FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[], ?5::int8[])",
    columns: &[Text, Text, Text, Text, Int],
    keep_last_by: None,
    rank: 1,
};

/// The answer given to one of a client's seqs (`push::store_results`).
pub(super) static RESULT: RowWrite = RowWrite {
    sqlite_row: "INSERT INTO mutation_results (client_id, seq, status, code, message) VALUES (?1, ?2, ?3, ?4, ?5)",
    pg_rows: "INSERT INTO mutation_results (client_id, seq, status, code, message)
              SELECT * FROM unnest(?1::text[], ?2::int8[], ?3::text[], ?4::text[], ?5::text[])",
    columns: &[Text, Int, Text, Text, Text],
    keep_last_by: None,
    rank: 1,
};

/// A client's last acknowledged seq (its row exists: the push made it first).
pub(super) static CLIENT_SEQ: RowWrite = RowWrite {
    sqlite_row: "UPDATE clients SET last_seq = ?2 WHERE client_id = ?1",
    pg_rows: "UPDATE clients SET last_seq = v.s FROM unnest(?1::text[], ?2::int8[]) AS v(c, s)
              WHERE clients.client_id = v.c",
    columns: &[Text, Int],
    keep_last_by: Some(1),
    rank: 1,
};

/// The version counter, written back at the end of each push (`store::write_counter`).
pub(super) static COUNTER: RowWrite = RowWrite {
    sqlite_row: "UPDATE version_counter SET value = ?1 WHERE id = 1",
    pg_rows: "UPDATE version_counter SET value = (?1::int8[])[1] WHERE id = 1",
    columns: &[Int],
    keep_last_by: Some(0),
    rank: 1,
};

impl Conn {
    /// Writes `values`, whole rows of `write` one after another, as a write nothing waits
    /// for ([`Conn::execute_later`]): on PostgreSQL inside a transaction, gathered with
    /// the transaction's other rows of the same kind until the next statement goes out.
    pub(super) fn write_rows(&self, write: &'static RowWrite, values: &[Value<'_>]) -> Result<(), DbError> {
        let width = write.columns.len();
        if width == 0 || !values.len().is_multiple_of(width) {
            return Err(DbError::Worker(format!("{} values are not rows of {width}", values.len())));
        }
        match self.pg() {
            Some(pg) => pg.gather(write, values),
            None => values.chunks(width).try_for_each(|row| self.execute(write.sqlite_row, row).map(drop)),
        }
    }
}
