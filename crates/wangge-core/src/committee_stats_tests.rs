//! The committee's figures on hand-made meetings and issues in two communities, in June
//! 2024 (China time) with a May meeting that must not count.

use super::*;
use crate::grid::GridLevel;
use crate::issue::{EventKind, IssueEvent, Priority, Source};
use crate::meeting::{AgendaItem, Attendance, Decision, Entries, ItemSource, Outcome};
use crate::people::Role;
use crate::{Address, Description, IssueTitle, MeetingId, Reason, Summary, UnitId, DAY_MILLIS};

fn gid(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

fn tree() -> GridTree {
    crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("qc", GridLevel::Community, Some("town")),
        ("qc-1", GridLevel::Group, Some("qc")),
        ("xj", GridLevel::Community, Some("town")),
    ])
}

fn day(s: &str) -> Millis {
    Date::parse(s).unwrap().start_millis() + 10 * 3_600_000
}

fn person(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

/// Issue `n` in `grid`, reported on `from` and driven through `steps` a day apart.
fn issue(n: u8, grid: &str, from: &str, steps: &[EventKind]) -> (Issue, IssueState) {
    let id = IssueId::parse(format!("i{n}")).unwrap();
    let at = day(from);
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse("问题").unwrap(),
        description: Description::parse("").unwrap(),
        category: crate::issue::Category::Other,
        source: Source::Visit,
        grid: gid(grid),
        household: None,
        unit: None,
        location: None,
        reporter: person("w"),
        priority: Priority::Normal,
        due_at: None,
        created_at: at,
    };
    let mut state = IssueState::default();
    for (k, kind) in std::iter::once(EventKind::Reported).chain(steps.iter().cloned()).enumerate() {
        let who = person(if k % 2 == 0 { "a" } else { "b" });
        let e = IssueEvent::new(id.clone(), at + k as i64 * DAY_MILLIS, who, Role::GridWorker, kind, [k as u8; 10]);
        state.apply(&e).unwrap();
    }
    (issue, state)
}

fn closing(escalate: bool) -> Vec<EventKind> {
    let mut steps = Vec::new();
    if escalate {
        for to in [EscalationLevel::Community, EscalationLevel::Town] {
            steps.push(EventKind::Escalated { to, reason: Reason::parse("需上级协调").unwrap() });
        }
    }
    steps.extend([
        EventKind::Accepted,
        EventKind::Assigned { assignee: person("w") },
        EventKind::Resolved { summary: Summary::parse("已解决").unwrap() },
        EventKind::Verified { note: None },
    ]);
    steps
}

/// Handed on the day after reporting; replied to, then done `done` days after the hand-off.
fn handed(done: Option<usize>) -> Vec<EventKind> {
    let unit = UnitId::parse("u-cg").unwrap();
    let mut steps = vec![EventKind::HandedOver { unit, due: None }];
    if let Some(after) = done {
        steps.extend(std::iter::repeat_n(EventKind::HandoffReplied { text: "收到".parse_comment() }, after - 1));
        steps.push(EventKind::Resolved { summary: Summary::parse("已办结").unwrap() });
    }
    steps
}

trait ParseComment {
    fn parse_comment(self) -> crate::CommentText;
}
impl ParseComment for &str {
    fn parse_comment(self) -> crate::CommentText {
        crate::CommentText::parse(self).unwrap()
    }
}

/// Sets the hand-off's due date `due_days` after the hand-off (a day after `from`).
fn with_due(mut steps: Vec<EventKind>, from: &str, due_days: i64) -> Vec<EventKind> {
    if let Some(EventKind::HandedOver { due, .. }) = steps.first_mut() {
        *due = Some(day(from) + (1 + due_days) * DAY_MILLIS);
    }
    steps
}

fn meeting(n: u8, kind: MeetingKind, grid: &str, on: &str, host: &str, items: &[(u8, Option<Outcome>)]) -> Meeting {
    let mut entries = Entries::default();
    entries.attendees.insert(person(host), Attendance::Present);
    for (position, (issue, outcome)) in items.iter().enumerate() {
        let decision = outcome.map(|outcome| Decision {
            outcome,
            person: None,
            unit: None,
            due: None,
            note: None,
            by: person("sec"),
            at: day(on),
        });
        let item = AgendaItem {
            position: position as u32,
            source: ItemSource::IssueList,
            decision,
            removed: false,
            photos: Vec::new(),
        };
        entries.items.insert(IssueId::parse(format!("i{issue}")).unwrap(), item);
    }
    Meeting {
        id: MeetingId::parse(format!("m{n}")).unwrap(),
        kind,
        grid: gid(grid),
        held_at: day(on),
        place: Address::parse("会议室").unwrap(),
        host: Some(person(host)),
        recorder: person("sec"),
        guests: None,
        notes: None,
        closed: true,
        entries,
    }
}

fn figures(scope: &str) -> CommitteeFigures {
    let issues = [
        issue(1, "qc-1", "2024-06-01", &closing(false)),
        issue(2, "qc-1", "2024-06-02", &closing(true)),
        issue(3, "qc", "2024-06-03", &with_due(handed(Some(3)), "2024-06-03", 10)),
        issue(4, "qc", "2024-06-03", &with_due(handed(Some(4)), "2024-06-03", 1)),
        issue(5, "qc", "2024-06-05", &with_due(handed(None), "2024-06-05", 5)),
        issue(6, "qc", "2024-05-05", &with_due(handed(Some(1)), "2024-05-05", 5)),
        issue(7, "xj", "2024-06-01", &closing(false)),
    ];
    let meetings = [
        meeting(1, MeetingKind::JointMeeting, "qc", "2024-06-10", "fs", &[(3, Some(Outcome::HandToUnit)), (5, None)]),
        meeting(2, MeetingKind::JointMeeting, "qc", "2024-05-10", "fs", &[(6, Some(Outcome::HandToUnit))]),
        meeting(3, MeetingKind::OnSiteOffice, "qc-1", "2024-06-12", "leader", &[(1, None), (5, None)]),
        meeting(4, MeetingKind::OnSiteOffice, "qc", "2024-06-20", "leader", &[(2, None)]),
        meeting(5, MeetingKind::OnSiteOffice, "xj", "2024-06-20", "other", &[(7, None)]),
    ];
    let june = Date::parse("2024-06-15").unwrap();
    committee_figures(&tree(), &gid(scope), june, &meetings, issues.iter().map(|(i, s)| (i, s)))
}

#[test]
fn joint_meetings_count_in_their_month_and_scope_with_their_decided_items() {
    let f = figures("qc");
    assert_eq!((f.joint_meetings, f.items_decided), (1, 1));
    let town = figures("town");
    assert_eq!(town.joint_meetings, 1, "the May meeting is not June's");
}

#[test]
fn on_site_sessions_count_problems_taken_and_solved_since_per_host() {
    let f = figures("qc");
    assert_eq!(f.onsite_sessions, 2);
    // Issues 1 and 2 are closed; 5 is still with the unit.
    assert_eq!(f.onsite_solved, Share { count: 2, of: 3 });
    assert_eq!(
        f.by_host,
        vec![HostFigures { host: Some(person("leader")), sessions: 2, solved: Share { count: 2, of: 3 } }]
    );
    let town = figures("town");
    assert_eq!(town.by_host.len(), 2);
    assert_eq!(town.by_host[0].host, Some(person("leader")), "most sessions first");
}

#[test]
fn the_share_closed_within_the_community_keeps_its_raw_counts() {
    // Closed in June in 綦齿: 1 at the grid, 2 at the town.
    let f = figures("qc");
    assert_eq!(f.closed_within_community, Share { count: 1, of: 2 });
    assert_eq!(f.closed_within_community.ratio(), Some(0.5));
    assert_eq!(figures("town").closed_within_community, Share { count: 2, of: 3 });
}

#[test]
fn hand_offs_of_the_month_count_done_and_on_time() {
    // June: 3 (done in time), 4 (done late), 5 (not done); 6 was handed in May.
    let f = figures("qc");
    assert_eq!(f.handed_done, Share { count: 2, of: 3 });
    assert_eq!(f.handed_on_time, Share { count: 1, of: 2 });
}

#[test]
fn an_empty_month_has_no_shares() {
    let f = committee_figures(&tree(), &gid("qc"), Date::parse("2023-01-01").unwrap(), &[], std::iter::empty());
    assert_eq!(f, CommitteeFigures::default());
    assert_eq!(f.handed_on_time.ratio(), None);
}

#[test]
fn the_month_span_ends_where_the_next_month_starts() {
    let (start, end) = month_span(Date::parse("2024-02-29").unwrap());
    assert_eq!(start, Date::parse("2024-02-01").unwrap().start_millis());
    assert_eq!(end, Date::parse("2024-03-01").unwrap().start_millis());
}
