//! Which issue actions a user may take now, as the detail screen offers them. Two
//! questions, asked in this order:
//!
//! 1. **Does the state allow it?** A probe event of that kind, by this user, is checked
//!    with [`IssueState::check`] — the same rule table that derives every history, so the
//!    screen can never offer a step the machine would refuse.
//! 2. **Does the user's role allow it?** Asked of [`may_take`], the rule the server
//!    enforces again on every pushed event.
//!
//! Pure and native so it is tested here, not only in the browser.

use super::{may_take, Acting, Action, EventKind, Issue, IssueEvent, IssueState, Satisfaction};
use crate::grid::EscalationLevel;
use crate::people::Role;
use crate::{CommentText, PersonId, Reason, Summary, UnitId};

/// The acting user as the rules see them.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Who acts.
    pub person: PersonId,
    /// The role they act in here (recorded on the event).
    pub role: Role,
    /// The rungs the user's roles handle issues at.
    pub rungs: Vec<EscalationLevel>,
    /// The units and departments the user is the contact of.
    pub units: Vec<UnitId>,
}

impl Actor {
    /// The user `person` holding `roles`, acting as `role`, answering for no unit.
    pub fn new(person: PersonId, roles: &[Role], role: Role) -> Actor {
        Actor { person, role, rungs: roles.iter().filter_map(|r| r.handles_at()).collect(), units: Vec::new() }
    }

    /// The same user, answering for `units` (those naming them as contact).
    pub fn with_units(self, units: Vec<UnitId>) -> Actor {
        Actor { units, ..self }
    }

    fn acting(&self) -> Acting<'_> {
        Acting { person: &self.person, rungs: &self.rungs, units: &self.units }
    }
}

/// The actions offered on the detail screen, in the order a handler meets them.
pub const OFFERED: [Action; 16] = [
    Action::Accept,
    Action::Assign,
    Action::HandOver,
    Action::ReplyHandoff,
    Action::Resolve,
    Action::RefuseHandoff,
    Action::Verify,
    Action::Escalate,
    Action::Return,
    Action::Resubmit,
    Action::Reopen,
    Action::Supervise,
    Action::Rate,
    Action::Comment,
    Action::Dismiss,
    // Last: the reporter's way back from a report made by mistake, rarely needed.
    Action::Withdraw,
];

/// Actions both the state and the user's role allow now.
pub fn allowed_actions(actor: &Actor, issue: &Issue, state: &IssueState, now: i64) -> Vec<Action> {
    OFFERED
        .into_iter()
        .filter(|a| role_allows(*a, actor, issue, state))
        .filter(|a| {
            probe(*a, state).is_some_and(|kind| {
                let e = IssueEvent::new(issue.id.clone(), now, actor.person.clone(), actor.role, kind, [0; 10]);
                state.check(&e).is_ok()
            })
        })
        .collect()
}

/// Whether the user's role lets them take `action` on this issue where it stands: the
/// core's rule, the same one the server enforces on every pushed event.
pub fn role_allows(action: Action, actor: &Actor, issue: &Issue, state: &IssueState) -> bool {
    may_take(action, actor.acting(), &issue.reporter, state)
}

/// Whether the user may edit the issue's own fields (title, category, priority, due date).
pub fn may_edit_issue(actor: &Actor, issue: &Issue, state: &IssueState) -> bool {
    super::may_edit(actor.acting(), &issue.reporter, state)
}

/// A stand-in event of `action` with placeholder content, for asking the state machine.
fn probe(action: Action, state: &IssueState) -> Option<EventKind> {
    let reason = || Reason::parse("-").ok();
    let text = || CommentText::parse("-").ok();
    Some(match action {
        Action::Report => EventKind::Reported,
        Action::Accept => EventKind::Accepted,
        Action::Assign => EventKind::Assigned { assignee: PersonId::parse("probe").ok()? },
        Action::Resolve => EventKind::Resolved { summary: Summary::parse("-").ok()? },
        Action::Verify => EventKind::Verified { note: None },
        // Only the next rung is ever a valid target; at the top there is none.
        Action::Escalate => EventKind::Escalated { to: state.level.next()?, reason: reason()? },
        Action::Return => EventKind::Returned { reason: reason()? },
        Action::Resubmit => EventKind::Resubmitted { note: None },
        Action::Reopen => EventKind::Reopened { reason: reason()? },
        Action::Comment => EventKind::Commented { text: text()? },
        Action::Supervise => EventKind::Supervised { note: text()? },
        Action::Rate => EventKind::Rated { score: Satisfaction::parse(5).ok()?, comment: None },
        Action::Withdraw => EventKind::Withdrawn { reason: reason()? },
        Action::HandOver => EventKind::HandedOver { unit: UnitId::parse("probe").ok()?, due: None },
        Action::ReplyHandoff => EventKind::HandoffReplied { text: text()? },
        Action::RefuseHandoff => EventKind::HandoffRefused { reason: reason()? },
        Action::Dismiss => EventKind::Dismissed { reason: reason()? },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{Category, Priority, Source};
    use crate::{Description, GridId, IssueId, IssueTitle};

    const WORKER: &str = "worker";

    fn issue() -> Issue {
        Issue {
            id: IssueId::parse("i1").unwrap(),
            title: IssueTitle::parse("楼道灯不亮").unwrap(),
            description: Description::parse("").unwrap(),
            category: Category::Safety,
            source: Source::Visit,
            grid: GridId::parse("g1").unwrap(),
            household: None,
            unit: None,
            location: None,
            reporter: PersonId::parse(WORKER).unwrap(),
            priority: Priority::Normal,
            due_at: None,
            created_at: 0,
        }
    }

    fn state_after(kinds: Vec<EventKind>) -> IssueState {
        let mut s = IssueState::default();
        for (n, kind) in std::iter::once(EventKind::Reported).chain(kinds).enumerate() {
            let who = PersonId::parse(WORKER).unwrap();
            let e = IssueEvent::new(issue().id, n as i64, who, Role::GridWorker, kind, [n as u8; 10]);
            s.apply(&e).unwrap();
        }
        s
    }

    fn actor(id: &str, role: Role) -> Actor {
        Actor::new(PersonId::parse(id).unwrap(), &[role], role)
    }

    #[test]
    fn the_grid_worker_handles_a_new_issue_at_the_grid() {
        let allowed = allowed_actions(&actor(WORKER, Role::GridWorker), &issue(), &state_after(vec![]), 10);
        // A grid worker may hand a grid issue to a unit (the building's property firm), but
        // closing one as not actionable is for the community.
        let expected =
            [Action::Accept, Action::HandOver, Action::Escalate, Action::Return, Action::Comment, Action::Withdraw];
        assert_eq!(allowed, expected);
    }

    #[test]
    fn the_community_may_supervise_but_not_handle_a_grid_issue() {
        let secretary = actor("sec", Role::CommunitySecretary);
        let allowed = allowed_actions(&secretary, &issue(), &state_after(vec![]), 10);
        assert_eq!(allowed, vec![Action::Supervise, Action::Comment]);
    }

    #[test]
    fn after_escalation_the_worker_can_only_comment_or_withdraw_and_the_secretary_handles_it() {
        let up = state_after(vec![EventKind::Escalated {
            to: EscalationLevel::Community,
            reason: Reason::parse("需社区协调").unwrap(),
        }]);
        let worker = actor(WORKER, Role::GridWorker);
        // Nobody has accepted it yet, so the reporter may still take it back.
        assert_eq!(allowed_actions(&worker, &issue(), &up, 10), vec![Action::Comment, Action::Withdraw]);
        let secretary = actor("sec", Role::CommunitySecretary);
        let allowed = allowed_actions(&secretary, &issue(), &up, 10);
        assert!(allowed.contains(&Action::Accept) && allowed.contains(&Action::Escalate));
        assert!(!allowed.contains(&Action::Supervise), "nobody supervises their own rung");
    }

    #[test]
    fn the_resolver_is_not_offered_verification_but_another_handler_is() {
        let resolved = state_after(vec![
            EventKind::Accepted,
            EventKind::Assigned { assignee: PersonId::parse(WORKER).unwrap() },
            EventKind::Resolved { summary: Summary::parse("已更换灯泡").unwrap() },
        ]);
        let worker = actor(WORKER, Role::GridWorker);
        assert!(!allowed_actions(&worker, &issue(), &resolved, 10).contains(&Action::Verify));
        let colleague = actor("other-worker", Role::GridWorker);
        assert!(allowed_actions(&colleague, &issue(), &resolved, 10).contains(&Action::Verify));
        assert!(
            !allowed_actions(&worker, &issue(), &resolved, 10).contains(&Action::Withdraw),
            "taken on: the reporter can no longer withdraw"
        );
    }

    #[test]
    fn only_the_reporter_is_offered_withdrawal() {
        let fresh = state_after(vec![]);
        let colleague = actor("other-worker", Role::GridWorker);
        assert!(!allowed_actions(&colleague, &issue(), &fresh, 10).contains(&Action::Withdraw));
    }

    #[test]
    fn an_escalated_issue_is_edited_by_its_reporter_and_the_new_rung_not_a_colleague() {
        let up = state_after(vec![EventKind::Escalated {
            to: EscalationLevel::Community,
            reason: Reason::parse("需社区协调").unwrap(),
        }]);
        assert!(may_edit_issue(&actor(WORKER, Role::GridWorker), &issue(), &up));
        assert!(may_edit_issue(&actor("sec", Role::CommunitySecretary), &issue(), &up));
        assert!(!may_edit_issue(&actor("other-worker", Role::GridWorker), &issue(), &up));
    }
}
