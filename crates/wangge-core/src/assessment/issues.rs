//! The issue figures: reported in the month and how many within a day of a visit to the
//! household (timeliness), closed in the month and how many at or below the community
//! rung, overdue at the cutoff, and the residents' ratings — each on the grid's row and
//! on its reporter's.

use std::collections::BTreeMap;

use super::{Figures, PerWorker, Period, World};
use crate::grid::EscalationLevel;
use crate::issue::{derive, Issue, IssueState, Status};
use crate::{Date, GridId, HouseholdId, IssueId};

/// What every grid's count reads: the visit days by household and by issue raised.
pub(super) struct Context<'a> {
    world: &'a World<'a>,
    period: Period,
    by_household: BTreeMap<&'a HouseholdId, Vec<Date>>,
    by_issue: BTreeMap<&'a IssueId, Vec<Date>>,
}

impl<'a> Context<'a> {
    pub(super) fn new(world: &'a World<'a>, period: Period) -> Context<'a> {
        let mut by_household: BTreeMap<&HouseholdId, Vec<Date>> = BTreeMap::new();
        let mut by_issue: BTreeMap<&IssueId, Vec<Date>> = BTreeMap::new();
        for v in world.visits {
            by_household.entry(&v.household).or_default().push(v.date);
            for i in &v.issues {
                by_issue.entry(i).or_default().push(v.date);
            }
        }
        Context { world, period, by_household, by_issue }
    }

    /// Reported on the day of a visit to its household (or the visit that raised it) or
    /// the day after.
    fn timely(&self, issue: &Issue, reported: Date) -> bool {
        let household = issue.household.as_ref().and_then(|h| self.by_household.get(h));
        let raised = self.by_issue.get(&issue.id);
        household.into_iter().chain(raised).flatten().any(|d| *d <= reported && reported <= d.add_days(1))
    }

    /// The issue's state at the cutoff: from its events when the caller gave them, else
    /// as it is now.
    fn state_at_cutoff(&self, issue: &Issue, now: &'a IssueState) -> std::borrow::Cow<'a, IssueState> {
        match self.world.histories.get(&issue.id) {
            Some(events) => {
                let before: Vec<_> = events.iter().filter(|e| e.at < self.period.cutoff).cloned().collect();
                std::borrow::Cow::Owned(derive(&before).state)
            }
            None => std::borrow::Cow::Borrowed(now),
        }
    }

    pub(super) fn count(&self, inside: &dyn Fn(&GridId) -> bool, grid: &mut Figures, people: &mut PerWorker) {
        for (issue, state) in self.world.issues.iter().filter(|(i, _)| inside(&i.grid)) {
            // A withdrawn report was never work (as on the dashboard).
            if matches!(state.status, Status::Unreported | Status::Withdrawn) {
                continue;
            }
            let mut f = Figures::default();
            self.tally(issue, state, &mut f);
            if f == Figures::default() {
                // Nothing of this month: its reporter gets no row for it.
                continue;
            }
            grid.add(&f);
            people.entry(issue.reporter.clone()).or_default().add(&f);
        }
    }

    fn tally(&self, issue: &Issue, state: &'a IssueState, f: &mut Figures) {
        let p = self.period;
        if let Some(at) = state.reported_at.filter(|at| p.holds(*at)) {
            f.reported.of += 1;
            f.reported.count += u32::from(self.timely(issue, Date::of_millis(at)));
        }
        if let (Some(at), Some(level)) = (state.closed_at, state.closed_level) {
            if p.holds(at) {
                f.closed_low.of += 1;
                f.closed_low.count += u32::from(matches!(level, EscalationLevel::Grid | EscalationLevel::Community));
                if let Some(r) = &state.rating {
                    f.ratings[usize::from(r.score.score() - 1)] += 1;
                }
            }
        }
        if state.reported_at.is_some_and(|at| at < p.cutoff) {
            let then = self.state_at_cutoff(issue, state);
            if then.status.is_open() {
                f.overdue.of += 1;
                f.overdue.count += u32::from(then.is_overdue(issue, self.world.deadlines, p.cutoff));
            }
        }
    }
}
