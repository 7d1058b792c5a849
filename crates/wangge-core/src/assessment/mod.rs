//! The assessment (考核, seed 000's 督查考核, issue #19's "a fair view of each grid's
//! work"): for one calendar month in China time, per grid and per worker, the raw counts
//! the work is judged on — visits to households with care tags made on schedule, issues
//! reported and how soon after a visit, issues closed at or below the community rung
//! ("小事不出网格,大事不出社区"), issues overdue, residents' ratings, task results and task
//! records done by their deadline. **No score is computed**: every figure is a count or a
//! [`Share`] carrying what it counts, so whoever reads it can check it.
//!
//! Pure, like [`crate::stats`]: the phone computes it over the records it holds (a
//! worker's phone holds her grid, a secretary's her community), and a server report would
//! count the same way. For the month still running, everything is counted up to `now`
//! (visits due so far, overdue at `now`); for a past month, up to its last moment.
//!
//! Attribution: a worker's row counts the work she did — visits she made (`worker`),
//! issues she reported (`reporter`, for reporting, closing, overdue and ratings), task
//! results she recorded (`by`). A grid's row counts the grid's records whoever did them;
//! a node above (the total) sums its grids' rows.

mod issues;
mod table;
mod tasks;
#[cfg(test)]
mod tests;
mod visits;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::committee_stats::Share;
pub use table::{table, TOTAL, WHOLE_GRID};

use crate::grid::{GridLevel, GridTree};
use crate::household::Household;
use crate::issue::{Deadlines, Issue, IssueEvent, IssueState};
use crate::people::{Person, Role};
use crate::task::Task;
use crate::unit::Unit;
use crate::visit::{Visit, VisitSchedule};
use crate::{Date, GridId, IssueId, Millis, PersonId};

/// A calendar month (China time), held as its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month(Date);

impl Month {
    /// The month `year`-`month`, `None` for a month that does not exist.
    pub fn new(year: i32, month: u8) -> Option<Month> {
        Date::new(year, month, 1).ok().map(Month)
    }

    /// The month holding the instant `at`.
    pub fn of(at: Millis) -> Month {
        Month(Date::of_millis(at).first_of_month())
    }

    /// `YYYY-MM`, as in a URL's `?month=`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        Month::new(y.parse().ok()?, m.parse().ok()?).filter(|_| m.len() == 2 && y.len() == 4)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u8 {
        self.0.month()
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        self.0
    }

    /// The month before.
    pub fn previous(self) -> Month {
        Month(self.0.add_days(-1).first_of_month())
    }

    /// `[start, end)` in milliseconds.
    pub fn span(self) -> (Millis, Millis) {
        crate::committee_stats::month_span(self.0)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// What is counted: from the month's start up to `cutoff` (its end, or `now` for the
/// month still running; the start itself for a month not yet begun, so nothing counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub month: Month,
    pub start: Millis,
    pub cutoff: Millis,
}

impl Period {
    fn new(month: Month, now: Millis) -> Period {
        let (start, end) = month.span();
        Period { month, start, cutoff: end.min(now).max(start) }
    }

    /// Whether the instant falls in the counted part of the month.
    pub(crate) fn holds(self, at: Millis) -> bool {
        self.start <= at && at < self.cutoff
    }

    /// The days counted, first and last (`None` when none is).
    pub(crate) fn days(self) -> Option<(Date, Date)> {
        (self.cutoff > self.start).then(|| (Date::of_millis(self.start), Date::of_millis(self.cutoff - 1)))
    }
}

/// The month's figures for one grid, one worker or a sum of grids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Visits to households with care tags made on schedule (per household at most as
    /// many as the schedule asks, so extra visits to one family do not hide a missed one),
    /// of the visits the schedule asks for in the month so far (the grid's, on a worker's
    /// row too).
    pub visits: Share,
    /// Issues reported in the month within a day of a visit to their household (the visit
    /// day or the day after), of all reported in the month.
    pub reported: Share,
    /// Issues closed in the month at the grid or community rung, of all closed in it.
    pub closed_low: Share,
    /// Issues past their due at the cutoff, of those open then.
    pub overdue: Share,
    /// Residents' ratings of the issues closed in the month: how many gave 1, 2 … 5.
    pub ratings: [u32; 5],
    /// Task results recorded in the month that reached their target, of all recorded.
    pub task_reached: Share,
    /// Of those that reached their target, recorded by the task's deadline.
    pub task_on_time: Share,
    /// Task records of the grid due in the month so far and completed (every target
    /// reached) by their deadline, of those due. A grid's figure: 0 of 0 on a worker's row.
    pub task_records: Share,
}

impl Figures {
    /// Adds `other` to these figures (a node above sums its grids).
    pub fn add(&mut self, other: &Figures) {
        for (a, b) in self.shares_mut().into_iter().zip(other.shares()) {
            a.count += b.count;
            a.of += b.of;
        }
        for (a, b) in self.ratings.iter_mut().zip(other.ratings) {
            *a += b;
        }
    }

    /// Ratings given, all scores.
    pub fn rated(&self) -> u32 {
        self.ratings.iter().sum()
    }

    fn shares(&self) -> [Share; 7] {
        [
            self.visits,
            self.reported,
            self.closed_low,
            self.overdue,
            self.task_reached,
            self.task_on_time,
            self.task_records,
        ]
    }

    fn shares_mut(&mut self) -> [&mut Share; 7] {
        [
            &mut self.visits,
            &mut self.reported,
            &mut self.closed_low,
            &mut self.overdue,
            &mut self.task_reached,
            &mut self.task_on_time,
            &mut self.task_records,
        ]
    }
}

/// One person's row under a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerRow {
    pub person: PersonId,
    /// A grid worker of this grid (else someone who did work here, e.g. community staff).
    pub assigned: bool,
    pub figures: Figures,
}

/// One grid's row and its people's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub grid: GridId,
    pub figures: Figures,
    /// The grid's workers first, then anyone else who did work there, by id.
    pub workers: Vec<WorkerRow>,
}

/// The assessment of one scope for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub month: Month,
    /// Counted up to here (the month's end, or `now`).
    pub cutoff: Millis,
    /// Per grid, in the tree's order.
    pub grids: Vec<GridRow>,
    /// The grids' rows summed.
    pub total: Figures,
}

/// Everything the figures are counted over: the records the caller holds (they may
/// reach beyond the scope; only what lies in it counts).
#[derive(Debug, Clone, Copy)]
pub struct World<'a> {
    pub tree: &'a GridTree,
    pub people: &'a [Person],
    pub households: &'a [Household],
    pub units: &'a [Unit],
    pub visits: &'a [Visit],
    /// Each issue with its current state.
    pub issues: &'a [(Issue, IssueState)],
    /// The events of the issues [`needs_history`] names (for a past month's overdue
    /// figure: the state at the month's end); an issue missing here is taken as it is now.
    pub histories: &'a BTreeMap<IssueId, Vec<IssueEvent>>,
    pub tasks: &'a [Task],
    pub schedule: &'a VisitSchedule,
    pub deadlines: &'a Deadlines,
}

/// Whether the overdue figure of `month` needs this issue's events: it was reported by
/// the cutoff and something happened to it after, so its state then is not its state now.
pub fn needs_history(state: &IssueState, month: Month, now: Millis) -> bool {
    let cutoff = Period::new(month, now).cutoff;
    state.reported_at.is_some_and(|at| at < cutoff) && state.last_event_at.is_some_and(|at| at >= cutoff)
}

/// The grids a scope is assessed by: the groups (村民小组/居民小组, each a grid worker's
/// grid) inside it, in the tree's order; the scope itself when it is one, or holds none.
pub fn grids_of(tree: &GridTree, scope: &GridId) -> Vec<GridId> {
    let is_grid = |level: GridLevel| level.depth() >= GridLevel::Group.depth();
    match tree.get(scope) {
        Some(g) if is_grid(g.level) => vec![scope.clone()],
        Some(_) => {
            let below: Vec<GridId> = tree
                .descendants(scope)
                .into_iter()
                .filter(|g| g.level == GridLevel::Group)
                .map(|g| g.id.clone())
                .collect();
            if below.is_empty() {
                vec![scope.clone()]
            } else {
                below
            }
        }
        None => Vec::new(),
    }
}

/// The assessment of `scope` for `month`, counted up to `now` if the month is running.
pub fn assess(world: &World<'_>, scope: &GridId, month: Month, now: Millis) -> Assessment {
    let period = Period::new(month, now);
    let ctx = issues::Context::new(world, period);
    let mut total = Figures::default();
    let grids: Vec<GridRow> = grids_of(world.tree, scope)
        .into_iter()
        .map(|grid| {
            let row = grid_row(world, &ctx, period, grid);
            total.add(&row.figures);
            row
        })
        .collect();
    Assessment { month, cutoff: period.cutoff, grids, total }
}

/// Per person, their figures in one grid.
pub(crate) type PerWorker = BTreeMap<PersonId, Figures>;

fn grid_row(world: &World<'_>, ctx: &issues::Context<'_>, period: Period, grid: GridId) -> GridRow {
    let inside = |g: &GridId| world.tree.contains(&grid, g);
    let mut figures = Figures::default();
    let mut people = PerWorker::new();
    visits::count(world, period, &inside, &mut figures, &mut people);
    ctx.count(&inside, &mut figures, &mut people);
    tasks::count(world, period, &inside, &mut figures, &mut people);
    let mut assigned: Vec<&PersonId> = world
        .people
        .iter()
        .filter(|p| p.active && p.has_role(Role::GridWorker) && inside(&p.grid))
        .map(|p| &p.id)
        .collect();
    crate::sort::sort_by(&mut assigned, Ord::cmp);
    assigned.dedup();
    let mut workers: Vec<WorkerRow> = assigned
        .iter()
        .map(|id| WorkerRow { person: (*id).clone(), assigned: true, figures: people.remove(*id).unwrap_or_default() })
        .collect();
    workers.extend(people.into_iter().map(|(person, figures)| WorkerRow { person, assigned: false, figures }));
    for w in &mut workers {
        // What the schedule asked of the grid is what each of its people is measured by.
        w.figures.visits.of = figures.visits.of;
    }
    GridRow { grid, figures, workers }
}
