//! Emergency mode (平急转换) on the phone in real headless Chromium: switching a community
//! into emergency writes the record and its put, and it is on below it; two people's
//! reports both stay in the record, each its own `report:` field in the outbox; a switch
//! at a group writes nothing; the board counts a household ticked on an emergency task;
//! switching back keeps the record and its reports as history; and the v7→v8 upgrade of
//! a populated store with a non-empty outbox keeps every row and the outbox, adds the
//! emergencies store and forgets the pull cursor so emergencies pulled past come again.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::json;
use wangge::store::{EmergencySaveError, Store};
use wangge_core::emergency::{Emergency, EmergencyError, EmergencyKind, Ended, Report, Reports};
use wangge_core::grid::GridTree;
use wangge_core::sync::{Collection, Op};
use wangge_core::task::{ResultOutcome, Target, TaskResult};
use wangge_core::{DataSet, EmergencyId, EntryId, GridId, HouseholdId, PersonId, Reason, TaskId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;
const HOUR: i64 = 3_600_000;

fn fresh_name() -> String {
    format!("wangge-emergency-test-{}", js_sys::Math::random())
}

/// 古南街道 → 齐驰社区 → 一村 (two elderly households living alone), 二村 (one); an
/// emergency task at 一村 sent an hour after the switch.
fn world() -> DataSet {
    let grids = serde_json::from_value(json!([
        {"id": "T", "name": "古南街道", "level": "town", "parent": null},
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": "T"},
        {"id": "G1", "name": "一村", "level": "group", "parent": "C1"},
        {"id": "G2", "name": "二村", "level": "group", "parent": "C1"}]))
    .unwrap();
    let household = |id: &str, grid: &str| {
        serde_json::from_value(json!({"id": id, "grid": grid, "address": format!("{id}号"),
            "tags": ["living_alone_elderly"],
            "member:m1": {"name": "王芳", "gender": "female", "birth_year": 1940, "phone": null, "relation": "head"}}))
        .unwrap()
    };
    let task = serde_json::from_value(json!({"id": "T1", "batch": "T1", "grid": "G1", "from": "T",
        "sender": "P-TOWN", "title": "暴雨排查独居老人", "sent_at": NOW + HOUR, "due": NOW + 6 * HOUR,
        "emergency": true, "targets": {"kind": "care_tag", "tag": "living_alone_elderly"}}))
    .unwrap();
    DataSet {
        grids,
        households: vec![household("H1", "G1"), household("H2", "G1"), household("H3", "G2")],
        tasks: vec![task],
        ..DataSet::default()
    }
}

fn storm(grid: &str) -> Emergency {
    Emergency {
        id: EmergencyId::parse(format!("E-{grid}")).unwrap(),
        grid: GridId::parse(grid).unwrap(),
        kind: EmergencyKind::Rainstorm,
        reason: Reason::parse("气象台发布暴雨红色预警").unwrap(),
        started_at: NOW,
        started_by: PersonId::parse("P-TOWN").unwrap(),
        ended: None,
        reports: Reports::default(),
    }
}

/// The worker's result at `household` on the emergency task, two hours after the switch.
fn tick(household: &str, outcome: ResultOutcome) -> TaskResult {
    TaskResult {
        target: Target::Household(HouseholdId::parse(household).unwrap()),
        outcome,
        note: None,
        by: pid("P-WORKER"),
        at: NOW + 2 * HOUR,
        issue: None,
        visit: None,
        photos: Vec::new(),
    }
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

async fn loaded(name: &str) -> (Store, GridTree) {
    let store = Store::open_named(name).await.unwrap();
    store.load_snapshot(&world()).await.unwrap();
    let tree = GridTree::build(store.grids().await.unwrap()).unwrap();
    (store, tree)
}

/// The fields each outbox put writes, in order.
async fn put_fields(store: &Store) -> Vec<Vec<String>> {
    store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| match m.op {
            Op::Put { collection: Collection::Emergencies, fields, .. } => Some(fields.into_keys().collect()),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_switch_reports_and_a_switch_back_are_written_with_their_puts_and_kept_as_history() {
    let (store, tree) = loaded(&fresh_name()).await;
    let group = store.start_emergency(&storm("G1"), &tree).await.unwrap_err();
    assert_eq!(group, EmergencySaveError::Refused(EmergencyError::NodeTooLow));
    assert!(store.outbox().await.unwrap().is_empty(), "a refused switch writes nothing");

    let e = storm("C1");
    store.start_emergency(&e, &tree).await.unwrap();
    let g1 = GridId::parse("G1").unwrap();
    assert_eq!(store.active_emergency(&g1).await.unwrap().map(|x| x.id), Some(e.id.clone()), "on below");
    let town = GridId::parse("T").unwrap();
    assert_eq!(store.active_emergency(&town).await.unwrap(), None, "not on above");
    let world = store.emergency_world().await.unwrap();
    assert_eq!(world.shown_at(&town).map(|x| &x.id), Some(&e.id), "the town's screen follows it");

    let report = |note: &str| Report { unit: None, at: NOW + HOUR, note: wangge_core::CommentText::parse(note).ok() };
    store.report_available(&e.id, &pid("P-MEMBER"), &report("可出动3人")).await.unwrap();
    store.report_available(&e.id, &pid("P-POLICE"), &report("警车待命")).await.unwrap();
    let world = store.emergency_world().await.unwrap();
    let on = world.active_at(&g1).unwrap();
    assert_eq!(on.reports.0.len(), 2, "both reports stay");
    assert_eq!(
        put_fields(&store).await[1..],
        [vec!["report:P-MEMBER".to_string()], vec!["report:P-POLICE".to_string()]],
        "each report is its own field in the outbox"
    );

    // A worker ticks H1 on the emergency task: the board counts it, H2 and 二村's H3 not yet.
    let tick = tick("H1", ResultOutcome::Safe);
    let t1 = TaskId::parse("T1").unwrap();
    store.add_task_result(&t1, &EntryId::parse("R1").unwrap(), &tick, &[]).await.unwrap();
    let world = store.emergency_world().await.unwrap();
    let rows: Vec<_> = world
        .board(world.active_at(&g1).unwrap())
        .into_iter()
        .map(|r| (r.grid.to_string(), r.checked.len(), r.unchecked.len()))
        .collect();
    assert_eq!(rows, [("G1".to_string(), 1, 1), ("G2".to_string(), 0, 1)]);

    let early = Ended { at: NOW - 1, by: pid("P-TOWN"), note: None };
    let refused = store.end_emergency(&e.id, &early).await.unwrap_err();
    assert_eq!(refused, EmergencySaveError::Refused(EmergencyError::EndedBeforeStarted));
    let ended = Ended { at: NOW + 5 * HOUR, by: pid("P-TOWN"), note: wangge_core::CommentText::parse("雨停").ok() };
    store.end_emergency(&e.id, &ended).await.unwrap();
    assert_eq!(store.active_emergency(&g1).await.unwrap(), None, "switched back");
    let world = store.emergency_world().await.unwrap();
    let past = world.history(&g1);
    assert_eq!(past.len(), 1);
    assert_eq!(past[0].reports.0.len(), 2, "history keeps the reports");
    assert_eq!(put_fields(&store).await.last().unwrap(), &vec!["ended".to_string()]);
}

#[wasm_bindgen_test]
async fn an_upgrade_from_version_7_keeps_data_and_outbox_and_pulls_again_from_the_start() {
    let name = fresh_name();
    let v7 = Store::open_at_version(&name, 7).await.unwrap();
    v7.load_snapshot(&world()).await.unwrap();
    v7.adopt_device("dev-1", "P-WORKER").await.unwrap();
    let tick = tick("H2", ResultOutcome::NeedsHelp);
    let t1 = TaskId::parse("T1").unwrap();
    v7.add_task_result(&t1, &EntryId::parse("R1").unwrap(), &tick, &[]).await.unwrap();
    let outbox = v7.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    let counts =
        [v7.count("grids").await.unwrap(), v7.count("households").await.unwrap(), v7.count("tasks").await.unwrap()];
    v7.close();
    // A v7 phone that had pulled to version 42, skipping every emergency on the way.
    let raw = Database::open(&name).with_version(7u32).await.unwrap();
    let tx = raw.transaction("meta").with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store("meta").unwrap().put(42u64).with_key("cursor".to_string()).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let v8 = Store::open_named(&name).await.unwrap();
    assert_eq!(v8.version(), wangge::store::DB_VERSION);
    let after =
        [v8.count("grids").await.unwrap(), v8.count("households").await.unwrap(), v8.count("tasks").await.unwrap()];
    assert_eq!(after, counts, "every row kept");
    let world = v8.emergency_world().await.unwrap();
    assert_eq!(world.tasks[0].entries.results.len(), 1, "the ticked task kept its result");
    assert_eq!(v8.outbox().await.unwrap(), outbox, "outbox kept as it was");
    let meta = v8.sync_meta().await.unwrap();
    assert_eq!(meta.cursor, 0, "the next round pulls everything again, emergencies included");
    assert_eq!(meta.client_id.as_deref(), Some("dev-1"), "the device's standing is kept");
    assert_eq!(v8.count("emergencies").await.unwrap(), 0, "the emergencies store is there, empty");
}
