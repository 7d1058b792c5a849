//! The assessment's store read (`Store::assessment`) in real headless Chromium, over a
//! loaded snapshot: for a past month, an issue overdue at that month's end but closed
//! since counts as overdue then — the read fetches its events (`needs_history`) rather
//! than taking its state today — and the month after counts its close at the grid; a
//! grid worker's visit counts on her row against her grid's visits due.

use serde_json::json;
use wangge::store::Store;
use wangge_core::assessment::{Month, Share};
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::{DataSet, Date, Description, GridId, IssueId, IssueTitle, Millis, PersonId, Summary};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HOUR: i64 = 3_600_000;

/// 10:00 China time on `day`.
fn at(day: &str) -> Millis {
    Date::parse(day).unwrap().start_millis() + 10 * HOUR
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn world() -> DataSet {
    let grids = serde_json::from_value(json!([
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": null},
        {"id": "G1", "name": "一村", "level": "group", "parent": "C1"},
        {"id": "G2", "name": "二村", "level": "group", "parent": "C1"}]))
    .unwrap();
    let people = serde_json::from_value(json!([
        {"id": "P-W", "name": "刘芳", "phone": null, "grid": "G1", "roles": ["grid_worker"], "active": true},
        {"id": "P-SEC", "name": "王红", "phone": null, "grid": "C1", "roles": ["community_secretary"], "active": true}]))
    .unwrap();
    let households = vec![serde_json::from_value(json!({"id": "H1", "grid": "G1", "address": "一村1号",
        "tags": ["living_alone_elderly"],
        "member:m1": {"name": "李秀英", "gender": "female", "birth_year": 1940, "phone": null, "relation": "head"}}))
    .unwrap()];
    let visits = vec![serde_json::from_value(json!({"id": "V1", "household": "H1", "worker": "P-W",
        "date": "2026-11-03", "notes": "", "issues": []}))
    .unwrap()];
    let id = IssueId::parse("I-1").unwrap();
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse("路灯不亮").unwrap(),
        description: Description::parse("").unwrap(),
        category: Category::Infrastructure,
        source: Source::WalkIn,
        grid: GridId::parse("G1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: pid("P-W"),
        priority: Priority::Normal,
        due_at: None,
        created_at: at("2026-10-20"),
    };
    // Reported 20 October at the grid (three days), closed 5 November.
    let steps = [
        ("2026-10-20", "P-W", EventKind::Reported),
        ("2026-11-01", "P-W", EventKind::Accepted),
        ("2026-11-02", "P-W", EventKind::Assigned { assignee: pid("P-W") }),
        ("2026-11-04", "P-W", EventKind::Resolved { summary: Summary::parse("已修好").unwrap() }),
        ("2026-11-05", "P-SEC", EventKind::Verified { note: None }),
    ];
    let events = steps
        .into_iter()
        .enumerate()
        .map(|(k, (day, who, kind))| {
            IssueEvent::new(id.clone(), at(day), pid(who), Role::GridWorker, kind, [k as u8; 10])
        })
        .collect();
    DataSet { grids, people, households, visits, issues: vec![issue], events, ..DataSet::default() }
}

async fn loaded() -> Store {
    let store = Store::open_named(&format!("wangge-assess-{}", js_sys::Math::random())).await.unwrap();
    store.load_snapshot(&world()).await.unwrap();
    store
}

#[wasm_bindgen_test]
async fn a_past_month_counts_an_issue_overdue_at_its_end_from_its_history() {
    let store = loaded().await;
    let (community, now) = (GridId::parse("C1").unwrap(), at("2026-12-07"));
    let october = store.assessment(&community, Month::new(2026, 10).unwrap(), now).await.unwrap().unwrap();
    let g1 = &october.assessment.grids[0];
    assert_eq!(g1.figures.overdue, Share { count: 1, of: 1 }, "open and past its three days on 31 October");
    assert_eq!(g1.figures.reported, Share { count: 0, of: 1 });
    assert_eq!(october.assessment.grids.len(), 2, "a row per grid of the community");

    let november = store.assessment(&community, Month::new(2026, 11).unwrap(), now).await.unwrap().unwrap();
    let g1 = &november.assessment.grids[0];
    assert_eq!((g1.figures.overdue, g1.figures.closed_low), (Share::default(), Share { count: 1, of: 1 }));
    let worker = g1.workers.iter().find(|w| w.person.as_str() == "P-W").unwrap();
    assert_eq!(worker.figures.visits, Share { count: 1, of: 5 }, "one visit of the five a weekly household is due");
    assert_eq!(november.names.get("P-W").map(String::as_str), Some("刘芳"));
}

#[wasm_bindgen_test]
async fn a_grid_not_on_the_phone_reads_as_none() {
    let store = loaded().await;
    let nowhere = GridId::parse("G9").unwrap();
    assert!(store.assessment(&nowhere, Month::new(2026, 11).unwrap(), at("2026-12-07")).await.unwrap().is_none());
}
