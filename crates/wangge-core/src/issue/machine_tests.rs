//! Behaviour of the issue state machine, one rule per test.

use super::super::{derive, Action, EventKind, IssueEvent, IssueState, Status, TransitionError};
use crate::grid::EscalationLevel;
use crate::people::Role;
use crate::{CommentText, IssueId, PersonId, Reason, Summary};

use crate::issue::Satisfaction;

/// Builds events for one issue with increasing times.
struct Script {
    issue: IssueId,
    at: i64,
    n: u8,
}

impl Script {
    fn new() -> Script {
        Script { issue: IssueId::parse("issue-1").unwrap(), at: 0, n: 0 }
    }

    fn by(&mut self, who: &str, kind: EventKind) -> IssueEvent {
        self.at += 1000;
        self.n += 1;
        let actor = PersonId::parse(who).unwrap();
        IssueEvent::new(self.issue.clone(), self.at, actor, Role::GridWorker, kind, [self.n; 10])
    }

    fn ev(&mut self, kind: EventKind) -> IssueEvent {
        self.by("worker", kind)
    }
}

fn reason() -> Reason {
    Reason::parse("社区层面无法解决").unwrap()
}

fn escalate(to: EscalationLevel) -> EventKind {
    EventKind::Escalated { to, reason: reason() }
}

fn assign() -> EventKind {
    EventKind::Assigned { assignee: PersonId::parse("worker").unwrap() }
}

fn resolve() -> EventKind {
    EventKind::Resolved { summary: Summary::parse("已处理").unwrap() }
}

fn verify() -> EventKind {
    EventKind::Verified { note: None }
}

fn rate(score: i64) -> EventKind {
    EventKind::Rated { score: Satisfaction::parse(score).unwrap(), comment: None }
}

/// Reported → accepted → assigned → resolved by "worker".
fn resolved_history(s: &mut Script) -> Vec<IssueEvent> {
    vec![s.ev(EventKind::Reported), s.ev(EventKind::Accepted), s.ev(assign()), s.ev(resolve())]
}

fn state_of(events: &[IssueEvent]) -> IssueState {
    IssueState::fold(events).unwrap()
}

#[test]
fn the_happy_path_closes_at_the_grid() {
    let mut s = Script::new();
    let mut h = resolved_history(&mut s);
    h.push(s.by("secretary", verify()));
    let state = state_of(&h);
    assert_eq!(state.status, Status::Closed);
    assert_eq!(state.closed_level, Some(EscalationLevel::Grid));
    assert_eq!(state.resolved_by.as_ref().map(|p| p.as_str()), Some("worker"));
}

#[test]
fn verify_before_resolve_is_refused() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported), s.ev(EventKind::Accepted)]);
    let before = state.clone();
    assert_eq!(state.apply(&s.by("secretary", verify())), Err(TransitionError::NotResolved));
    assert_eq!(state, before, "a refused event leaves the state unchanged");
}

#[test]
fn resolving_a_closed_issue_is_refused() {
    let mut s = Script::new();
    let mut h = resolved_history(&mut s);
    h.push(s.by("secretary", verify()));
    let mut state = state_of(&h);
    let err = state.apply(&s.ev(resolve())).unwrap_err();
    assert_eq!(err, TransitionError::AlreadyClosed { action: Action::Resolve });
    assert!(err.message_zh().contains("重新打开"));
}

#[test]
fn the_resolver_cannot_verify_their_own_work() {
    let mut s = Script::new();
    let mut state = state_of(&resolved_history(&mut s));
    assert_eq!(state.apply(&s.ev(verify())), Err(TransitionError::VerifierIsResolver));
}

#[test]
fn escalation_climbs_one_rung_at_a_time_up_to_the_district() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported)]);
    for to in [EscalationLevel::Community, EscalationLevel::Town, EscalationLevel::District] {
        state.apply(&s.ev(escalate(to))).unwrap();
        assert_eq!((state.level, state.status), (to, Status::Reported));
    }
    assert_eq!(state.escalations, 3);
    let err = state.apply(&s.ev(escalate(EscalationLevel::District))).unwrap_err();
    assert_eq!(err, TransitionError::AboveDistrict);
    assert_eq!(err.code(), "above_district");
}

#[test]
fn escalating_past_a_rung_is_refused() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported)]);
    let err = state.apply(&s.ev(escalate(EscalationLevel::Town))).unwrap_err();
    assert_eq!(
        err,
        TransitionError::EscalationTargetMismatch { from: EscalationLevel::Grid, to: EscalationLevel::Town }
    );
}

#[test]
fn the_level_an_issue_is_closed_at_is_recorded() {
    let mut s = Script::new();
    let h = vec![
        s.ev(EventKind::Reported),
        s.ev(escalate(EscalationLevel::Community)),
        s.by("secretary", EventKind::Accepted),
        s.by("secretary", assign()),
        s.ev(resolve()),
        s.by("secretary", verify()),
    ];
    assert_eq!(state_of(&h).closed_level, Some(EscalationLevel::Community));
}

#[test]
fn satisfaction_before_close_is_refused_and_allowed_once_after() {
    let mut s = Script::new();
    let mut state = state_of(&resolved_history(&mut s));
    assert_eq!(state.apply(&s.ev(rate(5))), Err(TransitionError::NotClosed));
    state.apply(&s.by("secretary", verify())).unwrap();
    state.apply(&s.ev(rate(4))).unwrap();
    assert_eq!(state.rating.as_ref().unwrap().score.score(), 4);
    assert_eq!(state.apply(&s.ev(rate(5))), Err(TransitionError::AlreadyRated));
}

#[test]
fn returning_from_the_grid_goes_to_the_reporter_who_resubmits() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported)]);
    state.apply(&s.ev(EventKind::Returned { reason: reason() })).unwrap();
    assert_eq!(state.status, Status::Returned);
    let err = state.apply(&s.ev(EventKind::Accepted)).unwrap_err();
    assert_eq!(err, TransitionError::ReturnedToReporter { action: Action::Accept });
    state.apply(&s.ev(EventKind::Resubmitted { note: None })).unwrap();
    assert_eq!(state.status, Status::Reported);
}

#[test]
fn returning_from_the_community_goes_one_rung_down() {
    let mut s = Script::new();
    let h = [s.ev(EventKind::Reported), s.ev(escalate(EscalationLevel::Community))];
    let mut state = state_of(&h);
    state.apply(&s.by("secretary", EventKind::Returned { reason: reason() })).unwrap();
    assert_eq!((state.level, state.status), (EscalationLevel::Grid, Status::Reported));
}

#[test]
fn reopening_a_closed_issue_hands_it_back_to_its_handler() {
    let mut s = Script::new();
    let mut h = resolved_history(&mut s);
    h.push(s.by("secretary", verify()));
    h.push(s.ev(rate(2)));
    let mut state = state_of(&h);
    state.apply(&s.ev(EventKind::Reopened { reason: reason() })).unwrap();
    assert_eq!(state.status, Status::InProgress);
    assert!(state.assignee.is_some() && state.rating.is_none() && state.closed_level.is_none());
    let err = state.apply(&s.ev(EventKind::Reopened { reason: reason() })).unwrap_err();
    assert_eq!(err, TransitionError::NothingToReopen { status: Status::InProgress });
}

#[test]
fn comments_are_allowed_in_any_state_after_the_report() {
    let mut s = Script::new();
    let comment = || EventKind::Commented { text: CommentText::parse("已电话回访").unwrap() };
    let mut state = IssueState::default();
    let err = state.apply(&s.ev(comment())).unwrap_err();
    assert_eq!(err, TransitionError::NotYetReported { action: Action::Comment });
    let mut h = resolved_history(&mut s);
    h.push(s.by("secretary", verify()));
    for e in h {
        state.apply(&e).unwrap();
        state.apply(&s.ev(comment())).unwrap();
    }
    assert_eq!(state.comments, 5);
}

#[test]
fn assigning_before_accepting_is_refused() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported)]);
    let err = state.apply(&s.ev(assign())).unwrap_err();
    assert_eq!(err, TransitionError::NotAccepted { action: Action::Assign });
    assert_eq!(err.message_en(), "Accept the issue before you assign");
}

#[test]
fn resolving_with_nobody_assigned_is_refused() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported), s.ev(EventKind::Accepted)]);
    assert_eq!(state.apply(&s.ev(resolve())), Err(TransitionError::NoAssignee));
}

#[test]
fn a_second_report_and_an_event_of_another_issue_are_refused() {
    let mut s = Script::new();
    let mut state = state_of(&[s.ev(EventKind::Reported)]);
    assert_eq!(state.apply(&s.ev(EventKind::Reported)), Err(TransitionError::AlreadyReported));
    let mut other = s.ev(EventKind::Accepted);
    other.issue = IssueId::parse("issue-2").unwrap();
    assert_eq!(state.apply(&other), Err(TransitionError::WrongIssue));
}

#[test]
fn concurrent_resolve_and_escalate_keep_both_and_flag_the_later() {
    let mut s = Script::new();
    let mut h = vec![s.ev(EventKind::Reported), s.ev(EventKind::Accepted), s.ev(assign())];
    let resolved = s.ev(resolve());
    let escalated = s.by("other-phone", escalate(EscalationLevel::Community));
    h.push(escalated.clone());
    h.push(resolved.clone());
    let d = derive(&h);
    assert_eq!(d.applied.len() + d.conflicts.len(), h.len());
    assert_eq!(d.state.status, Status::Resolved);
    assert_eq!(d.conflicts.len(), 1);
    assert_eq!(d.conflicts[0].0, escalated.id);
    assert_eq!(d.conflicts[0].1, TransitionError::AwaitingVerification { action: Action::Escalate });
}

#[test]
fn a_repeated_event_is_a_conflict_not_applied_twice() {
    let mut s = Script::new();
    let h = vec![s.ev(EventKind::Reported), s.ev(EventKind::Accepted)];
    let mut doubled = h.clone();
    doubled.push(h[1].clone());
    let d = derive(&doubled);
    assert_eq!(d.state, state_of(&h));
    assert_eq!(d.conflicts, vec![(h[1].id.clone(), TransitionError::DuplicateEvent)]);
}

#[test]
fn events_serialise_with_a_type_tag() {
    let mut s = Script::new();
    let e = s.ev(escalate(EscalationLevel::Community));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["kind"]["type"], "escalated");
    assert_eq!(json["kind"]["to"], "community");
    assert_eq!(serde_json::from_value::<IssueEvent>(json).unwrap(), e);
}

#[test]
fn staff_reports_start_at_their_own_rung_and_can_be_accepted_there() {
    let mut s = Script::new();
    let mut reported = s.by("secretary", EventKind::Reported);
    reported.actor_role = Role::CommunitySecretary;
    let mut accepted = s.by("secretary", EventKind::Accepted);
    accepted.actor_role = Role::CommunitySecretary;
    let d = derive(&[reported.clone(), accepted]);
    assert_eq!(d.state.level, EscalationLevel::Community);
    assert_eq!(d.state.status, Status::Accepted);
    assert!(d.conflicts.is_empty());

    // A red steward has no rung of their own: the report goes to the grid.
    let mut steward = reported;
    steward.actor_role = Role::RedSteward;
    assert_eq!(derive(&[steward]).state.level, EscalationLevel::Grid);
}

fn withdraw() -> EventKind {
    EventKind::Withdrawn { reason: Reason::parse("与已上报的问题重复").unwrap() }
}

#[test]
fn a_report_not_yet_accepted_is_withdrawn_and_stays_with_its_history() {
    let mut s = Script::new();
    let history = vec![s.ev(EventKind::Reported), s.ev(withdraw())];
    let state = IssueState::fold(&history).unwrap();
    assert_eq!(state.status, Status::Withdrawn);
    assert!(!state.status.is_open() && !state.status.is_pending(), "no longer anyone's work");
    assert_eq!(state.last_reason.as_ref().map(|r| r.as_str()), Some("与已上报的问题重复"));
    // Only a comment may follow.
    assert!(state.clone().apply(&s.ev(EventKind::Commented { text: CommentText::parse("已合并").unwrap() })).is_ok());
    let err = state.clone().apply(&s.ev(EventKind::Accepted)).unwrap_err();
    assert_eq!(err, TransitionError::IssueWithdrawn { action: Action::Accept });
    assert_eq!(state.clone().apply(&s.ev(withdraw())).unwrap_err().code(), "issue_withdrawn");
}

#[test]
fn once_accepted_an_issue_can_no_longer_be_withdrawn_even_after_it_moved_on() {
    let mut s = Script::new();
    let accepted = vec![s.ev(EventKind::Reported), s.ev(EventKind::Accepted)];
    let state = IssueState::fold(&accepted).unwrap();
    assert_eq!(state.clone().apply(&s.ev(withdraw())).unwrap_err(), TransitionError::AlreadyTakenOn);
    // Accepted, then escalated: "reported" again at the community, but taken on before.
    let mut up = accepted.clone();
    up.push(s.ev(escalate(EscalationLevel::Community)));
    let state = IssueState::fold(&up).unwrap();
    assert_eq!(state.status, Status::Reported);
    assert_eq!(state.clone().apply(&s.ev(withdraw())).unwrap_err(), TransitionError::AlreadyTakenOn);
    // Returned to its reporter without anyone accepting it: still the reporter's to withdraw.
    let mut s = Script::new();
    let returned = vec![s.ev(EventKind::Reported), s.ev(EventKind::Returned { reason: reason() })];
    let state = IssueState::fold(&returned).unwrap();
    assert_eq!(state.status, Status::Returned);
    assert!(state.clone().apply(&s.ev(withdraw())).is_ok());
}

#[test]
fn a_withdrawal_racing_an_acceptance_keeps_both_and_reports_the_later_one() {
    // Offline: the reporter withdraws while the grid accepts. Whichever came later does
    // not hold and is reported as a conflict; nothing is dropped.
    let mut s = Script::new();
    let reported = s.ev(EventKind::Reported);
    let accept = s.ev(EventKind::Accepted);
    let withdrawn = s.ev(withdraw());
    let derived = derive(&[reported, accept, withdrawn.clone()]);
    assert_eq!(derived.state.status, Status::Accepted);
    assert_eq!(derived.conflicts.len(), 1);
    assert_eq!(derived.conflicts[0].0, withdrawn.id);
}
