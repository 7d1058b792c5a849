//! The three lists on the phone in real headless Chromium: adding an entry of each kind
//! writes the record with its outbox put; a need raised from an issue is found by the
//! issue (`by_issue`); matching and claiming write only their own fields; fulfilling a need
//! nobody took is refused with the core's error and writes nothing; the dashboard's list
//! and mediation figures are read from the stores.

use serde_json::{json, Map, Value};
use wangge::store::{ListSaveError, Store};
use wangge_core::grid::GridTree;
use wangge_core::lists::{ListEntry, ListError, NeedStatus};
use wangge_core::sync::{Collection, Op};
use wangge_core::{DataSet, GridId, ListEntryId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;

fn entry(v: Value) -> ListEntry {
    serde_json::from_value(v).unwrap()
}

fn resource() -> ListEntry {
    entry(json!({"id": "R-1", "kind": "resource", "grid": "C1", "title": "党群服务中心会议室",
        "recorder": "P-SEC", "recorded_at": NOW, "contact": "李红", "phone": "13800138000",
        "availability": "每周三下午"}))
}

fn project() -> ListEntry {
    entry(json!({"id": "J-1", "kind": "project", "grid": "C1", "title": "老旧小区加装扶手",
        "recorder": "P-SEC", "recorded_at": NOW, "budget_yuan": 20000, "status": "underway"}))
}

fn need() -> ListEntry {
    entry(json!({"id": "N-1", "kind": "need", "grid": "C1", "title": "3 栋需要无障碍坡道",
        "recorder": "P-SEC", "recorded_at": NOW, "issue": "I-1", "contact": "王大山"}))
}

async fn store() -> Store {
    let store = Store::open_named(&format!("wangge-lists-{}", js_sys::Math::random())).await.unwrap();
    let grids = serde_json::from_value(json!([
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": null},
        {"id": "G1", "name": "第一网格", "level": "group", "parent": "C1"}]))
    .unwrap();
    store.load_snapshot(&DataSet { grids, ..DataSet::default() }).await.unwrap();
    store
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// The fields of the last put in the outbox for `id`.
async fn last_put(store: &Store, id: &str) -> Vec<String> {
    let outbox = store.outbox().await.unwrap();
    let put = outbox.iter().rev().find_map(|m| match &m.op {
        Op::Put { collection: Collection::ListEntries, id: i, fields } if i == id => Some(fields),
        _ => None,
    });
    put.expect("a put of the entry").keys().cloned().collect()
}

#[wasm_bindgen_test]
async fn adding_each_kind_writes_the_record_and_its_put() {
    let store = store().await;
    for e in [resource(), project(), need()] {
        store.add_list_entry(&e).await.unwrap();
        let (back, _) = store.list_entry_with_bases(e.id.as_str()).await.unwrap().unwrap();
        assert_eq!(back, e);
        let put = last_put(&store, e.id.as_str()).await;
        assert!(put.contains(&"title".to_string()) && put.contains(&"kind".to_string()), "{put:?}");
    }
    assert_eq!(store.outbox().await.unwrap().len(), 3);
    assert_eq!(store.list_entries().await.unwrap().len(), 3);
}

#[wasm_bindgen_test]
async fn an_entry_with_another_kinds_field_is_refused_and_not_written() {
    let store = store().await;
    let mut bad = need();
    bad.budget_yuan = Some(100);
    let err = store.add_list_entry(&bad).await.unwrap_err();
    assert!(matches!(err, ListSaveError::Refused(ListError::FieldNotForKind { field: "budget_yuan", .. })));
    assert!(store.outbox().await.unwrap().is_empty());
    assert!(store.list_entries().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_need_raised_from_an_issue_is_found_by_the_issue() {
    let store = store().await;
    store.add_list_entry(&need()).await.unwrap();
    store.add_list_entry(&resource()).await.unwrap();
    let found = store.needs_of_issue("I-1").await.unwrap();
    assert_eq!(found.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["N-1"]);
    assert!(store.needs_of_issue("I-2").await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn matching_and_claiming_write_only_their_fields() {
    let store = store().await;
    store.add_list_entry(&resource()).await.unwrap();
    store.add_list_entry(&need()).await.unwrap();
    let id = ListEntryId::parse("N-1").unwrap();
    assert!(store.edit_list_entry(&id, fields(json!({"matched_to": "R-1"})), None).await.unwrap());
    assert_eq!(last_put(&store, "N-1").await, ["matched_to"]);
    assert!(store.edit_list_entry(&id, fields(json!({"claimed_by": "P-PM"})), None).await.unwrap());
    assert_eq!(last_put(&store, "N-1").await, ["claimed_by"]);
    let (back, _) = store.list_entry_with_bases("N-1").await.unwrap().unwrap();
    assert_eq!(back.need_status(), Some(NeedStatus::Claimed));
    assert_eq!(back.matched_to.as_ref().map(|m| m.as_str()), Some("R-1"));
    // Setting a field to the value it has queues nothing.
    let before = store.outbox().await.unwrap().len();
    assert!(!store.edit_list_entry(&id, fields(json!({"claimed_by": "P-PM"})), None).await.unwrap());
    assert_eq!(store.outbox().await.unwrap().len(), before);
}

#[wasm_bindgen_test]
async fn fulfilling_an_unmatched_need_is_refused_and_writes_nothing() {
    let store = store().await;
    store.add_list_entry(&need()).await.unwrap();
    let before = store.outbox().await.unwrap().len();
    let id = ListEntryId::parse("N-1").unwrap();
    let met = fields(json!({"fulfilled_at": NOW + DAY, "outcome": "已修好"}));
    let err = store.edit_list_entry(&id, met, None).await.unwrap_err();
    let ListSaveError::Refused(e) = err else { panic!("refused by the core, got {err:?}") };
    assert_eq!(e, ListError::FulfilledUnmatched);
    assert_eq!(e.message_zh(), "需求办结前请先匹配资源或项目,或登记认领人");
    assert_eq!(store.outbox().await.unwrap().len(), before);
    let (back, _) = store.list_entry_with_bases("N-1").await.unwrap().unwrap();
    assert_eq!(back, need());
}

#[wasm_bindgen_test]
async fn the_figures_are_read_from_the_stores() {
    let store = store().await;
    let tree = GridTree::build(store.grids().await.unwrap()).unwrap();
    let scope = GridId::parse("C1").unwrap();
    let before = store.list_figures(&tree, &scope).await.unwrap();
    assert_eq!(before.needs, 0);
    store.add_list_entry(&resource()).await.unwrap();
    store.add_list_entry(&project()).await.unwrap();
    store.add_list_entry(&need()).await.unwrap();
    let id = ListEntryId::parse("N-1").unwrap();
    store.edit_list_entry(&id, fields(json!({"matched_to": "R-1"})), None).await.unwrap();
    store.edit_list_entry(&id, fields(json!({"fulfilled_at": NOW, "outcome": "已修好"})), None).await.unwrap();
    let after = store.list_figures(&tree, &scope).await.unwrap();
    assert_eq!((after.needs, after.needs_taken, after.needs_fulfilled), (1, 1, 1));
    assert_eq!(after.projects.values().sum::<u32>(), 1);
    assert_eq!(after.used.get(&ListEntryId::parse("R-1").unwrap()), Some(&(1, 1)));

    let case = serde_json::from_value(json!({"id": "K-1", "grid": "G1", "title": "邻里漏水纠纷",
        "dispute": "neighbour", "accepted_at": NOW - DAY, "recorder": "P-SEC",
        "outcome": {"kind": "agreement", "at": NOW, "by": "P-SEC"}}))
    .unwrap();
    store.load_snapshot(&DataSet { mediations: vec![case], ..DataSet::default() }).await.unwrap();
    let (m, overdue) = store.mediation_figures(&tree, &scope, NOW).await.unwrap();
    assert!(overdue.is_empty());
    let month = m.months.values().next().expect("the case's month");
    assert_eq!((month.accepted, month.agreed, month.resolved_permille()), (1, 1, Some(1000)));
    assert_eq!(m.zero_escalation.iter().map(|g| g.as_str()).collect::<Vec<_>>(), ["C1"]);
}
