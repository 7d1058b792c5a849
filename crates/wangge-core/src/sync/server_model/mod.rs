//! An in-memory reference server: the protocol of `SYNC.md` in a couple of hundred lines,
//! with no I/O, no auth and no scope. It is the executable spec the real (SQLite) server
//! must match, and the server the simulation tests drive.
//!
//! What it promises, in order of importance:
//! - A push that names another epoch is refused whole ([`PushError::EpochMismatch`]).
//! - A push is idempotent per `(client_id, seq)`: a seen seq is acknowledged again (with the
//!   same rejection, if it was rejected) and changes nothing; a gap is refused and stops
//!   the batch, because nothing may be applied out of order.
//! - Field writes go through [`decide_field_by_writer`]: a stale write keeps the server's
//!   value and stores the device's as a [`FieldConflict`]. Nothing is dropped silently.
//! - A delete that would erase a field someone else changed since the device last saw the
//!   record is not applied: it is stored as a conflict on the pseudo-field
//!   [`WHOLE_RECORD`], with the record's fields as the server value and `null` as the
//!   device's. A write to a deleted record conflicts with `null` the same way.
//! - Issue events are appended once per id and never changed.
//! - A conflict is settled once: `resolved` turns true with a new version; settling it
//!   again is acknowledged and changes nothing; an unknown id is rejected.
//! - Every change gets the next server version; a pull returns, in version order, each
//!   row (record, event, conflict) whose latest version is above the cursor.

use std::collections::BTreeMap;

use serde_json::Value;

mod conflicts;
mod feed;

use super::protocol::{
    Collection, FieldConflict, FieldWrite, Mutation, MutationResult, MutationStatus, Op,
    PushRequest, PushResponse, VersionedValue, MAX_PUSH_MUTATIONS,
};
use super::rules::{check_seq, decide_field_by_writer, FieldDecision, SeqDecision};
use super::state::RecordKey;
use crate::issue::{derive, IssueEvent};
use crate::{EventId, SCHEMA_VERSION};

/// The `field` of a conflict that concerns a whole record (a delete that lost).
pub const WHOLE_RECORD: &str = "*";

/// A push refused as a whole, before any mutation is looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("schema version {got} is not supported (this server speaks {SCHEMA_VERSION})")]
    SchemaVersion { got: u32 },
    #[error("{count} mutations in one push; at most {MAX_PUSH_MUTATIONS} are accepted")]
    TooManyMutations { count: usize },
    /// The push names an epoch other than this server's: it was meant for a database this
    /// one replaced. Nothing is stored; the device resets to `server_epoch` and re-pushes.
    #[error("the push expects another server epoch; this server's is {server_epoch}")]
    EpochMismatch { server_epoch: String },
}

/// The reference server's durable state.
#[derive(Debug, Clone, Default)]
pub struct ServerModel {
    epoch: String,
    version: u64,
    last_seq: BTreeMap<String, u64>,
    /// Why each rejected `(client, seq)` was refused, so a retry hears the same answer.
    rejections: BTreeMap<(String, u64), Refusal>,
    records: BTreeMap<RecordKey, Row>,
    events: BTreeMap<EventId, (u64, IssueEvent)>,
    conflicts: BTreeMap<String, (u64, FieldConflict)>,
    /// Each row's latest version → the row: the pull feed.
    by_version: BTreeMap<u64, Entry>,
}

#[derive(Debug, Clone, Default)]
struct Row {
    version: u64,
    deleted: bool,
    /// Who made the last change to the row (for a deleted row: who deleted it).
    writer: String,
    fields: BTreeMap<String, Cell>,
}

#[derive(Debug, Clone)]
struct Cell {
    value: VersionedValue,
    writer: String,
}

#[derive(Debug, Clone)]
enum Entry {
    Record(RecordKey),
    Event(EventId),
    Conflict(String),
}

/// A mutation refused for good: a stable code and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refusal {
    code: &'static str,
    message: String,
}

/// Who is pushing which mutation, for writer tracking and conflict ids.
struct Origin<'a> {
    client: &'a str,
    seq: u64,
}

impl ServerModel {
    /// An empty server. `epoch` names this database's history: a restored or replaced
    /// database must get a new one, so devices know to re-pull and re-push.
    pub fn new(epoch: impl Into<String>) -> ServerModel {
        ServerModel { epoch: epoch.into(), ..ServerModel::default() }
    }

    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// The latest server version (0 when empty).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The last seq stored for a client (0 if never seen).
    pub fn last_seq(&self, client_id: &str) -> u64 {
        self.last_seq.get(client_id).copied().unwrap_or(0)
    }

    /// Applies a push as one transaction and says what became of each mutation.
    pub fn push(&mut self, request: &PushRequest) -> Result<PushResponse, PushError> {
        if request.schema_version != SCHEMA_VERSION {
            return Err(PushError::SchemaVersion { got: request.schema_version });
        }
        if request.mutations.len() > MAX_PUSH_MUTATIONS {
            return Err(PushError::TooManyMutations { count: request.mutations.len() });
        }
        if request.epoch.as_ref().is_some_and(|e| *e != self.epoch) {
            return Err(PushError::EpochMismatch { server_epoch: self.epoch.clone() });
        }
        let client = request.client_id.as_str();
        let mut last = self.last_seq(client);
        let mut results = Vec::with_capacity(request.mutations.len());
        for m in &request.mutations {
            match check_seq(last, m.seq) {
                SeqDecision::Duplicate => results.push(self.earlier_result(client, m.seq)),
                SeqDecision::Gap { expected } => {
                    let message = format!("expected seq {expected}, got {}", m.seq);
                    results.push(refused(m.seq, &Refusal { code: "seq_gap", message }));
                    break;
                }
                SeqDecision::Next => {
                    results.push(self.apply(&Origin { client, seq: m.seq }, m));
                    last = m.seq;
                }
            }
        }
        self.last_seq.insert(client.to_owned(), last);
        Ok(PushResponse { results, acked_seq: last, epoch: self.epoch.clone() })
    }

    fn earlier_result(&self, client: &str, seq: u64) -> MutationResult {
        match self.rejections.get(&(client.to_owned(), seq)) {
            Some(refusal) => refused(seq, refusal),
            None => MutationResult { seq, status: MutationStatus::Applied, code: None, message: None, current: None },
        }
    }

    fn apply(&mut self, origin: &Origin<'_>, m: &Mutation) -> MutationResult {
        let outcome = match &m.op {
            Op::Put { collection, id, fields } => self.put(origin, *collection, id, fields),
            Op::Delete { collection, id, base } => Ok(self.delete(origin, *collection, id, *base)),
            Op::AppendEvent { event } => self.append_event(event),
            Op::SettleConflict { conflict } => self.settle(conflict),
        };
        match outcome {
            Ok(status) => MutationResult { seq: m.seq, status, code: None, message: None, current: None },
            Err(refusal) => {
                let result = refused(m.seq, &refusal);
                self.rejections.insert((origin.client.to_owned(), m.seq), refusal);
                result
            }
        }
    }

    fn put(
        &mut self,
        origin: &Origin<'_>,
        collection: Collection,
        id: &str,
        fields: &BTreeMap<String, FieldWrite>,
    ) -> Result<MutationStatus, Refusal> {
        check_fields(fields)?;
        let key = (collection, id.to_owned());
        let mut applied = Vec::new();
        let mut lost = Vec::new();
        for (name, write) in fields {
            let (current, own) = current_field(self.records.get(&key), name, origin.client);
            match decide_field_by_writer(current.as_ref(), own, write) {
                FieldDecision::Apply => applied.push((name.clone(), write.value.clone())),
                FieldDecision::Unchanged => {}
                FieldDecision::Conflict => {
                    let server_value = current.map_or(Value::Null, |c| c.value);
                    lost.push((name.clone(), server_value, write.value.clone()));
                }
            }
        }
        if !applied.is_empty() {
            let version = self.bump(Entry::Record(key.clone()));
            let row = self.records.entry(key.clone()).or_default();
            if row.deleted {
                *row = Row::default(); // re-created by whoever deleted it
            }
            row.version = version;
            row.writer = origin.client.to_owned();
            for (name, value) in applied {
                let cell = Cell { value: VersionedValue::new(value, version), writer: origin.client.to_owned() };
                row.fields.insert(name, cell);
            }
        }
        let status = if lost.is_empty() { MutationStatus::Applied } else { MutationStatus::Conflict };
        for (field, server_value, device_value) in lost {
            self.record_conflict(origin, &key, &field, server_value, device_value);
        }
        Ok(status)
    }

    fn delete(&mut self, origin: &Origin<'_>, collection: Collection, id: &str, base: u64) -> MutationStatus {
        let key = (collection, id.to_owned());
        let Some(row) = self.records.get(&key).filter(|r| !r.deleted) else {
            return MutationStatus::Applied; // never stored, or already deleted
        };
        let unseen = row.fields.values().any(|c| c.value.version > base && c.writer != origin.client);
        if unseen {
            let fields = row.fields.iter().map(|(k, c)| (k.clone(), c.value.value.clone())).collect();
            self.record_conflict(origin, &key, WHOLE_RECORD, Value::Object(fields), Value::Null);
            return MutationStatus::Conflict;
        }
        let version = self.bump(Entry::Record(key.clone()));
        let writer = origin.client.to_owned();
        self.records.insert(key, Row { version, deleted: true, writer, fields: BTreeMap::new() });
        MutationStatus::Applied
    }

    fn append_event(&mut self, event: &IssueEvent) -> Result<MutationStatus, Refusal> {
        if let Some((_, stored)) = self.events.get(&event.id) {
            if stored == event {
                return Ok(MutationStatus::Applied);
            }
            let message = format!("event {} already exists with other content", event.id.as_str());
            return Err(Refusal { code: "event_id_reused", message });
        }
        let version = self.bump(Entry::Event(event.id.clone()));
        self.events.insert(event.id.clone(), (version, event.clone()));
        // Kept either way; the status only tells the device it did not hold (see `derive`).
        let history: Vec<IssueEvent> =
            self.events.values().filter(|(_, e)| e.issue == event.issue).map(|(_, e)| e.clone()).collect();
        let conflicted = derive(&history).conflicts.iter().any(|(id, _)| *id == event.id);
        Ok(if conflicted { MutationStatus::Conflict } else { MutationStatus::Applied })
    }

    /// Gives `entry` the next version, moving it to the end of the pull feed.
    fn bump(&mut self, entry: Entry) -> u64 {
        let old = match &entry {
            Entry::Record(key) => self.records.get(key).map(|r| r.version),
            Entry::Event(id) => self.events.get(id).map(|e| e.0),
            Entry::Conflict(id) => self.conflicts.get(id).map(|c| c.0),
        };
        if let Some(old) = old {
            self.by_version.remove(&old);
        }
        self.version += 1;
        self.by_version.insert(self.version, entry);
        self.version
    }
}

/// A field's current value and whether `client` wrote it. A deleted record's fields all
/// read as `null`, written by whoever deleted it.
fn current_field(row: Option<&Row>, name: &str, client: &str) -> (Option<VersionedValue>, bool) {
    match row {
        None => (None, false),
        Some(r) if r.deleted => (Some(VersionedValue::new(Value::Null, r.version)), r.writer == client),
        Some(r) => r.fields.get(name).map_or((None, false), |c| (Some(c.value.clone()), c.writer == client)),
    }
}

/// Field names are plain: names starting with `_` or `*` are kept for the protocol.
fn check_fields(fields: &BTreeMap<String, FieldWrite>) -> Result<(), Refusal> {
    if fields.is_empty() {
        return Err(Refusal { code: "empty_put", message: "the change sets no field".into() });
    }
    let bad = |f: &String| f.is_empty() || f.len() > 64 || f.starts_with(['_', '*']);
    match fields.keys().find(|f| bad(f)) {
        Some(f) => Err(Refusal { code: "bad_field", message: format!("field name {f:?} is not allowed") }),
        None => Ok(()),
    }
}

fn refused(seq: u64, refusal: &Refusal) -> MutationResult {
    MutationResult {
        seq,
        status: MutationStatus::Rejected,
        code: Some(refusal.code.to_owned()),
        message: Some(refusal.message.clone()),
        // The model's phones replay their view from the server's state on every pull, so
        // they do not need the record handed back with the refusal.
        current: None,
    }
}
