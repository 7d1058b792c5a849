//! Why the state machine refused an event: one variant per rule, each with a message that
//! tells the worker what to do instead.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Action, Status};
use crate::grid::EscalationLevel;

/// An event that does not hold on the issue's state at its place in the history.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum TransitionError {
    /// Something other than `Reported` came first.
    #[error("cannot {} before the issue is reported", action.code())]
    NotYetReported {
        /// What was tried.
        action: Action,
    },
    /// A second `Reported`.
    #[error("the issue is already reported")]
    AlreadyReported,
    /// An event of another issue in this history.
    #[error("the event belongs to another issue")]
    WrongIssue,
    /// The same event id twice in one history (a retried upload).
    #[error("duplicate event")]
    DuplicateEvent,
    /// A lifecycle step on a closed issue.
    #[error("cannot {} a closed issue", action.code())]
    AlreadyClosed {
        /// What was tried.
        action: Action,
    },
    /// A handling step on a resolved issue waiting for verification.
    #[error("cannot {} an issue awaiting verification", action.code())]
    AwaitingVerification {
        /// What was tried.
        action: Action,
    },
    /// A handling step on an issue returned to its reporter.
    #[error("cannot {} an issue returned to its reporter", action.code())]
    ReturnedToReporter {
        /// What was tried.
        action: Action,
    },
    /// A handling step before the current level accepted the issue.
    #[error("cannot {} before the issue is accepted", action.code())]
    NotAccepted {
        /// What was tried.
        action: Action,
    },
    /// Accepting an issue already accepted.
    #[error("the issue is already accepted")]
    AlreadyAccepted,
    /// Resolving with nobody assigned.
    #[error("cannot resolve an issue nobody is assigned to")]
    NoAssignee,
    /// Verifying before resolving.
    #[error("cannot verify an issue that is not resolved")]
    NotResolved,
    /// The resolver verifying their own work.
    #[error("the resolver cannot verify their own resolution")]
    VerifierIsResolver,
    /// Escalating from the district, the top rung.
    #[error("cannot escalate above the district")]
    AboveDistrict,
    /// Escalating to a rung other than the next one (or one it is already at).
    #[error("cannot escalate from {} to {}", from.code(), to.code())]
    EscalationTargetMismatch {
        /// The current rung.
        from: EscalationLevel,
        /// The rung asked for.
        to: EscalationLevel,
    },
    /// Returning an issue already with its reporter.
    #[error("the issue is already returned")]
    AlreadyReturned,
    /// Resubmitting an issue that was not returned.
    #[error("only a returned issue can be resubmitted")]
    NotReturned,
    /// Reopening an issue that is neither resolved nor closed.
    #[error("cannot reopen an issue that is {}", status.code())]
    NothingToReopen {
        /// Its status.
        status: Status,
    },
    /// Rating before the issue is closed.
    #[error("cannot rate an issue that is not closed")]
    NotClosed,
    /// Rating twice.
    #[error("the issue is already rated")]
    AlreadyRated,
    /// A step on an issue its reporter withdrew.
    #[error("cannot {} a withdrawn issue", action.code())]
    IssueWithdrawn {
        /// What was tried.
        action: Action,
    },
    /// Withdrawing an issue someone has already accepted.
    #[error("the issue was already taken on; it cannot be withdrawn")]
    AlreadyTakenOn,
    /// A unit's answer on an issue that is not handed to a unit now.
    #[error("cannot {} an issue that is not handed to a unit", action.code())]
    NotHandedOver {
        /// What was tried.
        action: Action,
    },
}

impl TransitionError {
    /// Stable machine code for the API.
    pub fn code(&self) -> &'static str {
        use TransitionError::*;
        match self {
            NotYetReported { .. } => "not_yet_reported",
            AlreadyReported => "already_reported",
            WrongIssue => "wrong_issue",
            DuplicateEvent => "duplicate_event",
            AlreadyClosed { .. } => "already_closed",
            AwaitingVerification { .. } => "awaiting_verification",
            ReturnedToReporter { .. } => "returned_to_reporter",
            NotAccepted { .. } => "not_accepted",
            AlreadyAccepted => "already_accepted",
            NoAssignee => "no_assignee",
            NotResolved => "not_resolved",
            VerifierIsResolver => "verifier_is_resolver",
            AboveDistrict => "above_district",
            EscalationTargetMismatch { .. } => "escalation_target_mismatch",
            AlreadyReturned => "already_returned",
            NotReturned => "not_returned",
            NothingToReopen { .. } => "nothing_to_reopen",
            NotClosed => "not_closed",
            AlreadyRated => "already_rated",
            IssueWithdrawn { .. } => "issue_withdrawn",
            AlreadyTakenOn => "already_taken_on",
            NotHandedOver { .. } => "not_handed_over",
        }
    }

    /// What went wrong and what to do, in Chinese.
    pub fn message_zh(&self) -> String {
        use TransitionError::*;
        match self {
            NotYetReported { action } => format!("问题尚未上报,不能{}", action.label_zh()),
            AlreadyReported => "该问题已经上报,无需重复上报".into(),
            WrongIssue => "这条记录属于另一个问题".into(),
            DuplicateEvent => "这条记录已经提交过(重复提交)".into(),
            AlreadyClosed { action } => {
                format!("问题已结案,不能{};如问题复发,请先“重新打开”", action.label_zh())
            }
            AwaitingVerification { action } => {
                format!("问题已办结、等待核查,不能{};核查不通过请“重新打开”", action.label_zh())
            }
            ReturnedToReporter { action } => {
                format!("问题已退回上报人,不能{};请上报人补充后重新提交", action.label_zh())
            }
            NotAccepted { action } => format!("问题尚未受理,请先受理再{}", action.label_zh()),
            AlreadyAccepted => "问题已经受理".into(),
            NoAssignee => "请先指派处置人,再办结".into(),
            NotResolved => "问题尚未办结,不能核查结案".into(),
            VerifierIsResolver => "核查结案应由办结人以外的人员进行".into(),
            AboveDistrict => "问题已在区县层级,不能再向上提级".into(),
            EscalationTargetMismatch { from, to } => {
                format!("问题当前在“{}”层级,只能逐级上报到上一级,不能上报到“{}”", from.label_zh(), to.label_zh())
            }
            AlreadyReturned => "问题已经退回".into(),
            NotReturned => "只有被退回的问题才能重新提交".into(),
            NothingToReopen { status } => {
                format!("只有已办结或已结案的问题才能重新打开,当前状态为“{}”", status.label_zh())
            }
            NotClosed => "问题结案后才能评价满意度".into(),
            AlreadyRated => "该问题已经评价过".into(),
            IssueWithdrawn { action } => {
                format!("问题已由上报人撤回,不能{};如仍需处理,请重新上报", action.label_zh())
            }
            AlreadyTakenOn => "问题已被受理,不能再撤回;如确属误报,请联系办理人员说明".into(),
            NotHandedOver { action } => {
                format!("问题目前没有交办给单位,不能{};可能已被收回、改派或已办结", action.label_zh())
            }
        }
    }

    /// What went wrong and what to do, in English.
    pub fn message_en(&self) -> String {
        use TransitionError::*;
        let act = |a: &Action| a.label_en().to_lowercase();
        match self {
            NotYetReported { action } => {
                format!("The issue has not been reported yet, so you cannot {}", act(action))
            }
            AlreadyReported => "The issue has already been reported".into(),
            WrongIssue => "This entry belongs to another issue".into(),
            DuplicateEvent => "This entry was already submitted (duplicate)".into(),
            AlreadyClosed { action } => format!(
                "The issue is closed, so you cannot {}; reopen it first if it came back",
                act(action)
            ),
            AwaitingVerification { action } => format!(
                "The issue is resolved and awaiting verification, so you cannot {}; reopen it if it is not solved",
                act(action)
            ),
            ReturnedToReporter { action } => format!(
                "The issue was returned to its reporter, so you cannot {}; the reporter must resubmit it",
                act(action)
            ),
            NotAccepted { action } => format!("Accept the issue before you {}", act(action)),
            AlreadyAccepted => "The issue has already been accepted".into(),
            NoAssignee => "Assign someone to the issue before resolving it".into(),
            NotResolved => "The issue is not resolved yet, so it cannot be verified".into(),
            VerifierIsResolver => "Someone other than the resolver must verify the issue".into(),
            AboveDistrict => "The issue is already at district level; it cannot go higher".into(),
            EscalationTargetMismatch { from, to } => format!(
                "The issue is at {} level and can only go up one level, not to {}",
                from.label_en(),
                to.label_en()
            ),
            AlreadyReturned => "The issue has already been returned".into(),
            NotReturned => "Only a returned issue can be resubmitted".into(),
            NothingToReopen { status } => format!(
                "Only a resolved or closed issue can be reopened; this one is \"{}\"",
                status.label_en()
            ),
            NotClosed => "Satisfaction can only be recorded after the issue is closed".into(),
            AlreadyRated => "Satisfaction has already been recorded for this issue".into(),
            IssueWithdrawn { action } => format!(
                "The reporter withdrew this issue, so you cannot {}; report it again if it still needs handling",
                act(action)
            ),
            AlreadyTakenOn => "The issue has been accepted and can no longer be withdrawn; tell whoever handles it if it was reported by mistake".into(),
            NotHandedOver { action } => format!(
                "The issue is not handed to a unit now, so you cannot {}; it may have been taken back, reassigned or resolved",
                act(action)
            ),
        }
    }
}
