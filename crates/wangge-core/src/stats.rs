//! Dashboard figures: open, overdue and closed issues by level and category, the share
//! closed at the lowest levels ("矛盾不上交"), time to close, and visits done against
//! visits due. Pure functions over records the caller already holds; each counts only
//! what lies inside the viewer's scope.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::grid::{EscalationLevel, GridTree};
use crate::household::Household;
use crate::issue::{Category, Deadlines, Issue, IssueState, Status};
use crate::visit::{next_due, Visit, VisitSchedule};
use crate::{Date, GridId, HouseholdId, Millis};

mod facts;

pub use facts::{HouseholdFacts, IssueFacts, VisitFacts};

/// Open, overdue and closed counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Reported and not closed.
    pub open: u32,
    /// Open and past the current level's due time.
    pub overdue: u32,
    /// Verified and closed.
    pub closed: u32,
}

/// Counts for one rung: open/overdue where issues are now, closed where they were closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    /// The rung.
    pub level: EscalationLevel,
    /// Its counts.
    pub counts: Counts,
}

/// Counts for one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCounts {
    /// The category.
    pub category: Category,
    /// Its counts.
    pub counts: Counts,
}

/// Issue figures for one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueFigures {
    /// All reported issues.
    pub totals: Counts,
    /// Open issues flagged for supervision (overdue or ordered).
    pub needing_supervision: u32,
    /// Per rung, grid first.
    pub by_level: Vec<LevelCounts>,
    /// Per category, in [`Category::ALL`] order.
    pub by_category: Vec<CategoryCounts>,
    /// Share of closed issues closed at the grid, `None` if none closed.
    pub closed_at_grid_share: Option<f64>,
    /// Share of closed issues closed at the grid or the community.
    pub closed_within_community_share: Option<f64>,
    /// Median time from report to close.
    pub median_time_to_close: Option<Millis>,
    /// Issues closed in the calendar month of `now` (China time).
    pub closed_this_month: u32,
}

/// Computes issue figures for the issues whose grid lies in `scope`'s subtree.
pub fn issue_figures<'a>(
    tree: &GridTree,
    scope: &GridId,
    issues: impl IntoIterator<Item = (&'a Issue, &'a IssueState)>,
    deadlines: &Deadlines,
    now: Millis,
) -> IssueFigures {
    let facts = issues.into_iter().map(|(issue, state)| IssueFacts::of(issue, state));
    issue_figures_of(tree, scope, facts, deadlines, now)
}

/// [`issue_figures`] over the lean facts (what the phone reads out of its store).
pub fn issue_figures_of(
    tree: &GridTree,
    scope: &GridId,
    issues: impl IntoIterator<Item = IssueFacts>,
    deadlines: &Deadlines,
    now: Millis,
) -> IssueFigures {
    let mut tally =
        Tally { month_start: Date::of_millis(now).first_of_month().start_millis(), now, ..Tally::default() };
    for issue in issues {
        // A withdrawn report was never work: it counts neither as open nor as closed.
        let counted = !matches!(issue.status, Status::Unreported | Status::Withdrawn);
        if counted && tree.contains(scope, &issue.grid) {
            tally.add(&issue, deadlines);
        }
    }
    tally.finish()
}

/// Running totals while scanning issues once.
#[derive(Default)]
struct Tally {
    month_start: Millis,
    now: Millis,
    totals: Counts,
    levels: [Counts; 4],
    categories: [Counts; Category::ALL.len()],
    needing_supervision: u32,
    closed_this_month: u32,
    durations: Vec<Millis>,
}

impl Tally {
    fn add(&mut self, issue: &IssueFacts, deadlines: &Deadlines) {
        let category = &mut self.categories[position(&Category::ALL, issue.category)];
        if let (Some(closed_at), Some(level)) = (issue.closed_at, issue.closed_level) {
            let level = &mut self.levels[position(&EscalationLevel::ALL, level)];
            for c in [&mut self.totals, level, category] {
                c.closed += 1;
            }
            self.closed_this_month += u32::from(closed_at >= self.month_start && closed_at <= self.now);
            self.durations.extend(issue.time_to_close());
            return;
        }
        let overdue = u32::from(issue.is_overdue(deadlines, self.now));
        let level = &mut self.levels[position(&EscalationLevel::ALL, issue.level)];
        for c in [&mut self.totals, level, category] {
            c.open += 1;
            c.overdue += overdue;
        }
        self.needing_supervision += u32::from(issue.needs_supervision(deadlines, self.now));
    }

    fn finish(mut self) -> IssueFigures {
        let closed = self.totals.closed;
        let share = |n: u32| (closed > 0).then(|| f64::from(n) / f64::from(closed));
        let levels = self.levels;
        IssueFigures {
            totals: self.totals,
            needing_supervision: self.needing_supervision,
            by_level: EscalationLevel::ALL
                .iter()
                .zip(levels)
                .map(|(level, counts)| LevelCounts { level: *level, counts })
                .collect(),
            by_category: Category::ALL
                .iter()
                .zip(self.categories)
                .map(|(category, counts)| CategoryCounts { category: *category, counts })
                .collect(),
            closed_at_grid_share: share(levels[0].closed),
            closed_within_community_share: share(levels[0].closed + levels[1].closed),
            median_time_to_close: median(&mut self.durations),
            closed_this_month: self.closed_this_month,
        }
    }
}

/// Index of a variant in its `ALL` array, to count into a fixed-size table.
fn position<T: PartialEq>(all: &[T], item: T) -> usize {
    all.iter().position(|x| *x == item).unwrap_or(0)
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: &mut [Millis]) -> Option<Millis> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2 })
}

/// Visit figures for one scope and period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitFigures {
    /// All visits in the period.
    pub visits_done: u32,
    /// Households on the visit schedule.
    pub households_scheduled: u32,
    /// Visits the schedule asks for in the period (per household: period ÷ interval,
    /// rounded up).
    pub visits_due: u32,
    /// Visits to scheduled households in the period, at most the number due per household,
    /// so extra visits to one family do not hide a missed one.
    pub scheduled_visits_done: u32,
    /// Scheduled households visited at least once in the period.
    pub households_visited: u32,
    /// Scheduled households overdue a visit at the end of the period.
    pub households_overdue: u32,
}

/// The visits a household scheduled every `every` days is due in `days` days: one per
/// interval begun, so a weekly household is due 5 visits in a 31-day month.
pub fn visits_due(days: u32, every: u32) -> u32 {
    days.div_ceil(every.max(1))
}

/// Computes visit figures for households in `scope`'s subtree over the days `from..=to`.
pub fn visit_figures(
    tree: &GridTree,
    scope: &GridId,
    households: &[Household],
    visits: &[Visit],
    schedule: &VisitSchedule,
    period: (Date, Date),
) -> VisitFigures {
    let households: Vec<HouseholdFacts> = households.iter().map(HouseholdFacts::of).collect();
    let visits: Vec<VisitFacts> = visits.iter().map(VisitFacts::of).collect();
    visit_figures_of(tree, scope, &households, &visits, schedule, period)
}

/// [`visit_figures`] over the lean facts (what the phone reads out of its store), in one
/// pass over the visits.
pub fn visit_figures_of(
    tree: &GridTree,
    scope: &GridId,
    households: &[HouseholdFacts],
    visits: &[VisitFacts],
    schedule: &VisitSchedule,
    (from, to): (Date, Date),
) -> VisitFigures {
    let in_scope: Vec<&HouseholdFacts> = households.iter().filter(|h| tree.contains(scope, &h.grid)).collect();
    // Per household in scope: its visits in the period, and its last visit up to `to`.
    let mut seen: HashMap<&HouseholdId, (u32, Option<Date>)> = in_scope.iter().map(|h| (&h.id, (0, None))).collect();
    let mut figures = VisitFigures::default();
    for v in visits.iter().filter(|v| v.date <= to) {
        if let Some((done, last)) = seen.get_mut(&v.household) {
            if v.date >= from {
                *done += 1;
                figures.visits_done += 1;
            }
            *last = (*last).max(Some(v.date));
        }
    }
    let days = (from.days_until(to) + 1).max(0) as u32;
    for h in &in_scope {
        let Some(every) = schedule.interval_of(h.status, &h.tags) else {
            continue;
        };
        let due = visits_due(days, every);
        let (done, last) = seen[&h.id];
        figures.households_scheduled += 1;
        figures.visits_due += due;
        figures.scheduled_visits_done += done.min(due);
        figures.households_visited += u32::from(done > 0);
        // Overdue as `due_visits` reckons it: its next visit was due before `to`.
        figures.households_overdue += u32::from(next_due(last, every, to) < to);
    }
    figures
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
