//! What a push batch's mutations will read, fetched in two queries before the first one
//! is applied, and kept true while the batch writes. On PostgreSQL every query is a round
//! trip: a mutation used to read its record, the records it refers to and its issue's
//! history one query at a time, so a push of 8 mutations paid ~16 round trips while its
//! group held the version counter's row.
//!
//! What is kept is exactly what the database would answer inside the batch's own
//! transaction: a write the batch makes through `apply.rs` updates the entry it wrote
//! (a put's fields and grid, a tombstone, an appended event), and a write with wider
//! reach (a record moving grid carries its visits and events along; a unit's contact
//! changing re-stamps issues) forgets everything, so later reads go to the database
//! again. Anything not fetched is read from the database on first use and kept from
//! then on. A batch rolled back or applied again starts from a fresh fetch: the cache
//! lives in the batch's `Ctx`.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use wangge_core::issue::IssueEvent;
use wangge_core::record_type::describe;
use wangge_core::sync::{Collection, Op, VersionedValue};

use super::sql::{params, Conn};
use super::store::{self, Cell, Cells, RecordRow};
use super::DbError;

/// A record as read: its row, and its fields when they were asked for (a reference only
/// needs the row).
#[derive(Clone)]
struct Known {
    row: RecordRow,
    cells: Option<Cells>,
}

type Key = (Collection, String);

#[derive(Default)]
struct Reads {
    /// `None`: the record does not exist.
    records: HashMap<Key, Option<Known>>,
    /// Events by id; `None`: no event has that id.
    events: HashMap<String, Option<IssueEvent>>,
    /// Whole histories of the issues asked for (unordered, as the database gives them).
    histories: HashMap<String, Vec<IssueEvent>>,
}

/// The batch's reads (interior mutability: the checks that read take `&Ctx`).
#[derive(Default)]
pub(super) struct BatchReads(RefCell<Reads>);

/// What the batch's mutations are going to ask for.
#[derive(Default)]
struct Wanted {
    collections: BTreeSet<&'static str>,
    /// Records read with their fields (puts, deletes, the issue an event is on).
    full: BTreeSet<Key>,
    /// Records only looked up (references, a visit's household).
    rows: BTreeSet<Key>,
    events: BTreeSet<String>,
    histories: BTreeSet<String>,
}

impl Wanted {
    fn record(&mut self, collection: Collection, id: &str, full: bool) {
        self.collections.insert(collection.name());
        let key = (collection, id.to_string());
        if full {
            self.full.insert(key);
        } else {
            self.rows.insert(key);
        }
    }

    fn of(&mut self, op: &Op) {
        match op {
            Op::Put { collection, id, fields } => {
                self.record(*collection, id, true);
                if *collection == Collection::Issues {
                    // An edit of an issue asks its state (`check_issue_edit`).
                    self.histories.insert(id.clone());
                }
                let references = describe(*collection).references;
                let household = (*collection == Collection::Visits).then_some(("household", Collection::Households));
                for (field, target) in references.iter().copied().chain(household) {
                    let ids = match fields.get(field).map(|w| &w.value) {
                        Some(Value::String(id)) => vec![id.as_str()],
                        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
                        _ => continue,
                    };
                    for id in ids {
                        self.record(target, id, false);
                    }
                }
            }
            Op::Delete { collection, id, .. } => self.record(*collection, id, true),
            Op::AppendEvent { event } => {
                self.record(Collection::Issues, event.issue.as_str(), true);
                self.events.insert(event.id.as_str().to_string());
                self.histories.insert(event.issue.as_str().to_string());
            }
            Op::SettleConflict { .. } => {}
        }
    }
}

impl BatchReads {
    /// Everything `ops` will read, in two queries.
    pub(super) fn fetch<'o>(conn: &Conn, ops: impl IntoIterator<Item = &'o Op>) -> Result<BatchReads, DbError> {
        let mut wanted = Wanted::default();
        for op in ops {
            wanted.of(op);
        }
        let mut reads = Reads::default();
        if !wanted.full.is_empty() || !wanted.rows.is_empty() {
            reads.records = fetch_records(conn, &wanted)?;
        }
        if !wanted.events.is_empty() || !wanted.histories.is_empty() {
            let (events, histories) = fetch_events(conn, &wanted)?;
            (reads.events, reads.histories) = (events, histories);
        }
        Ok(BatchReads(RefCell::new(reads)))
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
        let (stored, history) = read_event_and_history(conn, event_id, issue)?;
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

    /// A write reached records the batch did not name: read everything again.
    pub(super) fn forget_all(&self) {
        *self.0.borrow_mut() = Reads::default();
    }
}

/// The rows of every wanted record, with the fields of those wanted whole; every record
/// asked for and not found is known absent.
fn fetch_records(conn: &Conn, wanted: &Wanted) -> Result<HashMap<Key, Option<Known>>, DbError> {
    let ids: BTreeSet<&str> = wanted.full.iter().chain(&wanted.rows).map(|(_, id)| id.as_str()).collect();
    let full_ids: BTreeSet<&str> = wanted.full.iter().map(|(_, id)| id.as_str()).collect();
    // The IN lists cross collections and ids (a few dozen primary-key probes); rows of
    // pairs nobody asked for are dropped below.
    let rows = conn.query_map(
        "SELECT r.collection, r.id, r.grid, r.deleted, f.field, f.value, f.version, f.writer FROM records r
         LEFT JOIN record_fields f ON f.collection = r.collection AND f.id = r.id
              AND r.id IN (SELECT value FROM json_each(?3))
         WHERE r.collection IN (SELECT value FROM json_each(?1)) AND r.id IN (SELECT value FROM json_each(?2))",
        params![store::to_json(&wanted.collections), store::to_json(&ids), store::to_json(&full_ids)],
        |r| {
            let (collection, id): (String, String) = (r.get(0)?, r.get(1)?);
            let row = RecordRow { grid: r.get(2)?, deleted: r.get(3)? };
            let cell = match r.get::<Option<String>>(4)? {
                Some(field) => {
                    let value = VersionedValue::new(store::parse_json(&r.get::<String>(5)?)?, r.get(6)?);
                    Some((field, Cell { value, writer: r.get(7)? }))
                }
                None => None,
            };
            Ok((collection, id, row, cell))
        },
    )?;
    let mut records: HashMap<Key, Option<Known>> =
        wanted.full.iter().chain(&wanted.rows).map(|key| (key.clone(), None)).collect();
    for (collection, id, row, cell) in rows {
        let Some(collection) = Collection::from_name(&collection) else { continue };
        let key = (collection, id);
        let full = wanted.full.contains(&key);
        let Some(slot) = records.get_mut(&key) else { continue };
        let known = slot.get_or_insert_with(|| Known { row, cells: full.then(Cells::new) });
        if let (Some(cells), Some((field, cell))) = (known.cells.as_mut(), cell) {
            cells.insert(field, cell);
        }
    }
    Ok(records)
}

type EventReads = (HashMap<String, Option<IssueEvent>>, HashMap<String, Vec<IssueEvent>>);

/// The events stored under the wanted ids and the whole histories of the wanted issues.
fn fetch_events(conn: &Conn, wanted: &Wanted) -> Result<EventReads, DbError> {
    // Two index lookups joined, not one OR: PostgreSQL cannot use an index for an OR of
    // two set memberships and would scan every event.
    let rows = conn.query_map(
        "SELECT 'e', event_id, issue_id, event FROM issue_events WHERE event_id IN (SELECT value FROM json_each(?1))
         UNION ALL
         SELECT 'h', event_id, issue_id, event FROM issue_events WHERE issue_id IN (SELECT value FROM json_each(?2))",
        params![store::to_json(&wanted.events), store::to_json(&wanted.histories)],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(2)?, r.get::<String>(3)?)),
    )?;
    let mut events: HashMap<String, Option<IssueEvent>> = wanted.events.iter().map(|id| (id.clone(), None)).collect();
    let mut histories: HashMap<String, Vec<IssueEvent>> =
        wanted.histories.iter().map(|id| (id.clone(), Vec::new())).collect();
    for (branch, issue, json) in rows {
        let event: IssueEvent = store::parse_json(&json)?;
        if branch == "e" {
            events.insert(event.id.as_str().to_string(), Some(event));
        } else if let Some(history) = histories.get_mut(&issue) {
            history.push(event);
        }
    }
    Ok((events, histories))
}

/// The event stored under `event_id`, if any, and the history of `issue`, in one query.
fn read_event_and_history(
    conn: &Conn,
    event_id: &str,
    issue: &str,
) -> Result<(Option<IssueEvent>, Vec<IssueEvent>), DbError> {
    let rows = conn.query_map(
        "SELECT event_id, issue_id, event FROM issue_events WHERE event_id = ?1 OR issue_id = ?2",
        params![event_id, issue],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    let (mut stored, mut history) = (None, Vec::new());
    for (id, of, json) in rows {
        let parsed: IssueEvent = store::parse_json(&json)?;
        if id == event_id {
            stored = Some(parsed.clone());
        }
        if of == issue {
            history.push(parsed);
        }
    }
    Ok((stored, history))
}
