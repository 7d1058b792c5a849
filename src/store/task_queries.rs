//! Reads for tasks (任务下发): Today's tasks of the user's node with their counts, one task
//! with its targets resolved against the roster and its progress, a sending's board, and
//! the sendings on the phone. Everything is the core's pure functions (`resolve_targets`,
//! `progress`, `board`, `today`) over the stores, read once per screen.

use std::collections::BTreeMap;

use wangge_core::grid::GridTree;
use wangge_core::household::Household;
use wangge_core::task::{board, progress, resolve_targets, today, BoardRow, Progress, Target, Task};
use wangge_core::unit::Unit;
use wangge_core::{GridId, HouseholdId, Millis, TaskId};

use super::schema::TASKS;
use super::{Store, StoreError};

/// What every task read needs: the tasks, the tree and the roster.
#[derive(Clone)]
pub struct TaskWorld {
    /// Every task record on the phone.
    pub tasks: Vec<Task>,
    /// The grid tree.
    pub tree: GridTree,
    /// Every household on the phone.
    pub households: Vec<Household>,
    /// Every unit on the phone.
    pub units: Vec<Unit>,
}

/// A task as a line on Today or in the sendings list: a record with its counts (a
/// forwarded record's are the grids' below it summed, as on the board).
#[derive(Debug, Clone)]
pub struct TaskLine {
    /// The record.
    pub task: Task,
    /// Targets reached.
    pub done: usize,
    /// Targets.
    pub total: usize,
    /// Open, past its deadline and not done.
    pub overdue: bool,
}

/// One task as its screen shows it.
#[derive(Clone)]
pub struct TaskView {
    /// The record.
    pub task: Task,
    /// Where it stands (targets in order, each with its results).
    pub progress: Progress,
    /// Records forwarded from it (its rung split it among the grids below).
    pub forwarded: usize,
}

impl TaskWorld {
    /// The board row of `task` (its counts, summed over the records forwarded from it).
    fn line(&self, task: &Task, now: Millis) -> TaskLine {
        let rows = board(&self.tasks, &task.batch, &self.tree, &self.households, &self.units, now);
        let row = rows.into_iter().find(|r| r.task == task.id);
        let (done, total, overdue) = row.map_or((0, 0, false), |r| (r.done, r.total, r.overdue));
        TaskLine { task: task.clone(), done, total, overdue }
    }

    /// How a target reads on screen: a household's head and address, a unit's name, the
    /// grid's name.
    pub fn label(&self, grid: &GridId, target: &Target) -> String {
        match target {
            Target::Grid => self.tree.get(grid).map_or_else(|| grid.to_string(), |g| g.name.to_string()),
            Target::Household(id) => self.households.iter().find(|h| &h.id == id).map_or_else(
                || id.to_string(),
                |h| {
                    let name = h.head().map(|m| m.name.to_string()).unwrap_or_default();
                    format!("{name} {}", h.address)
                },
            ),
            Target::Unit(id) => {
                self.units.iter().find(|u| &u.id == id).map_or_else(|| id.to_string(), |u| u.name.to_string())
            }
        }
    }

    /// A grid node's name.
    pub fn grid_name(&self, grid: &GridId) -> String {
        self.tree.get(grid).map_or_else(|| grid.to_string(), |g| g.name.to_string())
    }

    /// The grid nodes directly below `node` (what a sending or a forward goes to).
    pub fn children(&self, node: &GridId) -> Vec<(GridId, String)> {
        self.tree.children(node).map(|g| (g.id.clone(), g.name.to_string())).collect()
    }
}

impl Store {
    /// Every task record, the tree and the roster, for the task screens.
    pub async fn task_world(&self) -> Result<TaskWorld, StoreError> {
        let tasks: Vec<Task> = self.all_of(TASKS).await?;
        let tree = GridTree::build(self.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
        Ok(TaskWorld { tasks, tree, households: self.all_households().await?, units: self.units().await? })
    }

    /// Today's tasks of the node `home` (the worker's grid; a secretary's community node,
    /// where a town's sending lands to be split): open ones, emergency first, then the
    /// nearest deadline.
    pub async fn todays_tasks(&self, home: &GridId, now: Millis) -> Result<Vec<TaskLine>, StoreError> {
        let world = self.task_world().await?;
        let mine: Vec<Task> = world.tasks.iter().filter(|t| &t.grid == home).cloned().collect();
        Ok(today(&mine).into_iter().map(|t| world.line(t, now)).collect())
    }

    /// One task with its targets and progress at `now`, and the world it was read in.
    pub async fn task_view(&self, id: &str, now: Millis) -> Result<Option<(TaskView, TaskWorld)>, StoreError> {
        let world = self.task_world().await?;
        let Some(task) = world.tasks.iter().find(|t| t.id.as_str() == id).cloned() else {
            return Ok(None);
        };
        let targets = resolve_targets(&task, &world.tree, &world.households, &world.units);
        let progress = progress(&task, &targets, now);
        let forwarded = world.tasks.iter().filter(|t| t.parent.as_ref() == Some(&task.id)).count();
        Ok(Some((TaskView { task, progress, forwarded }, world)))
    }

    /// The board of the sending `batch` at `now`: its first record (title, deadline) and a
    /// row per record, in tree order.
    pub async fn task_board(&self, batch: &TaskId, now: Millis) -> Result<(Vec<BoardRow>, TaskWorld), StoreError> {
        let world = self.task_world().await?;
        let rows = board(&world.tasks, batch, &world.tree, &world.households, &world.units, now);
        Ok((rows, world))
    }

    /// The sendings on the phone, one line each (its topmost records' counts summed),
    /// newest first: what staff open a board from.
    pub async fn task_sendings(&self, now: Millis) -> Result<Vec<TaskLine>, StoreError> {
        let world = self.task_world().await?;
        let mut by_batch: BTreeMap<TaskId, TaskLine> = BTreeMap::new();
        let ids: std::collections::BTreeSet<&TaskId> = wangge_core::sort::insert_all(world.tasks.iter().map(|t| &t.id));
        // Topmost on this phone: no parent, or a parent outside the phone's scope.
        for t in world.tasks.iter().filter(|t| t.parent.as_ref().is_none_or(|p| !ids.contains(p))) {
            let line = world.line(t, now);
            let sum = by_batch.entry(t.batch.clone()).or_insert_with(|| TaskLine { done: 0, total: 0, ..line.clone() });
            sum.done += line.done;
            sum.total += line.total;
            sum.overdue |= line.overdue;
        }
        let mut out: Vec<TaskLine> = by_batch.into_values().collect();
        wangge_core::sort::sort_by_key(&mut out, |l| (std::cmp::Reverse(l.task.sent_at), l.task.batch.clone()));
        Ok(out)
    }

    /// The open tasks on this phone that have `household` as a target not reached yet, in
    /// Today's order: what a visit to it can tick at the same time. Records forwarded to
    /// the grids below are left out (the grid's own record is ticked).
    pub async fn tasks_awaiting(&self, household: &HouseholdId, now: Millis) -> Result<Vec<Task>, StoreError> {
        let world = self.task_world().await?;
        let target = Target::Household(household.clone());
        let split: std::collections::BTreeSet<&TaskId> =
            wangge_core::sort::insert_all(world.tasks.iter().filter_map(|t| t.parent.as_ref()));
        let waiting: Vec<Task> = world
            .tasks
            .iter()
            .filter(|t| t.closed.is_none() && !split.contains(&t.id))
            .filter(|t| {
                let targets = resolve_targets(t, &world.tree, &world.households, &world.units);
                targets.contains(&target) && progress(t, &targets, now).not_reached.contains(&target)
            })
            .cloned()
            .collect();
        Ok(today(&waiting).into_iter().cloned().collect())
    }
}
