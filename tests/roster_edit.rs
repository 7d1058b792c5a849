//! Offline roster edits in real headless Chromium: a household added and edited on the
//! phone is written together with its outbox entry; an edit of a pulled household sends
//! only the fields that changed, each with the base it was pulled at; a new member is a
//! `member:<id>` field of its own with base 0; a member who died stays on the record; who
//! wrote a pulled field, and when, is kept for the household's history.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wangge::store::{Store, StoreError};
use wangge_core::household::{Household, MemberStatus};
use wangge_core::sync::{Change, Collection, Op, PullRequest, PullResponse, VersionedValue};
use wangge_core::MemberId;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_name() -> String {
    format!("wangge-roster-edit-{}", js_sys::Math::random())
}

fn household() -> Household {
    serde_json::from_value(json!({
        "id": "H-1", "grid": "G-JICHI-1", "address": "齐驰社区3栋2单元501", "tags": [],
        "member:m1": {"name": "王秀英", "gender": "female", "birth_year": 1941,
                      "phone": null, "relation": "head"},
        "member:m2": {"name": "王小军", "gender": "male", "birth_year": 1970,
                      "phone": "13800138000", "relation": "child"}
    }))
    .expect("a household in the core's JSON shape")
}

/// The server's view of `h`, every field at `version`.
fn pulled(h: &Household, version: u64) -> PullResponse {
    let Value::Object(map) = serde_json::to_value(h).unwrap() else { unreachable!() };
    let fields: BTreeMap<String, VersionedValue> = map
        .into_iter()
        .map(|(k, value)| {
            let mut v = VersionedValue::new(value, version);
            if k == "address" {
                // The one field a person pushed; the rest came from an import.
                (v.by, v.at) = (Some("P-SEC".into()), Some(1_795_000_000_000));
            }
            (k, v)
        })
        .collect();
    PullResponse {
        changes: vec![Change::Upsert { collection: Collection::Households, id: h.id.to_string(), version, fields }],
        cursor: version,
        has_more: false,
        epoch: "E1".into(),
    }
}

fn changes(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn put_fields(op: &Op) -> BTreeMap<String, (Value, u64)> {
    let Op::Put { fields, .. } = op else { panic!("a put") };
    fields.iter().map(|(k, w)| (k.clone(), (w.value.clone(), w.base))).collect()
}

#[wasm_bindgen_test]
async fn a_household_added_and_edited_offline_is_written_with_its_outbox_entries() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let h = household();
    store.add_household(h.clone()).await.unwrap();
    // Adding it again would overwrite with base-0 writes: refused, nothing queued.
    assert!(store.add_household(h.clone()).await.is_err());
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    let first = put_fields(&store.outbox().await.unwrap()[0].op);
    assert!(first.values().all(|(_, base)| *base == 0), "a new record: base 0 throughout");
    assert!(first.contains_key("member:m1") && first.contains_key("address"));

    let moved = changes(&[("address", json!("齐驰社区3栋2单元502"))]);
    assert!(store.edit_seen(Collection::Households, "H-1", moved, None).await.unwrap());
    let (row, _) = store.household_with_bases("H-1").await.unwrap().unwrap();
    assert_eq!(row.household.address.as_str(), "齐驰社区3栋2单元502");
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(put_fields(&outbox[1].op).keys().collect::<Vec<_>>(), ["address"]);

    // An invalid address is refused and leaves record and outbox as they were.
    let bad = changes(&[("address", json!(""))]);
    let err = store.edit_seen(Collection::Households, "H-1", bad, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(store.outbox().await.unwrap().len(), 2);
    let pending = store.pending_writes(Collection::Households, "H-1").await.unwrap();
    assert!(pending.iter().any(|w| w.field == "address" && w.value == json!("齐驰社区3栋2单元502")));
}

#[wasm_bindgen_test]
async fn an_edit_sends_only_the_changed_fields_a_new_member_with_base_0_and_keeps_the_dead() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    store.adopt_device("dev-1", "P-WORKER").await.unwrap();
    let h = household();
    let req = PullRequest { cursor: 0, limit: 100 };
    store.apply_pull(&req, &pulled(&h, 7)).await.unwrap();
    let (_, seen) = store.household_with_bases("H-1").await.unwrap().unwrap();
    assert_eq!(seen["member:m1"], 7);
    let writers = store.field_writers(Collection::Households, "H-1").await.unwrap();
    assert_eq!(writers.len(), 1, "only fields whose writer the server named");
    assert_eq!(writers["address"], ("P-SEC".to_string(), 1_795_000_000_000));

    // She marks the grandmother deceased, adds a grandchild and a care tag, in one save.
    let mut gran = h.members.get(&MemberId::parse("m1").unwrap()).unwrap().clone();
    gran.status = MemberStatus::Deceased;
    let child = json!({"name": "王小雨", "gender": "female", "birth_year": 2015,
                       "phone": null, "relation": "grandchild"});
    let edit = changes(&[
        ("member:m1", serde_json::to_value(&gran).unwrap()),
        ("member:m3", child),
        ("tags", json!(["left_behind_child"])),
        ("address", json!(h.address.as_str())), // unchanged: must not travel
    ]);
    assert!(store.edit_seen(Collection::Households, "H-1", edit, Some(&seen)).await.unwrap());
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    let sent = put_fields(&outbox[0].op);
    assert_eq!(sent.keys().collect::<Vec<_>>(), ["member:m1", "member:m3", "tags"]);
    assert_eq!(sent["member:m1"].1, 7, "an edited member goes with the base last pulled");
    assert_eq!(sent["member:m3"].1, 0, "a new member is a field the server never had");
    assert_eq!(sent["tags"].1, 7);

    let (row, _) = store.household_with_bases("H-1").await.unwrap().unwrap();
    assert_eq!(row.household.members.len(), 3, "the deceased member is kept");
    let m1 = row.household.members.get(&MemberId::parse("m1").unwrap()).unwrap();
    assert_eq!(m1.status, MemberStatus::Deceased);
    assert_eq!(row.name, "王秀英", "still the head shown, as no one else is head");
}
