//! What a task's results add up to, `now` passed in: per record ([`progress`]) the
//! targets reached and not, by outcome, per worker, overdue; per sending ([`board`]) a row
//! per grid node it reached, a forwarded node summing the nodes below it.
//!
//! **Which result counts for a target**: the latest (by `at`, then entry id) of those that
//! reached it; if none reached it, the latest 未联系上. So one worker's "not reachable" in
//! the morning does not undo another's "safe" at noon, whichever order their pushes
//! arrive in — progress is a function of the set of results, never of the merge order.

use std::collections::BTreeMap;

use super::{ResultOutcome, Target, TargetRule, Task, TaskResult};
use crate::grid::GridTree;
use crate::household::{Household, HouseholdStatus};
use crate::unit::Unit;
use crate::{EntryId, GridId, Millis, PersonId, TaskId};

/// One target's results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetState {
    /// The target.
    pub target: Target,
    /// The result that counts for it (see the module's rule), if any.
    pub counted: Option<(EntryId, TaskResult)>,
    /// Every result recorded for it, oldest first (two workers' ticks both shown).
    pub all: Vec<(EntryId, TaskResult)>,
}

impl TargetState {
    /// Whether a result reached it.
    pub fn reached(&self) -> bool {
        self.counted.as_ref().is_some_and(|(_, r)| r.outcome.reached())
    }
}

/// What one worker did on a task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerCount {
    /// Results recorded.
    pub results: usize,
    /// Targets whose counted result is theirs and reached it.
    pub reached: usize,
}

/// Where one task record stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Targets in the grid.
    pub total: usize,
    /// Targets reached.
    pub done: usize,
    /// Targets by the outcome of their counted result.
    pub by_outcome: BTreeMap<ResultOutcome, usize>,
    /// Targets not reached yet (no result, or only 未联系上), in target order.
    pub not_reached: Vec<Target>,
    /// Targets first reached after the deadline.
    pub late: usize,
    /// Open, past its deadline and not done.
    pub overdue: bool,
    /// Per worker.
    pub per_worker: BTreeMap<PersonId, WorkerCount>,
    /// Each target with its results, in target order.
    pub targets: Vec<TargetState>,
}

impl Progress {
    /// Whether every target is reached (a grid with no targets is complete).
    pub fn complete(&self) -> bool {
        self.done == self.total
    }
}

/// The targets `task` has, resolved against the roster as it stands: the grid itself, the
/// households living in its subtree with the care tag (moved-out and merged ones left
/// out), the units there of the kind, or the picked list. Sorted, no repeats.
pub fn resolve_targets(task: &Task, tree: &GridTree, households: &[Household], units: &[Unit]) -> Vec<Target> {
    let inside = |grid: &GridId| tree.contains(&task.grid, grid);
    let mut out: Vec<Target> = match &task.targets {
        TargetRule::Grid => vec![Target::Grid],
        TargetRule::CareTag { tag } => households
            .iter()
            .filter(|h| h.status == HouseholdStatus::Present && h.has_tag(*tag) && inside(&h.grid))
            .map(|h| Target::Household(h.id.clone()))
            .collect(),
        TargetRule::UnitKind { unit_kind } => units
            .iter()
            .filter(|u| u.kind == *unit_kind && inside(&u.grid))
            .map(|u| Target::Unit(u.id.clone()))
            .collect(),
        TargetRule::Picked { targets } => targets.clone(),
    };
    crate::sort::sort_by_key(&mut out, Target::clone);
    out.dedup();
    out
}

/// Where `task` stands at `now`, over `targets` (from [`resolve_targets`]).
pub fn progress(task: &Task, targets: &[Target], now: Millis) -> Progress {
    let mut by_target: BTreeMap<&Target, Vec<(EntryId, TaskResult)>> = BTreeMap::new();
    let mut per_worker: BTreeMap<PersonId, WorkerCount> = BTreeMap::new();
    for (id, r) in &task.entries.results {
        by_target.entry(&r.target).or_default().push((id.clone(), r.clone()));
        per_worker.entry(r.by.clone()).or_default().results += 1;
    }
    let mut p = Progress {
        total: targets.len(),
        done: 0,
        by_outcome: BTreeMap::new(),
        not_reached: Vec::new(),
        late: 0,
        overdue: false,
        per_worker,
        targets: Vec::with_capacity(targets.len()),
    };
    for target in targets {
        let mut all = by_target.remove(target).unwrap_or_default();
        crate::sort::sort_by_key(&mut all, |(id, r)| (r.at, id.clone()));
        let latest_reached = all.iter().rev().find(|(_, r)| r.outcome.reached());
        let counted = latest_reached.or_else(|| all.last()).cloned();
        let state = TargetState { target: target.clone(), counted, all };
        if let Some((_, r)) = &state.counted {
            *p.by_outcome.entry(r.outcome).or_default() += 1;
        }
        if state.reached() {
            p.done += 1;
            let first = state.all.iter().find(|(_, r)| r.outcome.reached()).map(|(_, r)| r.at);
            if first.is_some_and(|at| at > task.due) {
                p.late += 1;
            }
            if let Some((_, r)) = &state.counted {
                p.per_worker.entry(r.by.clone()).or_default().reached += 1;
            }
        } else {
            p.not_reached.push(target.clone());
        }
        p.targets.push(state);
    }
    p.overdue = task.overdue(now) && !p.complete();
    p
}

/// One row of a sending's board: a grid node it reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// The record.
    pub task: TaskId,
    /// Its grid node.
    pub grid: GridId,
    /// Its rung's staff forwarded it to the grids below: its figures are theirs summed.
    pub forwarded: bool,
    /// Targets.
    pub total: usize,
    /// Targets reached.
    pub done: usize,
    /// Targets first reached after the deadline.
    pub late: usize,
    /// Open, past the deadline and not done (for a forwarded node: any node below is).
    pub overdue: bool,
    /// The targets not reached yet, with the grid node whose record holds them.
    pub not_reached: Vec<(GridId, Target)>,
}

/// The board of the sending `batch`: a row per record of it, in the tree's order (a
/// node's rows before its children's). A record that was forwarded (another record of the
/// batch names it as `parent`) sums the rows of the records forwarded from it.
pub fn board(
    tasks: &[Task],
    batch: &TaskId,
    tree: &GridTree,
    households: &[Household],
    units: &[Unit],
    now: Millis,
) -> Vec<BoardRow> {
    // The tree's own order (depth first, siblings by code: 一村, 二村, 三村 …), not the
    // names' character order, which would put 七村 before 二村: for the rows, and for the
    // households a forwarded node lists from the grids below it.
    let walk = tree.roots().flat_map(|r| std::iter::once(r).chain(tree.descendants(&r.id)));
    let place: BTreeMap<&GridId, usize> = crate::sort::insert_all(walk.enumerate().map(|(i, g)| (&g.id, i)));
    let at = |grid: &GridId| place.get(grid).copied().unwrap_or(usize::MAX);
    let mut mine: Vec<&Task> = tasks.iter().filter(|t| &t.batch == batch).collect();
    crate::sort::sort_by_key(&mut mine, |t| (at(&t.grid), t.id.clone()));
    let mut rows: BTreeMap<TaskId, BoardRow> = BTreeMap::new();
    for t in &mine {
        let p = progress(t, &resolve_targets(t, tree, households, units), now);
        let not_reached = p.not_reached.into_iter().map(|x| (t.grid.clone(), x)).collect();
        let row = BoardRow {
            task: t.id.clone(),
            grid: t.grid.clone(),
            forwarded: false,
            total: p.total,
            done: p.done,
            late: p.late,
            overdue: p.overdue,
            not_reached,
        };
        rows.insert(t.id.clone(), row);
    }
    // Deepest first, so a forwarded node sums children already summed themselves.
    let depth = |t: &Task| tree.ancestors(&t.grid).len();
    let mut order: Vec<&Task> = mine.clone();
    crate::sort::sort_by_key(&mut order, |t| (std::cmp::Reverse(depth(t)), t.id.clone()));
    for parent in &order {
        let children: Vec<BoardRow> = mine
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&parent.id))
            .filter_map(|c| rows.get(&c.id).cloned())
            .collect();
        if children.is_empty() {
            continue;
        }
        if let Some(row) = rows.get_mut(&parent.id) {
            row.forwarded = true;
            row.total = children.iter().map(|c| c.total).sum();
            row.done = children.iter().map(|c| c.done).sum();
            row.late = children.iter().map(|c| c.late).sum();
            row.overdue = children.iter().any(|c| c.overdue);
            row.not_reached = children.into_iter().flat_map(|c| c.not_reached).collect();
        }
    }
    let mut out: Vec<BoardRow> = rows.into_values().collect();
    crate::sort::sort_by_key(&mut out, |r| (at(&r.grid), r.task.clone()));
    out
}
