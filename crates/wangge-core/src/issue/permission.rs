//! Who may take which step of an issue's life — the role rule, beside the state machine's
//! "may this step follow that one". The phone asks it to decide which buttons to offer;
//! the server asks it again for every event pushed, so a tampered client cannot act at a
//! rung its user does not handle.
//!
//! It is a separate question from the state machine on purpose: `derive` must fold any
//! history the same way on every replica, whoever wrote it, whereas this rule decides
//! whether an event is accepted into a history at all.

use super::{Action, IssueState};
use crate::grid::EscalationLevel;
use crate::{PersonId, UnitId};

/// The person acting, the rungs their roles handle issues at (`Role::handles_at`) and the
/// units they answer for (those naming them as `contact_person`).
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    /// Who acts.
    pub person: &'a PersonId,
    /// Rungs they handle (a community secretary who is also a grid worker has two).
    pub rungs: &'a [EscalationLevel],
    /// Units and departments whose contact they are.
    pub units: &'a [UnitId],
}

impl Acting<'_> {
    /// The issue is handed to a unit they answer for, which still has it to do.
    fn answers_for(&self, state: &IssueState) -> bool {
        state.handed_to().is_some_and(|u| self.units.contains(u))
    }

    fn handles(&self, level: EscalationLevel) -> bool {
        self.rungs.contains(&level)
    }

    fn above(&self, level: EscalationLevel) -> bool {
        self.rungs.iter().any(|r| *r > level)
    }
}

/// Whether `who` may take `action` on an issue reported by `reporter`, standing at `state`:
/// handling steps belong to whoever handles the issue's current rung; a higher rung may
/// verify, reopen and order supervision (督办); the reporter may report, resubmit, reopen,
/// record the resident's rating and alone may withdraw (撤回); the assignee may resolve;
/// anyone who sees the issue (scope is checked elsewhere) may comment. Handing to a unit
/// (交办) and closing as not actionable are handling steps; the contact of the unit an
/// issue is handed to replies, resolves or refuses it.
pub fn may_take(action: Action, who: Acting<'_>, reporter: &PersonId, state: &IssueState) -> bool {
    let here = who.handles(state.level);
    let above = who.above(state.level);
    let is_reporter = reporter == who.person;
    let assignee = state.assignee.as_ref() == Some(who.person);
    let unit = who.answers_for(state);
    match action {
        Action::Report => is_reporter,
        Action::Accept | Action::Assign | Action::Escalate | Action::Return => here,
        Action::HandOver => here,
        // Closing without doing anything is the community's call (or above), never a
        // grid worker's alone: "不予办理" is what residents complain about.
        Action::Dismiss => here && state.level >= EscalationLevel::Community,
        Action::ReplyHandoff | Action::RefuseHandoff => unit,
        Action::Resolve => here || assignee || unit,
        Action::Verify => here || above,
        Action::Reopen => here || above || is_reporter,
        Action::Resubmit => here || is_reporter,
        Action::Supervise => above,
        Action::Rate => here || above || is_reporter,
        Action::Comment => true,
        // Only the reporter takes back their own report; the state machine says when.
        Action::Withdraw => is_reporter,
    }
}

/// Whether `who` may edit the issue's own fields (title, category, priority, due date).
pub fn may_edit(who: Acting<'_>, reporter: &PersonId, state: &IssueState) -> bool {
    reporter == who.person || who.handles(state.level) || who.above(state.level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str) -> PersonId {
        PersonId::parse(id).unwrap()
    }

    fn at(level: EscalationLevel) -> IssueState {
        IssueState { level, ..IssueState::default() }
    }

    #[test]
    fn handling_steps_belong_to_the_rung_the_issue_stands_at() {
        let worker = person("worker");
        let grid = [EscalationLevel::Grid];
        let me = Acting { person: &worker, rungs: &grid, units: &[] };
        let reporter = person("someone-else");
        assert!(may_take(Action::Accept, me, &reporter, &at(EscalationLevel::Grid)));
        assert!(!may_take(Action::Accept, me, &reporter, &at(EscalationLevel::Community)));
        assert!(!may_take(Action::Supervise, me, &reporter, &at(EscalationLevel::Grid)));
        assert!(may_take(Action::Comment, me, &reporter, &at(EscalationLevel::District)));
        assert!(!may_take(Action::Report, me, &reporter, &at(EscalationLevel::Grid)));
    }

    #[test]
    fn a_higher_rung_verifies_and_supervises_and_the_reporter_resubmits() {
        let sec = person("secretary");
        let community = [EscalationLevel::Community];
        let her = Acting { person: &sec, rungs: &community, units: &[] };
        let grid_issue = at(EscalationLevel::Grid);
        assert!(may_take(Action::Verify, her, &person("w"), &grid_issue));
        assert!(may_take(Action::Supervise, her, &person("w"), &grid_issue));
        assert!(!may_take(Action::Accept, her, &person("w"), &grid_issue));
        let town_issue = at(EscalationLevel::Town);
        assert!(may_take(Action::Resubmit, her, &sec, &town_issue));
        assert!(!may_take(Action::Resubmit, her, &person("w"), &town_issue));
        assert!(!may_edit(her, &person("w"), &town_issue));
        assert!(may_edit(her, &sec, &town_issue));
    }
}
