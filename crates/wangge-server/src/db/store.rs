//! Row-level helpers shared by push, pull and seeding: records and their fields, the
//! server version counter, the epoch and the grid tree as stored.

use std::collections::{BTreeMap, HashMap};

use super::row_writes;
use super::sql::{params, Conn, Dialect, OptionalExtension, ToValue};
use serde_json::Value;
use wangge_core::grid::{Grid, GridTree};
use wangge_core::issue::{sort_events, IssueEvent};
use wangge_core::sync::VersionedValue;

use super::DbError;

/// A record's row: where it sits and whether it is deleted.
#[derive(Debug, Clone)]
pub(super) struct RecordRow {
    pub(super) grid: String,
    pub(super) deleted: bool,
}

pub(super) fn record_row(conn: &Conn, collection: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT grid, deleted FROM records WHERE collection = ?1 AND id = ?2")?;
    let row = stmt
        .query_row(params![collection, id], |r| Ok(RecordRow { grid: r.get(0)?, deleted: r.get(1)? }))
        .optional()?;
    Ok(row)
}

pub(super) fn record_fields(
    conn: &Conn,
    collection: &str,
    id: &str,
) -> Result<BTreeMap<String, VersionedValue>, DbError> {
    let mut stmt = conn.prepare_cached(
        // The writer's person and the time travel with each field so the phone can say
        // who changed what and when (a client id means nothing to a person). An
        // administrator's write (`feed.rs`) names its writer `admin:<username>`.
        // An import's writer is `import:<person id>`.
        "SELECT f.field, f.value, f.version,
                COALESCE(u.person_id, CASE WHEN f.writer LIKE 'import:%' THEN substr(f.writer, 8) END),
                f.written_at FROM record_fields f
         LEFT JOIN clients c ON c.client_id = f.writer
         LEFT JOIN users u ON u.username = COALESCE(c.username,
             CASE WHEN f.writer LIKE 'admin:%' THEN substr(f.writer, 7) END)
         WHERE f.collection = ?1 AND f.id = ?2",
    )?;
    let rows = stmt.query_map(params![collection, id], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<u64>(2)?,
            r.get::<Option<String>>(3)?,
            r.get::<Option<i64>>(4)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (field, json, version, by, at) = row?;
        out.insert(field, VersionedValue { value: parse_json(&json)?, version, by, at });
    }
    Ok(out)
}

/// Writes fields of one record at `version` (on PostgreSQL gathered with the
/// transaction's other fields into one statement: `row_writes.rs`). `writer` is the pushing client id (None for seeded data), kept so a device's
/// later write over its own value is not a conflict; `written_at` the server time of a
/// pushed write, for the phone's attributed history.
// One argument per column of the rows it writes; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_fields<'f>(
    conn: &Conn,
    collection: &str,
    id: &str,
    fields: impl IntoIterator<Item = (&'f String, &'f Value)>,
    version: u64,
    writer: Option<&str>,
    written_at: Option<i64>,
) -> Result<(), DbError> {
    let fields: Vec<(&String, String)> = fields.into_iter().map(|(f, v)| (f, to_json(v))).collect();
    let mut values = Vec::with_capacity(fields.len() * 7);
    for (field, json) in &fields {
        values.extend([
            collection.to_value(),
            id.to_value(),
            field.to_value(),
            json.to_value(),
            version.to_value(),
            writer.to_value(),
            written_at.to_value(),
        ]);
    }
    conn.write_rows(&row_writes::FIELDS, &values)
}

/// A stored field with the client id that wrote its current value (None: seeded, or
/// written before writers were kept).
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) value: VersionedValue,
    pub(super) writer: Option<String>,
}

/// A record's fields with their writers, for merging a push into them.
pub(super) fn record_cells(conn: &Conn, collection: &str, id: &str) -> Result<BTreeMap<String, Cell>, DbError> {
    let mut stmt = conn
        .prepare_cached("SELECT field, value, version, writer FROM record_fields WHERE collection = ?1 AND id = ?2")?;
    let rows = stmt.query_map(params![collection, id], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<u64>(2)?, r.get::<Option<String>>(3)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (field, json, version, writer) = row?;
        out.insert(field, Cell { value: VersionedValue::new(parse_json(&json)?, version), writer });
    }
    Ok(out)
}

/// A record's fields by name, with their writers.
pub(super) type Cells = BTreeMap<String, Cell>;

/// A record's row with its fields and their writers, in one query (on PostgreSQL every
/// query is a round trip): what [`record_row`] and [`record_cells`] read one after the other.
pub(super) fn record_with_cells(
    conn: &Conn,
    collection: &str,
    id: &str,
) -> Result<Option<(RecordRow, Cells)>, DbError> {
    let rows = conn.query_map(
        "SELECT r.grid, r.deleted, f.field, f.value, f.version, f.writer FROM records r
         LEFT JOIN record_fields f ON f.collection = r.collection AND f.id = r.id
         WHERE r.collection = ?1 AND r.id = ?2",
        params![collection, id],
        |r| {
            let row = RecordRow { grid: r.get(0)?, deleted: r.get(1)? };
            let field = r.get::<Option<String>>(2)?;
            let cell = match field {
                Some(field) => {
                    let value = VersionedValue::new(parse_json(&r.get::<String>(3)?)?, r.get(4)?);
                    Some((field, Cell { value, writer: r.get(5)? }))
                }
                None => None,
            };
            Ok((row, cell))
        },
    )?;
    let mut rows = rows.into_iter();
    let Some((row, first)) = rows.next() else { return Ok(None) };
    let cells = first.into_iter().chain(rows.filter_map(|(_, cell)| cell)).collect();
    Ok(Some((row, cells)))
}

pub(super) fn upsert_record(conn: &Conn, collection: &str, id: &str, grid: &str, version: u64) -> Result<(), DbError> {
    conn.write_rows(&row_writes::RECORD, params![collection, id, grid, version])
}

pub(super) fn to_json(value: &impl serde::Serialize) -> String {
    // Serialising a JSON value or a derived core type cannot fail (string keys only).
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("stored JSON does not parse: {e}")))
}

/// The server version counter: read once per transaction, advanced in memory, written back.
pub(super) fn read_counter(conn: &Conn) -> Result<u64, DbError> {
    conn.prepare_cached("SELECT value FROM version_counter WHERE id = 1")?.query_row(params![], |r| r.get(0))
}

pub(super) fn write_counter(conn: &Conn, value: u64) -> Result<(), DbError> {
    conn.write_rows(&row_writes::COUNTER, params![value])
}

pub(super) fn epoch(conn: &Conn) -> Result<String, DbError> {
    conn.prepare_cached("SELECT value FROM server_meta WHERE key = 'epoch'")?.query_row(params![], |r| r.get(0))
}

/// Every live grid record as a core `Grid`. A stored grid that no longer parses is
/// corruption (pushes are validated before they are stored).
pub(super) fn load_grids(conn: &Conn) -> Result<Vec<Grid>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.field, f.value FROM record_fields f
         JOIN records r ON r.collection = f.collection AND r.id = f.id
         WHERE f.collection = 'grids' AND r.deleted = 0 ORDER BY f.id",
    )?;
    let rows = stmt.query_map(params![], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)))?;
    let mut maps: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    for row in rows {
        let (id, field, json) = row?;
        maps.entry(id).or_default().insert(field, parse_json(&json)?);
    }
    maps.into_values()
        .map(|m| serde_json::from_value(Value::Object(m)).map_err(|e| DbError::Corrupt(format!("stored grid: {e}"))))
        .collect()
}

/// The grid tree as stored, kept by the writer from push to push: loading and building it
/// cost more than the rest of a small push. It is dropped whenever it may be stale: when
/// another connection committed (SQLite's `PRAGMA data_version` moved; on PostgreSQL, the
/// newest grid version), when a push of this
/// connection wrote a grid ([`GridCache::forget`]), and when the writer lost or rolled back
/// a transaction or ran a job of its own (which may load grids).
#[derive(Default)]
pub(super) struct GridCache {
    tree: Option<(i64, GridTree)>,
    /// Checked against PostgreSQL in the open write transaction: no other process can
    /// write a grid until it ends (every writer holds the version counter's row), so the
    /// check is once per transaction, not once per push.
    checked: bool,
}

impl GridCache {
    /// The tree as `conn` currently sees it.
    pub(super) fn tree(&mut self, conn: &Conn) -> Result<&GridTree, DbError> {
        let checked = self.checked && conn.dialect() == Dialect::Postgres;
        match self.tree.take() {
            Some(cached) if checked => Ok(&self.tree.insert(cached).1),
            cached => self.check(conn, cached),
        }
    }

    fn check(&mut self, conn: &Conn, cached: Option<(i64, GridTree)>) -> Result<&GridTree, DbError> {
        let seen: i64 = match conn.dialect() {
            Dialect::Sqlite => conn.query_value("PRAGMA data_version", params![])?,
            // Another server process may have written a grid: every grid write gives the
            // grid's row a fresh version, so the newest one says whether the tree moved
            // (a few hundred rows by the primary key; this runs inside the writer's
            // transaction, after the counter lock, so it sees every committed grid).
            Dialect::Postgres => {
                conn.query_value("SELECT COALESCE(MAX(version), 0) FROM records WHERE collection = 'grids'", params![])?
            }
        };
        let (version, tree) = match cached {
            Some((version, tree)) if version == seen => (version, tree),
            _ => {
                let tree = GridTree::build(load_grids(conn)?)
                    .map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
                (seen, tree)
            }
        };
        self.checked = true;
        Ok(&self.tree.insert((version, tree)).1)
    }

    /// A write transaction began: the next [`GridCache::tree`] checks again.
    pub(super) fn new_transaction(&mut self) {
        self.checked = false;
    }

    pub(super) fn forget(&mut self) {
        self.tree = None;
    }
}

/// The histories of the issues `sql` selects (its rows: issue id, grid, event JSON; one
/// text parameter), each with the grid its events sit in and its events in order.
pub(super) fn issue_histories(
    conn: &Conn,
    sql: &str,
    param: &str,
) -> Result<HashMap<String, (String, Vec<IssueEvent>)>, DbError> {
    let mut stmt = conn.prepare(sql)?;
    let rows =
        stmt.query_map(params![param], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)))?;
    let mut histories: HashMap<String, (String, Vec<IssueEvent>)> = HashMap::new();
    for row in rows {
        let (issue, grid, json) = row?;
        histories.entry(issue).or_insert_with(|| (grid, Vec::new())).1.push(parse_json(&json)?);
    }
    for (_, events) in histories.values_mut() {
        sort_events(events);
    }
    Ok(histories)
}

/// Devices that could see `old_grid` and cannot see the record's current grid drop it:
/// an eviction entry at `version`.
pub(super) fn evict(conn: &Conn, collection: &str, id: &str, old_grid: &str, version: u64) -> Result<(), DbError> {
    conn.execute_later(
        "INSERT INTO evictions (collection, id, old_grid, version) VALUES (?1, ?2, ?3, ?4)",
        params![collection, id, old_grid, version],
    )
}
