//! Two workers tick one task offline, both pushes land through the core's field merge
//! (`decide_put`): every result of both is kept, nothing clashes, the merged task still
//! holds together, and its progress is the same whichever push arrived first.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::Value;

use super::tests::{hid, storm_check, tick, DUE, SENT};
use super::*;
use crate::record_type::{describe, Fields};
use crate::sync::decide::{decide_put, PutDecision, StoredField, StoredRecord};
use crate::sync::{Collection, FieldWrite, VersionedValue};
use crate::EntryId;

type Stored = BTreeMap<String, StoredField>;

/// Applies one device's put (each field based on what it pulled: version 1 of the task's
/// own fields, nothing for its new results) and returns the fields that clashed.
fn push(stored: &mut Stored, fields: &[(String, Value)], version: u64) -> Vec<String> {
    let put: BTreeMap<String, FieldWrite> = fields
        .iter()
        .map(|(f, v)| (f.clone(), FieldWrite { value: v.clone(), base: u64::from(!f.starts_with("result:")) }))
        .collect();
    let PutDecision::Merge(plan) = decide_put(&StoredRecord::Live(stored.clone()), &put) else {
        panic!("a live record's put is merged");
    };
    for (f, v) in plan.apply {
        stored.insert(f, StoredField { value: VersionedValue { value: v, version, by: None, at: None }, own: false });
    }
    plan.conflicts.into_iter().map(|c| c.field).collect()
}

fn base() -> Stored {
    let Value::Object(task) = serde_json::to_value(storm_check("t1", "qc-1")).unwrap() else { unreachable!() };
    task.into_iter()
        .map(|(k, v)| {
            (k, StoredField { value: VersionedValue { value: v, version: 1, by: None, at: None }, own: false })
        })
        .collect()
}

/// A device's ticks as the field writes it pushes: each under a fresh entry id.
fn writes(ticks: &[(u8, u8, i64)], device: &str) -> Vec<(String, Value)> {
    ticks
        .iter()
        .enumerate()
        .map(|(n, (h, o, minutes))| {
            let result =
                tick(hid(&format!("h{h}")), ResultOutcome::ALL[usize::from(*o)], device, SENT + minutes * 60_000);
            (TaskEntries::result_field(&tick_id(device, n)), serde_json::to_value(result).unwrap())
        })
        .collect()
}

fn tick_id(device: &str, n: usize) -> EntryId {
    EntryId::parse(format!("{device}-{n}")).unwrap()
}

fn task_of(stored: &Stored) -> Task {
    let fields: Fields = stored.iter().map(|(k, f)| (k.clone(), f.value.value.clone())).collect();
    let canonical = describe(Collection::Tasks).validate("t1", &fields).expect("the merged task is valid");
    serde_json::from_value(Value::Object(canonical)).unwrap()
}

fn ticks() -> impl Strategy<Value = Vec<(u8, u8, i64)>> {
    prop::collection::vec((0u8..3, 0u8..4, 0i64..600), 1..6)
}

proptest! {
    #[test]
    fn two_workers_ticks_of_one_task_merge_to_the_same_progress_in_either_order(a in ticks(), b in ticks()) {
        let (wa, wb) = (writes(&a, "p-a"), writes(&b, "p-b"));
        let mut ab = base();
        prop_assert!(push(&mut ab, &wa, 2).is_empty());
        prop_assert!(push(&mut ab, &wb, 3).is_empty(), "a new result never clashes");
        let mut ba = base();
        prop_assert!(push(&mut ba, &wb, 2).is_empty());
        prop_assert!(push(&mut ba, &wa, 3).is_empty());
        let (x, y) = (task_of(&ab), task_of(&ba));
        prop_assert_eq!(&x, &y, "the same task whichever push came first");
        prop_assert_eq!(x.entries.results.len(), a.len() + b.len(), "every tick of both is kept");
        prop_assert!(check(&x).is_ok());
        let targets = [hid("h0"), hid("h1"), hid("h2")];
        let (px, py) = (progress(&x, &targets, DUE + 1), progress(&y, &targets, DUE + 1));
        prop_assert_eq!(&px, &py);
        // A household is reached exactly when either worker reached it.
        let reached = |h: u8| a.iter().chain(&b).any(|(t, o, _)| *t == h && ResultOutcome::ALL[usize::from(*o)].reached());
        prop_assert_eq!(px.done, (0..3).filter(|h| reached(*h)).count());
    }
}
