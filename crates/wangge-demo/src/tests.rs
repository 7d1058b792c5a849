//! Tests of the demo generator: determinism, validity of every history, coverage of
//! every category and status, the seeds' cases and the demo accounts.

use std::collections::{HashMap, HashSet};

use super::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{derive, Category, EventKind, IssueEvent, IssueState, Status};
use wangge_core::meeting::{Attendance, MeetingKind, Outcome};
use wangge_core::unit::UnitKind;
use wangge_core::visit::{due_visits, VisitSchedule};
use wangge_core::DAY_MILLIS;
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
fn the_pavement_case_is_handed_to_a_department_and_closed_in_the_community() {
    let data = generate(DemoSize::DEMO, 5, NOW);
    let issue = data.issues.iter().find(|i| i.title.as_str().contains("元屏大道人行道")).unwrap();
    let state = &states(&data)[&issue.id];
    assert_eq!(state.closed_level, Some(EscalationLevel::Community), "矛盾不上交");
    assert_eq!(state.escalations, 1);
    assert!(issue.unit.is_some());
    let handoff = state.handoff.as_ref().unwrap();
    let unit = data.units.iter().find(|u| u.id == handoff.unit).unwrap();
    assert_eq!((unit.name.as_str(), unit.kind), ("綦江区城市管理局", UnitKind::Department));
    assert_eq!(unit.contact_person.as_ref().map(|p| p.as_str()), Some(DEMO_UNIT_CONTACT.person_id));
    assert_eq!(handoff.on_time(), Some(true));
    // The contact answered and completed it; the hand-off was decided at a meeting.
    let history: Vec<&IssueEvent> = data.events.iter().filter(|e| e.issue == issue.id).collect();
    let contact = PersonId::parse(DEMO_UNIT_CONTACT.person_id).unwrap();
    assert!(history.iter().any(|e| matches!(e.kind, EventKind::HandoffReplied { .. }) && e.actor == contact));
    assert!(history.iter().any(|e| matches!(e.kind, EventKind::Resolved { .. }) && e.actor == contact));
    let handed = history.iter().find(|e| matches!(e.kind, EventKind::HandedOver { .. })).unwrap();
    let meeting = data.meetings.iter().find(|m| Some(&m.id) == handed.meeting.as_ref()).unwrap();
    assert_eq!(meeting.kind, MeetingKind::JointMeeting);
}

#[test]
fn every_meeting_item_matches_the_events_of_its_issue() {
    let data = generate(DemoSize::DEMO, 6, NOW);
    let states = states(&data);
    let last_month = Date::of_millis(NOW).first_of_month().add_days(-1).first_of_month();
    assert_eq!(data.meetings.iter().filter(|m| m.kind == MeetingKind::OnSiteOffice).count(), 1);
    let qichi = data.meetings.iter().find(|m| m.grid.as_str() == "g500110001001000").unwrap();
    assert_eq!(qichi.kind, MeetingKind::JointMeeting);
    assert_eq!(Date::of_millis(qichi.held_at).first_of_month(), last_month);
    assert_eq!(qichi.recorder.as_str(), DEMO_COMMUNITY_SECRETARY.person_id);
    assert!(qichi.decided() >= 3);
    assert!(qichi.entries.attendees.values().any(|a| *a != Attendance::Present));
    let host = data.people.iter().find(|p| Some(&p.id) == qichi.host.as_ref()).unwrap();
    assert!(host.has_role(Role::FirstSecretary));
    for m in &data.meetings {
        for (issue, item) in &m.entries.items {
            let decision = item.decision.as_ref().unwrap();
            let steps: Vec<&IssueEvent> =
                data.events.iter().filter(|e| e.meeting.as_ref() == Some(&m.id) && &e.issue == issue).collect();
            assert!(!steps.is_empty(), "{issue} has events from its meeting");
            assert!(steps.iter().all(|e| e.at >= m.held_at && e.at < m.held_at + DAY_MILLIS));
            let state = &states[issue];
            match decision.outcome {
                Outcome::HandToUnit => assert_eq!(state.handoff.as_ref().map(|h| &h.unit), decision.unit.as_ref()),
                Outcome::Escalate => assert_eq!(state.level, EscalationLevel::Town),
                _ => assert!(state.handoff.is_none()),
            }
        }
    }
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

#[test]
fn the_cases_and_list_entries_validate_as_the_server_would_store_them() {
    use wangge_core::record_type::describe;
    use wangge_core::sync::Collection;
    let data = generate(DemoSize::DEMO, 10, NOW);
    let tree = wangge_core::grid::GridTree::build(data.grids.clone()).unwrap();
    let fields = |v: serde_json::Value| v.as_object().unwrap().clone();
    for c in &data.mediations {
        let f = fields(serde_json::to_value(c).unwrap());
        describe(Collection::Mediations).validate(c.id.as_str(), &f).unwrap();
        assert!(tree.get(&c.grid).is_some());
        let people: HashSet<&PersonId> = data.people.iter().map(|p| &p.id).collect();
        assert!(c.mediators.iter().chain([&c.recorder]).all(|p| people.contains(p)), "{}", c.title);
    }
    let qichi = wangge_core::GridId::parse("g500110001001000").unwrap();
    for e in &data.lists {
        let f = fields(serde_json::to_value(e).unwrap());
        describe(Collection::ListEntries).validate(e.id.as_str(), &f).unwrap();
        assert!(e.grid == qichi || tree.contains(&qichi, &e.grid), "{} in 綦齿社区", e.title);
        if let Some(m) = &e.matched_to {
            let offer = data.lists.iter().find(|o| &o.id == m).unwrap();
            assert!(wangge_core::lists::can_match(offer));
        }
    }
}

#[test]
fn the_wage_case_is_agreed_for_156000_yuan_in_two_terms_one_kept_one_due_next_month() {
    use wangge_core::mediation::{term_status, CaseStage, DisputeType, NextStep, SessionMode, TermStatus};
    let data = generate(DemoSize::DEMO, 11, NOW);
    let case = |id: &str| data.mediations.iter().find(|c| c.id.as_str() == id).unwrap();
    let wage = case("demo-case-wage");
    assert_eq!(
        (wage.dispute, wage.stage(), wage.grid.as_str()),
        (DisputeType::Wage, CaseStage::Agreed, "g500110001000000")
    );
    assert_eq!(wage.total_fen(), 15_600_000);
    assert!(wage.sessions_in_order().iter().any(|(_, s)| s.mode == SessionMode::Separate));
    let statuses: Vec<TermStatus> = wage.terms_in_order().iter().map(|(_, t)| term_status(t, true, NOW)).collect();
    assert_eq!(statuses, [TermStatus::Fulfilled, TermStatus::Pending]);
    let (_, second) = wage.terms_in_order()[1];
    let due = Date::of_millis(second.due.unwrap());
    assert_eq!(due.first_of_month(), Date::of_millis(NOW).first_of_month().add_days(40).first_of_month());
    let neighbour = case("demo-case-neighbour");
    assert_eq!(neighbour.stage(), CaseStage::Mediating);
    if let Some(issue) = &neighbour.issue {
        let i = data.issues.iter().find(|i| &i.id == issue).unwrap();
        assert_eq!((i.category, i.title.as_str()), (Category::Dispute, neighbour.title.as_str()));
    }
    let family = case("demo-case-family");
    assert_eq!(family.outcome.as_ref().and_then(|o| o.next), Some(NextStep::Litigation));
    assert_eq!(family.stage(), CaseStage::NotAgreed);
}

#[test]
fn the_lists_hold_an_open_a_claimed_and_a_fulfilled_need_and_projects_in_two_states() {
    use wangge_core::lists::{ListKind, NeedStatus, ProjectStatus};
    let data = generate(DemoSize::DEMO, 12, NOW);
    let needs: Vec<NeedStatus> = data.lists.iter().filter_map(|e| e.need_status()).collect();
    assert_eq!(needs, [NeedStatus::Open, NeedStatus::Claimed, NeedStatus::Fulfilled]);
    let meals = data.lists.iter().find(|e| e.id.as_str() == "demo-list-meals").unwrap();
    let member = data.people.iter().find(|p| Some(&p.id) == meals.claimed_by.as_ref()).unwrap();
    assert!(member.has_role(Role::PartyMember) && member.active);
    assert!(meals.matched_to.is_some());
    let projects: Vec<Option<ProjectStatus>> =
        data.lists.iter().filter(|e| e.kind == ListKind::Project).map(|e| e.status).collect();
    assert_eq!(projects, [Some(ProjectStatus::Underway), Some(ProjectStatus::Done)]);
    assert_eq!(data.lists.iter().filter(|e| e.kind == ListKind::Resource).count(), 3);
    assert!(data.lists.iter().filter(|e| e.kind != ListKind::Need).all(|e| e.unit.is_some() || e.contact.is_some()));
}

#[test]
fn the_demo_tasks_validate_and_the_storm_check_shows_progress_in_the_workers_grid() {
    use wangge_core::record_type::describe;
    use wangge_core::sync::Collection;
    use wangge_core::task::{progress, resolve_targets, ResultOutcome};
    let data = generate(DemoSize::DEMO, 12, NOW);
    let tree = wangge_core::grid::GridTree::build(data.grids.clone()).unwrap();
    for t in &data.tasks {
        let f = serde_json::to_value(t).unwrap().as_object().unwrap().clone();
        describe(Collection::Tasks).validate(t.id.as_str(), &f).unwrap();
    }
    let storm: Vec<_> = data.tasks.iter().filter(|t| t.batch.as_str() == "demo-task-storm").collect();
    assert!(storm.len() > 2 && storm.iter().all(|t| t.emergency), "the community node and its groups");
    let erchun = storm.iter().find(|t| t.grid.as_str() == "g500110001001002").expect("二村 has its copy");
    let p = progress(erchun, &resolve_targets(erchun, &tree, &data.households, &data.units), NOW);
    assert!(p.done >= 1, "ticked in 二村");
    assert_eq!(p.by_outcome.get(&ResultOutcome::NeedsHelp), Some(&1));
    assert!(p.total > p.done, "some still to check");
    let rental = data.tasks.iter().filter(|t| t.batch.as_str() == "demo-task-rental");
    assert!(
        rental.clone().any(|t| !t.entries.results.is_empty()) && rental.clone().any(|t| t.entries.results.is_empty())
    );
}

/// The visit figures count in one pass over the lean facts; on a generated town their
/// numbers must be what the schedule's own `due_visits` and a plain count give, in every
/// community's scope.
#[test]
fn visit_figures_agree_with_the_schedule_on_generated_data() {
    use wangge_core::stats::{visit_figures, visits_due};
    let data = generate(DemoSize { households: 2_000, issues: 100 }, 5, NOW);
    let tree = wangge_core::grid::GridTree::build(data.grids.clone()).unwrap();
    let schedule = VisitSchedule::default();
    let to = Date::of_millis(NOW);
    let from = to.first_of_month();
    let days = (from.days_until(to) + 1) as u32;
    let scopes: Vec<_> = data.grids.iter().filter(|g| g.level != wangge_core::grid::GridLevel::Group).collect();
    let mut overdue_seen = 0;
    for scope in scopes {
        let got = visit_figures(&tree, &scope.id, &data.households, &data.visits, &schedule, (from, to));
        let in_scope: Vec<_> = data.households.iter().filter(|h| tree.contains(&scope.id, &h.grid)).collect();
        let until_to: Vec<_> = data.visits.iter().filter(|v| v.date <= to).collect();
        let overdue = due_visits(in_scope.iter().copied(), until_to.iter().copied(), &schedule, to)
            .iter()
            .filter(|d| d.days_overdue > 0)
            .count() as u32;
        let in_period =
            |h: &HouseholdId| until_to.iter().filter(|v| &v.household == h && v.date >= from).count() as u32;
        let scheduled: Vec<_> = in_scope.iter().filter_map(|h| Some((h, schedule.interval_for(h)?))).collect();
        assert_eq!(got.households_overdue, overdue, "{}", scope.id);
        assert_eq!(got.visits_done, in_scope.iter().map(|h| in_period(&h.id)).sum::<u32>(), "{}", scope.id);
        assert_eq!(got.households_scheduled, scheduled.len() as u32);
        assert_eq!(got.visits_due, scheduled.iter().map(|(_, every)| visits_due(days, *every)).sum::<u32>());
        assert_eq!(
            got.scheduled_visits_done,
            scheduled.iter().map(|(h, every)| in_period(&h.id).min(visits_due(days, *every))).sum::<u32>()
        );
        assert_eq!(got.households_visited, scheduled.iter().filter(|(h, _)| in_period(&h.id) > 0).count() as u32);
        overdue_seen += overdue;
    }
    assert!(overdue_seen > 0, "the data must hold overdue households for the check to mean anything");
}
