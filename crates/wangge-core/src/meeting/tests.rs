//! Meetings: the keyed fields round trip, decisions become checked issue steps, the agenda
//! is drawn in the order the committee goes through it, and the follow-up reads it back.

use serde_json::json;

use super::*;
use crate::grid::{EscalationLevel, GridLevel, GridTree};
use crate::issue::{Actor, Category, Deadlines, EventKind, Issue, IssueEvent, IssueState, Priority, Source, Status};
use crate::people::Role;
use crate::{Description, IssueId, IssueTitle, Reason};

const DAY: i64 = 86_400_000;

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn iid(s: &str) -> IssueId {
    IssueId::parse(s).unwrap()
}

fn decision(outcome: Outcome) -> Decision {
    Decision { outcome, person: None, unit: None, due: None, note: None, by: pid("sec"), at: 100 }
}

fn issue(id: &str, grid: &str) -> Issue {
    Issue {
        id: iid(id),
        title: IssueTitle::parse("树枝太高影响采光").unwrap(),
        description: Description::parse("").unwrap(),
        category: Category::Environment,
        source: Source::Visit,
        grid: GridId::parse(grid).unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: pid("worker"),
        priority: Priority::Normal,
        due_at: None,
        created_at: 0,
    }
}

/// An issue reported at `at` by the grid worker and escalated to the community.
fn at_community(id: &str, at: i64) -> IssueState {
    let e = |n: i64, kind| IssueEvent::new(iid(id), at + n, pid("worker"), Role::GridWorker, kind, [n as u8; 10]);
    let to = EscalationLevel::Community;
    IssueState::fold(&[e(0, EventKind::Reported), e(1, EventKind::Escalated { to, reason: reason("社区协调") })])
        .unwrap()
}

fn reason(s: &str) -> Reason {
    Reason::parse(s).unwrap()
}

fn secretary() -> Actor {
    Actor::new(pid("sec"), &[Role::CommunitySecretary], Role::CommunitySecretary)
}

#[test]
fn attendees_and_items_are_fields_of_their_own_and_round_trip() {
    let fields = json!({"id": "m1", "kind": "joint_meeting", "grid": "c1", "held_at": 5, "place": "会议室",
        "recorder": "sec", "closed": false, "attendee:fs": "present", "attendee:police": "excused",
        "item:i2": {"position": 2, "source": "by_hand"},
        "item:i1": {"position": 1, "source": "issue_list", "decision": {"outcome": "hold", "by": "sec", "at": 9}}});
    let m: Meeting = serde_json::from_value(fields.clone()).unwrap();
    assert_eq!(m.entries.attendees[&pid("fs")], Attendance::Present);
    assert_eq!(m.present().count(), 1);
    let order: Vec<&str> = m.items_in_order().iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(order, ["i1", "i2"]);
    assert_eq!(m.decided(), 1);
    assert_eq!(serde_json::to_value(&m).unwrap(), fields);
    let mut bad = fields;
    bad["mood"] = json!("good");
    assert!(serde_json::from_value::<Meeting>(bad).is_err(), "an unknown field is refused");
}

#[test]
fn each_outcome_becomes_the_steps_it_means() {
    let reported = at_community("i1", 0);
    let kinds = |d: &Decision| -> Vec<&'static str> {
        decision_steps(d, &reported).unwrap().iter().map(|k| k.action().code()).collect()
    };
    assert_eq!(kinds(&decision(Outcome::Community)), ["accept", "comment"]);
    let member = Decision { person: Some(pid("fs")), ..decision(Outcome::AssignMember) };
    assert_eq!(kinds(&member), ["accept", "assign"]);
    let unit =
        Decision { unit: Some(UnitId::parse("cg").unwrap()), due: Some(7 * DAY), ..decision(Outcome::HandToUnit) };
    assert_eq!(kinds(&unit), ["hand_over"]);
    assert_eq!(kinds(&decision(Outcome::Hold)), ["comment"]);
    let with_reason = |o| Decision { note: CommentText::parse("需区里统筹资金").ok(), ..decision(o) };
    assert_eq!(kinds(&with_reason(Outcome::Escalate)), ["escalate"]);
    assert_eq!(kinds(&with_reason(Outcome::Dismiss)), ["dismiss"]);
    assert_eq!(
        decision_steps(&decision(Outcome::Escalate), &reported),
        Err(DecisionError::NoReason(Outcome::Escalate))
    );
    assert_eq!(decision_steps(&decision(Outcome::HandToUnit), &reported), Err(DecisionError::NoUnit));
    assert_eq!(decision_steps(&decision(Outcome::AssignMember), &reported).unwrap_err().code(), "decision_no_member");
}

#[test]
fn a_planned_decision_is_checked_step_by_step_and_names_the_meeting() {
    let state = at_community("i1", 0);
    let meeting = MeetingId::parse("m1").unwrap();
    let unit = Decision { unit: Some(UnitId::parse("cg").unwrap()), ..decision(Outcome::HandToUnit) };
    let mut n = 0;
    let mut random = || {
        n += 1;
        [n; 10]
    };
    let events = plan_decision(&secretary(), &issue("i1", "c1"), &state, &unit, &meeting, 1_000, &mut random).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].meeting, Some(meeting.clone()));
    let member = Decision { person: Some(pid("fs")), ..decision(Outcome::AssignMember) };
    let events =
        plan_decision(&secretary(), &issue("i1", "c1"), &state, &member, &meeting, 1_000, &mut random).unwrap();
    assert!(events[0].at < events[1].at, "kept in order");
    // A grid worker cannot decide for the community rung.
    let worker = Actor::new(pid("worker"), &[Role::GridWorker], Role::GridWorker);
    let err = plan_decision(&worker, &issue("i1", "c1"), &state, &unit, &meeting, 1_000, &mut random).unwrap_err();
    assert_eq!(err, DecisionError::NotAllowed(crate::issue::Action::HandOver));
    // An issue closed meanwhile refuses the decision with the state machine's reason.
    let dismissed = Decision { note: CommentText::parse("重复问题").ok(), ..decision(Outcome::Dismiss) };
    let events =
        plan_decision(&secretary(), &issue("i1", "c1"), &state, &dismissed, &meeting, 1_000, &mut random).unwrap();
    let mut closed = state.clone();
    closed.apply(&events[0]).unwrap();
    let err =
        plan_decision(&secretary(), &issue("i1", "c1"), &closed, &unit, &meeting, 2_000, &mut random).unwrap_err();
    assert_eq!(err.code(), "already_closed");
    assert!(err.message_zh().contains("已结案"));
}

fn tree() -> GridTree {
    crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("c1", GridLevel::Community, Some("town")),
        ("c1-g1", GridLevel::Group, Some("c1")),
        ("c2", GridLevel::Community, Some("town")),
    ])
}

#[test]
fn the_agenda_is_the_communitys_open_list_supervised_and_overdue_first() {
    let now = 60 * DAY;
    let old = issue("old", "c1-g1");
    let old_state = at_community("old", 0);
    let recent = issue("recent", "c1-g1");
    let recent_state = at_community("recent", now - DAY);
    let supervised = issue("sup", "c1");
    let sup_state = IssueState { supervised: true, ..at_community("sup", now - DAY) };
    let elsewhere = issue("c2-issue", "c2");
    let elsewhere_state = at_community("c2-issue", 0);
    let at_grid = issue("grid", "c1-g1");
    let at_grid_state = IssueState { level: EscalationLevel::Grid, ..at_community("grid", 0) };
    let closed = issue("closed", "c1-g1");
    let closed_state = IssueState { status: Status::Closed, ..at_community("closed", 0) };
    let list = [
        (&recent, &recent_state),
        (&old, &old_state),
        (&elsewhere, &elsewhere_state),
        (&supervised, &sup_state),
        (&at_grid, &at_grid_state),
        (&closed, &closed_state),
    ];
    let c1 = GridId::parse("c1").unwrap();
    let ids = agenda(&c1, &tree(), &list, &Deadlines::default(), now);
    assert_eq!(ids, [iid("sup"), iid("old"), iid("recent")]);
}

#[test]
fn the_follow_up_says_what_became_of_each_decision() {
    let item = |position, d: Option<Decision>| AgendaItem {
        position,
        source: ItemSource::IssueList,
        decision: d,
        removed: false,
        photos: Vec::new(),
    };
    let mut earlier: Meeting = serde_json::from_value(json!({"id": "m0", "kind": "joint_meeting", "grid": "c1",
        "held_at": 0, "place": "会议室", "recorder": "sec"}))
    .unwrap();
    earlier.entries.items.insert(iid("a"), item(1, Some(decision(Outcome::Community))));
    earlier.entries.items.insert(iid("b"), item(2, None));
    earlier.entries.items.insert(iid("c"), AgendaItem { removed: true, ..item(3, None) });
    assert!(!earlier.on_agenda(&iid("c")) && earlier.on_agenda(&iid("b")));
    assert_eq!(earlier.agenda_len(), 2, "an item taken off the agenda is not followed up");
    let done = IssueState { status: Status::Closed, ..IssueState::default() };
    let rows = follow_up(&earlier, |id| (id.as_str() == "a").then(|| done.clone()), 10);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].outcome, rows[0].done), (Some(Outcome::Community), true));
    assert_eq!((rows[1].outcome, rows[1].status, rows[1].done), (None, None, false));
}

#[test]
fn an_item_keeps_its_photos_and_the_record_type_refuses_a_tenth() {
    use crate::record_type::describe;
    use crate::sync::Collection;
    let photo = json!({"hash": "a".repeat(64), "thumb": "b".repeat(64), "stage": "before", "taken_at": 5});
    let mut fields = json!({"id": "m1", "kind": "on_site_office", "grid": "c1", "held_at": 0, "place": "3号楼",
        "recorder": "sec", "item:i1": {"position": 1, "source": "by_hand", "photos": [photo]},
        "item:i2": {"position": 2, "source": "by_hand"}});
    let m: Meeting = serde_json::from_value(fields.clone()).unwrap();
    assert_eq!(m.entries.items[&iid("i1")].photos.len(), 1);
    let back = serde_json::to_value(&m).unwrap();
    assert_eq!(back["item:i1"]["photos"][0]["stage"], "before");
    assert!(back["item:i2"].get("photos").is_none(), "no photos, no field: older items read unchanged");
    let as_fields = |v: &serde_json::Value| v.as_object().unwrap().clone();
    assert!(describe(Collection::Meetings).validate("m1", &as_fields(&fields)).is_ok());
    fields["item:i2"]["photos"] = serde_json::Value::Array(vec![photo; 10]);
    let e = describe(Collection::Meetings).validate("m1", &as_fields(&fields)).unwrap_err();
    assert_eq!(e.code(), "too_many_photos");
}
