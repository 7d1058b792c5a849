//! The dashboard's summary (schema v10, `src/store/summary.rs`) must stay equal to the
//! records through every way an issue, household or visit row is written: local saves
//! (read from their rows while the outbox names them, `summary_pending.rs`), their push
//! acknowledged (whole, in part, refused), pulled pages (upserts, events, tombstones,
//! evictions, a record still pending), a new server epoch, and an import: the core's
//! figures over the summary's facts equal those over the full rows, in every scope.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use wangge::store::{FigureFacts, PullOutcome, PushOutcome, Store};
use wangge_core::grid::{GridLevel, GridTree};
use wangge_core::household::{HouseholdStatus, HouseholdTag};
use wangge_core::issue::{Category, Deadlines, EventKind, IssueEvent};
use wangge_core::people::Role;
use wangge_core::stats::{issue_figures, issue_figures_of, visit_figures, visit_figures_of};
use wangge_core::sync::{
    Change, Collection, MutationResult, MutationStatus, PullRequest, PullResponse, PushRequest, PushResponse,
    VersionedValue,
};
use wangge_core::visit::VisitSchedule;
use wangge_core::{DataSet, Date, GridId, HouseholdId, IssueId, PersonId, VisitId};
use wangge_demo::{generate, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/legacy.rs"]
mod legacy;

/// 2026-11-23T00:00:00Z: the demo's "now", so issues are open, overdue and closed.
const NOW: i64 = 1_795_392_000_000;

/// Asserts the figures over the summary equal those over the full rows, in every scope;
/// returns how many issues the phone holds (to show a step did something).
async fn assert_summary_holds(store: &Store, step: &str) -> usize {
    let FigureFacts { issues, households, visits } =
        store.figure_facts_from_summary().await.unwrap().unwrap_or_else(|| panic!("{step}: the summary is built"));
    let grids = store.grids().await.unwrap();
    let scopes: Vec<GridId> = grids.iter().filter(|g| g.level != GridLevel::Group).map(|g| g.id.clone()).collect();
    let tree = GridTree::build(grids).unwrap();
    let rows = store.all_issues().await.unwrap();
    let full_households = store.all_households().await.unwrap();
    let full_visits = store.all_visits().await.unwrap();
    assert_eq!(issues.len(), rows.len(), "{step}: one issue entry per issue row");
    assert_eq!(households.len(), full_households.len(), "{step}: one entry per household");
    assert_eq!(visits.len(), full_visits.len(), "{step}: one entry per visit");
    let today = Date::of_millis(NOW);
    let month = (today.first_of_month(), today);
    let (deadlines, schedule) = (Deadlines::default(), VisitSchedule::default());
    for scope in &scopes {
        let fast = issue_figures_of(&tree, scope, issues.iter().cloned(), &deadlines, NOW);
        let full = issue_figures(&tree, scope, rows.iter().map(|r| (&r.issue, &r.state)), &deadlines, NOW);
        assert_eq!(fast, full, "{step}: issue figures of {scope}");
        let fast = visit_figures_of(&tree, scope, &households, &visits, &schedule, month);
        let full_v = visit_figures(&tree, scope, &full_households, &full_visits, &schedule, month);
        assert_eq!(fast, full_v, "{step}: visit figures of {scope}");
    }
    rows.len()
}

fn upsert(collection: Collection, id: &str, record: &impl Serialize, version: u64) -> Change {
    let Value::Object(map) = serde_json::to_value(record).unwrap() else { unreachable!() };
    let fields: BTreeMap<String, VersionedValue> =
        map.into_iter().map(|(k, value)| (k, VersionedValue::new(value, version))).collect();
    Change::Upsert { collection, id: id.to_string(), version, fields }
}

fn event(issue: &IssueId, n: u8, kind: EventKind) -> IssueEvent {
    let (actor, at) = (PersonId::parse("P-WORKER").unwrap(), NOW - 3_600_000 + i64::from(n));
    IssueEvent::new(issue.clone(), at, actor, Role::GridWorker, kind, [n; 10])
}

/// Two different grids issues sit on (a record moves between them).
fn two_grids(data: &DataSet) -> (GridId, GridId) {
    let here = data.issues[0].grid.clone();
    let there = data.issues.iter().map(|i| i.grid.clone()).find(|g| *g != here).expect("issues on two grids");
    (here, there)
}

async fn populated() -> (Store, DataSet) {
    populated_named(&format!("wangge-summary-{}", js_sys::Math::random())).await
}

async fn populated_named(name: &str) -> (Store, DataSet) {
    let data = generate(DemoSize { households: 300, issues: 400 }, 5, NOW);
    let store = Store::open_named(name).await.unwrap();
    store.adopt_device("dev-1", "P-WORKER").await.unwrap();
    store.load_snapshot(&data).await.unwrap();
    (store, data)
}

#[wasm_bindgen_test]
async fn every_local_save_keeps_the_summary_equal_to_the_records() {
    let (store, data) = populated().await;
    let before = assert_summary_holds(&store, "snapshot").await;
    assert!(before > 0);
    let (here, there) = two_grids(&data);

    let mut issue = data.issues[0].clone();
    issue.id = IssueId::generate(NOW, [1; 10]);
    issue.grid = here.clone();
    let reported = event(&issue.id, 1, EventKind::Reported);
    store.report_issue(issue.clone(), reported).await.unwrap();
    assert_eq!(assert_summary_holds(&store, "report").await, before + 1);

    store.append_event(event(&issue.id, 2, EventKind::Accepted)).await.unwrap();
    assert_summary_holds(&store, "step").await;
    let moved = [("grid".to_string(), json!(there.as_str())), ("category".to_string(), json!(Category::Safety))];
    assert!(store.edit(Collection::Issues, issue.id.as_str(), moved.into_iter().collect()).await.unwrap());
    assert_summary_holds(&store, "issue edit").await;

    let mut household = data.households[0].clone();
    household.id = HouseholdId::generate(NOW, [2; 10]);
    household.tags.insert(HouseholdTag::LivingAloneElderly);
    store.add_household(household.clone()).await.unwrap();
    assert_summary_holds(&store, "household add").await;
    let moved_out = [("status".to_string(), json!(HouseholdStatus::MovedOut))];
    assert!(store.edit(Collection::Households, household.id.as_str(), moved_out.into_iter().collect()).await.unwrap());
    assert_summary_holds(&store, "household edit").await;

    let mut visit = data.visits[0].clone();
    visit.id = VisitId::generate(NOW, [3; 10]);
    visit.household = household.id.clone();
    visit.date = Date::of_millis(NOW);
    store.record_visit(visit).await.unwrap();
    assert_summary_holds(&store, "visit").await;

    // A pulled page under a pending local edit: a pulled grid under a locally edited
    // category (the page writes the record's entry; the overlay reads it from its row).
    let edited = &data.issues[1];
    let category = [("category".to_string(), json!(Category::Welfare))];
    store.edit(Collection::Issues, edited.id.as_str(), category.into_iter().collect()).await.unwrap();
    let mut pulled = edited.clone();
    pulled.grid = if edited.grid == here { there.clone() } else { here.clone() };
    let page = PullResponse {
        changes: vec![upsert(Collection::Issues, edited.id.as_str(), &pulled, 1)],
        cursor: 1,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&PullRequest { cursor: 0, limit: 100 }, &page).await.unwrap();
    let row = store.issue(edited.id.as_str()).await.unwrap().unwrap();
    assert_eq!((row.issue.grid.clone(), row.issue.category), (pulled.grid.clone(), Category::Welfare));
    assert_summary_holds(&store, "pull after saves").await;

    // An import adds the file's records the phone lacks: a fresh phone takes them all.
    let file = store.export_all("P-WORKER", NOW as f64).await.unwrap();
    let other = Store::open_named(&format!("wangge-summary-import-{}", js_sys::Math::random())).await.unwrap();
    other.import_all(&file).await.unwrap();
    assert_eq!(assert_summary_holds(&other, "import").await, before + 1);
}

#[wasm_bindgen_test]
async fn pulled_pages_and_a_new_epoch_keep_the_summary_equal_to_the_records() {
    let (store, data) = populated().await;
    let before = assert_summary_holds(&store, "snapshot").await;
    let (here, there) = two_grids(&data);
    let pull = |cursor| PullRequest { cursor, limit: 1_000 };

    // Updates of records held (an issue moving grid and category, a household losing its
    // tags), new records (an issue with its first event, a visit), a step on an issue.
    let mut changed = data.issues[1].clone();
    changed.grid = there.clone();
    changed.category = Category::Environment;
    let mut fresh = data.issues[2].clone();
    fresh.id = IssueId::generate(NOW, [4; 10]);
    fresh.grid = here.clone();
    let mut household = data.households[1].clone();
    household.tags.clear();
    let mut visit = data.visits[1].clone();
    visit.id = VisitId::generate(NOW, [5; 10]);
    visit.date = Date::of_millis(NOW);
    let first = PullResponse {
        changes: vec![
            upsert(Collection::Issues, changed.id.as_str(), &changed, 1),
            upsert(Collection::Issues, fresh.id.as_str(), &fresh, 2),
            Change::Event { version: 3, event: event(&fresh.id, 3, EventKind::Reported) },
            Change::Event { version: 4, event: event(&data.issues[3].id, 4, EventKind::Accepted) },
            upsert(Collection::Households, household.id.as_str(), &household, 5),
            upsert(Collection::Visits, visit.id.as_str(), &visit, 6),
        ],
        cursor: 6,
        has_more: true,
        epoch: "E1".into(),
    };
    assert_eq!(store.apply_pull(&pull(0), &first).await.unwrap(), PullOutcome::Applied { changes: 6 });
    assert_eq!(assert_summary_holds(&store, "pulled updates").await, before + 1);

    // Deletes: a tombstone and an eviction of each kind, a record put and deleted in a page.
    let mut brief = data.issues[5].clone();
    brief.id = IssueId::generate(NOW, [6; 10]);
    let gone = |collection, id: &str, version| Change::Tombstone { collection, id: id.to_string(), version };
    let evicted = |collection, id: &str, version| Change::Evict { collection, id: id.to_string(), version };
    let second = PullResponse {
        changes: vec![
            gone(Collection::Issues, data.issues[4].id.as_str(), 7),
            evicted(Collection::Issues, changed.id.as_str(), 8),
            evicted(Collection::Households, data.households[2].id.as_str(), 9),
            gone(Collection::Visits, data.visits[2].id.as_str(), 10),
            evicted(Collection::Visits, visit.id.as_str(), 11),
            upsert(Collection::Issues, brief.id.as_str(), &brief, 12),
            gone(Collection::Issues, brief.id.as_str(), 13),
        ],
        cursor: 13,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&pull(6), &second).await.unwrap();
    assert_eq!(assert_summary_holds(&store, "pulled deletes").await, before - 1);

    // A page from a new server epoch resets the phone: no records, no summary entries.
    let reset = PullResponse { changes: vec![], cursor: 1, has_more: false, epoch: "E2".into() };
    assert_eq!(store.apply_pull(&pull(13), &reset).await.unwrap(), PullOutcome::NewEpoch);
    assert_eq!(assert_summary_holds(&store, "epoch reset").await, 0);
    let mut changes: Vec<Change> = data.grids.iter().map(|g| upsert(Collection::Grids, g.id.as_str(), g, 1)).collect();
    changes.push(upsert(Collection::Issues, fresh.id.as_str(), &fresh, 1));
    let again = PullResponse { changes, cursor: 1, has_more: false, epoch: "E2".into() };
    store.apply_pull(&pull(0), &again).await.unwrap();
    assert_eq!(assert_summary_holds(&store, "pulled after the reset").await, 1);

    store.wipe().await.unwrap();
    assert_eq!(assert_summary_holds(&store, "wipe").await, 0);
}

/// Schema v10 builds the summary of a phone upgraded from v9 on its first open: every
/// record, history and outbox entry stays as it was, and the summary equals the records.
#[wasm_bindgen_test]
async fn an_upgrade_from_v9_builds_the_summary_and_keeps_the_outbox() {
    let name = format!("wangge-summary-upgrade-{}", js_sys::Math::random());
    let data = generate(DemoSize { households: 200, issues: 300 }, 9, NOW);
    let v9 = Store::open_at_version(&name, 9).await.unwrap();
    v9.adopt_device("dev-1", "P-WORKER").await.unwrap();
    v9.load_snapshot(&data).await.unwrap();
    let mut issue = data.issues[0].clone();
    issue.id = IssueId::generate(NOW, [7; 10]);
    v9.report_issue(issue.clone(), event(&issue.id, 7, EventKind::Reported)).await.unwrap();
    let urgent = [("category".to_string(), json!(Category::Safety))];
    v9.edit(Collection::Issues, data.issues[1].id.as_str(), urgent.into_iter().collect()).await.unwrap();
    assert!(v9.figure_facts_from_summary().await.unwrap().is_none(), "v9 has no summary");
    let before = v9.figure_facts().await.unwrap();
    let outbox = v9.outbox().await.unwrap();
    let push = v9.next_push(100).await.unwrap().unwrap();
    let events = v9.events_of(issue.id.as_str()).await.unwrap();
    assert_eq!(outbox.len(), 3, "a put and an event for the report, a put for the edit");
    v9.close();

    let store = Store::open_named(&name).await.unwrap();
    assert_eq!(store.version(), 10);
    assert_eq!(assert_summary_holds(&store, "upgraded").await, data.issues.len() + 1);
    let built = store.figure_facts_from_summary().await.unwrap().unwrap();
    assert_eq!(built.households.len(), before.households.len());
    assert_eq!(store.outbox().await.unwrap(), outbox, "outbox kept as it was");
    assert_eq!(store.next_push(100).await.unwrap().unwrap(), push, "the same mutations go out");
    assert_eq!(store.events_of(issue.id.as_str()).await.unwrap(), events, "the history kept");
    // Saves after the upgrade keep it in step.
    store.append_event(event(&issue.id, 8, EventKind::Accepted)).await.unwrap();
    assert_summary_holds(&store, "a step after the upgrade").await;
    store.close();
    // The next open does not build again: the flag is gone and the summary stays.
    let store = Store::open_named(&name).await.unwrap();
    assert_summary_holds(&store, "reopened").await;
}

/// The server's reply to `push`: every mutation applied, except the seq `refused`.
fn reply(push: &PushRequest, refused: Option<u64>) -> PushResponse {
    let result = |seq| MutationResult {
        seq,
        status: if Some(seq) == refused { MutationStatus::Rejected } else { MutationStatus::Applied },
        code: (Some(seq) == refused).then(|| "forbidden".into()),
        message: (Some(seq) == refused).then(|| "您的身份不能执行这一步".into()),
        current: None,
    };
    PushResponse {
        results: push.mutations.iter().map(|m| result(m.seq)).collect(),
        acked_seq: push.mutations.last().map_or(0, |m| m.seq),
        epoch: "E1".into(),
    }
}

/// Pushes up to `max` outbox entries and takes `reply`'s answer; returns how many left.
async fn push(store: &Store, max: u32, refused: impl Fn(&PushRequest) -> Option<u64>) -> u32 {
    let request = store.next_push(max).await.unwrap().expect("something to push");
    let answer = reply(&request, refused(&request));
    match store.on_push_response(&request, &answer).await.unwrap() {
        PushOutcome::Acked { removed, .. } => removed,
        other => panic!("an acknowledgement, not {other:?}"),
    }
}

/// A local save writes no summary entry: the board reads a saved record from its row
/// while an outbox entry names it, and the acknowledgement that removes its last entries
/// writes its entry. "pending saves" fails without the overlay (the figures miss the
/// saves); "all acknowledged" fails without the acknowledgement's write (they miss them
/// again once the outbox is empty).
#[wasm_bindgen_test]
async fn pending_saves_count_until_acknowledged_and_after() {
    let (store, data) = populated().await;
    let before = assert_summary_holds(&store, "snapshot").await;
    let (here, there) = two_grids(&data);

    let mut issue = data.issues[0].clone();
    issue.id = IssueId::generate(NOW, [11; 10]);
    issue.grid = here.clone();
    store.report_issue(issue.clone(), event(&issue.id, 1, EventKind::Reported)).await.unwrap();
    store.append_event(event(&issue.id, 2, EventKind::Accepted)).await.unwrap();
    let elsewhere = if data.issues[1].grid == here { &there } else { &here };
    let moved = [("grid".to_string(), json!(elsewhere.as_str()))];
    assert!(store.edit(Collection::Issues, data.issues[1].id.as_str(), moved.into_iter().collect()).await.unwrap());
    let mut household = data.households[0].clone();
    household.id = HouseholdId::generate(NOW, [12; 10]);
    household.tags.insert(HouseholdTag::LivingAloneElderly);
    store.add_household(household.clone()).await.unwrap();
    let mut visit = data.visits[0].clone();
    visit.id = VisitId::generate(NOW, [13; 10]);
    visit.household = household.id.clone();
    visit.date = Date::of_millis(NOW);
    store.record_visit(visit).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 6);
    assert_eq!(assert_summary_holds(&store, "pending saves").await, before + 1);

    // The report's put acknowledged, its steps still pending: read from the row still.
    assert_eq!(push(&store, 1, |_| None).await, 1);
    assert_summary_holds(&store, "part acknowledged").await;
    assert_eq!(push(&store, 100, |_| None).await, 5);
    assert_eq!(store.pending_count().await.unwrap(), 0);
    assert_eq!(assert_summary_holds(&store, "all acknowledged").await, before + 1);

    // A pull rewrites a record whose local edit is pending: the row holds the pulled grid
    // under the pending category, and so must the figures, before and after the ack.
    let edited = &data.issues[2];
    let category = [("category".to_string(), json!(Category::Welfare))];
    store.edit(Collection::Issues, edited.id.as_str(), category.into_iter().collect()).await.unwrap();
    let mut pulled = edited.clone();
    pulled.grid = if edited.grid == here { there.clone() } else { here.clone() };
    let page = PullResponse {
        changes: vec![upsert(Collection::Issues, edited.id.as_str(), &pulled, 1)],
        cursor: 1,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&PullRequest { cursor: 0, limit: 100 }, &page).await.unwrap();
    let row = store.issue(edited.id.as_str()).await.unwrap().unwrap();
    assert_eq!((row.issue.grid.clone(), row.issue.category), (pulled.grid.clone(), Category::Welfare));
    assert_summary_holds(&store, "pull under a pending edit").await;
    push(&store, 100, |_| None).await;
    assert_summary_holds(&store, "pending edit acknowledged").await;

    // A refused step leaves the history: the issue falls back to where it stood.
    let was = store.issue(issue.id.as_str()).await.unwrap().unwrap().state.status;
    let assignee = PersonId::parse("P-WORKER").unwrap();
    store.append_event(event(&issue.id, 3, EventKind::Assigned { assignee })).await.unwrap();
    assert_ne!(store.issue(issue.id.as_str()).await.unwrap().unwrap().state.status, was);
    assert_summary_holds(&store, "a step pending").await;
    push(&store, 100, |request| request.mutations.first().map(|m| m.seq)).await;
    assert_eq!(store.issue(issue.id.as_str()).await.unwrap().unwrap().state.status, was);
    assert_summary_holds(&store, "the step refused").await;

    // A new server epoch empties the records but keeps the outbox: nothing is counted.
    let mut late = data.issues[4].clone();
    late.id = IssueId::generate(NOW, [14; 10]);
    let reported = event(&late.id, 1, EventKind::Reported);
    store.report_issue(late, reported).await.unwrap();
    let reset = PullResponse { changes: vec![], cursor: 1, has_more: false, epoch: "E2".into() };
    assert_eq!(store.apply_pull(&PullRequest { cursor: 1, limit: 100 }, &reset).await.unwrap(), PullOutcome::NewEpoch);
    assert!(store.pending_count().await.unwrap() > 0, "the outbox is kept through the reset");
    assert_eq!(assert_summary_holds(&store, "epoch reset with a pending save").await, 0);
    // Logging out anyway discards the pending saves with everything else.
    store.wipe().await.unwrap();
    assert_eq!(assert_summary_holds(&store, "wipe").await, 0);
}

/// A phone updated from a v10 build whose saves wrote delta rows: a delta left by a save
/// whose push was acknowledged (no outbox entry names the record any more) is still laid
/// over its chunk, and the next pulled page folds it in. No schema step: the rows stay
/// valid as they are. Ignoring the delta rows in the board's read fails the first check.
#[wasm_bindgen_test]
async fn delta_rows_left_by_earlier_saves_stay_counted() {
    let name = format!("wangge-summary-deltas-{}", js_sys::Math::random());
    let (store, data) = populated_named(&name).await;
    let edited = &data.issues[1];
    let category = if edited.category == Category::Welfare { Category::Safety } else { Category::Welfare };
    legacy::edit_issue_with_delta_v10(&name, edited.id.as_str(), category).await;
    assert_eq!(store.pending_count().await.unwrap(), 0, "nothing pending names the record");
    assert_eq!(store.issue(edited.id.as_str()).await.unwrap().unwrap().issue.category, category);
    assert_summary_holds(&store, "a delta row left by an earlier build").await;

    let mut moved = data.issues[2].clone();
    moved.grid = if moved.grid == data.issues[0].grid { two_grids(&data).1 } else { data.issues[0].grid.clone() };
    let page = PullResponse {
        changes: vec![upsert(Collection::Issues, moved.id.as_str(), &moved, 1)],
        cursor: 1,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&PullRequest { cursor: 0, limit: 100 }, &page).await.unwrap();
    assert_summary_holds(&store, "the delta folded by a pulled page").await;
}
