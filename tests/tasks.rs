//! Tasks (任务下发) on the phone in real headless Chromium: a result ticked offline is in
//! the record and the outbox (one new `result:` field, base 0) and survives reopening;
//! two results on one household both stay and progress counts the household once; a
//! result for a target the task does not have writes nothing; a sending writes a record
//! per grid with their puts; closing a sending closes each open record once (a close
//! dated before the sending writes nothing) and takes it off Today; a visit ticks the
//! tasks its household awaits with it (a refused tick keeps the visit out too); and the v6→v7 upgrade keeps data and outbox, adds the tasks
//! store and forgets the pull cursor so the tasks pulled past are fetched again.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::json;
use wangge::store::{Store, TaskSaveError};
use wangge_core::grid::GridTree;
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::sync::{Collection, Op};
use wangge_core::task::{send, Closed, ResultOutcome, Sending, Target, TargetRule, Task, TaskError, TaskResult};
use wangge_core::visit::Visit;
use wangge_core::{
    CommentText, DataSet, Description, EntryId, GridId, HouseholdId, IssueId, IssueTitle, PersonId, TaskId,
};
use wasm_bindgen_test::*;

#[path = "support/legacy.rs"]
mod legacy;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;
const HOUR: i64 = 3_600_000;

fn fresh_name() -> String {
    format!("wangge-tasks-test-{}", js_sys::Math::random())
}

fn world() -> DataSet {
    let grids = serde_json::from_value(json!([
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": null},
        {"id": "G1", "name": "一村", "level": "group", "parent": "C1"},
        {"id": "G2", "name": "二村", "level": "group", "parent": "C1"}]))
    .unwrap();
    let household = |id: &str, name: &str| {
        serde_json::from_value(json!({"id": id, "grid": "G1", "address": format!("一村{id}号"),
            "tags": ["living_alone_elderly"],
            "member:m1": {"name": name, "gender": "female", "birth_year": 1940, "phone": null, "relation": "head"}}))
        .unwrap()
    };
    let task: Task = serde_json::from_value(json!({"id": "T1", "batch": "T1", "grid": "G1", "from": "C1",
        "sender": "P-SEC", "title": "暴雨前排查独居老人", "sent_at": NOW, "due": NOW + 6 * HOUR, "emergency": true,
        "targets": {"kind": "care_tag", "tag": "living_alone_elderly"}}))
    .unwrap();
    DataSet {
        grids,
        households: vec![household("H1", "王芳"), household("H2", "李秀英")],
        tasks: vec![task],
        ..DataSet::default()
    }
}

fn tick(household: &str, outcome: ResultOutcome, by: &str, at: i64) -> TaskResult {
    TaskResult {
        target: Target::Household(HouseholdId::parse(household).unwrap()),
        outcome,
        note: None,
        by: PersonId::parse(by).unwrap(),
        at,
        issue: None,
        visit: None,
        photos: Vec::new(),
    }
}

fn t1() -> TaskId {
    TaskId::parse("T1").unwrap()
}

async fn loaded(name: &str) -> Store {
    let store = Store::open_named(name).await.unwrap();
    store.load_snapshot(&world()).await.unwrap();
    store
}

#[wasm_bindgen_test]
async fn a_result_ticked_offline_is_in_the_record_and_the_outbox_and_survives_reopening() {
    let name = fresh_name();
    let store = loaded(&name).await;
    let id = EntryId::parse("r1").unwrap();
    let result = tick("H1", ResultOutcome::NeedsHelp, "P-WORKER", NOW + HOUR);
    store.add_task_result(&t1(), &id, &result, &[]).await.unwrap();
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    let Op::Put { collection, id: rec, fields } = &outbox[0].op else { panic!("a put") };
    assert_eq!((*collection, rec.as_str()), (Collection::Tasks, "T1"));
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["result:r1"], "only the new result travels");
    assert_eq!(fields["result:r1"].base, 0);
    store.close();

    let again = Store::open_named(&name).await.unwrap();
    let (view, world) = again.task_view("T1", NOW + 2 * HOUR).await.unwrap().unwrap();
    assert_eq!(view.task.entries.results.get(&id), Some(&result));
    assert_eq!((view.progress.done, view.progress.total), (1, 2));
    assert!(world.label(&view.task.grid, &Target::Household(HouseholdId::parse("H1").unwrap())).contains("王芳"));
    let today = again.todays_tasks(&GridId::parse("G1").unwrap(), NOW + 2 * HOUR).await.unwrap();
    assert_eq!(today.len(), 1);
    assert_eq!((today[0].done, today[0].total), (1, 2));
    assert_eq!(again.outbox().await.unwrap().len(), 1, "the outbox survives too");
}

#[wasm_bindgen_test]
async fn two_results_on_one_household_are_both_kept() {
    let store = loaded(&fresh_name()).await;
    let first = tick("H2", ResultOutcome::Unreachable, "P-WORKER", NOW + HOUR);
    let second = tick("H2", ResultOutcome::Safe, "P-OTHER", NOW + 2 * HOUR);
    store.add_task_result(&t1(), &EntryId::parse("a").unwrap(), &first, &[]).await.unwrap();
    store.add_task_result(&t1(), &EntryId::parse("b").unwrap(), &second, &[]).await.unwrap();
    let (view, _) = store.task_view("T1", NOW + 3 * HOUR).await.unwrap().unwrap();
    assert_eq!(view.task.entries.results.len(), 2, "neither tick replaced the other");
    assert_eq!(view.progress.done, 1, "the household counts once, as reached");
    assert_eq!(store.outbox().await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn a_result_for_a_target_the_task_does_not_have_writes_nothing() {
    let store = loaded(&fresh_name()).await;
    let mut wrong = tick("H1", ResultOutcome::Done, "P-WORKER", NOW);
    wrong.target = Target::Grid;
    let err = store.add_task_result(&t1(), &EntryId::parse("x").unwrap(), &wrong, &[]).await.unwrap_err();
    assert!(matches!(err, TaskSaveError::Refused(TaskError::TargetNotInTask { .. })));
    assert!(store.outbox().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_sending_writes_a_record_per_grid_with_their_puts_in_one_go() {
    let store = loaded(&fresh_name()).await;
    let sending = Sending {
        batch: TaskId::parse("B1").unwrap(),
        from: GridId::parse("C1").unwrap(),
        sender: PersonId::parse("P-SEC").unwrap(),
        title: IssueTitle::parse("巡查河道护栏").unwrap(),
        instructions: Description::parse("雨后逐段查看").ok(),
        sent_at: NOW,
        due: NOW + HOUR,
        emergency: false,
        targets: TargetRule::Grid,
    };
    let to = ["G1", "G2"].map(|g| (TaskId::parse(format!("B1-{g}")).unwrap(), GridId::parse(g).unwrap()));
    let tasks = send(&sending, to.to_vec());
    let tree = GridTree::build(store.grids().await.unwrap()).unwrap();
    store.send_tasks(&tasks, None, &tree).await.unwrap();
    assert_eq!(store.outbox().await.unwrap().len(), 2);
    let (rows, _) = store.task_board(&sending.batch, NOW).await.unwrap();
    assert_eq!(rows.iter().map(|r| (r.done, r.total)).collect::<Vec<_>>(), vec![(0, 1), (0, 1)]);
    let sendings = store.task_sendings(NOW).await.unwrap();
    assert_eq!(sendings.iter().map(|l| l.task.batch.as_str()).collect::<Vec<_>>(), vec!["B1", "T1"]);
    // A deadline before the sending is the core's refusal, and nothing is written.
    let late = send(&Sending { due: NOW - 1, batch: TaskId::parse("B2").unwrap(), ..sending }, to[..1].to_vec());
    let err = store.send_tasks(&late, None, &tree).await.unwrap_err();
    assert_eq!(err, TaskSaveError::Refused(TaskError::DueBeforeSent));
    assert_eq!(store.outbox().await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn a_visit_ticks_the_tasks_its_household_awaits_in_the_same_transaction() {
    let store = loaded(&fresh_name()).await;
    let h1 = HouseholdId::parse("H1").unwrap();
    let awaiting = store.tasks_awaiting(&h1, NOW + HOUR).await.unwrap();
    assert_eq!(awaiting.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["T1"]);
    let visit: Visit = serde_json::from_value(json!({"id": "V1", "household": "H1", "worker": "P-WORKER",
        "date": "2026-11-18", "notes": "身体好", "issues": []}))
    .unwrap();
    let mut result = tick("H1", ResultOutcome::Safe, "P-WORKER", NOW + HOUR);
    result.visit = Some(visit.id.clone());
    let ticks = vec![(t1(), EntryId::parse("v1").unwrap(), result)];
    store.record_visit_ticking(visit.clone(), &[], &ticks).await.unwrap();
    let outbox = store.outbox().await.unwrap();
    let collections: Vec<Collection> = outbox
        .iter()
        .filter_map(|e| match &e.op {
            Op::Put { collection, .. } => Some(*collection),
            _ => None,
        })
        .collect();
    assert_eq!(collections, vec![Collection::Visits, Collection::Tasks], "the visit and its tick, together");
    let (view, _) = store.task_view("T1", NOW + HOUR).await.unwrap().unwrap();
    assert_eq!(view.progress.done, 1);
    assert_eq!(view.task.entries.results[&EntryId::parse("v1").unwrap()].visit.as_ref(), Some(&visit.id));
    assert!(store.tasks_awaiting(&h1, NOW + HOUR).await.unwrap().is_empty(), "reached: no longer awaiting");

    // A tick the task cannot have (a unit on a household task) writes nothing, visit included.
    let mut wrong = tick("H2", ResultOutcome::Safe, "P-WORKER", NOW + HOUR);
    wrong.target = Target::Grid;
    let second = Visit { id: wangge_core::VisitId::parse("V2").unwrap(), ..visit };
    let err = store.record_visit_ticking(second, &[], &[(t1(), EntryId::parse("v2").unwrap(), wrong)]).await;
    assert!(matches!(err, Err(TaskSaveError::Refused(TaskError::TargetNotInTask { .. }))));
    assert_eq!(store.outbox().await.unwrap().len(), 2);
    assert_eq!(store.all_visits().await.unwrap().len(), 1, "the refused visit is not kept");
}

#[wasm_bindgen_test]
async fn closing_a_sending_closes_each_open_record_once_and_leaves_it_off_today() {
    let store = loaded(&fresh_name()).await;
    let sending = Sending {
        batch: TaskId::parse("B1").unwrap(),
        from: GridId::parse("C1").unwrap(),
        sender: PersonId::parse("P-SEC").unwrap(),
        title: IssueTitle::parse("巡查河道护栏").unwrap(),
        instructions: None,
        sent_at: NOW,
        due: NOW + HOUR,
        emergency: false,
        targets: TargetRule::Grid,
    };
    let to = ["G1", "G2"].map(|g| (TaskId::parse(format!("B1-{g}")).unwrap(), GridId::parse(g).unwrap()));
    let tree = GridTree::build(store.grids().await.unwrap()).unwrap();
    store.send_tasks(&send(&sending, to.to_vec()), None, &tree).await.unwrap();
    let g1 = GridId::parse("G1").unwrap();
    assert_eq!(store.todays_tasks(&g1, NOW).await.unwrap().len(), 2, "T1 and the new sending");

    // A close dated before the sending is refused and writes nothing.
    let early = Closed { at: NOW - 1, by: PersonId::parse("P-SEC").unwrap(), note: None };
    let err = store.close_sending(&sending.batch, &early).await.unwrap_err();
    assert_eq!(err, TaskSaveError::Refused(TaskError::ClosedBeforeSent));
    assert_eq!(store.outbox().await.unwrap().len(), 2, "only the sending's two puts");

    let closed =
        Closed { at: NOW + 2 * HOUR, by: PersonId::parse("P-SEC").unwrap(), note: CommentText::parse("雨停").ok() };
    assert_eq!(store.close_sending(&sending.batch, &closed).await.unwrap(), 2);
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 4, "one put per record closed");
    let Op::Put { fields, .. } = &outbox[3].op else { panic!("a put") };
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["closed"], "only the close travels");
    let (rows, world) = store.task_board(&sending.batch, NOW + 2 * HOUR).await.unwrap();
    assert!(world.tasks.iter().filter(|t| t.batch == sending.batch).all(|t| t.closed.as_ref() == Some(&closed)));
    assert_eq!(rows.iter().map(|r| r.not_reached.len()).sum::<usize>(), 2, "what was not done stays listed");
    let today = store.todays_tasks(&g1, NOW + 2 * HOUR).await.unwrap();
    assert_eq!(today.iter().map(|l| l.task.batch.as_str()).collect::<Vec<_>>(), vec!["T1"], "closed ones leave Today");
    // Closing again finds nothing open: no second put.
    assert_eq!(store.close_sending(&sending.batch, &closed).await.unwrap(), 0);
    assert_eq!(store.outbox().await.unwrap().len(), 4);
}

#[wasm_bindgen_test]
async fn an_upgrade_from_version_6_keeps_data_and_outbox_and_pulls_again_from_the_start() {
    let name = fresh_name();
    let v6 = Store::open_at_version(&name, 6).await.unwrap();
    v6.adopt_device("dev-1", "P-WORKER").await.unwrap();
    let id = IssueId::generate(NOW, [3; 10]);
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse("井盖破损").unwrap(),
        description: Description::parse("小区东门井盖裂开").unwrap(),
        category: Category::Infrastructure,
        source: Source::Visit,
        grid: GridId::parse("G1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: PersonId::parse("P-WORKER").unwrap(),
        priority: Priority::Normal,
        due_at: None,
        created_at: NOW,
    };
    let actor = PersonId::parse("P-WORKER").unwrap();
    let reported = IssueEvent::new(id.clone(), NOW, actor, Role::GridWorker, EventKind::Reported, [3; 10]);
    legacy::report_issue_before_v9(&name, 6, &issue, &reported).await;
    let outbox = v6.outbox().await.unwrap();
    assert_eq!(outbox.len(), 2);
    v6.close();
    // A v6 phone that had pulled to version 42, skipping every task on the way.
    let raw = Database::open(&name).with_version(6u32).await.unwrap();
    let tx = raw.transaction("meta").with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store("meta").unwrap().put(42u64).with_key("cursor".to_string()).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let v7 = Store::open_at_version(&name, 7).await.unwrap();
    assert_eq!(v7.version(), 7);
    assert_eq!(v7.issue(id.as_str()).await.unwrap().unwrap().issue, issue, "data kept");
    assert_eq!(v7.outbox().await.unwrap(), outbox, "outbox kept as it was");
    let meta = v7.sync_meta().await.unwrap();
    assert_eq!(meta.cursor, 0, "the next round pulls everything again, tasks included");
    assert_eq!(meta.client_id.as_deref(), Some("dev-1"), "the device's standing is kept");
    assert_eq!(v7.count("tasks").await.unwrap(), 0, "the tasks store is there, empty");
}
