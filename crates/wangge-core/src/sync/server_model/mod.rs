//! An in-memory reference server: the protocol of `docs/SYNC.md` with no I/O, no auth and no
//! scope, driving the core's server decisions (`sync::decide`) over plain maps. The SQLite
//! server drives the same decisions over its tables, so what the simulation tests here is
//! what the real server decides.
//!
//! What it promises, in order of importance:
//! - A push that names another epoch is refused whole ([`PushError::EpochMismatch`]), and
//!   so is one with a gap in its seqs ([`PushError::SeqGap`]): nothing is applied out of
//!   order.
//! - A push is idempotent per `(client_id, seq)`: a seen seq is answered again (with the
//!   same status, code and message) and changes nothing.
//! - Field writes go through [`decide_put`]: a stale write keeps the server's value and
//!   stores the device's as a [`FieldConflict`]; a write to a deleted record is refused.
//! - A delete over a change the device never saw is kept as a conflict on
//!   [`WHOLE_RECORD`] ([`decide_delete`]).
//! - Issue events are appended once per id and never changed; an implausibly dated one is
//!   placed at its receipt ([`decide_append`], [`ServerModel::push_at`]).
//! - A conflict is settled once ([`decide_settle`]).
//! - Every change gets the next server version; a pull returns, in version order, each
//!   row (record, event, conflict) whose latest version is above the cursor.
//!
//! [`WHOLE_RECORD`]: crate::sync::WHOLE_RECORD
//! [`decide_put`]: crate::sync::decide_put
//! [`decide_delete`]: crate::sync::decide_delete
//! [`decide_append`]: crate::sync::decide_append
//! [`decide_settle`]: crate::sync::decide_settle

use std::collections::BTreeMap;

mod apply;
mod conflicts;
mod feed;
#[cfg(test)]
mod tests;

use super::decide::{hands_back_record, plan_batch, SeqGap, SeqStep};
use super::protocol::{
    Change, FieldConflict, MutationResult, PushRequest, PushResponse, VersionedValue, MAX_PUSH_MUTATIONS,
};
use super::state::RecordKey;
use crate::issue::IssueEvent;
use crate::{EventId, Millis, SCHEMA_VERSION};

/// A push refused as a whole, before any mutation is applied.
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
    /// A seq is missing before one the push carries: nothing is stored; the device pushes
    /// again from its oldest unacknowledged entry (as the SQLite server's 409 `seq_gap`).
    #[error("expected seq {expected} next")]
    SeqGap { expected: u64 },
}

/// The reference server's durable state.
#[derive(Debug, Clone, Default)]
pub struct ServerModel {
    epoch: String,
    version: u64,
    last_seq: BTreeMap<String, u64>,
    /// What each stored `(client, seq)` was answered, so a retry hears the same.
    results: BTreeMap<(String, u64), MutationResult>,
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

/// Who is pushing which mutation, and when it arrives (None: a clock that agrees with
/// every phone's), for writer tracking, conflict ids and event times.
struct Origin<'a> {
    client: &'a str,
    seq: u64,
    received: Option<Millis>,
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

    /// [`ServerModel::push_at`] on a server whose clock agrees with every phone's: each
    /// event's receipt is its own time (the rule on events dated before their issue's
    /// report still holds). For examples and tests that are not about clocks.
    pub fn push(&mut self, request: &PushRequest) -> Result<PushResponse, PushError> {
        self.push_with(request, None)
    }

    /// Applies a push received at `now_ms` (server clock) as one transaction and says what
    /// became of each mutation.
    pub fn push_at(&mut self, request: &PushRequest, now_ms: Millis) -> Result<PushResponse, PushError> {
        self.push_with(request, Some(now_ms))
    }

    fn push_with(&mut self, request: &PushRequest, received: Option<Millis>) -> Result<PushResponse, PushError> {
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
        let plan = plan_batch(self.last_seq(client), request.mutations.iter().map(|m| m.seq))
            .map_err(|SeqGap { expected }| PushError::SeqGap { expected })?;
        let mut results = Vec::with_capacity(request.mutations.len());
        for (m, step) in request.mutations.iter().zip(plan.steps) {
            let mut result = match step {
                SeqStep::AnswerAgain => self.earlier_result(client, m.seq),
                SeqStep::Apply => {
                    let result = self.apply(&Origin { client, seq: m.seq, received }, &m.op);
                    self.results.insert((client.to_owned(), m.seq), result.clone());
                    result
                }
            };
            result.current =
                hands_back_record(&m.op, result.status).and_then(|(c, id)| self.current(&(c, id.to_owned())));
            results.push(result);
        }
        self.last_seq.insert(client.to_owned(), plan.acked_seq);
        Ok(PushResponse { results, acked_seq: plan.acked_seq, epoch: self.epoch.clone() })
    }

    /// The answer given when the seq was first stored.
    fn earlier_result(&self, client: &str, seq: u64) -> MutationResult {
        self.results.get(&(client.to_owned(), seq)).cloned().unwrap_or(MutationResult {
            seq,
            status: super::protocol::MutationStatus::Applied,
            code: None,
            message: None,
            current: None,
        })
    }

    /// A live record as a pull would carry it (handed back with a put or delete that did
    /// not land as sent).
    fn current(&self, key: &RecordKey) -> Option<Change> {
        let row = self.records.get(key).filter(|r| !r.deleted)?;
        let fields = row.fields.iter().map(|(k, c)| (k.clone(), c.value.clone())).collect();
        Some(Change::Upsert { collection: key.0, id: key.1.clone(), version: row.version, fields })
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
