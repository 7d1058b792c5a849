//! Two people report available at once, offline or not: both pushes land through the
//! core's field merge (`decide_put`) in either order, neither clashes, both reports are
//! kept, and the record is the same whichever came first.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::Value;

use super::tests::{pid, report, storm, START};
use super::*;
use crate::record_type::{describe, Fields};
use crate::sync::decide::{decide_put, PutDecision, StoredField, StoredRecord};
use crate::sync::{Collection, FieldWrite, VersionedValue};

type Stored = BTreeMap<String, StoredField>;

/// Applies one person's report (a new field, base 0) and returns the fields that clashed.
fn push(stored: &mut Stored, who: &str, minutes: i64, version: u64) -> Vec<String> {
    let r = report(None, START + minutes * 60_000, &format!("可出动{minutes}人"));
    let put =
        BTreeMap::from([(Reports::field(&pid(who)), FieldWrite { value: serde_json::to_value(r).unwrap(), base: 0 })]);
    let PutDecision::Merge(plan) = decide_put(&StoredRecord::Live(stored.clone()), &put) else {
        panic!("a live record's put is merged");
    };
    for (f, v) in plan.apply {
        stored.insert(f, StoredField { value: VersionedValue { value: v, version, by: None, at: None }, own: false });
    }
    plan.conflicts.into_iter().map(|c| c.field).collect()
}

fn base() -> Stored {
    let Value::Object(e) = serde_json::to_value(storm("e1", "qc")).unwrap() else { unreachable!() };
    e.into_iter()
        .map(|(k, v)| {
            (k, StoredField { value: VersionedValue { value: v, version: 1, by: None, at: None }, own: false })
        })
        .collect()
}

fn emergency_of(stored: &Stored) -> Emergency {
    let fields: Fields = stored.iter().map(|(k, f)| (k.clone(), f.value.value.clone())).collect();
    let canonical = describe(Collection::Emergencies).validate("e1", &fields).expect("the merged record is valid");
    serde_json::from_value(Value::Object(canonical)).unwrap()
}

proptest! {
    #[test]
    fn two_reports_merged_either_way_keep_both(a in "[a-z]{1,8}", b in "[a-z]{1,8}", ma in 0i64..600, mb in 0i64..600) {
        prop_assume!(a != b);
        let (a, b) = (format!("p-{a}"), format!("p-{b}"));
        let mut ab = base();
        prop_assert!(push(&mut ab, &a, ma, 2).is_empty());
        prop_assert!(push(&mut ab, &b, mb, 3).is_empty(), "a second person's report never clashes");
        let mut ba = base();
        prop_assert!(push(&mut ba, &b, mb, 2).is_empty());
        prop_assert!(push(&mut ba, &a, ma, 3).is_empty());
        let (x, y) = (emergency_of(&ab), emergency_of(&ba));
        prop_assert_eq!(&x, &y, "the same record whichever push came first");
        prop_assert_eq!(x.reports.0.len(), 2, "both reports are kept");
        prop_assert_eq!(x.reports.of(&pid(&a)).map(|r| r.at), Some(START + ma * 60_000));
        prop_assert_eq!(x.reports.of(&pid(&b)).map(|r| r.at), Some(START + mb * 60_000));
    }
}
