//! What a writer group's pushes read, fetched for the whole group before its first member
//! is applied (`batch_fetch.rs`: four queries), and kept true while the group writes. On
//! PostgreSQL every query is a round trip, taken while the group holds the version
//! counter's row: each push used to read its head, its caller's units, its records, the
//! records they refer to and its issues' histories one query at a time (~4 round trips
//! a push, ~1 ms each on a loaded machine).
//!
//! What is kept is exactly what the database would answer inside the group's
//! transaction: a write a push makes through `push.rs` / `apply.rs` updates the entry it
//! wrote (its client's row, the counter, a put's fields and grid, a tombstone, an
//! appended event), and a write with wider reach (a record moving grid carries its
//! visits and events along; a unit's contact changing re-stamps issues) forgets
//! everything, as does a member rolled back to its savepoint (the writer calls
//! [`BatchReads::forget_all`]). Anything not fetched is read from the database on first
//! use and kept from then on.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::Value;
use wangge_core::issue::IssueEvent;
use wangge_core::sync::{Collection, VersionedValue};
use wangge_core::UnitId;

use super::batch_fetch::{self, Fetched, Known, Wanted};
use super::push::Head;
use super::sql::Conn;
use super::store::{self, Cell, Cells, RecordRow};
use super::DbError;

/// The group's reads (interior mutability: the checks that read take `&Ctx`).
#[derive(Default)]
pub(super) struct BatchReads(RefCell<Fetched>);

impl BatchReads {
    /// Everything the group's members announced, read at once.
    pub(super) fn fetch(conn: &Conn, wanted: &Wanted) -> Result<BatchReads, DbError> {
        Ok(BatchReads(RefCell::new(batch_fetch::fetch(conn, wanted)?)))
    }

    /// The epoch, the version counter, and the client's user and last acknowledged seq.
    pub(super) fn head(&self, conn: &Conn, client: &str) -> Result<Head, DbError> {
        {
            let reads = self.0.borrow();
            if let (Some((epoch, version)), Some(row)) = (&reads.head, reads.clients.get(client)) {
                return Ok(Head { epoch: epoch.clone(), version: *version, client: row.clone() });
            }
        }
        let ((epoch, version), mut clients) = batch_fetch::heads(conn, &BTreeSet::from([client.to_string()]))?;
        let row = clients.remove(client).flatten();
        let mut reads = self.0.borrow_mut();
        reads.head = Some((epoch.clone(), version));
        reads.clients.insert(client.to_string(), row.clone());
        Ok(Head { epoch, version, client: row })
    }

    /// The live units `person` is the contact of (`handoffs::units_of`).
    pub(super) fn units(&self, conn: &Conn, person: &str) -> Result<Vec<UnitId>, DbError> {
        if let Some(units) = self.0.borrow().units.get(person) {
            return Ok(units.clone());
        }
        let units = super::handoffs::units_of(conn, person)?;
        self.0.borrow_mut().units.insert(person.to_string(), units.clone());
        Ok(units)
    }

    /// A push stored its client's row and counter as they now are.
    pub(super) fn pushed(&self, client: &str, user: &str, last_seq: u64, counter: u64) {
        let mut reads = self.0.borrow_mut();
        reads.clients.insert(client.to_string(), Some((user.to_string(), last_seq)));
        if let Some((_, stored)) = reads.head.as_mut() {
            *stored = counter;
        }
    }

    /// The record's row and fields (`store::record_with_cells`).
    pub(super) fn record(
        &self,
        conn: &Conn,
        collection: Collection,
        id: &str,
    ) -> Result<Option<(RecordRow, Cells)>, DbError> {
        let key = (collection, id.to_string());
        match self.0.borrow().records.get(&key) {
            Some(None) => return Ok(None),
            Some(Some(Known { row, cells: Some(cells) })) => return Ok(Some((row.clone(), cells.clone()))),
            _ => {}
        }
        let read = store::record_with_cells(conn, collection.name(), id)?;
        let known = read.clone().map(|(row, cells)| Known { row, cells: Some(cells) });
        self.0.borrow_mut().records.insert(key, known);
        Ok(read)
    }

    /// The record's row (`store::record_row`).
    pub(super) fn row(&self, conn: &Conn, collection: Collection, id: &str) -> Result<Option<RecordRow>, DbError> {
        let key = (collection, id.to_string());
        if let Some(known) = self.0.borrow().records.get(&key) {
            return Ok(known.as_ref().map(|k| k.row.clone()));
        }
        let row = store::record_row(conn, collection.name(), id)?;
        let known = row.clone().map(|row| Known { row, cells: None });
        self.0.borrow_mut().records.insert(key, known);
        Ok(row)
    }

    /// The event stored under `event_id`, if any, and the whole history of `issue`.
    pub(super) fn event_and_history(
        &self,
        conn: &Conn,
        event_id: &str,
        issue: &str,
    ) -> Result<(Option<IssueEvent>, Vec<IssueEvent>), DbError> {
        {
            let reads = self.0.borrow();
            if let (Some(stored), Some(history)) = (reads.events.get(event_id), reads.histories.get(issue)) {
                return Ok((stored.clone(), history.clone()));
            }
        }
        let (stored, history) = batch_fetch::event_and_history(conn, event_id, issue)?;
        let mut reads = self.0.borrow_mut();
        reads.events.insert(event_id.to_string(), stored.clone());
        reads.histories.insert(issue.to_string(), history.clone());
        Ok((stored, history))
    }

    /// The whole history of `issue`.
    pub(super) fn history(&self, conn: &Conn, issue: &str) -> Result<Vec<IssueEvent>, DbError> {
        if let Some(history) = self.0.borrow().histories.get(issue) {
            return Ok(history.clone());
        }
        let history = super::moves::issue_events(conn, issue)?;
        self.0.borrow_mut().histories.insert(issue.to_string(), history.clone());
        Ok(history)
    }

    /// A put wrote `applied` at `version` by `client` and left the record live in `grid`.
    /// Its fields are known only if they were before (a new record has exactly these).
    pub(super) fn put_written(
        &self,
        collection: Collection,
        id: &str,
        grid: &str,
        applied: &[(String, Value)],
        version: u64,
        client: &str,
    ) {
        let key = (collection, id.to_string());
        let mut reads = self.0.borrow_mut();
        let cells = match reads.records.get(&key) {
            Some(None) => Some(Cells::new()),
            Some(Some(Known { row, cells: Some(cells) })) if !row.deleted => Some(cells.clone()),
            _ => None,
        };
        let Some(mut cells) = cells else {
            reads.records.remove(&key);
            return;
        };
        for (field, value) in applied {
            let cell = Cell { value: VersionedValue::new(value.clone(), version), writer: Some(client.to_string()) };
            cells.insert(field.clone(), cell);
        }
        let row = RecordRow { grid: grid.to_string(), deleted: false };
        reads.records.insert(key, Some(Known { row, cells: Some(cells) }));
    }

    /// A delete left a tombstone (the fields stay).
    pub(super) fn deleted(&self, collection: Collection, id: &str) {
        let key = (collection, id.to_string());
        let mut reads = self.0.borrow_mut();
        match reads.records.get_mut(&key) {
            Some(Some(known)) => known.row.deleted = true,
            _ => {
                reads.records.remove(&key);
            }
        }
    }

    /// An event was stored as `event`.
    pub(super) fn event_appended(&self, event: &IssueEvent) {
        let mut reads = self.0.borrow_mut();
        reads.events.insert(event.id.as_str().to_string(), Some(event.clone()));
        if let Some(history) = reads.histories.get_mut(event.issue.as_str()) {
            history.push(event.clone());
        }
    }

    /// A write reached records the group did not name, or a member's writes were rolled
    /// back: read everything again.
    pub(super) fn forget_all(&self) {
        *self.0.borrow_mut() = Fetched::default();
    }
}
