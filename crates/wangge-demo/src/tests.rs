//! Tests of the demo generator: determinism, validity of every history, coverage of
//! every category and status, the seeds' cases and the demo accounts.

use std::collections::{HashMap, HashSet};

use super::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{derive, Category, IssueEvent, IssueState, Status};
use wangge_core::visit::{due_visits, VisitSchedule};
use wangge_core::{IssueId, PersonId};

/// 2024-06-15 10:00 Beijing time.
const NOW: Millis = 1_718_416_800_000;

fn states(data: &DemoData) -> HashMap<IssueId, IssueState> {
    let mut by_issue: HashMap<&IssueId, Vec<IssueEvent>> = HashMap::new();
    for e in &data.events {
        by_issue.entry(&e.issue).or_default().push(e.clone());
    }
    by_issue.into_iter().map(|(id, events)| (id.clone(), IssueState::fold(&events).unwrap())).collect()
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
    let a = generate(DemoSize::DEMO, 7, NOW);
    assert_eq!(a, generate(DemoSize::DEMO, 7, NOW));
    assert_ne!(a.issues, generate(DemoSize::DEMO, 8, NOW).issues);
}

#[test]
fn every_history_is_valid_in_order_and_merges_without_conflicts() {
    let data = generate(DemoSize::DEMO, 1, NOW);
    let mut by_issue: HashMap<&IssueId, Vec<IssueEvent>> = HashMap::new();
    for e in &data.events {
        assert!(e.at <= NOW, "no event in the future");
        by_issue.entry(&e.issue).or_default().push(e.clone());
    }
    assert_eq!(by_issue.len(), data.issues.len());
    for events in by_issue.values() {
        assert!(events.windows(2).all(|w| w[0].order_key() < w[1].order_key()));
        assert!(derive(events).conflicts.is_empty());
    }
}

#[test]
fn the_demo_covers_every_category_status_and_closing_level() {
    let data = generate(DemoSize::DEMO, 3, NOW);
    let states = states(&data);
    let statuses: HashSet<Status> = states.values().map(|s| s.status).collect();
    for s in Status::ALL.iter().filter(|s| **s != Status::Unreported) {
        assert!(statuses.contains(s), "missing status {s:?}");
    }
    let categories: HashSet<Category> = data.issues.iter().map(|i| i.category).collect();
    assert_eq!(categories.len(), Category::ALL.len());
    let closed_at: HashSet<EscalationLevel> = states.values().filter_map(|s| s.closed_level).collect();
    assert_eq!(closed_at.len(), 4, "closed at every rung: {closed_at:?}");
    assert!(states.values().any(|s| s.reopenings > 0 && s.status == Status::InProgress));
    assert!(states.values().any(|s| s.rating.is_some()));
    assert!(states.values().any(|s| s.supervised));
}

#[test]
fn the_pavement_case_was_escalated_to_the_district_and_closed_there() {
    let data = generate(DemoSize::DEMO, 5, NOW);
    let issue = data.issues.iter().find(|i| i.title.as_str().contains("元屏大道人行道")).unwrap();
    let state = &states(&data)[&issue.id];
    assert_eq!(state.closed_level, Some(EscalationLevel::District));
    assert_eq!(state.escalations, 3);
    assert!(issue.unit.is_some());
}

#[test]
fn the_welfare_case_concerns_a_low_income_household_with_illness() {
    let data = generate(DemoSize::DEMO, 5, NOW);
    let issue = data.issues.iter().find(|i| i.title.as_str().contains("红斑狼疮")).unwrap();
    let h = data.households.iter().find(|h| Some(&h.id) == issue.household.as_ref()).unwrap();
    assert!(h.has_tag(HouseholdTag::LowIncome) && h.has_tag(HouseholdTag::SeriousIllness));
    assert!(data.visits.iter().any(|v| v.issues.contains(&issue.id)));
}

#[test]
fn the_demo_accounts_exist_with_their_roles_and_grids() {
    let data = generate(DemoSize::DEMO, 9, NOW);
    let tree = wangge_core::grid::GridTree::build(data.grids.clone()).unwrap();
    for account in DEMO_ACCOUNTS {
        let id = PersonId::parse(account.person_id).unwrap();
        let p = data.people.iter().find(|p| p.id == id).unwrap();
        assert!(p.active && p.has_role(account.role));
        assert_eq!(tree.get(&p.grid).unwrap().code.as_ref().unwrap().as_str(), account.grid_code);
    }
}

#[test]
fn the_requested_sizes_are_met_and_records_point_at_known_grids() {
    let data = generate(DemoSize { households: 1_000, issues: 400 }, 2, NOW);
    let tree = wangge_core::grid::GridTree::build(data.grids.clone()).unwrap();
    assert_eq!((data.households.len(), data.issues.len()), (1_000, 400));
    assert!(data.households.iter().all(|h| tree.get(&h.grid).is_some() && h.head().is_some()));
    assert!(data.issues.iter().all(|i| tree.get(&i.grid).is_some()));
    assert!(data.units.len() >= 9);
    let due = due_visits(&data.households, &data.visits, &VisitSchedule::default(), Date::of_millis(NOW));
    assert!(!due.is_empty() && due.len() < data.households.len());
}

#[test]
fn a_tiny_demo_still_works() {
    let data = generate(DemoSize { households: 0, issues: 3 }, 0, NOW);
    assert_eq!(data.issues.len(), 3);
    assert!(data.households.is_empty());
}

#[test]
fn demo_data_round_trips_through_json() {
    let data = generate(DemoSize { households: 50, issues: 40 }, 4, NOW);
    let json = serde_json::to_string(&data).unwrap();
    assert_eq!(serde_json::from_str::<DemoData>(&json).unwrap(), data);
}
