//! Field conflicts in the reference server: recording a losing write under the model's
//! own id (`<client>/<seq>/<field>`), and settling one.

use super::{Entry, Origin, ServerModel};
use crate::sync::decide::KeptConflict;
use crate::sync::protocol::FieldConflict;
use crate::sync::state::RecordKey;

impl ServerModel {
    /// Marks a conflict settled with a new version, so it reaches every device again.
    pub(super) fn settle(&mut self, id: &str) {
        let version = self.bump(Entry::Conflict(id.to_owned()));
        if let Some((v, c)) = self.conflicts.get_mut(id) {
            (*v, c.resolved) = (version, true);
        }
    }

    pub(super) fn record_conflict(&mut self, origin: &Origin<'_>, key: &RecordKey, kept: &KeptConflict) {
        let id = format!("{}/{}/{}", origin.client, origin.seq, kept.field);
        let version = self.bump(Entry::Conflict(id.clone()));
        let conflict = FieldConflict {
            id: id.clone(),
            collection: key.0,
            record_id: key.1.clone(),
            field: kept.field.clone(),
            server_value: kept.server_value.clone(),
            device_value: kept.device_value.clone(),
            actor: origin.client.to_owned(),
            client_id: origin.client.to_owned(),
            resolved: false,
        };
        self.conflicts.insert(id, (version, conflict));
    }
}
