//! The assessment over a small hand-built world: community 綦齿 (qc) with two grids, qc-1
//! (worker w1) and qc-2 (worker w2), in November 2026 China time, with records just
//! either side of the month's edges that must not count.

use std::collections::BTreeMap;

use super::*;
use crate::grid::EscalationLevel;
use crate::household::{HouseholdStatus, HouseholdTag};
use crate::issue::{Category, EventKind, Priority, Satisfaction, Source};
use crate::task::{ResultOutcome, Target, TargetRule, TaskEntries, TaskResult};
use crate::{
    Address, Description, EntryId, HouseholdId, IssueTitle, Notes, PersonName, Reason, Summary, TaskId, VisitId,
    DAY_MILLIS, HOUR_MILLIS,
};

fn gid(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn tree() -> GridTree {
    crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("qc", GridLevel::Community, Some("town")),
        ("qc-1", GridLevel::Group, Some("qc")),
        ("qc-1-b1", GridLevel::Building, Some("qc-1")),
        ("qc-2", GridLevel::Group, Some("qc")),
    ])
}

fn people() -> Vec<Person> {
    let p = |id: &str, grid: &str, roles: &[Role]| Person {
        id: pid(id),
        name: PersonName::parse("张三").unwrap(),
        phone: None,
        grid: gid(grid),
        roles: roles.iter().copied().collect(),
        active: true,
    };
    vec![
        p("w1", "qc-1", &[Role::GridWorker]),
        p("w2", "qc-2", &[Role::GridWorker]),
        p("sec", "qc", &[Role::CommunitySecretary]),
    ]
}

/// 10:00 China time on the day.
fn at(day: &str) -> Millis {
    Date::parse(day).unwrap().start_millis() + 10 * HOUR_MILLIS
}

fn nov() -> Month {
    Month::new(2026, 11).unwrap()
}

/// Well after November.
fn later() -> Millis {
    at("2027-01-15")
}

fn household(id: &str, grid: &str, tag: Option<HouseholdTag>) -> Household {
    Household {
        id: HouseholdId::parse(id).unwrap(),
        grid: gid(grid),
        address: Address::parse("一村1栋").unwrap(),
        members: Default::default(),
        status: HouseholdStatus::Present,
        merged_into: None,
        tags: tag.into_iter().collect(),
    }
}

fn visit(n: u32, household: &str, worker: &str, date: &str, issues: &[&str]) -> Visit {
    Visit {
        id: VisitId::parse(format!("v{n}")).unwrap(),
        household: HouseholdId::parse(household).unwrap(),
        worker: pid(worker),
        date: Date::parse(date).unwrap(),
        notes: Notes::parse("").unwrap(),
        issues: issues.iter().map(|i| IssueId::parse(*i).unwrap()).collect(),
        photos: vec![],
    }
}

/// An issue with its events (each at its own instant) and its state now.
struct Made {
    issue: Issue,
    state: IssueState,
    events: Vec<IssueEvent>,
}

fn issue(id: &str, grid: &str, reporter: &str, household: Option<&str>, steps: &[(Millis, EventKind)]) -> Made {
    let issue = Issue {
        id: IssueId::parse(id).unwrap(),
        title: IssueTitle::parse("问题").unwrap(),
        description: Description::parse("").unwrap(),
        category: Category::Other,
        source: Source::Visit,
        grid: gid(grid),
        household: household.map(|h| HouseholdId::parse(h).unwrap()),
        unit: None,
        location: None,
        reporter: pid(reporter),
        priority: Priority::Normal,
        due_at: None,
        created_at: steps[0].0,
    };
    let events: Vec<IssueEvent> = steps
        .iter()
        .enumerate()
        .map(|(k, (at, kind))| {
            // Each step by someone else: the verifier may not be the resolver.
            let actor = if k == 0 { pid(reporter) } else { pid(&format!("x{k}")) };
            IssueEvent::new(issue.id.clone(), *at, actor, Role::GridWorker, kind.clone(), [k as u8; 10])
        })
        .collect();
    let derived = crate::issue::derive(&events);
    assert!(derived.conflicts.is_empty(), "{id}: {:?}", derived.conflicts);
    let state = derived.state;
    Made { issue, state, events }
}

fn closing(from: Millis, escalate_to: Option<EscalationLevel>, rating: Option<i64>) -> Vec<(Millis, EventKind)> {
    let mut kinds = vec![EventKind::Reported];
    // One rung at a time, as the ladder allows.
    let rungs = [EscalationLevel::Community, EscalationLevel::Town, EscalationLevel::District];
    for to in rungs.into_iter().filter(|r| escalate_to.is_some_and(|top| *r <= top)) {
        kinds.push(EventKind::Escalated { to, reason: Reason::parse("需上级协调").unwrap() });
    }
    kinds.extend([
        EventKind::Accepted,
        EventKind::Assigned { assignee: pid("w1") },
        EventKind::Resolved { summary: Summary::parse("已解决").unwrap() },
        EventKind::Verified { note: None },
    ]);
    if let Some(score) = rating {
        kinds.push(EventKind::Rated { score: Satisfaction::parse(score).unwrap(), comment: None });
    }
    kinds.into_iter().enumerate().map(|(k, kind)| (from + k as i64 * HOUR_MILLIS, kind)).collect()
}

fn task(id: &str, grid: &str, due: Millis, ticks: &[(&str, &str, ResultOutcome, Millis)]) -> Task {
    let results = ticks
        .iter()
        .enumerate()
        .map(|(k, (h, by, outcome, at))| {
            let result = TaskResult {
                target: Target::Household(HouseholdId::parse(*h).unwrap()),
                outcome: *outcome,
                note: None,
                by: pid(by),
                at: *at,
                issue: None,
                visit: None,
                photos: vec![],
            };
            (EntryId::parse(format!("e{id}{k}")).unwrap(), result)
        })
        .collect();
    Task {
        id: TaskId::parse(id).unwrap(),
        batch: TaskId::parse(format!("b-{id}")).unwrap(),
        parent: None,
        grid: gid(grid),
        from: gid("qc"),
        sender: pid("sec"),
        title: IssueTitle::parse("排查独居老人").unwrap(),
        instructions: None,
        sent_at: at("2026-11-01"),
        due,
        emergency: false,
        targets: TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly },
        closed: None,
        entries: TaskEntries { results, notes: BTreeMap::new() },
    }
}

/// The records, and the world over them.
#[derive(Default)]
struct Fixture {
    households: Vec<Household>,
    visits: Vec<Visit>,
    issues: Vec<Made>,
    tasks: Vec<Task>,
    /// Give the core the events of the issues it names as needing them.
    with_histories: bool,
}

impl Fixture {
    fn assess(&self, scope: &str, month: Month, now: Millis) -> Assessment {
        let (tree, people) = (tree(), people());
        let issues: Vec<(Issue, IssueState)> = self.issues.iter().map(|m| (m.issue.clone(), m.state.clone())).collect();
        let histories: BTreeMap<IssueId, Vec<IssueEvent>> = self
            .issues
            .iter()
            .filter(|m| self.with_histories && needs_history(&m.state, month, now))
            .map(|m| (m.issue.id.clone(), m.events.clone()))
            .collect();
        let world = World {
            tree: &tree,
            people: &people,
            households: &self.households,
            units: &[],
            visits: &self.visits,
            issues: &issues,
            histories: &histories,
            tasks: &self.tasks,
            schedule: &VisitSchedule::default(),
            deadlines: &Deadlines::default(),
        };
        assess(&world, &gid(scope), month, now)
    }
}

fn worker<'a>(a: &'a Assessment, grid: &str, person: &str) -> &'a WorkerRow {
    let g = a.grids.iter().find(|g| g.grid.as_str() == grid).unwrap();
    g.workers.iter().find(|w| w.person.as_str() == person).unwrap()
}

fn share(count: u32, of: u32) -> Share {
    Share { count, of }
}

#[test]
fn months_parse_step_back_and_span_china_time() {
    let m = Month::parse("2026-11").unwrap();
    assert_eq!((m.year(), m.month(), m.to_string()), (2026, 11, "2026-11".to_string()));
    assert_eq!(Month::new(2026, 1).unwrap().previous(), Month::new(2025, 12).unwrap());
    assert_eq!(Month::parse("2026-13"), None);
    assert_eq!(Month::parse("2026-1"), None);
    // 2026-10-31 16:30 UTC is 1 November 00:30 in China.
    let just_after = Date::parse("2026-10-31").unwrap().days() * DAY_MILLIS + 16 * HOUR_MILLIS + 30 * 60_000;
    assert_eq!(Month::of(just_after), nov());
    assert_eq!(Month::of(just_after - HOUR_MILLIS), Month::new(2026, 10).unwrap());
}

#[test]
fn a_community_is_assessed_by_its_grids_and_a_grid_by_itself() {
    let t = tree();
    assert_eq!(grids_of(&t, &gid("qc")), [gid("qc-1"), gid("qc-2")]);
    assert_eq!(grids_of(&t, &gid("town")), [gid("qc-1"), gid("qc-2")]);
    assert_eq!(grids_of(&t, &gid("qc-1")), [gid("qc-1")]);
    assert!(grids_of(&t, &gid("nowhere")).is_empty());
}

#[test]
fn visits_on_schedule_count_at_most_what_is_due_per_household_and_person() {
    let mut f = Fixture::default();
    // Living alone, weekly: 30 days of November ask for 5 visits.
    f.households.push(household("h1", "qc-1-b1", Some(HouseholdTag::LivingAloneElderly)));
    // Low income, monthly: 1 visit.
    f.households.push(household("h2", "qc-1", Some(HouseholdTag::LowIncome)));
    // No care tag: not scheduled.
    f.households.push(household("h3", "qc-1", None));
    for (n, d) in ["01", "05", "09", "13", "17", "21", "30"].iter().enumerate() {
        f.visits.push(visit(n as u32, "h1", "w1", &format!("2026-11-{d}"), &[]));
    }
    f.visits.push(visit(20, "h1", "w1", "2026-10-31", &[]));
    f.visits.push(visit(21, "h1", "w1", "2026-12-01", &[]));
    f.visits.push(visit(22, "h2", "sec", "2026-11-15", &[]));
    f.visits.push(visit(23, "h3", "w1", "2026-11-15", &[]));
    let a = f.assess("qc", nov(), later());
    assert_eq!(a.grids[0].figures.visits, share(6, 6));
    assert_eq!(worker(&a, "qc-1", "w1").figures.visits, share(5, 6), "seven visits to h1, five asked");
    let sec = worker(&a, "qc-1", "sec");
    assert_eq!((sec.figures.visits, sec.assigned), (share(1, 6), false));
    assert_eq!(a.grids[1].figures.visits, share(0, 0));
    assert_eq!(worker(&a, "qc-2", "w2").figures, Figures::default(), "an idle worker still has her row");
    // On 10 November at noon ten days are counted: two weekly visits due, one monthly.
    let early = f.assess("qc-1", nov(), at("2026-11-10") + 2 * HOUR_MILLIS);
    assert_eq!(early.grids[0].figures.visits, share(2, 3), "h2 is visited on the 15th");
    assert_eq!(f.assess("qc", Month::new(2026, 12).unwrap(), at("2026-11-10")).total, Figures::default());
}

#[test]
fn an_issue_is_timely_when_reported_on_the_day_of_a_visit_or_the_next() {
    let mut f = Fixture::default();
    f.households.push(household("h1", "qc-1", None));
    f.visits.push(visit(1, "h1", "w1", "2026-11-03", &[]));
    f.visits.push(visit(2, "h9", "w1", "2026-11-20", &["i3"]));
    let reported = |id, household, day| issue(id, "qc-1", "w1", household, &[(at(day), EventKind::Reported)]);
    f.issues.push(reported("i1", Some("h1"), "2026-11-04"));
    f.issues.push(reported("i2", Some("h1"), "2026-11-06"));
    f.issues.push(reported("i3", None, "2026-11-20"));
    // 30 November 23:30 China time is still November; 1 December 00:30 is not.
    let edge = Date::parse("2026-11-30").unwrap().start_millis();
    f.issues.push(issue("i4", "qc-1", "w1", None, &[(edge + 23 * HOUR_MILLIS + 1_800_000, EventKind::Reported)]));
    f.issues.push(issue("i5", "qc-1", "w1", None, &[(edge + DAY_MILLIS + 1_800_000, EventKind::Reported)]));
    f.issues.push(issue("i6", "qc-2", "w2", None, &[(at("2026-10-31"), EventKind::Reported)]));
    let a = f.assess("qc", nov(), later());
    assert_eq!(a.grids[0].figures.reported, share(2, 4));
    assert_eq!(worker(&a, "qc-1", "w1").figures.reported, share(2, 4));
    assert_eq!(a.grids[1].figures.reported, share(0, 0), "October's report is October's");
}

#[test]
fn closed_issues_count_the_rung_they_closed_at_and_their_ratings() {
    let mut f = Fixture::default();
    f.issues.push(issue("i1", "qc-1", "w1", None, &closing(at("2026-11-02"), None, Some(5))));
    f.issues.push(issue(
        "i2",
        "qc-1",
        "w1",
        None,
        &closing(at("2026-11-03"), Some(EscalationLevel::Community), Some(4)),
    ));
    f.issues.push(issue("i3", "qc-1", "sec", None, &closing(at("2026-11-04"), Some(EscalationLevel::Town), None)));
    f.issues.push(issue("i4", "qc-1", "w1", None, &closing(at("2026-10-04"), None, Some(1))));
    f.issues.push(issue("i5", "qc-1", "steward", None, &closing(at("2026-10-05"), None, None)));
    let a = f.assess("qc", nov(), later());
    let rows: Vec<&str> = a.grids[0].workers.iter().map(|w| w.person.as_str()).collect();
    assert_eq!(rows, ["w1", "sec"], "someone with nothing this month has no row");
    let g = a.grids[0].figures;
    assert_eq!(g.closed_low, share(2, 3));
    assert_eq!((g.ratings, g.rated()), ([0, 0, 0, 1, 1], 2));
    let w1 = worker(&a, "qc-1", "w1").figures;
    assert_eq!((w1.closed_low, w1.ratings), (share(2, 2), [0, 0, 0, 1, 1]));
    assert_eq!(worker(&a, "qc-1", "sec").figures.closed_low, share(0, 1));
}

#[test]
fn overdue_is_counted_at_the_months_end_from_the_history_or_at_now_while_it_runs() {
    let mut f = Fixture { with_histories: true, ..Fixture::default() };
    // Reported 20 November at the grid (3 days): overdue from the 23rd, closed 2 December.
    let mut late = vec![(at("2026-11-20"), EventKind::Reported)];
    late.extend(closing(at("2026-12-02"), None, None).into_iter().skip(1));
    f.issues.push(issue("i1", "qc-1", "w1", None, &late));
    // Reported 29 November: open at the month's end, not yet due.
    f.issues.push(issue("i2", "qc-1", "w1", None, &[(at("2026-11-29"), EventKind::Reported)]));
    // Closed within November: not open at its end.
    f.issues.push(issue("i3", "qc-1", "w1", None, &closing(at("2026-11-05"), None, None)));
    let a = f.assess("qc", nov(), later());
    assert_eq!(a.grids[0].figures.overdue, share(1, 2));
    assert_eq!(worker(&a, "qc-1", "w1").figures.overdue, share(1, 2));
    assert!(needs_history(&f.issues[0].state, nov(), later()));
    assert!(!needs_history(&f.issues[2].state, nov(), later()));
    // Without its history an issue counts as it stands now (closed): the caller must
    // read what `needs_history` names.
    f.with_histories = false;
    assert_eq!(f.assess("qc", nov(), later()).grids[0].figures.overdue, share(0, 1));
    // While November runs, at noon on the 22nd: i1 is open and not yet past its three days.
    f.with_histories = true;
    let running = f.assess("qc", nov(), at("2026-11-22") + 2 * HOUR_MILLIS);
    assert_eq!(running.grids[0].figures.overdue, share(0, 1));
    let running = f.assess("qc", nov(), at("2026-11-24"));
    assert_eq!(running.grids[0].figures.overdue, share(1, 1));
}

#[test]
fn task_results_and_records_due_in_the_month_are_counted() {
    let mut f = Fixture::default();
    f.households.push(household("h1", "qc-1", Some(HouseholdTag::LivingAloneElderly)));
    f.households.push(household("h2", "qc-1-b1", Some(HouseholdTag::LivingAloneElderly)));
    let due = at("2026-11-20");
    let safe = ResultOutcome::Safe;
    // Both households reached by the deadline: done on time.
    f.tasks.push(task(
        "t1",
        "qc-1",
        due,
        &[("h1", "w1", safe, at("2026-11-18")), ("h2", "w1", safe, at("2026-11-19"))],
    ));
    // One reached after the deadline, one not reachable: neither done nor on time.
    let unreachable = ResultOutcome::Unreachable;
    f.tasks.push(task(
        "t2",
        "qc-1",
        due,
        &[("h1", "sec", safe, at("2026-11-21")), ("h2", "w1", unreachable, at("2026-11-19"))],
    ));
    // Due in December: its November tick counts as a result, the record does not.
    f.tasks.push(task("t3", "qc-1", at("2026-12-05"), &[("h1", "w1", safe, at("2026-11-30"))]));
    let a = f.assess("qc", nov(), later());
    let g = a.grids[0].figures;
    assert_eq!((g.task_reached, g.task_on_time, g.task_records), (share(4, 5), share(3, 4), share(1, 2)));
    let w1 = worker(&a, "qc-1", "w1").figures;
    assert_eq!((w1.task_reached, w1.task_on_time, w1.task_records), (share(3, 4), share(3, 3), share(0, 0)));
    assert_eq!(worker(&a, "qc-1", "sec").figures.task_on_time, share(0, 1));
    assert_eq!(a.grids[1].figures.task_records, share(0, 0));
}

#[path = "table_tests.rs"]
mod table_tests;
