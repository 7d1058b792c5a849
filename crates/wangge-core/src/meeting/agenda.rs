//! What a joint meeting goes through: the agenda drawn from the community's issue list
//! (问题清单), and the follow-up of last meeting's items (what became of each decision).

use super::{Meeting, Outcome};
use crate::grid::{EscalationLevel, GridTree};
use crate::issue::{Deadlines, Issue, IssueState, Status};
use crate::{GridId, IssueId, Millis};

/// The issue list a meeting of `community` starts from: every issue of the community's
/// subtree still waiting to be handled at the community rung or above (not resolved,
/// closed or withdrawn). Supervised (督办) first, then overdue, then the oldest.
pub fn agenda(
    community: &GridId,
    tree: &GridTree,
    issues: &[(&Issue, &IssueState)],
    deadlines: &Deadlines,
    now: Millis,
) -> Vec<IssueId> {
    let mut listed: Vec<_> = issues
        .iter()
        .filter(|(issue, state)| {
            state.status.is_pending()
                && state.level >= EscalationLevel::Community
                && tree.contains(community, &issue.grid)
        })
        .map(|(issue, state)| {
            let key = (!state.supervised, !state.is_overdue(issue, deadlines, now), state.reported_at.unwrap_or(0));
            (key, issue.id.clone())
        })
        .collect();
    crate::sort::sort_by(&mut listed, |a, b| a.cmp(b));
    listed.into_iter().map(|(_, id)| id).collect()
}

/// One item of an earlier meeting as it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The issue.
    pub issue: IssueId,
    /// What the meeting decided, if it decided.
    pub outcome: Option<Outcome>,
    /// Where the issue stands now (None: the phone no longer holds it).
    pub status: Option<Status>,
    /// Solved or closed since.
    pub done: bool,
    /// Handed to a unit with a due date that has passed and not done.
    pub overdue_at_unit: bool,
}

/// What became of each item of `earlier`, in its agenda order.
pub fn follow_up(earlier: &Meeting, state_of: impl Fn(&IssueId) -> Option<IssueState>, now: Millis) -> Vec<FollowUp> {
    earlier
        .items_in_order()
        .into_iter()
        .map(|(id, item)| {
            let state = state_of(id);
            let status = state.as_ref().map(|s| s.status);
            let overdue_at_unit = state.as_ref().is_some_and(|s| {
                s.handed_to().is_some() && s.handoff.as_ref().and_then(|h| h.due).is_some_and(|due| due < now)
            });
            FollowUp {
                issue: id.clone(),
                outcome: item.decision.as_ref().map(|d| d.outcome),
                status,
                done: matches!(status, Some(Status::Resolved | Status::Closed)),
                overdue_at_unit,
            }
        })
        .collect()
}
