//! The synced data as one plain value — records, issue events and field conflicts — so the
//! device's view and the server's state can be built, compared and shown the same way.

use std::collections::BTreeMap;

use serde_json::Value;

use super::protocol::{Change, Collection, FieldConflict, VersionedValue};
use crate::issue::IssueEvent;
use crate::EventId;

/// Which record: its collection and its id.
pub type RecordKey = (Collection, String);

/// One live record: its fields, each with the server version at which it last changed.
/// `version` is the record's last change; 0 on the device means "not yet on the server".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub version: u64,
    pub fields: BTreeMap<String, VersionedValue>,
}

impl Record {
    /// A field's value, if the record has it.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).map(|f| &f.value)
    }
}

/// Everything sync carries. Deleted and evicted records are simply absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncState {
    pub records: BTreeMap<RecordKey, Record>,
    pub events: BTreeMap<EventId, IssueEvent>,
    pub conflicts: BTreeMap<String, FieldConflict>,
}

impl SyncState {
    /// A record, if it is live here.
    pub fn record(&self, collection: Collection, id: &str) -> Option<&Record> {
        self.records.get(&(collection, id.to_owned()))
    }

    /// Applies one pulled change. Changes carry whole states (a record's every field, a
    /// conflict's current form), so applying one twice or after a newer one of a different
    /// row is harmless; the caller keeps versions in order (see `Replica::apply_pull`).
    pub fn apply_change(&mut self, change: &Change) {
        match change {
            Change::Upsert { collection, id, version, fields } => {
                let record = Record { version: *version, fields: fields.clone() };
                self.records.insert((*collection, id.clone()), record);
            }
            Change::Tombstone { collection, id, .. } | Change::Evict { collection, id, .. } => {
                self.records.remove(&(*collection, id.clone()));
            }
            Change::Event { event, .. } => {
                self.events.insert(event.id.clone(), event.clone());
            }
            Change::Conflict { conflict, .. } => {
                self.conflicts.insert(conflict.id.clone(), conflict.clone());
            }
        }
    }

    /// The events of one issue, in no particular order (feed them to `issue::derive`).
    pub fn events_of<'a>(&'a self, issue: &'a crate::IssueId) -> impl Iterator<Item = &'a IssueEvent> + 'a {
        self.events.values().filter(move |e| &e.issue == issue)
    }
}
