//! Export and import in real headless Chromium: a phone's whole store goes into one JSON
//! file and merges into a second phone without losing anything on either — records the
//! second phone lacks arrive, its own records and outbox stay, the first phone's pending
//! changes are queued again with fresh seqs, and a bad file changes nothing.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use wangge::store::export::{ImportError, EXPORT_FORMAT};
use wangge::store::Store;
use wangge_core::issue::{derive, EventKind, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{Change, Collection, Op, PullRequest, PullResponse, VersionedValue};
use wangge_core::visit::Visit;
use wangge_core::{CommentText, Date, HouseholdId, Notes, PersonId, VisitId};
use wangge_demo::{generate, DemoData, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;
const STORES: [&str; 7] = ["grids", "people", "units", "households", "visits", "issues", "issue_events"];

fn demo() -> DemoData {
    generate(DemoSize { households: 40, issues: 12 }, 5, NOW)
}

async fn phone(device: &str) -> Store {
    let store = Store::open_named(&format!("wangge-export-{}", js_sys::Math::random())).await.unwrap();
    store.adopt_device(device, "P-WORKER").await.unwrap();
    store
}

fn fields(record: &impl Serialize, version: u64) -> BTreeMap<String, VersionedValue> {
    match serde_json::to_value(record).unwrap() {
        Value::Object(map) => map.into_iter().map(|(k, value)| (k, VersionedValue::new(value, version))).collect(),
        _ => unreachable!("records are objects"),
    }
}

/// Lands the demo data as a first pull would, so versions and the epoch are set too.
async fn pull_demo(store: &Store, data: &DemoData, epoch: &str) {
    let mut changes = Vec::new();
    let mut upsert = |collection, id: String, f| {
        let version = changes.len() as u64 + 1;
        changes.push(Change::Upsert { collection, id, version, fields: f });
    };
    data.grids.iter().for_each(|g| upsert(Collection::Grids, g.id.to_string(), fields(g, 1)));
    data.people.iter().for_each(|p| upsert(Collection::People, p.id.to_string(), fields(p, 1)));
    data.units.iter().for_each(|u| upsert(Collection::Units, u.id.to_string(), fields(u, 1)));
    data.households.iter().for_each(|h| upsert(Collection::Households, h.id.to_string(), fields(h, 1)));
    data.visits.iter().for_each(|v| upsert(Collection::Visits, v.id.to_string(), fields(v, 1)));
    data.issues.iter().for_each(|i| upsert(Collection::Issues, i.id.to_string(), fields(i, 1)));
    let base = changes.len() as u64;
    changes.extend(
        data.events.iter().enumerate().map(|(n, e)| Change::Event { version: base + n as u64 + 1, event: e.clone() }),
    );
    let cursor = changes.len() as u64;
    let page = PullResponse { changes, cursor, has_more: false, epoch: epoch.into() };
    let request = PullRequest { cursor: 0, limit: 10_000 };
    store.apply_pull(&request, &page).await.unwrap();
}

fn visit(n: u8, household: &str, notes: &str) -> Visit {
    Visit {
        id: VisitId::generate(NOW + i64::from(n), [n; 10]),
        household: HouseholdId::parse(household).unwrap(),
        worker: PersonId::parse("demo-grid-worker").unwrap(),
        date: Date::of_millis(NOW),
        notes: Notes::parse(notes).unwrap(),
        issues: vec![],
        photos: vec![],
    }
}

async fn counts(store: &Store) -> Vec<u32> {
    let mut out = Vec::new();
    for name in STORES {
        out.push(store.count(name).await.unwrap());
    }
    out
}

#[wasm_bindgen_test]
async fn an_export_imports_on_a_second_phone_without_losing_anything() {
    let data = demo();
    let a = phone("phone-a").await;
    pull_demo(&a, &data, "epoch-1").await;
    let household = data.households[0].id.to_string();
    a.record_visit(visit(1, &household, "离线走访：老人身体良好")).await.unwrap();
    // An issue someone still has to act on: the first phone orders it supervised (督办).
    let open = data
        .issues
        .iter()
        .find(|i| {
            let history: Vec<IssueEvent> = data.events.iter().filter(|e| e.issue == i.id).cloned().collect();
            derive(&history).state.status.is_pending()
        })
        .expect("the demo has a pending issue");
    let supervised = IssueEvent::new(
        open.id.clone(),
        NOW + 5_000,
        PersonId::parse("demo-community-secretary").unwrap(),
        Role::CommunitySecretary,
        EventKind::Supervised { note: CommentText::parse("请本周内办结").unwrap() },
        [9; 10],
    );
    let row = a.append_event(supervised.clone()).await.unwrap();
    assert!(row.state.supervised, "the event holds on the first phone");
    let a_outbox = a.outbox().await.unwrap();
    let json = a.export_all("gridworker", NOW as f64).await.unwrap();
    let file: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(file["format"], EXPORT_FORMAT);
    assert_eq!(file["exported_by"], "gridworker");
    assert_eq!(file["outbox"].as_array().unwrap().len(), a_outbox.len());
    assert!(file["meta"]["next_seq"].is_number(), "meta is exported");

    // The second phone has the same server data, one record of its own changed locally,
    // and an unsynced visit of its own.
    let b = phone("phone-b").await;
    pull_demo(&b, &data, "epoch-1").await;
    b.record_visit(visit(2, &household, "乙手机自己的走访")).await.unwrap();
    let b_outbox_before = b.outbox().await.unwrap();
    assert_eq!(b_outbox_before.len(), 1);

    let report = b.import_all(&json).await.unwrap();
    assert_eq!(report.changes_queued as usize, a_outbox.len());
    assert_eq!(report.changes_already_queued, 0);
    assert!(report.records_added >= 1, "{report:?}");
    assert!(!report.other_server);

    let visits = b.visits_of_household(&household).await.unwrap();
    let notes: Vec<&str> = visits.iter().map(|v| v.notes.as_str()).collect();
    assert!(notes.contains(&"离线走访：老人身体良好"), "{notes:?}");
    assert!(notes.contains(&"乙手机自己的走访"), "{notes:?}");

    let outbox = b.outbox().await.unwrap();
    let seqs: Vec<u64> = outbox.iter().map(|m| m.seq).collect();
    let expected: Vec<u64> = (1..=1 + a_outbox.len() as u64).collect();
    assert_eq!(seqs, expected, "fresh seqs after the phone's own");
    assert_eq!(outbox[0], b_outbox_before[0], "the phone's own change stays first");
    let ops: Vec<&Op> = outbox[1..].iter().map(|m| &m.op).collect();
    let a_ops: Vec<&Op> = a_outbox.iter().map(|m| &m.op).collect();
    assert_eq!(ops, a_ops, "the file's pending changes, in order");

    let row = b.issue(supervised.issue.as_str()).await.unwrap().unwrap();
    assert!(row.state.supervised, "state re-derived from the merged history");
    for (name, (na, nb)) in STORES.iter().zip(counts(&a).await.into_iter().zip(counts(&b).await)) {
        assert!(nb >= na, "{name}: {nb} on B < {na} on A");
    }

    // The same file again adds nothing and queues nothing twice.
    let again = b.import_all(&json).await.unwrap();
    assert_eq!((again.records_added, again.changes_queued), (0, 0));
    assert_eq!(again.changes_already_queued as usize, a_outbox.len());
    assert_eq!(b.outbox().await.unwrap().len(), outbox.len());
}

#[wasm_bindgen_test]
async fn a_file_from_another_server_keeps_its_changes_but_not_its_bases() {
    let data = demo();
    let a = phone("phone-a").await;
    pull_demo(&a, &data, "epoch-old").await;
    let h = &data.households[1];
    let mut changes = serde_json::Map::new();
    changes.insert("address".into(), json!("二村小区3栋2单元502"));
    a.edit(Collection::Households, h.id.as_str(), changes).await.unwrap();
    let json = a.export_all("gridworker", NOW as f64).await.unwrap();

    let b = phone("phone-b").await;
    pull_demo(&b, &data, "epoch-new").await;
    let report = b.import_all(&json).await.unwrap();
    assert!(report.other_server);
    let outbox = b.outbox().await.unwrap();
    match &outbox[0].op {
        Op::Put { fields, .. } => assert!(fields.values().all(|w| w.base == 0)),
        other => panic!("expected the household edit, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_bad_file_is_refused_and_changes_nothing() {
    let data = demo();
    let a = phone("phone-a").await;
    pull_demo(&a, &data, "epoch-1").await;
    let json = a.export_all("gridworker", NOW as f64).await.unwrap();

    let b = phone("phone-b").await;
    b.record_visit(visit(3, data.households[0].id.as_str(), "本机记录")).await.unwrap();
    let before = counts(&b).await;

    assert_eq!(b.import_all("PNG…").await.unwrap_err(), ImportError::NotJson);
    assert_eq!(b.import_all(r#"{"hello": "world"}"#).await.unwrap_err(), ImportError::NotAnExport);
    let mut newer: Value = serde_json::from_str(&json).unwrap();
    newer["version"] = json!(99);
    assert_eq!(b.import_all(&newer.to_string()).await.unwrap_err(), ImportError::TooNew);
    // One damaged row among good ones: nothing at all is imported.
    let mut damaged: Value = serde_json::from_str(&json).unwrap();
    damaged["stores"]["visits"][3]["date"] = json!("2024-13-45");
    let err = b.import_all(&damaged.to_string()).await.unwrap_err();
    assert!(matches!(&err, ImportError::BadRecord { store, .. } if store == "visits"), "{err:?}");
    assert!(!err.message(wangge::i18n::Lang::Zh).is_empty());
    assert_eq!(counts(&b).await, before, "nothing written");
    assert_eq!(b.outbox().await.unwrap().len(), 1);
}
