//! Dashboard figures on a hand-made set of issues in two communities.

use super::*;
use crate::grid::{Grid, GridCode, GridLevel};
use crate::household::HouseholdTag;
use crate::issue::{EventKind, IssueEvent, Priority, Source};
use crate::people::Role;
use crate::{
    Address, Description, GridName, IssueId, IssueTitle, Notes, PersonId, Reason, Summary, VisitId, DAY_MILLIS,
};

fn grid(id: &str, level: GridLevel, parent: Option<&str>, code: &str) -> Grid {
    Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse(id).unwrap(),
        level,
        parent: parent.map(|p| GridId::parse(p).unwrap()),
        code: Some(GridCode::parse(code).unwrap()),
        retired: false,
    }
}

fn tree() -> GridTree {
    use GridLevel::*;
    GridTree::build(vec![
        grid("town", Town, None, "500110001000000"),
        grid("qc", Community, Some("town"), "500110001001000"),
        grid("qc-1", Group, Some("qc"), "500110001001001"),
        grid("xj", Community, Some("town"), "500110001002000"),
    ])
    .unwrap()
}

fn id(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

/// An issue reported at day `day` in `grid`, driven through `steps` a day apart.
fn issue(n: u8, grid: &str, category: Category, day: i64, steps: &[EventKind]) -> (Issue, IssueState) {
    let issue_id = IssueId::parse(format!("i{n}")).unwrap();
    let at = day * DAY_MILLIS;
    let issue = Issue {
        id: issue_id.clone(),
        title: IssueTitle::parse("问题").unwrap(),
        description: Description::parse("").unwrap(),
        category,
        source: Source::Visit,
        grid: GridId::parse(grid).unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: PersonId::parse("w").unwrap(),
        priority: Priority::Normal,
        due_at: None,
        created_at: at,
    };
    let mut state = IssueState::default();
    let kinds = std::iter::once(EventKind::Reported).chain(steps.iter().cloned());
    for (k, kind) in kinds.enumerate() {
        let actor = PersonId::parse(if k % 2 == 0 { "a" } else { "b" }).unwrap();
        let e =
            IssueEvent::new(issue_id.clone(), at + k as i64 * DAY_MILLIS, actor, Role::GridWorker, kind, [k as u8; 10]);
        state.apply(&e).unwrap();
    }
    (issue, state)
}

fn closed_path(escalate_to: &[EscalationLevel]) -> Vec<EventKind> {
    let mut steps: Vec<EventKind> = escalate_to
        .iter()
        .map(|to| EventKind::Escalated { to: *to, reason: Reason::parse("需上级协调").unwrap() })
        .collect();
    steps.extend([
        EventKind::Accepted,
        EventKind::Assigned { assignee: PersonId::parse("w").unwrap() },
        EventKind::Resolved { summary: Summary::parse("已解决").unwrap() },
        EventKind::Verified { note: None },
    ]);
    steps
}

#[test]
fn figures_count_open_overdue_and_closed_by_level_and_category() {
    let now = 100 * DAY_MILLIS;
    let rows = [
        issue(1, "qc-1", Category::Greening, 10, &closed_path(&[])),
        issue(2, "qc-1", Category::Greening, 20, &closed_path(&[EscalationLevel::Community])),
        issue(3, "qc", Category::Safety, 98, &[]),
        issue(4, "qc", Category::Safety, 50, &[EventKind::Accepted]),
        issue(5, "xj", Category::Safety, 50, &[]),
    ];
    let f = issue_figures(&tree(), &id("qc"), rows.iter().map(|(i, s)| (i, s)), &Deadlines::default(), now);
    assert_eq!(f.totals, Counts { open: 2, overdue: 1, closed: 2 });
    assert_eq!(f.by_level[0].counts, Counts { open: 2, overdue: 1, closed: 1 });
    assert_eq!(f.by_level[1].counts.closed, 1);
    let safety = f.by_category.iter().find(|c| c.category == Category::Safety).unwrap();
    assert_eq!(safety.counts.open, 2);
    assert_eq!(f.closed_at_grid_share, Some(0.5));
    assert_eq!(f.closed_within_community_share, Some(1.0));
    // Closed after 4 and 5 days.
    assert_eq!(f.median_time_to_close, Some(4 * DAY_MILLIS + DAY_MILLIS / 2));
    assert_eq!(f.needing_supervision, 1);
}

#[test]
fn closed_this_month_counts_only_the_current_china_month() {
    let now = Date::parse("2024-06-15").unwrap().start_millis();
    let june = Date::parse("2024-06-01").unwrap().days();
    let rows = [
        issue(1, "qc", Category::Other, june - 10, &closed_path(&[])),
        issue(2, "qc", Category::Other, june - 2, &closed_path(&[])),
    ];
    let f = issue_figures(&tree(), &id("town"), rows.iter().map(|(i, s)| (i, s)), &Deadlines::default(), now);
    assert_eq!(f.totals.closed, 2);
    assert_eq!(f.closed_this_month, 1);
}

#[test]
fn a_withdrawn_report_counts_neither_as_open_nor_as_closed() {
    let withdrawn = [EventKind::Withdrawn { reason: Reason::parse("重复上报").unwrap() }];
    let issues = [issue(1, "qc-1", Category::Safety, 1, &withdrawn), issue(2, "qc-1", Category::Safety, 1, &[])];
    let f =
        issue_figures(&tree(), &id("town"), issues.iter().map(|(i, s)| (i, s)), &Deadlines::default(), 2 * DAY_MILLIS);
    assert_eq!((f.totals.open, f.totals.closed), (1, 0));
}

#[test]
fn no_closed_issues_means_no_shares_and_no_median() {
    let f = issue_figures(&tree(), &id("town"), std::iter::empty(), &Deadlines::default(), 0);
    assert_eq!((f.closed_at_grid_share, f.median_time_to_close), (None, None));
    assert_eq!(f.by_category.len(), Category::ALL.len());
}

/// The lean facts flag overdue and supervision exactly as the full state does: at the
/// promised date, at each rung's default after an escalation, with a standing order, and
/// never once resolved or closed.
#[test]
fn the_facts_deadline_checks_agree_with_the_full_state() {
    let note = crate::CommentText::parse("请加快办理").unwrap();
    let mut promised = issue(9, "qc", Category::Safety, 10, &[]);
    promised.0.due_at = Some(11 * DAY_MILLIS);
    let escalated =
        EventKind::Escalated { to: EscalationLevel::Community, reason: Reason::parse("需协调").unwrap() };
    let mut promised_then_escalated = issue(10, "qc", Category::Safety, 10, &[escalated]);
    promised_then_escalated.0.due_at = Some(11 * DAY_MILLIS);
    let rows = [
        promised,
        promised_then_escalated,
        issue(1, "qc", Category::Safety, 10, &[]),
        issue(2, "qc", Category::Safety, 10, &[EventKind::Supervised { note }]),
        issue(3, "qc", Category::Safety, 10, &closed_path(&[EscalationLevel::Community])),
        issue(4, "qc", Category::Safety, 10, &closed_path(&[])[..3]),
    ];
    let d = Deadlines::default();
    let mut flagged = 0;
    for day in [10, 11, 12, 14, 18, 40] {
        let now = day * DAY_MILLIS + 1;
        for (issue, state) in &rows {
            let facts = IssueFacts::of(issue, state);
            assert_eq!(facts.is_overdue(&d, now), state.is_overdue(issue, &d, now), "{} on day {day}", issue.id);
            assert_eq!(facts.needs_supervision(&d, now), state.needs_supervision(issue, &d, now));
            assert_eq!(facts.time_to_close(), state.time_to_close());
            flagged += u32::from(facts.needs_supervision(&d, now));
        }
    }
    assert!(flagged > 0 && flagged < 36, "both answers must occur for the check to mean anything");
}

fn household(id: &str, grid: &str, tags: &[HouseholdTag]) -> Household {
    Household {
        id: HouseholdId::parse(id).unwrap(),
        grid: GridId::parse(grid).unwrap(),
        address: Address::parse("一村1栋").unwrap(),
        members: Default::default(),
        status: Default::default(),
        merged_into: None,
        tags: tags.iter().copied().collect(),
    }
}

fn visit(n: u32, household: &str, date: &str) -> Visit {
    Visit {
        id: VisitId::parse(format!("v{n}")).unwrap(),
        household: HouseholdId::parse(household).unwrap(),
        worker: PersonId::parse("w").unwrap(),
        date: Date::parse(date).unwrap(),
        notes: Notes::parse("").unwrap(),
        issues: vec![],
        photos: vec![],
    }
}

#[test]
fn visits_done_are_compared_with_visits_due_in_the_period() {
    let hs = [
        household("old", "qc-1", &[HouseholdTag::LivingAloneElderly]),
        household("poor", "qc-1", &[HouseholdTag::LowIncome]),
        household("plain", "qc-1", &[]),
        household("elsewhere", "xj", &[HouseholdTag::LivingAloneElderly]),
    ];
    let vs = [
        visit(1, "old", "2024-06-03"),
        visit(2, "old", "2024-06-04"),
        visit(3, "old", "2024-06-05"),
        visit(4, "plain", "2024-06-10"),
        visit(5, "elsewhere", "2024-06-10"),
        visit(6, "old", "2024-05-20"),
    ];
    let period = (Date::parse("2024-06-01").unwrap(), Date::parse("2024-06-14").unwrap());
    let f = visit_figures(&tree(), &id("qc"), &hs, &vs, &VisitSchedule::default(), period);
    assert_eq!(f.visits_done, 4);
    assert_eq!(f.households_scheduled, 2);
    assert_eq!(f.visits_due, 2 + 1);
    assert_eq!(f.scheduled_visits_done, 2);
    assert_eq!(f.households_visited, 1);
    // "old" last seen 06-05, due 06-12; "poor" never visited, due on the 14th itself.
    assert_eq!(f.households_overdue, 1);
}
