//! Where an issue stands: the state derived from its history by the machine in
//! `machine.rs`. Nothing here is stored; it is recomputed from the events.

use serde::{Deserialize, Serialize};

use super::Satisfaction;
use crate::grid::EscalationLevel;
use crate::{CommentText, IssueId, Millis, PersonId, Reason, Summary, UnitId};

labelled_enum! {
    /// The lifecycle status.
    pub enum Status {
        /// No `Reported` event yet (the state before any history).
        Unreported = "unreported", "未上报", "Not reported";
        /// 待受理: waiting for the current level to take it on.
        Reported = "reported", "待受理", "Awaiting acceptance";
        /// 已受理: taken on, nobody assigned yet.
        Accepted = "accepted", "已受理", "Accepted";
        /// 处置中: an assignee is handling it.
        InProgress = "in_progress", "处置中", "In progress";
        /// 已办结: solved by the handler, waiting for verification.
        Resolved = "resolved", "已办结待核查", "Resolved, awaiting verification";
        /// 已结案: verified and closed.
        Closed = "closed", "已结案", "Closed";
        /// 已退回: back with the reporter, who must amend and resubmit.
        Returned = "returned", "已退回", "Returned to reporter";
        /// 已撤回: taken back by its reporter before anyone accepted it; kept, with its
        /// history, but no longer anyone's work.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

impl Status {
    /// Reported and not yet closed (includes resolved-awaiting-verification).
    pub const fn is_open(self) -> bool {
        !matches!(self, Status::Unreported | Status::Closed | Status::Withdrawn)
    }

    /// Someone still has to act on it at its current level, so its deadline runs.
    /// A resolved issue waits for verification and no longer counts against the handler.
    pub const fn is_pending(self) -> bool {
        matches!(self, Status::Reported | Status::Accepted | Status::InProgress | Status::Returned)
    }
}

/// A resident's rating of a closed issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 to 5.
    pub score: Satisfaction,
    /// Their words, if any.
    pub comment: Option<CommentText>,
}

/// An issue handed (交办) to a unit or department: to whom, by when, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// The unit or department.
    pub unit: UnitId,
    /// By when, if a date was set.
    pub due: Option<Millis>,
    /// When it was handed.
    pub since: Millis,
    /// When the unit's contact first answered, if it has.
    pub replied_at: Option<Millis>,
    /// When the unit resolved it, if it has (cleared again if the issue is reopened).
    pub done_at: Option<Millis>,
}

impl Handoff {
    /// Done by its due date (or done, when none was set). None while not done.
    pub fn on_time(&self) -> Option<bool> {
        let done = self.done_at?;
        Some(self.due.is_none_or(|due| done <= due))
    }
}

/// The derived state of one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueState {
    /// The issue, once reported.
    pub issue: Option<IssueId>,
    /// Lifecycle status.
    pub status: Status,
    /// The rung of the ladder it is at now.
    pub level: EscalationLevel,
    /// When it arrived at its current level or status round (the deadline clock's start).
    pub level_since: Millis,
    /// When it was reported.
    pub reported_at: Option<Millis>,
    /// Who is handling it.
    pub assignee: Option<PersonId>,
    /// What was done, once resolved.
    pub resolution: Option<Summary>,
    /// Who resolved it.
    pub resolved_by: Option<PersonId>,
    /// When it was resolved.
    pub resolved_at: Option<Millis>,
    /// When it was closed.
    pub closed_at: Option<Millis>,
    /// The rung it was finally closed at ("矛盾不上交": the lower, the better).
    pub closed_level: Option<EscalationLevel>,
    /// Why it was last escalated, returned or reopened.
    pub last_reason: Option<Reason>,
    /// Times escalated.
    pub escalations: u32,
    /// Times returned.
    pub returns: u32,
    /// Times reopened.
    pub reopenings: u32,
    /// Comments made.
    pub comments: u32,
    /// A supervision order (督办) stands and it has not been resolved since.
    pub supervised: bool,
    /// The resident's rating, once closed.
    pub rating: Option<Rating>,
    /// Time of the last applied event.
    pub last_event_at: Option<Millis>,
    /// Some rung has accepted it at least once: from then on its reporter can no longer
    /// withdraw it. (Defaults to false for states stored before it existed.)
    #[serde(default)]
    pub taken_on: bool,
    /// The unit or department it is (or was last) handed to. It stays after the unit
    /// resolves it, for the on-time figures; another hand-off, an assignment to a person,
    /// an escalation or a return replaces or clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<Handoff>,
    /// Times a unit refused it.
    #[serde(default)]
    pub handoff_refusals: u32,
    /// Closed as not actionable (不予办理) rather than solved.
    #[serde(default)]
    pub dismissed: bool,
}

impl Default for IssueState {
    fn default() -> Self {
        IssueState {
            issue: None,
            status: Status::Unreported,
            level: EscalationLevel::Grid,
            level_since: 0,
            reported_at: None,
            assignee: None,
            resolution: None,
            resolved_by: None,
            resolved_at: None,
            closed_at: None,
            closed_level: None,
            last_reason: None,
            escalations: 0,
            returns: 0,
            reopenings: 0,
            comments: 0,
            supervised: false,
            rating: None,
            last_event_at: None,
            taken_on: false,
            handoff: None,
            handoff_refusals: 0,
            dismissed: false,
        }
    }
}

impl IssueState {
    /// The unit the issue is handed to now, while that unit still has it to do.
    pub fn handed_to(&self) -> Option<&UnitId> {
        let h = self.handoff.as_ref()?;
        (self.status == Status::InProgress && h.done_at.is_none()).then_some(&h.unit)
    }

    /// Time from report to close, if closed.
    pub fn time_to_close(&self) -> Option<Millis> {
        Some(self.closed_at? - self.reported_at?)
    }
}
