//! The issue state machine: the one place that decides which step may follow which.
//!
//! ```text
//! reported ─accept─▶ accepted ─assign─▶ in progress ─resolve─▶ resolved ─verify─▶ closed
//!    ▲  │ escalate (next rung, back to "reported")        ▲          │ reopen      │ rate (once)
//!    │  │ return (one rung down, or to the reporter)      └──────────┴─────────────┘
//! resubmit ◀── returned (at the grid rung)
//! comments: any time after the report
//! withdraw: the reporter, while reported or returned and never accepted ─▶ withdrawn
//! hand over (交办) to a unit: from reported, accepted or in progress ─▶ in progress,
//!   handled by the unit: it replies, resolves (─▶ resolved) or refuses (─▶ accepted)
//! dismiss (不予办理): from reported, accepted or in progress ─▶ closed, nothing done
//! ```
//!
//! Folding a history into a state:
//!
//! ```
//! use wangge_core::issue::{EventKind, IssueEvent, IssueState, Status};
//! use wangge_core::grid::EscalationLevel;
//! use wangge_core::people::Role;
//! use wangge_core::{IssueId, PersonId, Reason, Summary};
//!
//! let issue = IssueId::parse("01HZX3YB1D0000000000000000").unwrap();
//! let worker = PersonId::parse("demo-worker").unwrap();
//! let secretary = PersonId::parse("demo-secretary").unwrap();
//! let mut n = 0u8;
//! let mut event = |at, who: &PersonId, role, kind| {
//!     n += 1;
//!     IssueEvent::new(issue.clone(), at, who.clone(), role, kind, [n; 10])
//! };
//! let history = vec![
//!     event(1_000, &worker, Role::GridWorker, EventKind::Reported),
//!     event(2_000, &worker, Role::GridWorker, EventKind::Escalated {
//!         to: EscalationLevel::Community,
//!         reason: Reason::parse("树枝太高,需要园林部门修剪").unwrap(),
//!     }),
//!     event(3_000, &secretary, Role::CommunitySecretary, EventKind::Accepted),
//!     event(4_000, &secretary, Role::CommunitySecretary, EventKind::Assigned { assignee: worker.clone() }),
//!     event(5_000, &worker, Role::GridWorker, EventKind::Resolved {
//!         summary: Summary::parse("已修剪,采光恢复").unwrap(),
//!     }),
//!     event(6_000, &secretary, Role::CommunitySecretary, EventKind::Verified { note: None }),
//! ];
//! let state = IssueState::fold(&history).unwrap();
//! assert_eq!(state.status, Status::Closed);
//! assert_eq!(state.closed_level, Some(EscalationLevel::Community));
//! assert_eq!(state.time_to_close(), Some(5_000));
//!
//! // Verifying again is refused, with a reason the worker can read.
//! let again = event(7_000, &secretary, Role::CommunitySecretary, EventKind::Verified { note: None });
//! let err = state.clone().apply(&again).unwrap_err();
//! assert_eq!(err.code(), "already_closed");
//! ```

use super::{EventKind, Handoff, IssueEvent, IssueState, Rating, Status, TransitionError};
use crate::grid::EscalationLevel;
use crate::{EventId, PersonId};

use Status as S;
use TransitionError as E;

impl IssueState {
    /// Folds a history, in the order given, from the empty state. Stops at the first event
    /// that does not hold and returns its id with the reason. (To merge histories from
    /// several devices, which may disagree, use [`super::derive()`] instead.)
    pub fn fold<'a>(
        events: impl IntoIterator<Item = &'a IssueEvent>,
    ) -> Result<IssueState, (EventId, TransitionError)> {
        let mut state = IssueState::default();
        state.apply_all(events)?;
        Ok(state)
    }

    /// Applies events in the order given; on the first refusal stops and says which.
    /// Events before it stay applied.
    pub fn apply_all<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a IssueEvent>,
    ) -> Result<(), (EventId, TransitionError)> {
        for e in events {
            self.apply(e).map_err(|err| (e.id.clone(), err))?;
        }
        Ok(())
    }

    /// Applies one event, or refuses it and leaves the state exactly as it was.
    pub fn apply(&mut self, e: &IssueEvent) -> Result<(), TransitionError> {
        self.check(e)?;
        self.change(e);
        self.last_event_at = Some(self.last_event_at.map_or(e.at, |t| t.max(e.at)));
        Ok(())
    }

    /// Whether `e` may follow this state, without applying it.
    pub fn check(&self, e: &IssueEvent) -> Result<(), TransitionError> {
        let action = e.kind.action();
        if self.status == S::Unreported {
            return match e.kind {
                EventKind::Reported => Ok(()),
                _ => Err(E::NotYetReported { action }),
            };
        }
        if self.issue.as_ref() != Some(&e.issue) {
            return Err(E::WrongIssue);
        }
        self.check_kind(e)
    }

    /// The rule table: which statuses each kind of event may follow.
    fn check_kind(&self, e: &IssueEvent) -> Result<(), TransitionError> {
        let action = e.kind.action();
        match &e.kind {
            EventKind::Reported => Err(E::AlreadyReported),
            EventKind::Commented { .. } => Ok(()),
            EventKind::Accepted => match self.status {
                S::Reported => Ok(()),
                S::Accepted | S::InProgress => Err(E::AlreadyAccepted),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::Assigned { .. } => match self.status {
                S::Accepted | S::InProgress => Ok(()),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::Resolved { .. } => match self.status {
                S::InProgress => Ok(()),
                S::Accepted => Err(E::NoAssignee),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::Verified { .. } => self.check_verify(&e.actor),
            EventKind::Escalated { to, .. } => self.check_escalate(*to),
            EventKind::Returned { .. } => match self.status {
                S::Reported | S::Accepted | S::InProgress => Ok(()),
                S::Returned => Err(E::AlreadyReturned),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::Resubmitted { .. } => match self.status {
                S::Returned => Ok(()),
                _ => Err(E::NotReturned),
            },
            EventKind::Reopened { .. } => match self.status {
                S::Resolved | S::Closed => Ok(()),
                status => Err(E::NothingToReopen { status }),
            },
            EventKind::Supervised { .. } => match self.status {
                s if s.is_pending() => Ok(()),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::Rated { .. } => match (self.status, &self.rating) {
                (S::Closed, None) => Ok(()),
                (S::Closed, Some(_)) => Err(E::AlreadyRated),
                _ => Err(E::NotClosed),
            },
            EventKind::Withdrawn { .. } => match self.status {
                S::Reported | S::Returned if !self.taken_on => Ok(()),
                S::Reported | S::Returned | S::Accepted | S::InProgress => Err(E::AlreadyTakenOn),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::HandedOver { .. } | EventKind::Dismissed { .. } => match self.status {
                S::Reported | S::Accepted | S::InProgress => Ok(()),
                _ => Err(self.common_refusal(action)),
            },
            EventKind::HandoffReplied { .. } | EventKind::HandoffRefused { .. } => match self.handed_to() {
                Some(_) => Ok(()),
                None => Err(E::NotHandedOver { action }),
            },
        }
    }

    /// The refusal that explains the current status when an action does not fit it.
    fn common_refusal(&self, action: super::Action) -> TransitionError {
        match self.status {
            S::Unreported => E::NotYetReported { action },
            S::Reported => E::NotAccepted { action },
            S::Accepted | S::InProgress => E::AlreadyAccepted,
            S::Resolved => E::AwaitingVerification { action },
            S::Closed => E::AlreadyClosed { action },
            S::Returned => E::ReturnedToReporter { action },
            S::Withdrawn => E::IssueWithdrawn { action },
        }
    }

    fn check_verify(&self, actor: &PersonId) -> Result<(), TransitionError> {
        match self.status {
            S::Resolved if self.resolved_by.as_ref() == Some(actor) => Err(E::VerifierIsResolver),
            S::Resolved => Ok(()),
            S::Closed => Err(E::AlreadyClosed { action: super::Action::Verify }),
            _ => Err(E::NotResolved),
        }
    }

    fn check_escalate(&self, to: EscalationLevel) -> Result<(), TransitionError> {
        match self.status {
            S::Reported | S::Accepted | S::InProgress => {}
            _ => return Err(self.common_refusal(super::Action::Escalate)),
        }
        match self.level.next() {
            None => Err(E::AboveDistrict),
            Some(next) if next == to => Ok(()),
            Some(_) => Err(E::EscalationTargetMismatch { from: self.level, to }),
        }
    }

    /// Applies an event already checked.
    fn change(&mut self, e: &IssueEvent) {
        match &e.kind {
            EventKind::Reported => {
                self.issue = Some(e.issue.clone());
                self.reported_at = Some(e.at);
                // Whoever reports sets the starting rung: a community secretary's own
                // report waits for the community to take it on, not at a grid rung she
                // cannot act on. People without a rung (red stewards) report to the grid.
                let rung = e.actor_role.handles_at().unwrap_or(EscalationLevel::Grid);
                self.enter(S::Reported, rung, e.at);
            }
            EventKind::Accepted => {
                self.status = S::Accepted;
                self.taken_on = true;
            }
            EventKind::Assigned { assignee } => {
                self.status = S::InProgress;
                self.assignee = Some(assignee.clone());
                // A person now handles it, in place of any unit it was handed to.
                self.handoff = None;
            }
            EventKind::Resolved { summary } => self.resolve(summary, e),
            EventKind::Verified { .. } => {
                self.status = S::Closed;
                self.closed_at = Some(e.at);
                self.closed_level = Some(self.level);
            }
            EventKind::Escalated { to, reason } => {
                self.escalations += 1;
                self.last_reason = Some(reason.clone());
                self.enter(S::Reported, *to, e.at);
            }
            EventKind::Returned { reason } => self.send_back(reason, e.at),
            EventKind::Resubmitted { .. } => self.enter(S::Reported, self.level, e.at),
            EventKind::Reopened { reason } => self.reopen(reason, e.at),
            EventKind::Commented { .. } => self.comments += 1,
            EventKind::Supervised { .. } => self.supervised = true,
            EventKind::Withdrawn { reason } => {
                self.last_reason = Some(reason.clone());
                self.status = S::Withdrawn;
                self.assignee = None;
            }
            EventKind::Rated { score, comment } => {
                self.rating = Some(Rating { score: *score, comment: comment.clone() });
            }
            EventKind::HandedOver { unit, due } => {
                self.status = S::InProgress;
                self.taken_on = true;
                self.assignee = None;
                self.handoff =
                    Some(Handoff { unit: unit.clone(), due: *due, since: e.at, replied_at: None, done_at: None });
            }
            EventKind::HandoffReplied { .. } => {
                if let Some(h) = self.handoff.as_mut() {
                    h.replied_at = Some(h.replied_at.unwrap_or(e.at));
                }
            }
            EventKind::HandoffRefused { reason } => {
                // Back with the rung that handed it, which decides again: its clock restarts.
                self.handoff = None;
                self.handoff_refusals += 1;
                self.last_reason = Some(reason.clone());
                self.status = S::Accepted;
                self.level_since = e.at;
            }
            EventKind::Dismissed { reason } => {
                self.last_reason = Some(reason.clone());
                self.status = S::Closed;
                self.closed_at = Some(e.at);
                self.closed_level = Some(self.level);
                self.dismissed = true;
                self.assignee = None;
            }
        }
    }

    /// Moves to a new status round at `level`: the deadline clock restarts and whoever
    /// was assigned below is no longer the handler.
    fn enter(&mut self, status: Status, level: EscalationLevel, at: crate::Millis) {
        self.status = status;
        self.level = level;
        self.level_since = at;
        self.assignee = None;
        self.handoff = None;
    }

    fn resolve(&mut self, summary: &crate::Summary, e: &IssueEvent) {
        if self.handed_to().is_some() {
            if let Some(h) = self.handoff.as_mut() {
                h.done_at = Some(e.at);
            }
        }
        self.status = S::Resolved;
        self.resolution = Some(summary.clone());
        self.resolved_by = Some(e.actor.clone());
        self.resolved_at = Some(e.at);
        // The resolution answers any supervision order.
        self.supervised = false;
    }

    /// Returns one rung down, or to the reporter from the grid rung.
    fn send_back(&mut self, reason: &crate::Reason, at: crate::Millis) {
        self.returns += 1;
        self.last_reason = Some(reason.clone());
        match self.level.below() {
            Some(lower) => self.enter(S::Reported, lower, at),
            None => self.enter(S::Returned, self.level, at),
        }
    }

    fn reopen(&mut self, reason: &crate::Reason, at: crate::Millis) {
        self.reopenings += 1;
        self.last_reason = Some(reason.clone());
        // The same handler takes it up again: they know the case.
        self.status = S::InProgress;
        self.level_since = at;
        self.resolution = None;
        self.resolved_by = None;
        self.resolved_at = None;
        self.closed_at = None;
        self.closed_level = None;
        self.rating = None;
        self.dismissed = false;
        // A unit that had resolved it takes it up again, like any handler.
        if let Some(h) = self.handoff.as_mut() {
            h.done_at = None;
        }
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
