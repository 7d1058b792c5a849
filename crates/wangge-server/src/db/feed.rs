//! Writes made on the server's own initiative (an administrator's account and grid
//! changes, a handover, `init`) go through the record feed like a push: each changed
//! record gets a fresh version, so the phones in scope pull it, and a record that leaves a
//! grid leaves an eviction behind. **Only the fields that differ are written**, so a
//! repeated call changes nothing and moves no version.

use super::sql::{params, Conn};
use serde_json::Value;

use super::{store, DbError};
use crate::records::Fields;

/// The version counter advanced in memory for one transaction; [`Feed::close`] writes it.
pub(super) struct Feed<'a> {
    pub(super) conn: &'a Conn,
    version: u64,
    /// Kept in `record_fields.writer`: not a client id, so no device's later edit of the
    /// field is mistaken for its own (`decide_field_by_writer`), and it says who wrote it.
    writer: String,
}

impl<'a> Feed<'a> {
    pub(super) fn open(conn: &'a Conn, writer: String) -> Result<Feed<'a>, DbError> {
        Ok(Feed { conn, version: store::read_counter(conn)?, writer })
    }

    pub(super) fn next(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    /// Writes the fields of `fields` that differ from the stored record (all of them for a
    /// new record) and places the record in `grid`. True when anything changed.
    pub(super) fn put(&mut self, collection: &str, id: &str, grid: &str, fields: &Fields) -> Result<bool, DbError> {
        let current = store::record_cells(self.conn, collection, id)?;
        let changed: Vec<(&String, &Value)> =
            fields.iter().filter(|(k, v)| current.get(*k).is_none_or(|c| &c.value.value != *v)).collect();
        let old_grid = store::record_row(self.conn, collection, id)?.map(|r| r.grid);
        if changed.is_empty() && old_grid.as_deref() == Some(grid) {
            return Ok(false);
        }
        let v = self.next();
        store::write_fields(self.conn, collection, id, changed, v, Some(&self.writer), Some(crate::now_millis()))?;
        store::upsert_record(self.conn, collection, id, grid, v)?;
        if let Some(old) = old_grid.filter(|old| old != grid) {
            self.evict(collection, id, &old)?;
        }
        Ok(true)
    }

    /// Devices that could see `old_grid` and cannot see the record's current grid drop it.
    pub(super) fn evict(&mut self, collection: &str, id: &str, old_grid: &str) -> Result<(), DbError> {
        let v = self.next();
        store::evict(self.conn, collection, id, old_grid, v)
    }

    /// Gives a record a fresh version without changing it, so devices that newly see it
    /// (its grid moved into their part of the tree) pull it.
    pub(super) fn restamp(&mut self, collection: &str, id: &str) -> Result<(), DbError> {
        let v = self.next();
        self.conn
            .execute("UPDATE records SET version = ?3 WHERE collection = ?1 AND id = ?2", params![collection, id, v])?;
        Ok(())
    }

    pub(super) fn close(self) -> Result<(), DbError> {
        store::write_counter(self.conn, self.version)
    }
}
