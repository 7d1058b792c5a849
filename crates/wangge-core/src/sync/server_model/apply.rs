//! One mutation in the reference server: read what the decision needs from the maps, ask
//! `sync::decide`, write what it says. The only checks of its own are the model's stand-in
//! for validation (field names), which the SQLite server does with the record types.

use std::collections::BTreeMap;

use super::{Cell, Entry, Origin, ServerModel};
use crate::issue::IssueEvent;
use crate::refusal::Refusal;
use crate::sync::decide::{
    decide_append, decide_delete, decide_put, decide_settle, AppendDecision, DeleteDecision, PutDecision,
    SettleDecision, StoredField, StoredRecord,
};
use crate::sync::protocol::{Collection, FieldWrite, MutationResult, MutationStatus, Op, VersionedValue};

/// A status and, beside a refusal or a conflict, its code and message.
type Answer = (MutationStatus, Option<(String, String)>);

impl ServerModel {
    pub(super) fn apply(&mut self, origin: &Origin<'_>, op: &Op) -> MutationResult {
        let (status, detail) = match op {
            Op::Put { collection, id, fields } => self.put(origin, *collection, id, fields),
            Op::Delete { collection, id, base } => self.delete(origin, *collection, id, *base),
            Op::AppendEvent { event } => self.append_event(origin, event),
            Op::SettleConflict { conflict } => {
                match decide_settle(self.conflicts.get(conflict).map(|(_, c)| c.resolved)) {
                    SettleDecision::Unknown => answer(MutationStatus::Rejected, &Refusal::UnknownConflict),
                    SettleDecision::AlreadySettled => (MutationStatus::Applied, None),
                    SettleDecision::Settle => {
                        self.settle(conflict);
                        (MutationStatus::Applied, None)
                    }
                }
            }
        };
        let (code, message) = detail.unzip();
        MutationResult { seq: origin.seq, status, code, message, current: None }
    }

    fn stored(&self, collection: Collection, id: &str, client: &str) -> StoredRecord {
        match self.records.get(&(collection, id.to_owned())) {
            None => StoredRecord::Absent,
            Some(row) if row.deleted => StoredRecord::Deleted,
            Some(row) => StoredRecord::Live(
                row.fields
                    .iter()
                    .map(|(k, c)| (k.clone(), StoredField { value: c.value.clone(), own: c.writer == client }))
                    .collect(),
            ),
        }
    }

    fn put(
        &mut self,
        origin: &Origin<'_>,
        collection: Collection,
        id: &str,
        fields: &BTreeMap<String, FieldWrite>,
    ) -> Answer {
        if let Err(refused) = check_fields(fields) {
            return answer(MutationStatus::Rejected, &refused);
        }
        let plan = match decide_put(&self.stored(collection, id, origin.client), fields) {
            PutDecision::Refused(n) => return answer(MutationStatus::Rejected, &n),
            PutDecision::Merge(plan) => plan,
        };
        let key = (collection, id.to_owned());
        if !plan.apply.is_empty() {
            let version = self.bump(Entry::Record(key.clone()));
            let row = self.records.entry(key.clone()).or_default();
            row.version = version;
            for (name, value) in &plan.apply {
                let cell =
                    Cell { value: VersionedValue::new(value.clone(), version), writer: origin.client.to_owned() };
                row.fields.insert(name.clone(), cell);
            }
        }
        for c in &plan.conflicts {
            self.record_conflict(origin, &key, c);
        }
        match plan.refusal() {
            Some(n) => answer(plan.status(), &n),
            None => (plan.status(), None),
        }
    }

    fn delete(&mut self, origin: &Origin<'_>, collection: Collection, id: &str, base: u64) -> Answer {
        let key = (collection, id.to_owned());
        match decide_delete(&self.stored(collection, id, origin.client), base) {
            DeleteDecision::Nothing => (MutationStatus::Applied, None),
            DeleteDecision::Conflict(c) => {
                self.record_conflict(origin, &key, &c);
                answer(MutationStatus::Conflict, &Refusal::DeleteConflict)
            }
            DeleteDecision::Tombstone => {
                let version = self.bump(Entry::Record(key.clone()));
                if let Some(row) = self.records.get_mut(&key) {
                    // The fields stay, as on the SQLite server (an undelete brings them back).
                    (row.version, row.deleted) = (version, true);
                }
                (MutationStatus::Applied, None)
            }
        }
    }

    fn append_event(&mut self, origin: &Origin<'_>, event: &IssueEvent) -> Answer {
        let stored = self.events.get(&event.id).map(|(_, e)| e);
        let history: Vec<IssueEvent> =
            self.events.values().filter(|(_, e)| e.issue == event.issue).map(|(_, e)| e.clone()).collect();
        match decide_append(stored, event, &history, origin.received) {
            AppendDecision::Duplicate => (MutationStatus::Applied, None),
            AppendDecision::Refused(n) => answer(MutationStatus::Rejected, &n),
            AppendDecision::Append { event, conflict } => {
                let version = self.bump(Entry::Event(event.id.clone()));
                self.events.insert(event.id.clone(), (version, event));
                // Kept either way; the status only tells the device it did not hold.
                match conflict {
                    Some(err) => (MutationStatus::Conflict, Some((err.code().to_owned(), err.message_zh()))),
                    None => (MutationStatus::Applied, None),
                }
            }
        }
    }
}

fn answer(status: MutationStatus, n: &Refusal) -> Answer {
    (status, Some((n.code().to_owned(), n.message_zh())))
}

/// The model's stand-in for validation: field names are plain (names starting with `_` or
/// `*` are kept for the protocol), and a put sets at least one.
fn check_fields(fields: &BTreeMap<String, FieldWrite>) -> Result<(), Refusal> {
    if fields.is_empty() {
        return Err(Refusal::EmptyPut);
    }
    let bad = |f: &String| f.is_empty() || f.len() > 64 || f.starts_with(['_', '*']);
    match fields.keys().find(|f| bad(f)) {
        Some(f) => Err(Refusal::BadField { field: f.clone() }),
        None => Ok(()),
    }
}
