//! Field conflicts in the reference server: recording a losing write, and settling one.

use serde_json::Value;

use super::{Entry, Origin, Refusal, ServerModel};
use crate::sync::protocol::{FieldConflict, MutationStatus};
use crate::sync::state::RecordKey;

impl ServerModel {
    /// Marks a conflict settled with a new version, so it reaches every device again.
    pub(super) fn settle(&mut self, id: &str) -> Result<MutationStatus, Refusal> {
        match self.conflicts.get(id) {
            None => Err(Refusal { code: "unknown_conflict", message: format!("no conflict {id:?} to settle") }),
            Some((_, c)) if c.resolved => Ok(MutationStatus::Applied), // settled already: nothing moves
            Some(_) => {
                let version = self.bump(Entry::Conflict(id.to_owned()));
                if let Some((v, c)) = self.conflicts.get_mut(id) {
                    (*v, c.resolved) = (version, true);
                }
                Ok(MutationStatus::Applied)
            }
        }
    }

    pub(super) fn record_conflict(&mut self, origin: &Origin<'_>, key: &RecordKey, field: &str, server_value: Value, device_value: Value) {
        let id = format!("{}/{}/{field}", origin.client, origin.seq);
        let version = self.bump(Entry::Conflict(id.clone()));
        let conflict = FieldConflict {
            id: id.clone(),
            collection: key.0,
            record_id: key.1.clone(),
            field: field.to_owned(),
            server_value,
            device_value,
            actor: origin.client.to_owned(),
            client_id: origin.client.to_owned(),
            resolved: false,
        };
        self.conflicts.insert(id, (version, conflict));
    }
}
