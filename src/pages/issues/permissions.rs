//! Which issue actions a user may take now. Two questions, asked in this order:
//!
//! 1. **Does the state allow it?** Asked of the core: a probe event of that kind, by this
//!    user, is checked with `IssueState::check` — the same rule table that derives every
//!    history, so the screen can never offer a step the machine would refuse.
//! 2. **Does the user's role allow it?** The core knows which rung each role handles
//!    (`Role::handles_at`) but has no rule yet for who may take which step; the table in
//!    [`role_allows`] is that rule, built only from `handles_at`, until the core (and the
//!    server) carry one.

use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Action, EventKind, Issue, IssueEvent, IssueState, Satisfaction};
use wangge_core::people::Role;
use wangge_core::{CommentText, PersonId, Reason, Summary};

/// The acting user as the rules see them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub person: PersonId,
    pub role: Role,
    /// The rungs the user's roles handle issues at.
    pub rungs: Vec<EscalationLevel>,
}

impl Actor {
    pub fn new(person: PersonId, roles: &[Role], role: Role) -> Actor {
        Actor {
            person,
            role,
            rungs: roles.iter().filter_map(|r| r.handles_at()).collect(),
        }
    }

    fn handles(&self, level: EscalationLevel) -> bool {
        self.rungs.contains(&level)
    }

    fn above(&self, level: EscalationLevel) -> bool {
        self.rungs.iter().any(|r| *r > level)
    }
}

/// The actions offered on the detail screen, in the order a handler meets them.
pub const OFFERED: [Action; 11] = [
    Action::Accept,
    Action::Assign,
    Action::Resolve,
    Action::Verify,
    Action::Escalate,
    Action::Return,
    Action::Resubmit,
    Action::Reopen,
    Action::Supervise,
    Action::Rate,
    Action::Comment,
];

/// Actions both the state and the user's role allow now.
pub fn allowed_actions(actor: &Actor, issue: &Issue, state: &IssueState, now: i64) -> Vec<Action> {
    OFFERED
        .into_iter()
        .filter(|a| role_allows(*a, actor, issue, state))
        .filter(|a| {
            probe(*a, state).is_some_and(|kind| {
                let e = IssueEvent::new(
                    issue.id.clone(),
                    now,
                    actor.person.clone(),
                    actor.role,
                    kind,
                    [0; 10],
                );
                state.check(&e).is_ok()
            })
        })
        .collect()
}

/// Whether the user's role lets them take `action` on this issue where it stands:
/// handling steps belong to whoever handles the issue's current rung; a higher rung may
/// verify, reopen and order supervision (督办); the reporter may resubmit, reopen and record
/// the resident's rating; the assignee may resolve; anyone who sees it may comment.
pub fn role_allows(action: Action, actor: &Actor, issue: &Issue, state: &IssueState) -> bool {
    let here = actor.handles(state.level);
    let above = actor.above(state.level);
    let reporter = issue.reporter == actor.person;
    let assignee = state.assignee.as_ref() == Some(&actor.person);
    match action {
        Action::Report => false,
        Action::Accept | Action::Assign | Action::Escalate | Action::Return => here,
        Action::Resolve => here || assignee,
        Action::Verify => here || above,
        Action::Reopen => here || above || reporter,
        Action::Resubmit => here || reporter,
        Action::Supervise => above,
        Action::Rate => here || above || reporter,
        Action::Comment => true,
    }
}

/// Whether the user may edit the issue's own fields (title, category, priority, due date).
pub fn may_edit(actor: &Actor, issue: &Issue, state: &IssueState) -> bool {
    issue.reporter == actor.person || actor.handles(state.level) || actor.above(state.level)
}

/// A stand-in event of `action` with placeholder content, for asking the state machine.
fn probe(action: Action, state: &IssueState) -> Option<EventKind> {
    let reason = || Reason::parse("-").ok();
    let text = || CommentText::parse("-").ok();
    Some(match action {
        Action::Report => EventKind::Reported,
        Action::Accept => EventKind::Accepted,
        Action::Assign => EventKind::Assigned {
            assignee: PersonId::parse("probe").ok()?,
        },
        Action::Resolve => EventKind::Resolved {
            summary: Summary::parse("-").ok()?,
        },
        Action::Verify => EventKind::Verified { note: None },
        // Only the next rung is ever a valid target; at the top there is none.
        Action::Escalate => EventKind::Escalated {
            to: state.level.next()?,
            reason: reason()?,
        },
        Action::Return => EventKind::Returned { reason: reason()? },
        Action::Resubmit => EventKind::Resubmitted { note: None },
        Action::Reopen => EventKind::Reopened { reason: reason()? },
        Action::Comment => EventKind::Commented { text: text()? },
        Action::Supervise => EventKind::Supervised { note: text()? },
        Action::Rate => EventKind::Rated {
            score: Satisfaction::parse(5).ok()?,
            comment: None,
        },
    })
}
