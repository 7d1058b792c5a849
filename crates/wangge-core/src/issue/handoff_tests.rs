//! Hand-offs to units (交办) and closing as not actionable: the state machine's rules, who
//! may take each step, and offline orderings that conflict.

use super::{
    allowed_actions, derive, may_take, Acting, Action, Actor, Category, EventKind, Issue, IssueEvent, IssueState,
    Priority, Source, Status, TransitionError,
};
use crate::grid::EscalationLevel;
use crate::people::Role;
use crate::{CommentText, Description, GridId, IssueId, IssueTitle, PersonId, Reason, Summary, UnitId};

const DAY: i64 = 86_400_000;

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn issue() -> Issue {
    Issue {
        id: IssueId::parse("i1").unwrap(),
        title: IssueTitle::parse("人行道被汽修厂车辆碾坏").unwrap(),
        description: Description::parse("").unwrap(),
        category: Category::Infrastructure,
        source: Source::Visit,
        grid: GridId::parse("g1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: id("worker"),
        priority: Priority::Normal,
        due_at: None,
        created_at: 0,
    }
}

fn ev(at: i64, who: &str, role: Role, kind: EventKind) -> IssueEvent {
    IssueEvent::new(IssueId::parse("i1").unwrap(), at, id(who), role, kind, [at as u8; 10])
}

fn hand(at: i64, to: &str, due: Option<i64>) -> IssueEvent {
    ev(at, "secretary", Role::CommunitySecretary, EventKind::HandedOver { unit: unit(to), due })
}

/// Reported by the worker, escalated to the community.
fn at_community() -> Vec<IssueEvent> {
    vec![
        ev(1, "worker", Role::GridWorker, EventKind::Reported),
        ev(2, "worker", Role::GridWorker, EventKind::Escalated { to: EscalationLevel::Community, reason: why() }),
    ]
}

fn why() -> Reason {
    Reason::parse("需要区城管局协调").unwrap()
}

fn fold(events: &[IssueEvent]) -> IssueState {
    IssueState::fold(events).unwrap()
}

#[test]
fn handing_a_reported_issue_to_a_unit_takes_it_on_and_the_unit_resolves_it() {
    let mut h = at_community();
    h.push(hand(10, "cg", Some(10 * DAY)));
    let s = fold(&h);
    assert_eq!((s.status, s.taken_on), (Status::InProgress, true));
    assert_eq!(s.handed_to(), Some(&unit("cg")));
    h.push(ev(
        20,
        "cg-contact",
        Role::UnitContact,
        EventKind::HandoffReplied { text: CommentText::parse("收到,本周施工").unwrap() },
    ));
    h.push(ev(
        30,
        "cg-contact",
        Role::UnitContact,
        EventKind::Resolved { summary: Summary::parse("路面已翻修").unwrap() },
    ));
    let s = fold(&h);
    assert_eq!(s.status, Status::Resolved);
    let handoff = s.handoff.clone().unwrap();
    assert_eq!((handoff.replied_at, handoff.done_at, handoff.on_time()), (Some(20), Some(30), Some(true)));
    assert_eq!(s.handed_to(), None, "done: the unit has nothing left to do");
    h.push(ev(40, "secretary", Role::CommunitySecretary, EventKind::Verified { note: None }));
    let s = fold(&h);
    assert_eq!((s.status, s.closed_level), (Status::Closed, Some(EscalationLevel::Community)));
    assert!(s.handoff.is_some(), "kept for the on-time figures");
}

#[test]
fn a_unit_that_refuses_sends_the_issue_back_to_the_community_to_decide_again() {
    let mut h = at_community();
    h.push(hand(10, "school", None));
    h.push(ev(
        20,
        "school-contact",
        Role::UnitContact,
        EventKind::HandoffRefused { reason: Reason::parse("不属于学校管理范围").unwrap() },
    ));
    let s = fold(&h);
    assert_eq!((s.status, s.handoff.clone(), s.handoff_refusals, s.level_since), (Status::Accepted, None, 1, 20));
    let again = ev(
        30,
        "school-contact",
        Role::UnitContact,
        EventKind::HandoffReplied { text: CommentText::parse("补充").unwrap() },
    );
    assert_eq!(s.clone().apply(&again).unwrap_err(), TransitionError::NotHandedOver { action: Action::ReplyHandoff });
    assert_eq!(TransitionError::NotHandedOver { action: Action::ReplyHandoff }.code(), "not_handed_over");
}

#[test]
fn late_completion_is_not_on_time_and_assigning_a_person_replaces_the_unit() {
    let mut h = at_community();
    h.push(hand(10, "cg", Some(15)));
    h.push(ev(30, "cg-contact", Role::UnitContact, EventKind::Resolved { summary: Summary::parse("已修").unwrap() }));
    assert_eq!(fold(&h).handoff.unwrap().on_time(), Some(false));
    let mut h = at_community();
    h.push(hand(10, "cg", None));
    h.push(ev(11, "secretary", Role::CommunitySecretary, EventKind::Assigned { assignee: id("member") }));
    assert_eq!(fold(&h).handoff, None);
}

#[test]
fn dismissing_closes_without_a_resolution_and_reopening_clears_it() {
    let mut h = at_community();
    h.push(ev(
        10,
        "secretary",
        Role::CommunitySecretary,
        EventKind::Dismissed { reason: Reason::parse("属于私人产权纠纷,已告知走司法途径").unwrap() },
    ));
    let s = fold(&h);
    assert_eq!((s.status, s.dismissed, s.resolution.clone()), (Status::Closed, true, None));
    h.push(ev(20, "worker", Role::GridWorker, EventKind::Reopened { reason: why() }));
    assert!(!fold(&h).dismissed);
}

#[test]
fn only_the_contact_of_the_unit_holding_the_issue_answers_for_it() {
    let mut h = at_community();
    h.push(hand(10, "cg", None));
    let s = fold(&h);
    let contact = id("cg-contact");
    let cg = [unit("cg")];
    let other = [unit("school")];
    let mine = Acting { person: &contact, rungs: &[], units: &cg };
    let theirs = Acting { person: &contact, rungs: &[], units: &other };
    let reporter = id("worker");
    for action in [Action::ReplyHandoff, Action::RefuseHandoff, Action::Resolve] {
        assert!(may_take(action, mine, &reporter, &s), "{action:?}");
        assert!(!may_take(action, theirs, &reporter, &s), "{action:?}");
    }
    for action in [Action::HandOver, Action::Dismiss, Action::Verify, Action::Accept, Action::Escalate] {
        assert!(!may_take(action, mine, &reporter, &s), "a unit contact does not {action:?}");
    }
    let secretary = id("secretary");
    let community = [EscalationLevel::Community];
    let her = Acting { person: &secretary, rungs: &community, units: &[] };
    assert!(may_take(Action::HandOver, her, &reporter, &s) && may_take(Action::Dismiss, her, &reporter, &s));
    assert!(!may_take(Action::ReplyHandoff, her, &reporter, &s));
    let grid = [EscalationLevel::Grid];
    let worker = Acting { person: &reporter, rungs: &grid, units: &[] };
    assert!(!may_take(Action::HandOver, worker, &reporter, &s), "the grid rung does not hand a community issue");
}

#[test]
fn the_detail_screen_offers_the_unit_its_three_answers() {
    let mut h = at_community();
    h.push(hand(10, "cg", None));
    let s = fold(&h);
    let contact = Actor::new(id("cg-contact"), &[Role::UnitContact], Role::UnitContact).with_units(vec![unit("cg")]);
    let offered = allowed_actions(&contact, &issue(), &s, 50);
    assert_eq!(offered, [Action::ReplyHandoff, Action::Resolve, Action::RefuseHandoff, Action::Comment]);
    let secretary = Actor::new(id("secretary"), &[Role::CommunitySecretary], Role::CommunitySecretary);
    let offered = allowed_actions(&secretary, &issue(), &fold(&at_community()), 50);
    assert!(offered.contains(&Action::HandOver) && offered.contains(&Action::Dismiss), "{offered:?}");
}

#[test]
fn offline_the_unit_resolves_while_the_community_reassigns_and_the_later_step_is_a_conflict() {
    // The unit's contact resolves at t=30 on a phone without signal; the secretary, not
    // knowing, assigns a member at t=25. Every replica orders by time: the assignment
    // clears the hand-off, so the unit's resolution no longer holds and is kept as a
    // conflict, not silently applied.
    let mut h = at_community();
    h.push(hand(10, "cg", None));
    h.push(ev(25, "secretary", Role::CommunitySecretary, EventKind::Assigned { assignee: id("member") }));
    h.push(ev(30, "cg-contact", Role::UnitContact, EventKind::HandoffRefused { reason: why() }));
    let d = derive(&h);
    assert_eq!(d.state.assignee, Some(id("member")));
    assert_eq!(d.conflicts.len(), 1);
    assert_eq!(d.conflicts[0].1.code(), "not_handed_over");
    // Two offline hand-offs of one issue: the later one holds, both stay in the history.
    let mut h = at_community();
    h.push(hand(10, "cg", None));
    h.push(hand(12, "zj", Some(99)));
    let d = derive(&h);
    assert!(d.conflicts.is_empty());
    assert_eq!(d.state.handed_to(), Some(&unit("zj")));
}

#[test]
fn a_decision_event_names_its_meeting_and_old_events_read_without_one() {
    let e = hand(10, "cg", None).at_meeting(crate::MeetingId::parse("m1").unwrap());
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["meeting"], "m1");
    let plain = serde_json::to_value(hand(10, "cg", None)).unwrap();
    assert!(plain.get("meeting").is_none(), "absent, not null: events from before meetings read the same");
    let back: IssueEvent = serde_json::from_value(plain).unwrap();
    assert_eq!(back.meeting, None);
}
