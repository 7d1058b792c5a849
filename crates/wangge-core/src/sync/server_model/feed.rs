//! The pull side of the reference server: the change feed, in version order, and the
//! whole state as a device that pulled everything would hold it.

use std::collections::BTreeMap;
use std::ops::Bound;

use super::{Entry, Row, ServerModel};
use crate::sync::protocol::{Change, PullRequest, PullResponse, VersionedValue, MAX_PULL_LIMIT};
use crate::sync::state::{Record, SyncState};

impl ServerModel {
    /// One page of changes above the cursor, oldest first.
    pub fn pull(&self, request: &PullRequest) -> PullResponse {
        let limit = request.limit.clamp(1, MAX_PULL_LIMIT) as usize;
        let mut feed = self.by_version.range((Bound::Excluded(request.cursor), Bound::Unbounded));
        let changes: Vec<Change> = feed.by_ref().take(limit).map(|(v, e)| self.change(*v, e)).collect();
        let has_more = feed.next().is_some();
        let cursor = changes.last().map_or(request.cursor, Change::version);
        PullResponse { changes, cursor, has_more, epoch: self.epoch.clone() }
    }

    fn change(&self, version: u64, entry: &Entry) -> Change {
        match entry {
            Entry::Record(key) => {
                let (collection, id) = (key.0, key.1.clone());
                match &self.records[key] {
                    row if row.deleted => Change::Tombstone { collection, id, version },
                    row => Change::Upsert { collection, id, version, fields: public_fields(row) },
                }
            }
            Entry::Event(id) => Change::Event { version, event: self.events[id].1.clone() },
            Entry::Conflict(id) => Change::Conflict { version, conflict: self.conflicts[id].1.clone() },
        }
    }

    /// The whole current state, as a device that pulled everything would hold it.
    pub fn state(&self) -> SyncState {
        let records = self
            .records
            .iter()
            .filter(|(_, row)| !row.deleted)
            .map(|(k, row)| (k.clone(), Record { version: row.version, fields: public_fields(row) }))
            .collect();
        let events = self.events.iter().map(|(id, (_, e))| (id.clone(), e.clone())).collect();
        let conflicts = self.conflicts.iter().map(|(id, (_, c))| (id.clone(), c.clone())).collect();
        SyncState { records, events, conflicts }
    }
}

fn public_fields(row: &Row) -> BTreeMap<String, VersionedValue> {
    row.fields.iter().map(|(k, c)| (k.clone(), c.value.clone())).collect()
}
