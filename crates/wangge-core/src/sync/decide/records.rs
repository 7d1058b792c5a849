//! Record decisions: how a put meets the stored record field by field, and whether a
//! delete leaves a tombstone or is kept as a conflict. The driver reads the record into a
//! [`StoredRecord`] and writes what the decision lists.

use std::collections::BTreeMap;

use serde_json::Value;

use super::WHOLE_RECORD;
use crate::refusal::Refusal;
use crate::sync::protocol::{FieldWrite, MutationStatus, VersionedValue};
use crate::sync::rules::{decide_field_by_writer, FieldDecision};

/// A stored field: its value and version, and whether the pushing client wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredField {
    pub value: VersionedValue,
    pub own: bool,
}

/// A record as the server holds it, read for one mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredRecord {
    /// Never stored.
    Absent,
    /// Deleted (the server may keep its last fields, but no phone holds it any more).
    Deleted,
    Live(BTreeMap<String, StoredField>),
}

/// A losing write, kept for someone to settle. The driver names it (its id).
#[derive(Debug, Clone, PartialEq)]
pub struct KeptConflict {
    pub field: String,
    pub server_value: Value,
    pub device_value: Value,
}

/// What a put writes: the fields that apply (a new version for the record, if any) and the
/// values kept aside as conflicts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PutPlan {
    pub apply: Vec<(String, Value)>,
    pub conflicts: Vec<KeptConflict>,
}

impl PutPlan {
    pub fn status(&self) -> MutationStatus {
        if self.conflicts.is_empty() {
            MutationStatus::Applied
        } else {
            MutationStatus::Conflict
        }
    }

    /// What the device is told beside a conflict status.
    pub fn refusal(&self) -> Option<Refusal> {
        self.conflicts.first().map(|c| Refusal::FieldConflict { field: c.field.clone() })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PutDecision {
    Refused(Refusal),
    Merge(PutPlan),
}

/// Each write goes through [`decide_field_by_writer`]: a write based on the latest value
/// (or the pushing client's own) applies, a stale one keeps the server's value and is kept
/// as a conflict, a write of the value already there does nothing. A put to a deleted
/// record is refused (`Refusal::RecordDeleted`), rather than kept as a conflict: the phone
/// keeps the refused change, values and all, in its refusal list, where the worker sees it
/// and can ask for the record back (an administrator's undelete), whereas a conflict on a
/// record no phone holds any more could not be shown or settled next to it.
pub fn decide_put(stored: &StoredRecord, writes: &BTreeMap<String, FieldWrite>) -> PutDecision {
    let empty = BTreeMap::new();
    let fields = match stored {
        StoredRecord::Deleted => return PutDecision::Refused(Refusal::RecordDeleted),
        StoredRecord::Absent => &empty,
        StoredRecord::Live(fields) => fields,
    };
    let mut plan = PutPlan::default();
    for (name, write) in writes {
        let cell = fields.get(name);
        match decide_field_by_writer(cell.map(|c| &c.value), cell.is_some_and(|c| c.own), write) {
            FieldDecision::Apply => plan.apply.push((name.clone(), write.value.clone())),
            FieldDecision::Unchanged => {}
            FieldDecision::Conflict => plan.conflicts.push(KeptConflict {
                field: name.clone(),
                server_value: cell.map_or(Value::Null, |c| c.value.value.clone()),
                device_value: write.value.clone(),
            }),
        }
    }
    PutDecision::Merge(plan)
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeleteDecision {
    /// Never stored, or already deleted: acknowledged, nothing written.
    Nothing,
    /// Delete it (a new version; phones pull a tombstone).
    Tombstone,
    /// Someone else changed a field after the device's base: deleting now would drop their
    /// edit silently. Kept as a conflict on [`WHOLE_RECORD`] — the record's fields as the
    /// server value, `null` as the device's — and the record stays.
    Conflict(KeptConflict),
}

/// `base` is the record version the device last pulled. The device's own later writes
/// (edit, then delete, before a pull) do not count as unseen.
pub fn decide_delete(stored: &StoredRecord, base: u64) -> DeleteDecision {
    let StoredRecord::Live(fields) = stored else {
        return DeleteDecision::Nothing;
    };
    if !fields.values().any(|f| f.value.version > base && !f.own) {
        return DeleteDecision::Tombstone;
    }
    let values = fields.iter().map(|(k, f)| (k.clone(), f.value.value.clone())).collect();
    DeleteDecision::Conflict(KeptConflict {
        field: WHOLE_RECORD.to_owned(),
        server_value: Value::Object(values),
        device_value: Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn stored(cells: &[(&str, Value, u64, bool)]) -> StoredRecord {
        let fields = cells
            .iter()
            .map(|(k, v, version, own)| {
                (k.to_string(), StoredField { value: VersionedValue::new(v.clone(), *version), own: *own })
            })
            .collect();
        StoredRecord::Live(fields)
    }

    fn writes(w: &[(&str, Value, u64)]) -> BTreeMap<String, FieldWrite> {
        w.iter().map(|(k, v, base)| (k.to_string(), FieldWrite { value: v.clone(), base: *base })).collect()
    }

    fn merge(d: PutDecision) -> PutPlan {
        match d {
            PutDecision::Merge(plan) => plan,
            other => panic!("expected a merge, got {other:?}"),
        }
    }

    #[test]
    fn a_new_record_takes_every_field() {
        let plan =
            merge(decide_put(&StoredRecord::Absent, &writes(&[("head", json!("王芳"), 0), ("size", json!(3), 0)])));
        assert_eq!(plan.apply, [("head".into(), json!("王芳")), ("size".into(), json!(3))]);
        assert_eq!(plan.status(), MutationStatus::Applied);
    }

    #[test]
    fn a_stale_write_keeps_the_server_value_and_the_device_value_as_a_conflict() {
        let record = stored(&[("size", json!(4), 9, false), ("phone", json!("1"), 2, false)]);
        let plan = merge(decide_put(&record, &writes(&[("size", json!(5), 4), ("phone", json!("2"), 2)])));
        assert_eq!(plan.apply, [("phone".into(), json!("2"))]);
        assert_eq!(
            plan.conflicts,
            [KeptConflict { field: "size".into(), server_value: json!(4), device_value: json!(5) }]
        );
        assert_eq!(plan.status(), MutationStatus::Conflict);
        assert_eq!(plan.refusal().map(|n| n.code()), Some("field_conflict"));
    }

    #[test]
    fn a_second_offline_edit_applies_over_the_devices_own_first() {
        let record = stored(&[("size", json!(4), 9, true)]);
        let plan = merge(decide_put(&record, &writes(&[("size", json!(5), 4)])));
        assert_eq!(plan.apply, [("size".into(), json!(5))]);
    }

    #[test]
    fn writing_the_value_already_stored_does_nothing() {
        let record = stored(&[("size", json!(4), 9, false)]);
        assert_eq!(merge(decide_put(&record, &writes(&[("size", json!(4), 1)]))), PutPlan::default());
    }

    #[test]
    fn a_put_to_a_deleted_record_is_refused_whoever_deleted_it() {
        let decision = decide_put(&StoredRecord::Deleted, &writes(&[("size", json!(5), 0)]));
        assert_eq!(decision, PutDecision::Refused(Refusal::RecordDeleted));
    }

    #[test]
    fn deleting_what_was_never_stored_or_is_gone_does_nothing() {
        assert_eq!(decide_delete(&StoredRecord::Absent, 0), DeleteDecision::Nothing);
        assert_eq!(decide_delete(&StoredRecord::Deleted, 7), DeleteDecision::Nothing);
    }

    #[test]
    fn a_delete_of_what_the_device_saw_or_wrote_itself_is_a_tombstone() {
        let record = stored(&[("size", json!(4), 5, false), ("phone", json!("1"), 8, true)]);
        assert_eq!(decide_delete(&record, 5), DeleteDecision::Tombstone);
    }

    #[test]
    fn a_delete_over_someone_elses_unseen_change_is_a_whole_record_conflict() {
        let record = stored(&[("size", json!(4), 9, false), ("head", json!("王芳"), 2, true)]);
        let expected = KeptConflict {
            field: WHOLE_RECORD.into(),
            server_value: json!({"size": 4, "head": "王芳"}),
            device_value: Value::Null,
        };
        assert_eq!(decide_delete(&record, 5), DeleteDecision::Conflict(expected));
    }
}
