//! The joint committee's figures for one calendar month and one scope — the seeds' own
//! measures: joint meetings held and items decided (研判), on-site office sessions held,
//! problems taken on site and how many of those are solved since (Wanzhou's "8 leaders,
//! 182 sessions, 483 problems solved"), also per host; the share of issues closed at or
//! below the community rung (矛盾不上交); issues handed to units and departments (交办)
//! and how many were done on time. Every share comes with the raw counts behind it, as
//! the assessment rules ask. Pure, like [`crate::stats`]: the phone and any server report
//! count the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::grid::{EscalationLevel, GridTree};
use crate::issue::{Issue, IssueState, Status};
use crate::meeting::{Meeting, MeetingKind};
use crate::{Date, GridId, IssueId, Millis, PersonId};

/// `count` out of `of`: a share with its raw counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// How many meet the measure.
    pub count: u32,
    /// Out of how many.
    pub of: u32,
}

impl Share {
    /// The share, `None` when there is nothing to count.
    pub fn ratio(self) -> Option<f64> {
        (self.of > 0).then(|| f64::from(self.count) / f64::from(self.of))
    }
}

/// One host's on-site office sessions in the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostFigures {
    /// The leader who led them (`None`: sessions recorded without a host).
    pub host: Option<PersonId>,
    /// Sessions held.
    pub sessions: u32,
    /// Problems solved since, of those taken on site.
    pub solved: Share,
}

/// The committee's figures for one month and scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitteeFigures {
    /// Joint meetings held in the month.
    pub joint_meetings: u32,
    /// Agenda items those meetings decided.
    pub items_decided: u32,
    /// On-site office sessions held in the month.
    pub onsite_sessions: u32,
    /// Problems solved since (closed, not dismissed), of the problems taken on site.
    pub onsite_solved: Share,
    /// The on-site figures per host, most sessions first.
    pub by_host: Vec<HostFigures>,
    /// Issues closed in the month at the grid or community rung, of all closed in it.
    pub closed_within_community: Share,
    /// Issues handed to a unit or department in the month that the unit has done, of all
    /// handed in the month.
    pub handed_done: Share,
    /// Of those done, done by their due date.
    pub handed_on_time: Share,
}

/// The month `[start, end)` holding `day`, in China time.
pub fn month_span(day: Date) -> (Millis, Millis) {
    let first = day.first_of_month();
    (first.start_millis(), first.add_days(31).first_of_month().start_millis())
}

/// Computes the figures for the month holding `month`, over the meetings and issues whose
/// grid lies in `scope`'s subtree. `state_of` gives an issue's current state (for what
/// became of problems taken on site, wherever those issues are).
pub fn committee_figures<'a>(
    tree: &GridTree,
    scope: &GridId,
    month: Date,
    meetings: impl IntoIterator<Item = &'a Meeting>,
    issues: impl IntoIterator<Item = (&'a Issue, &'a IssueState)>,
) -> CommitteeFigures {
    let (start, end) = month_span(month);
    let within = |at: Millis| start <= at && at < end;
    let mut f = CommitteeFigures::default();
    let mut states: BTreeMap<&IssueId, &IssueState> = BTreeMap::new();
    for (issue, state) in issues {
        states.insert(&issue.id, state);
        if !tree.contains(scope, &issue.grid) {
            continue;
        }
        if let (Some(at), Some(level)) = (state.closed_at, state.closed_level) {
            if within(at) {
                f.closed_within_community.of += 1;
                f.closed_within_community.count +=
                    u32::from(matches!(level, EscalationLevel::Grid | EscalationLevel::Community));
            }
        }
        if let Some(h) = state.handoff.as_ref().filter(|h| within(h.since)) {
            f.handed_done.of += 1;
            if let Some(on_time) = h.on_time() {
                f.handed_done.count += 1;
                f.handed_on_time.of += 1;
                f.handed_on_time.count += u32::from(on_time);
            }
        }
    }
    let solved = |id: &IssueId| states.get(id).is_some_and(|s| s.status == Status::Closed && !s.dismissed);
    let mut hosts: BTreeMap<Option<PersonId>, HostFigures> = BTreeMap::new();
    for m in meetings.into_iter().filter(|m| within(m.held_at) && tree.contains(scope, &m.grid)) {
        match m.kind {
            MeetingKind::JointMeeting => {
                f.joint_meetings += 1;
                f.items_decided += m.decided() as u32;
            }
            MeetingKind::OnSiteOffice => {
                f.onsite_sessions += 1;
                let taken = m.agenda_len() as u32;
                let done = m.items_in_order().into_iter().filter(|(id, _)| solved(id)).count() as u32;
                f.onsite_solved.of += taken;
                f.onsite_solved.count += done;
                let host = hosts.entry(m.host.clone()).or_insert_with(|| HostFigures {
                    host: m.host.clone(),
                    sessions: 0,
                    solved: Share::default(),
                });
                host.sessions += 1;
                host.solved.of += taken;
                host.solved.count += done;
            }
        }
    }
    f.by_host = hosts.into_values().collect();
    crate::sort::sort_by_key(&mut f.by_host, |h| std::cmp::Reverse(h.sessions));
    f
}

#[cfg(test)]
#[path = "committee_stats_tests.rs"]
mod tests;
