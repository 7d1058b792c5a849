//! Wire types of `/api/v1/sync/push` and `/api/v1/sync/pull`, shared by device and server.
//!
//! Records travel as field maps (`field name → JSON value`), because merging happens per
//! field: two phones that change different fields of one household offline both win. Issue
//! history travels as whole [`IssueEvent`]s, which are only ever appended.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::issue::IssueEvent;

/// Most mutations in one push; a device with more sends several batches.
pub const MAX_PUSH_MUTATIONS: usize = 500;
/// Largest push body the server reads, in bytes.
pub const MAX_PUSH_BYTES: usize = 1 << 20;
/// Largest page a pull returns, whatever `limit` asks for (a device grows its pages up to
/// it on a quick link: `page_size.rs`).
pub const MAX_PULL_LIMIT: u32 = 5000;

/// The record collections that sync field by field. Issue events sync as [`Op::AppendEvent`].
/// On the wire: [`Collection::name`] (serde by hand, as for `labelled_enum!`: one shared
/// `String` read instead of an enum access compiled per deserializer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(rename_all = "snake_case"))]
pub enum Collection {
    Grids,
    People,
    Households,
    Units,
    Issues,
    Visits,
    Meetings,
    Mediations,
    ListEntries,
    Tasks,
    Emergencies,
}

impl Collection {
    pub const ALL: [Collection; 11] = [
        Collection::Grids,
        Collection::People,
        Collection::Households,
        Collection::Units,
        Collection::Issues,
        Collection::Visits,
        Collection::Meetings,
        Collection::Mediations,
        Collection::ListEntries,
        Collection::Tasks,
        Collection::Emergencies,
    ];

    /// The collection with this [`name`](Collection::name), if any.
    pub fn from_name(name: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The name used for stores and tables.
    pub const fn name(self) -> &'static str {
        match self {
            Collection::Grids => "grids",
            Collection::People => "people",
            Collection::Households => "households",
            Collection::Units => "units",
            Collection::Issues => "issues",
            Collection::Visits => "visits",
            Collection::Meetings => "meetings",
            Collection::Mediations => "mediations",
            Collection::ListEntries => "list_entries",
            Collection::Tasks => "tasks",
            Collection::Emergencies => "emergencies",
        }
    }
}

impl Serialize for Collection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Collection {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Collection::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, &COLLECTION_NAMES))
    }
}

/// Every name, for the "expected one of" of an unknown one.
const COLLECTION_NAMES: [&str; Collection::ALL.len()] = {
    let mut names = [""; Collection::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Collection::ALL[i].name();
        i += 1;
    }
    names
};

/// A new value for one field, with the server version of that field the device had seen
/// when the worker changed it (0: the device never saw it from the server). The server
/// applies it only if the field has not changed since; otherwise it keeps its value and
/// records a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldWrite {
    pub value: Value,
    pub base: u64,
}

/// What a mutation does. Read by hand (`mutation_de.rs`, unknown fields still refused):
/// the derived reader of this internally tagged shape inside a flatten was one of the
/// largest serde costs in the worker's wasm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Creates a record or changes some of its fields.
    Put { collection: Collection, id: String, fields: BTreeMap<String, FieldWrite> },
    /// Deletes a record (the server keeps a tombstone so other devices learn of it).
    Delete { collection: Collection, id: String, base: u64 },
    /// Appends one event to an issue's history.
    AppendEvent { event: IssueEvent },
    /// Settles a field conflict (by its [`FieldConflict::id`]): the server marks it
    /// `resolved` with a new version, so every device in scope pulls it settled. Settling a
    /// settled conflict changes nothing. "Keep my value instead" is a [`Op::Put`] of that
    /// value (with a fresh base) followed by this; the server has no special path for it.
    SettleConflict { conflict: String },
}

/// One queued change from a device. `seq` increases by one per device, from 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seq: u64,
    #[serde(flatten)]
    pub op: Op,
}

/// `POST /api/v1/sync/push` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: String,
    pub schema_version: u32,
    pub mutations: Vec<Mutation>,
    /// The server epoch the device last heard (None before it heard any). A server with
    /// another epoch refuses the whole push (`epoch_mismatch`, HTTP 409) and names its own,
    /// so seqs and bases meant for one database are never stored in another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<String>,
}

/// What became of one pushed mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    /// Stored as sent (or already stored by an earlier try of the same seq).
    Applied,
    /// Stored, but some of it lost to a newer server value and was kept as a conflict for
    /// someone to settle.
    Conflict,
    /// Not stored, with a reason; it does not block the mutations behind it.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seq: u64,
    pub status: MutationStatus,
    /// Stable machine code when rejected (e.g. `out_of_scope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A message a person can act on when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For a put (or delete) that was refused or lost a field to a conflict, of a record
    /// the caller may see: the record as the server holds it, so the phone drops the
    /// values that did not land instead of showing them until the record happens to
    /// change again (its pulled versions may already be past this record's version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Change>,
}

/// `POST /api/v1/sync/push` reply. Every seq up to `acked_seq` is durably stored (or was
/// rejected for good): the device may drop those outbox entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    pub acked_seq: u64,
    pub epoch: String,
}

/// A field's value with the server version at which it last changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionedValue {
    pub value: Value,
    pub version: u64,
    /// Who wrote the current value (person id), for attributed history on the phone.
    /// Absent for seeded or imported data, for fields written before the server kept
    /// writers' times, and from older servers (so older phones and servers still read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When the server stored the current value (ms since the epoch, server clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
}

impl VersionedValue {
    /// A value at `version` with no writer recorded.
    pub fn new(value: Value, version: u64) -> VersionedValue {
        VersionedValue { value, version, by: None, at: None }
    }
}

/// A field write that lost to a newer server value, kept for someone to settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldConflict {
    pub id: String,
    pub collection: Collection,
    pub record_id: String,
    pub field: String,
    pub server_value: Value,
    pub device_value: Value,
    /// Who pushed the losing value (person id), and from which device.
    pub actor: String,
    pub client_id: String,
    pub resolved: bool,
}

/// One entry of a pull page, in server version order. Read by hand (`change_de.rs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The record's whole current state.
    Upsert { collection: Collection, id: String, version: u64, fields: BTreeMap<String, VersionedValue> },
    /// The record was deleted.
    Tombstone { collection: Collection, id: String, version: u64 },
    /// The record left this worker's scope (moved to another grid): drop it from the device.
    Evict { collection: Collection, id: String, version: u64 },
    /// An issue event was appended.
    Event { version: u64, event: IssueEvent },
    /// A field conflict was recorded or settled.
    Conflict { version: u64, conflict: FieldConflict },
}

impl Change {
    pub fn version(&self) -> u64 {
        match self {
            Change::Upsert { version, .. }
            | Change::Tombstone { version, .. }
            | Change::Evict { version, .. }
            | Change::Event { version, .. }
            | Change::Conflict { version, .. } => *version,
        }
    }
}

/// `GET /api/v1/sync/pull?cursor=&limit=` reply. `cursor` is the version to ask from next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub cursor: u64,
    pub has_more: bool,
    pub epoch: String,
}

/// `GET /api/v1/sync/pull?cursor=&limit=` query: changes with a version above `cursor`,
/// at most `limit` of them (capped at [`MAX_PULL_LIMIT`]). The device keeps the request it
/// sent beside the reply, because a reply only holds for the cursor it was asked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    pub cursor: u64,
    pub limit: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutation_is_flat_json_tagged_by_op() {
        let m = Mutation { seq: 7, op: Op::Delete { collection: Collection::Visits, id: "V1".into(), base: 3 } };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json, serde_json::json!({"seq": 7, "op": "delete", "collection": "visits", "id": "V1", "base": 3}));
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), m);
    }

    #[test]
    fn a_settle_names_the_conflict_id() {
        let m = Mutation { seq: 9, op: Op::SettleConflict { conflict: "conflict-42".into() } };
        let json = serde_json::json!({"seq": 9, "op": "settle_conflict", "conflict": "conflict-42"});
        assert_eq!(serde_json::to_value(&m).unwrap(), json);
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), m);
    }

    #[test]
    fn an_unknown_op_is_refused() {
        let bad = serde_json::json!({"seq": 1, "op": "drop_table", "collection": "issues"});
        assert!(serde_json::from_value::<Mutation>(bad).is_err());
    }
}

#[cfg(test)]
mod collection_tests {
    use super::*;

    #[test]
    fn collections_travel_as_their_names() {
        for c in Collection::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.name()));
            assert_eq!(serde_json::from_str::<Collection>(&json).unwrap(), c);
        }
        let err = serde_json::from_str::<Collection>("\"tables\"").unwrap_err().to_string();
        assert!(err.starts_with("unknown variant `tables`, expected one of `grids`, `people`"), "{err}");
    }
}
