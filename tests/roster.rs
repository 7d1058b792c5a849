//! The roster's and visits' reads in real headless Chromium, checked against the same demo
//! data filtered in plain Rust: what the indexes return is exactly what the screens need,
//! and a visit recorded today takes a household off the due list; the committee's
//! meetings arrive with a snapshot.

use std::collections::{BTreeSet, HashSet};

use wangge::pages::visits::due::{load_due, scheduled_tags};
use wangge::store::Store;
use wangge_core::visit::Visit;
use wangge_core::{Date, Notes, PersonId, VisitId};
use wangge_demo::{generate, DemoData, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

async fn loaded() -> (Store, DemoData) {
    let data = generate(DemoSize { households: 80, issues: 40 }, 11, NOW);
    let store = Store::open_named(&format!("wangge-roster-{}", js_sys::Math::random())).await.unwrap();
    store.load_snapshot(&data).await.unwrap();
    (store, data)
}

#[wasm_bindgen_test]
async fn a_snapshot_brings_the_grid_tree_people_and_units_too() {
    let (store, data) = loaded().await;
    assert_eq!(store.grids().await.unwrap().len(), data.grids.len());
    assert_eq!(store.people().await.unwrap().len(), data.people.len());
    assert_eq!(store.units().await.unwrap().len(), data.units.len());
    // The committee's meetings come with it, whole (attendees and items are keyed fields).
    let mut meetings = store.meetings().await.unwrap();
    meetings.sort_by(|a, b| a.id.cmp(&b.id));
    let mut want = data.meetings.clone();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(!want.is_empty());
    assert_eq!(meetings, want);
}

#[wasm_bindgen_test]
async fn households_of_several_grids_are_read_together() {
    let (store, data) = loaded().await;
    let grids: Vec<String> =
        data.households.iter().map(|h| h.grid.to_string()).collect::<BTreeSet<_>>().into_iter().take(3).collect();
    let rows = store.households_in_grids(&grids).await.unwrap();
    let got: BTreeSet<String> = rows.iter().map(|r| r.id.clone()).collect();
    let want: BTreeSet<String> =
        data.households.iter().filter(|h| grids.contains(&h.grid.to_string())).map(|h| h.id.to_string()).collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

#[wasm_bindgen_test]
async fn scheduled_households_come_once_each() {
    let (store, data) = loaded().await;
    let tags = scheduled_tags();
    let (rows, _) = store.households_with_visits(&tags).await.unwrap();
    let found: Vec<_> = rows.into_iter().map(|r| r.household).collect();
    let ids: HashSet<String> = found.iter().map(|h| h.id.to_string()).collect();
    assert_eq!(ids.len(), found.len(), "no household twice");
    let want = data.households.iter().filter(|h| tags.iter().any(|t| h.has_tag(*t))).count();
    assert_eq!(found.len(), want);
}

#[wasm_bindgen_test]
async fn a_households_visits_and_issues_are_its_own_newest_first() {
    let (store, data) = loaded().await;
    let with_issue = data.issues.iter().find_map(|i| i.household.clone()).expect("some issue concerns a household");
    let visits = store.visits_of_household(with_issue.as_str()).await.unwrap();
    assert!(visits.iter().all(|v| v.household == with_issue));
    assert!(visits.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    let issues = store.issues_of_household(with_issue.as_str()).await.unwrap();
    let want = data.issues.iter().filter(|i| i.household.as_ref() == Some(&with_issue)).count();
    assert_eq!(issues.len(), want);
}

#[wasm_bindgen_test]
async fn recent_visits_are_the_latest_recorded() {
    let (store, data) = loaded().await;
    let recent = store.recent_visits(5).await.unwrap();
    let mut ids: Vec<String> = data.visits.iter().map(|v| v.id.to_string()).collect();
    ids.sort();
    ids.reverse();
    let got: Vec<String> = recent.iter().map(|v| v.id.to_string()).collect();
    assert_eq!(got, ids[..5].to_vec());
}

#[wasm_bindgen_test]
async fn a_visit_today_takes_a_household_off_the_due_list() {
    let (store, _) = loaded().await;
    let today = Date::of_millis(NOW);
    let due = load_due(&store, today, None).await.unwrap();
    let first = due.first().expect("the demo has households due a visit");
    assert!(due.windows(2).all(|w| w[0].due.days_overdue >= w[1].due.days_overdue));
    let household = first.household.id.clone();
    store
        .record_visit(Visit {
            id: VisitId::generate(NOW, [3; 10]),
            household: household.clone(),
            worker: PersonId::parse("demo-grid-worker").unwrap(),
            date: today,
            notes: Notes::parse("上门走访，身体状况良好").unwrap(),
            issues: vec![],
            photos: vec![],
        })
        .await
        .unwrap();
    let after = load_due(&store, today, None).await.unwrap();
    assert!(after.iter().all(|d| d.household.id != household));
    assert_eq!(after.len(), due.len() - 1);
}
