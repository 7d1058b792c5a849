//! Issue events: one immutable entry per step of an issue's life. Events carry their own
//! intent precisely (an escalation names the rung it goes *to*), so that when two offline
//! phones act on the same issue the state machine can tell which step no longer holds.

use serde::{Deserialize, Serialize};

use super::{Satisfaction, TransitionError};
use crate::grid::EscalationLevel;
use crate::people::Role;
use crate::photo::PhotoRef;
use crate::{CommentText, EventId, IssueId, MeetingId, Millis, PersonId, Reason, Summary, UnitId};

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
        /// 交办: handed to a unit or district department, with a due date.
        HandOver = "hand_over", "交办", "Hand over to a unit";
        /// 单位回复: the unit's contact answers on a handed issue (received, arranged …).
        ReplyHandoff = "reply_handoff", "单位回复", "Unit reply";
        /// 单位退回: the unit's contact refuses a handed issue, with the reason.
        RefuseHandoff = "refuse_handoff", "单位退回", "Unit refuses";
        /// 不予办理: closed as not actionable, with the reason (at a joint meeting, say).
        Dismiss = "dismiss", "不予办理", "Close as not actionable";
    }
}

/// What happened, with what it needs. Read by hand (`event_de.rs`): the derived reader
/// of this internally tagged shape was the largest serde cost in the worker's wasm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Handed (交办) to a unit or district department, which answers through its contact.
    /// Taking it on: from "reported" it counts as accepted by the current rung.
    HandedOver {
        /// The unit or department.
        unit: UnitId,
        /// By when the unit should have it done (unix milliseconds), if a date was set.
        #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
        due: Option<Millis>,
    },
    /// The unit's contact answered on the handed issue without finishing it yet.
    HandoffReplied {
        /// The answer.
        text: CommentText,
    },
    /// The unit's contact refused the handed issue; it is back with the rung that handed it.
    HandoffRefused {
        /// Why the unit cannot take it.
        reason: Reason,
    },
    /// Closed as not actionable (不予办理) by the rung it stands at.
    Dismissed {
        /// Why nothing will be done.
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
            EventKind::HandedOver { .. } => Action::HandOver,
            EventKind::HandoffReplied { .. } => Action::ReplyHandoff,
            EventKind::HandoffRefused { .. } => Action::RefuseHandoff,
            EventKind::Dismissed { .. } => Action::Dismiss,
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
    /// The joint meeting or on-site office the step was decided at, if any, so the
    /// history reads "decided at the November joint meeting".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// Photos taken for this step (at report time: the problem; at a later step: during
    /// or after), at most `photo::MAX_PHOTOS_PER_STEP`; absent on older events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
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
        IssueEvent {
            id: EventId::generate(at, random),
            issue,
            at,
            actor,
            actor_role,
            kind,
            meeting: None,
            photos: Vec::new(),
        }
    }

    /// The same event, carrying `photos`.
    pub fn with_photos(self, photos: Vec<PhotoRef>) -> IssueEvent {
        IssueEvent { photos, ..self }
    }

    /// The same event, decided at `meeting`.
    pub fn at_meeting(self, meeting: MeetingId) -> IssueEvent {
        IssueEvent { meeting: Some(meeting), ..self }
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
