//! The queries behind `batch_reads.rs`: what a writer group's pushes are going to read —
//! their clients, the epoch and the version counter, the units their callers are contact
//! of, every record their mutations name (with its fields), the rows of the records their
//! puts refer to, the events under their event ids and their issues' histories — in four
//! queries for the whole group. Every set is a JSON array (`json_each`, which PostgreSQL
//! answers from an index: `pg_text.rs`).

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use wangge_core::issue::IssueEvent;
use wangge_core::record_type::{describe, ScopeRule};
use wangge_core::sync::{Collection, Op, VersionedValue};
use wangge_core::UnitId;

use super::sql::{params, Conn, Dialect};
use super::store::{self, Cell, Cells, RecordRow};
use super::DbError;

/// A record as read: its row, and its fields when they were asked for (a reference only
/// needs the row).
#[derive(Clone)]
pub(super) struct Known {
    pub(super) row: RecordRow,
    pub(super) cells: Option<Cells>,
}

pub(super) type Key = (Collection, String);

/// What a group's members are going to ask for.
#[derive(Default)]
pub(super) struct Wanted {
    clients: BTreeSet<String>,
    /// Person ids whose units (as contact) are asked for.
    people: BTreeSet<String>,
    collections: BTreeSet<&'static str>,
    /// Records read with their fields (puts, deletes, the issue an event is on).
    full: BTreeSet<Key>,
    /// Records only looked up (references, a visit's household).
    rows: BTreeSet<Key>,
    events: BTreeSet<String>,
    histories: BTreeSet<String>,
}

impl Wanted {
    /// A push by `person` through `client` carrying `ops`.
    pub(super) fn push<'o>(&mut self, client: &str, person: &str, ops: impl IntoIterator<Item = &'o Op>) {
        self.clients.insert(client.to_string());
        self.people.insert(person.to_string());
        for op in ops {
            self.op(op);
        }
    }

    fn record(&mut self, collection: Collection, id: &str, full: bool) {
        self.collections.insert(collection.name());
        let key = (collection, id.to_string());
        if full {
            self.full.insert(key);
        } else {
            self.rows.insert(key);
        }
    }

    fn op(&mut self, op: &Op) {
        match op {
            Op::Put { collection, id, fields } => {
                self.record(*collection, id, true);
                if *collection == Collection::Issues {
                    // An edit of an issue asks its state (`check_issue_edit`).
                    self.histories.insert(id.clone());
                }
                let described = describe(*collection);
                // A record scoped through its household (a visit) reads that household's
                // row for its scope, as a reference is read for visibility.
                let household = match described.scope {
                    ScopeRule::ViaHousehold(field) => Some((field, Collection::Households)),
                    ScopeRule::OwnId | ScopeRule::GridField(_) => None,
                };
                for (field, target) in described.references.iter().copied().chain(household) {
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

/// A push's head as stored: the epoch, the version counter, and its client's user and
/// last acknowledged seq (`None`: an unknown client).
pub(super) type Clients = HashMap<String, Option<(String, u64)>>;

/// Everything a group reads before its first member, each set complete: a key asked for
/// and not found is there as absent.
#[derive(Default)]
pub(super) struct Fetched {
    pub(super) head: Option<(String, u64)>,
    pub(super) clients: Clients,
    pub(super) units: HashMap<String, Vec<UnitId>>,
    pub(super) records: HashMap<Key, Option<Known>>,
    pub(super) events: HashMap<String, Option<IssueEvent>>,
    pub(super) histories: HashMap<String, Vec<IssueEvent>>,
}

pub(super) fn fetch(conn: &Conn, wanted: &Wanted) -> Result<Fetched, DbError> {
    let mut fetched = Fetched::default();
    if !wanted.clients.is_empty() {
        let (head, clients) = heads(conn, &wanted.clients)?;
        (fetched.head, fetched.clients) = (Some(head), clients);
    }
    if !wanted.people.is_empty() {
        fetched.units = super::handoffs::units_of_each(conn, &wanted.people)?;
    }
    if !wanted.full.is_empty() || !wanted.rows.is_empty() {
        fetched.records = records(conn, wanted)?;
    }
    if !wanted.events.is_empty() || !wanted.histories.is_empty() {
        (fetched.events, fetched.histories) = events(conn, wanted)?;
    }
    Ok(fetched)
}

/// The epoch and counter, with every wanted client's row, in one query.
pub(super) fn heads(conn: &Conn, wanted: &BTreeSet<String>) -> Result<((String, u64), Clients), DbError> {
    let rows = conn.query_map(
        "SELECT (SELECT value FROM server_meta WHERE key = 'epoch'), (SELECT value FROM version_counter WHERE id = 1),
                c.client_id, c.username, c.last_seq
         FROM (SELECT 1 AS one) AS once
         LEFT JOIN clients c ON c.client_id IN (SELECT value FROM json_each(?1))",
        params![store::to_json(wanted)],
        |r| {
            let client = match r.get::<Option<String>>(2)? {
                Some(id) => Some((id, r.get::<String>(3)?, r.get::<u64>(4)?)),
                None => None,
            };
            Ok((r.get::<String>(0)?, r.get::<u64>(1)?, client))
        },
    )?;
    let mut clients: Clients = wanted.iter().map(|c| (c.clone(), None)).collect();
    let mut head = None;
    for (epoch, counter, client) in rows {
        head = Some((epoch, counter));
        if let Some((id, user, last)) = client {
            clients.insert(id, Some((user, last)));
        }
    }
    let head = head.ok_or_else(|| DbError::Corrupt("no epoch or version counter".into()))?;
    Ok((head, clients))
}

/// The rows of every wanted record, with the fields of those wanted whole: one query
/// answering a line per record row found and a line per field of those wanted whole.
fn records(conn: &Conn, wanted: &Wanted) -> Result<HashMap<Key, Option<Known>>, DbError> {
    let decode = |r: &super::sql::Row| {
        let (collection, id): (String, String) = (r.get(0)?, r.get(1)?);
        let line = match r.get::<Option<String>>(4)? {
            Some(field) => {
                let value = VersionedValue::new(store::parse_json(&r.get::<String>(5)?)?, r.get(6)?);
                Line::Field(field, Cell { value, writer: r.get(7)? })
            }
            None => Line::Row(RecordRow { grid: r.get(2)?, deleted: r.get(3)? }),
        };
        Ok((collection, id, line))
    };
    let lines = match conn.dialect() {
        // PostgreSQL probes each (collection, id) pair once. Given the collections and the
        // ids as two sets it probed their cross product, and matched every field row
        // against the whole-record set one by one: 17 ms for a 60-push group's 480
        // records, against 3.5–7.5 ms this way (EXPLAIN ANALYZE at village scale).
        Dialect::Postgres => {
            let pairs: Vec<Value> = wanted
                .full
                .iter()
                .map(|k| (k, true))
                .chain(wanted.rows.iter().map(|k| (k, false)))
                .map(|((c, id), full)| serde_json::json!({"c": c, "i": id, "f": full}))
                .collect();
            conn.query_map(
                "WITH w AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(?1 AS text) AS jsonb)) AS w(c text, i text, f boolean))
                 SELECT r.collection, r.id, r.grid, r.deleted, NULL, NULL, NULL, NULL
                   FROM w JOIN records r ON r.collection = w.c AND r.id = w.i
                 UNION ALL
                 SELECT f.collection, f.id, NULL, NULL, f.field, f.value, f.version, f.writer
                   FROM w JOIN record_fields f ON f.collection = w.c AND f.id = w.i WHERE w.f",
                params![store::to_json(&pairs)],
                decode,
            )?
        }
        // SQLite answers the two sets from its primary keys; lines of pairs nobody asked
        // for are dropped below.
        Dialect::Sqlite => {
            let ids: BTreeSet<&str> = wanted.full.iter().chain(&wanted.rows).map(|(_, id)| id.as_str()).collect();
            let full_ids: BTreeSet<&str> = wanted.full.iter().map(|(_, id)| id.as_str()).collect();
            conn.query_map(
                "SELECT r.collection, r.id, r.grid, r.deleted, NULL, NULL, NULL, NULL FROM records r
                  WHERE r.collection IN (SELECT value FROM json_each(?1)) AND r.id IN (SELECT value FROM json_each(?2))
                 UNION ALL
                 SELECT f.collection, f.id, NULL, NULL, f.field, f.value, f.version, f.writer FROM record_fields f
                  WHERE f.collection IN (SELECT value FROM json_each(?1)) AND f.id IN (SELECT value FROM json_each(?3))",
                params![store::to_json(&wanted.collections), store::to_json(&ids), store::to_json(&full_ids)],
                decode,
            )?
        }
    };
    let mut records: HashMap<Key, Option<Known>> =
        wanted.full.iter().chain(&wanted.rows).map(|key| (key.clone(), None)).collect();
    let mut fields = Vec::new();
    for (collection, id, line) in lines {
        let Some(collection) = Collection::from_name(&collection) else { continue };
        let key = (collection, id);
        match line {
            Line::Row(row) => {
                if let Some(slot) = records.get_mut(&key) {
                    let full = wanted.full.contains(&key);
                    *slot = Some(Known { row, cells: full.then(Cells::new) });
                }
            }
            Line::Field(field, cell) => fields.push((key, field, cell)),
        }
    }
    // A field belongs to a record whose row was found and which was wanted whole.
    for (key, field, cell) in fields {
        if let Some(Some(Known { cells: Some(cells), .. })) = records.get_mut(&key) {
            cells.insert(field, cell);
        }
    }
    Ok(records)
}

/// One line of the records query: a record's row, or one of its fields.
enum Line {
    Row(RecordRow),
    Field(String, Cell),
}

type EventReads = (HashMap<String, Option<IssueEvent>>, HashMap<String, Vec<IssueEvent>>);

/// The events stored under the wanted ids and the whole histories of the wanted issues.
fn events(conn: &Conn, wanted: &Wanted) -> Result<EventReads, DbError> {
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

/// The event stored under `event_id`, if any, and the history of `issue`: for an event
/// the group did not announce.
pub(super) fn event_and_history(
    conn: &Conn,
    event_id: &str,
    issue: &str,
) -> Result<(Option<IssueEvent>, Vec<IssueEvent>), DbError> {
    let wanted = Wanted {
        events: BTreeSet::from([event_id.to_string()]),
        histories: BTreeSet::from([issue.to_string()]),
        ..Wanted::default()
    };
    let (mut events, mut histories) = events(conn, &wanted)?;
    Ok((events.remove(event_id).flatten(), histories.remove(issue).unwrap_or_default()))
}
