//! Issue events: one immutable entry per step of an issue's life. Events carry their own
//! intent precisely (an escalation names the rung it goes *to*), so that when two offline
//! phones act on the same issue the state machine can tell which step no longer holds.

use serde::{Deserialize, Serialize};

use super::{Satisfaction, TransitionError};
use crate::grid::EscalationLevel;
use crate::people::Role;
use crate::{CommentText, EventId, IssueId, Millis, PersonId, Reason, Summary};

labelled_enum! {
    /// The kind of an event without its payload: for labels, filters and error messages.
    pub enum Action {
        /// 上报.
        Report = "report", "上报", "Report";
        /// 受理.
        Accept = "accept", "受理", "Accept";
        /// 派遣处置.
        Assign = "assign", "派遣处置", "Assign";
        /// 办结.
        Resolve = "resolve", "办结", "Resolve";
        /// 核查结案.
        Verify = "verify", "核查结案", "Verify and close";
        /// 提级上报.
        Escalate = "escalate", "提级上报", "Escalate";
        /// 退回.
        Return = "return", "退回", "Return";
        /// 重新提交.
        Resubmit = "resubmit", "重新提交", "Resubmit";
        /// 重新打开.
        Reopen = "reopen", "重新打开", "Reopen";
        /// 办理意见 (a note on how the issue is being handled).
        Comment = "comment", "办理意见", "Note";
        /// 督办.
        Supervise = "supervise", "督办", "Supervise";
        /// 满意度评价.
        Rate = "rate", "满意度评价", "Rate satisfaction";
        /// 撤回: the reporter takes back an issue reported by mistake, before anyone took it on.
        Withdraw = "withdraw", "撤回", "Withdraw";
    }
}

/// What happened, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The issue was reported (always the first event).
    Reported,
    /// The current level took the issue on.
    Accepted,
    /// Someone was assigned to handle it (again, to reassign).
    Assigned {
        /// Who handles it.
        assignee: PersonId,
    },
    /// The handler says it is solved.
    Resolved {
        /// What was done.
        summary: Summary,
    },
    /// Someone other than the resolver checked the result and closed the issue.
    Verified {
        /// Optional remark.
        note: Option<CommentText>,
    },
    /// Sent one rung up the ladder.
    Escalated {
        /// The rung it goes to (must be the next one).
        to: EscalationLevel,
        /// Why the current level cannot solve it.
        reason: Reason,
    },
    /// Sent back one rung down, or to the reporter when already at the grid.
    Returned {
        /// Why.
        reason: Reason,
    },
    /// The reporter sends a returned issue in again.
    Resubmitted {
        /// What was added or changed.
        note: Option<CommentText>,
    },
    /// A resolved or closed issue turns out not to be solved.
    Reopened {
        /// Why.
        reason: Reason,
    },
    /// A remark; allowed whatever the status.
    Commented {
        /// The remark.
        text: CommentText,
    },
    /// A higher level orders the issue handled (督办).
    Supervised {
        /// The order.
        note: CommentText,
    },
    /// The resident's satisfaction, once closed.
    Rated {
        /// 1 to 5.
        score: Satisfaction,
        /// Their words, if any.
        comment: Option<CommentText>,
    },
    /// The reporter took the issue back before anyone accepted it (reported by mistake,
    /// a duplicate). The issue and its history stay; nothing is deleted.
    Withdrawn {
        /// Why.
        reason: Reason,
    },
}

impl EventKind {
    /// Chinese label of the kind, e.g. "提级上报".
    pub fn label_zh(&self) -> &'static str {
        self.action().label_zh()
    }

    /// English label of the kind, e.g. "Escalate".
    pub fn label_en(&self) -> &'static str {
        self.action().label_en()
    }

    /// The payload-free kind.
    pub fn action(&self) -> Action {
        match self {
            EventKind::Reported => Action::Report,
            EventKind::Accepted => Action::Accept,
            EventKind::Assigned { .. } => Action::Assign,
            EventKind::Resolved { .. } => Action::Resolve,
            EventKind::Verified { .. } => Action::Verify,
            EventKind::Escalated { .. } => Action::Escalate,
            EventKind::Returned { .. } => Action::Return,
            EventKind::Resubmitted { .. } => Action::Resubmit,
            EventKind::Reopened { .. } => Action::Reopen,
            EventKind::Commented { .. } => Action::Comment,
            EventKind::Supervised { .. } => Action::Supervise,
            EventKind::Rated { .. } => Action::Rate,
            EventKind::Withdrawn { .. } => Action::Withdraw,
        }
    }
}

/// One entry in an issue's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueEvent {
    /// Id (a ULID made on the device).
    pub id: EventId,
    /// The issue it belongs to.
    pub issue: IssueId,
    /// When it happened, by the acting device's clock (unix milliseconds).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: Millis,
    /// Who did it.
    pub actor: PersonId,
    /// In which role they acted.
    pub actor_role: Role,
    /// What happened.
    pub kind: EventKind,
}

impl IssueEvent {
    /// A new event with a fresh time-ordered id made from `at` and `random`.
    pub fn new(
        issue: IssueId,
        at: Millis,
        actor: PersonId,
        actor_role: Role,
        kind: EventKind,
        random: [u8; 10],
    ) -> IssueEvent {
        IssueEvent { id: EventId::generate(at, random), issue, at, actor, actor_role, kind }
    }

    /// The stable total order of a history: by time, ties broken by id. Every replica
    /// sorts the same events the same way, so every replica derives the same state.
    pub fn order_key(&self) -> (Millis, &EventId) {
        (self.at, &self.id)
    }

    /// Checks this event against `state` without changing it.
    pub fn check(&self, state: &super::IssueState) -> Result<(), TransitionError> {
        state.check(self)
    }
}

/// Sorts a history into its order (see [`IssueEvent::order_key`]).
pub fn sort_events(events: &mut [IssueEvent]) {
    crate::sort::sort_by(events, |a, b| a.order_key().cmp(&b.order_key()));
}
