//! The rules a task record must keep, checked by the server on every merged write (the
//! record type's `canonical`) and by the phone before it saves: a deadline after the
//! sending, a hand-picked list that names something, results whose target fits the
//! task's rule, a close after the sending, a forward that is not its own parent. And,
//! with the grid tree: the node it was sent from is the grid itself or above it
//! ([`check_sent_from`]; the server also holds that node to the sender's scope).
//!
//! **A closed task still takes results.** A worker offline in a basement ticks a
//! household before she hears the task closed; refusing her push would drop a fact from
//! the field (the household *was* checked). Progress counts it; the close stays.

use super::{Target, TargetRule, Task};
use crate::grid::GridTree;
use crate::EntryId;

/// Why a task does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The deadline is not after the sending.
    #[error("due before sent")]
    DueBeforeSent,
    /// A hand-picked task with nothing picked.
    #[error("nothing picked")]
    NothingPicked,
    /// A result names a target the task's rule does not have (a unit on a household
    /// task, a household not on the picked list).
    #[error("result {entry} is for a target the task does not have")]
    TargetNotInTask { entry: EntryId },
    /// Closed before it was sent.
    #[error("closed before sent")]
    ClosedBeforeSent,
    /// A record forwarded from itself.
    #[error("forwarded from itself")]
    ForwardedFromItself,
    /// The grid it was sent to is not the sender's node or below it.
    #[error("grid not below the sender's node")]
    GridNotBelowSender,
    /// A forward that is not of its parent's sending, or not to a grid below the
    /// parent's (the server reads the parent; see [`check_forward`]).
    #[error("forward does not keep its parent's sending")]
    ForwardMismatch,
}

impl TaskError {
    /// Every variant with sample data, for the code tables.
    pub fn samples() -> Vec<TaskError> {
        let entry = EntryId::parse("x").ok();
        let mut all = vec![
            TaskError::DueBeforeSent,
            TaskError::NothingPicked,
            TaskError::ClosedBeforeSent,
            TaskError::ForwardedFromItself,
            TaskError::GridNotBelowSender,
            TaskError::ForwardMismatch,
        ];
        all.extend(entry.map(|entry| TaskError::TargetNotInTask { entry }));
        all
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            TaskError::DueBeforeSent => "task_due_before_sent",
            TaskError::NothingPicked => "task_nothing_picked",
            TaskError::TargetNotInTask { .. } => "task_target_not_in_task",
            TaskError::ClosedBeforeSent => "task_closed_before_sent",
            TaskError::ForwardedFromItself => "task_forwarded_from_itself",
            TaskError::GridNotBelowSender => "task_grid_not_below_sender",
            TaskError::ForwardMismatch => "task_forward_mismatch",
        }
    }

    /// What to do, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            TaskError::DueBeforeSent => "完成时限须晚于下发时间".into(),
            TaskError::NothingPicked => "请至少选择一户或一个单位作为任务对象".into(),
            TaskError::TargetNotInTask { .. } => "该对象不在本任务的范围内,请从任务的对象列表中选择".into(),
            TaskError::ClosedBeforeSent => "结束时间不能早于下发时间".into(),
            TaskError::ForwardedFromItself => "任务不能转发给自己".into(),
            TaskError::GridNotBelowSender => "只能向本级或下级网格下发、转发任务".into(),
            TaskError::ForwardMismatch => "转发的任务须与原任务同一批次,并发往原任务网格的下级".into(),
        }
    }

    /// What to do, in English.
    pub fn message_en(&self) -> String {
        match self {
            TaskError::DueBeforeSent => "The deadline must be after the task is sent".into(),
            TaskError::NothingPicked => "Pick at least one household or unit for the task".into(),
            TaskError::TargetNotInTask { .. } => {
                "That target is not part of this task; choose one from the task's list".into()
            }
            TaskError::ClosedBeforeSent => "A task cannot close before it was sent".into(),
            TaskError::ForwardedFromItself => "A task cannot be forwarded to itself".into(),
            TaskError::GridNotBelowSender => "A task goes only to your own grid or the grids below it".into(),
            TaskError::ForwardMismatch => {
                "A forwarded task keeps the original's sending and goes to a grid below the original's".into()
            }
        }
    }
}

/// Whether `target` is one the rule can have (for a care tag or a unit kind: of the right
/// sort; the roster decides which ones when progress is shown).
pub fn fits(rule: &TargetRule, target: &Target) -> bool {
    match (rule, target) {
        (TargetRule::Grid, Target::Grid) => true,
        (TargetRule::CareTag { .. }, Target::Household(_)) => true,
        (TargetRule::UnitKind { .. }, Target::Unit(_)) => true,
        (TargetRule::Picked { targets }, t) => targets.contains(t),
        _ => false,
    }
}

/// Checks that `task` holds together (see the module's rules).
pub fn check(task: &Task) -> Result<(), TaskError> {
    if task.due <= task.sent_at {
        return Err(TaskError::DueBeforeSent);
    }
    if matches!(&task.targets, TargetRule::Picked { targets } if targets.is_empty()) {
        return Err(TaskError::NothingPicked);
    }
    if task.parent.as_ref() == Some(&task.id) {
        return Err(TaskError::ForwardedFromItself);
    }
    if task.closed.as_ref().is_some_and(|c| c.at < task.sent_at) {
        return Err(TaskError::ClosedBeforeSent);
    }
    match task.entries.results.iter().find(|(_, r)| !fits(&task.targets, &r.target)) {
        Some((entry, _)) => Err(TaskError::TargetNotInTask { entry: entry.clone() }),
        None => Ok(()),
    }
}

/// Checks that the task was sent from its grid or a node above it.
pub fn check_sent_from(tree: &GridTree, task: &Task) -> Result<(), TaskError> {
    if tree.contains(&task.from, &task.grid) {
        Ok(())
    } else {
        Err(TaskError::GridNotBelowSender)
    }
}

/// Checks that `task`, forwarded from `parent`, keeps the parent's sending (`batch`) and
/// goes to the parent's grid or below it.
pub fn check_forward(tree: &GridTree, task: &Task, parent: &Task) -> Result<(), TaskError> {
    if task.batch == parent.batch && tree.contains(&parent.grid, &task.grid) {
        Ok(())
    } else {
        Err(TaskError::ForwardMismatch)
    }
}
