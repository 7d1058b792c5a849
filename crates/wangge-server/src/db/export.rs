//! The SQL behind the list exports (`crate::export`): the live issues (with their event
//! histories), households, visits, mediation cases and list entries of one subtree, the grid tree and the names of the
//! people they mention, read in one read transaction; and the export log (`export_log`),
//! written once per export and read by administrators for their own subtree.
//! **An export reads exactly what a pull would show**: records whose grid lies in the
//! caller's home-grid subtree (or the filter's grid within it), never deleted ones; an
//! account that is only a unit's contact has no subtree, so its files are empty.

use std::collections::{BTreeMap, HashMap};

use super::sql::{params, Conn};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wangge_core::grid::GridTree;
use wangge_core::issue::Issue;
use wangge_core::people::only_unit_contact;
use wangge_core::GridId;

use super::{grids, store, Answer, DbError};
use crate::account::{Caller, User};
use crate::export::{ExportLogged, Kind, Scoped};

/// Why an export is refused before anything is read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExportRefusal {
    /// The filter's grid is unknown or outside the caller's subtree.
    GridOutOfScope,
}

/// Live records of `collection` whose grid is one of `grids` (a JSON array), each field
/// map read into `T`. A record that no longer parses is skipped and logged by id (never
/// its content): one bad row must not stop a secretary's monthly export.
fn records<T: DeserializeOwned>(conn: &Conn, collection: &str, grids: &str) -> Result<Vec<T>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.field, f.value FROM record_fields f
         JOIN records r ON r.collection = f.collection AND r.id = f.id
         WHERE f.collection = ?1 AND r.deleted = 0 AND r.grid IN (SELECT value FROM json_each(?2))
         ORDER BY f.id",
    )?;
    let rows = stmt.query_map(params![collection, grids], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
    })?;
    let mut maps: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    for row in rows {
        let (id, field, json) = row?;
        maps.entry(id).or_default().insert(field, store::parse_json(&json)?);
    }
    let mut out = Vec::with_capacity(maps.len());
    for (id, map) in maps {
        match serde_json::from_value(Value::Object(map)) {
            Ok(record) => out.push(record),
            Err(e) => tracing::warn!(collection, id = %id, error = %e, "export skipped a record that does not parse"),
        }
    }
    Ok(out)
}

/// Person id → name, for the people an exported row names (reporter, handler, visitor).
fn names(conn: &Conn) -> Result<HashMap<String, String>, DbError> {
    names_of(conn, "people")
}

/// Record id → its `name` field, for every record of `collection` (people, units).
fn names_of(conn: &Conn, collection: &str) -> Result<HashMap<String, String>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.value FROM record_fields f JOIN records r ON r.collection = f.collection AND r.id = f.id
         WHERE f.collection = ?1 AND f.field = 'name'",
    )?;
    let rows = stmt.query_map(params![collection], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, json) = row?;
        if let Ok(Value::String(name)) = serde_json::from_str(&json) {
            out.insert(id, name);
        }
    }
    Ok(out)
}

/// The root of the export: the filter's grid if it lies in the caller's subtree, else
/// the caller's home grid.
fn root(tree: &GridTree, user: &User, grid: Option<&GridId>) -> Option<GridId> {
    let home = &user.home_grid;
    tree.get(home)?;
    match grid {
        Some(g) if tree.get(g).is_some() && tree.contains(home, g) => Some(g.clone()),
        Some(_) => None,
        None => Some(home.clone()),
    }
}

/// Everything an export of `kind` needs, within the caller's scope.
pub(super) fn read(conn: &mut Conn, user: &User, kind: Kind, grid: Option<&GridId>) -> Answer<Scoped, ExportRefusal> {
    let tx = conn.snapshot()?;
    let tree = grids::tree(&tx)?;
    let Some(root) = root(&tree, user, grid) else {
        return Ok(Err(ExportRefusal::GridOutOfScope));
    };
    // Scoped like a pull: a contact-only account sees no grid's records (its handed
    // issues reach it through the phone, not a file of the district's lists).
    let mut ids: Vec<&str> = Vec::new();
    if !only_unit_contact(&user.roles) {
        ids.push(root.as_str());
        ids.extend(tree.descendants(&root).iter().map(|g| g.id.as_str()));
    }
    let sub = store::to_json(&ids);
    let mut scoped = Scoped {
        root: root.clone(),
        tree: GridTree::build(Vec::new()).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?,
        names: HashMap::new(),
        issues: Vec::new(),
        households: Vec::new(),
        visits: Vec::new(),
        mediations: Vec::new(),
        lists: Vec::new(),
        units: HashMap::new(),
    };
    match kind {
        Kind::Issues => {
            let issues: Vec<Issue> = records(&tx, "issues", &sub)?;
            let mut histories = store::issue_histories(
                &tx,
                "SELECT issue_id, grid, event FROM issue_events WHERE grid IN (SELECT value FROM json_each(?1))",
                &sub,
            )?;
            scoped.issues = issues
                .into_iter()
                .map(|i| {
                    let events = histories.remove(i.id.as_str()).map(|(_, e)| e).unwrap_or_default();
                    (i, events)
                })
                .collect();
            scoped.names = names(&tx)?;
        }
        Kind::Households => scoped.households = records(&tx, "households", &sub)?,
        Kind::Visits => {
            scoped.visits = records(&tx, "visits", &sub)?;
            scoped.households = records(&tx, "households", &sub)?;
            scoped.names = names(&tx)?;
        }
        Kind::Mediations => {
            scoped.mediations = records(&tx, "mediations", &sub)?;
            scoped.names = names(&tx)?;
        }
        Kind::Lists => {
            scoped.lists = records(&tx, "list_entries", &sub)?;
            scoped.names = names(&tx)?;
            scoped.units = names_of(&tx, "units")?;
        }
    }
    tx.commit()?;
    scoped.tree = tree;
    Ok(Ok(scoped))
}

/// One export, as the log keeps it.
pub(crate) struct ExportRecord {
    pub(crate) kind: Kind,
    pub(crate) format: &'static str,
    pub(crate) filters: String,
    pub(crate) scope_grid: GridId,
    pub(crate) rows: u64,
}

pub(super) fn write_log(conn: &Conn, caller: &Caller, record: &ExportRecord, now: i64) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO export_log (at, username, device_id, kind, format, filters, scope_grid, row_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            now,
            caller.user.username,
            caller.device_id,
            record.kind.code(),
            record.format,
            record.filters,
            record.scope_grid.as_str(),
            record.rows
        ],
    )?;
    // Usernames, codes and counts only: no resident's data reaches the log.
    tracing::info!(
        username = %caller.user.username,
        kind = record.kind.code(),
        format = record.format,
        scope = %record.scope_grid,
        rows = record.rows,
        "export"
    );
    Ok(())
}

/// The newest exports (at most `limit`) whose scope lies in the administrator's subtree.
pub(super) fn read_log(conn: &Conn, user: &User, limit: u32) -> Result<Vec<ExportLogged>, DbError> {
    let tree = grids::tree(conn)?;
    let home = &user.home_grid;
    if tree.get(home).is_none() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<&str> = vec![home.as_str()];
    ids.extend(tree.descendants(home).iter().map(|g| g.id.as_str()));
    let mut stmt = conn.prepare(
        "SELECT id, at, username, kind, format, filters, scope_grid, row_count FROM export_log
         WHERE scope_grid IN (SELECT value FROM json_each(?1)) ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![store::to_json(&ids), limit], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<i64>(1)?,
            r.get::<String>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<String>(5)?,
            r.get::<String>(6)?,
            r.get::<u64>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at, username, kind, format, filters, scope_grid, rows) = row?;
        let grid_name = GridId::parse(&scope_grid).ok().and_then(|g| tree.get(&g).map(|g| g.name.as_str().to_string()));
        out.push(ExportLogged {
            id,
            at,
            username,
            kind,
            format,
            filters: store::parse_json(&filters)?,
            scope_grid,
            grid_name,
            rows,
        });
    }
    Ok(out)
}
