//! Undoing a delete. A delete of a roster entry (the only kind a push may still make, see
//! the core's `may_delete`) keeps the record's last fields and who deleted it; whoever may
//! delete such a record in that part of the grid may bring it back, and the phones in
//! scope then pull it again as an ordinary change. Attributed in `record_log`.

use super::sql::{params, Conn};
use wangge_core::grid::{ensure_in_scope, GridTree};
use wangge_core::sync::{may_delete, Collection, DeleteRefusal};
use wangge_core::GridId;

use super::Answer;
use super::{handoffs, store, Db, DbError};
use crate::account::Caller;

/// Why a record was not restored.
#[derive(Debug, Clone, PartialEq)]
pub enum UndeleteRefusal {
    /// Not deleted, unknown, or outside the caller's part of the grid: one answer for all.
    Unknown,
    /// The caller's roles may not delete (so not undelete) this kind of record.
    NotAllowed(DeleteRefusal),
}

impl Db {
    /// Restores a deleted record; returns its new feed version.
    pub async fn undelete(&self, caller: Caller, collection: Collection, id: String) -> Answer<u64, UndeleteRefusal> {
        let now = crate::now_millis();
        let result = self.write(move |c| undelete(c, &caller, collection, &id, now)).await?;
        Ok(result)
    }
}

fn undelete(conn: &Conn, caller: &Caller, collection: Collection, id: &str, now: i64) -> Answer<u64, UndeleteRefusal> {
    if let Err(r) = may_delete(collection, &caller.user.roles) {
        return Ok(Err(UndeleteRefusal::NotAllowed(r)));
    }
    let row = match store::record_row(conn, collection.name(), id)? {
        Some(row) if row.deleted => row,
        _ => return Ok(Err(UndeleteRefusal::Unknown)),
    };
    let tree = GridTree::build(store::load_grids(conn)?).map_err(|e| DbError::Corrupt(format!("grid tree: {e}")))?;
    let in_scope = GridId::parse(&row.grid).is_ok_and(|g| ensure_in_scope(&tree, &caller.user.home_grid, &g).is_ok());
    if !in_scope {
        return Ok(Err(UndeleteRefusal::Unknown));
    }
    let deleted_by: Option<String> = conn.query_row(
        "SELECT deleted_by FROM records WHERE collection = ?1 AND id = ?2",
        params![collection.name(), id],
        |r| r.get(0),
    )?;
    let version = store::read_counter(conn)? + 1;
    store::write_counter(conn, version)?;
    conn.execute(
        "UPDATE records SET deleted = 0, version = ?3, deleted_by = NULL, deleted_client = NULL WHERE collection = ?1 AND id = ?2",
        params![collection.name(), id, version],
    )?;
    if collection == Collection::Units {
        // Its contact answers for it again: they pull its handed issues anew.
        let mut last = version;
        handoffs::contact_changed(conn, &mut last, id, None)?;
        store::write_counter(conn, last)?;
    }
    conn.execute(
        "INSERT INTO record_log (at, actor, action, collection, record_id, deleted_by) VALUES (?1, ?2, 'undelete', ?3, ?4, ?5)",
        params![now, caller.user.person_id.as_str(), collection.name(), id, deleted_by],
    )?;
    tracing::info!(collection = collection.name(), record = id, by = %caller.user.person_id, "record undeleted");
    Ok(Ok(version))
}
