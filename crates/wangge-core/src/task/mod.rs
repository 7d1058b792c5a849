//! Work sent down the grid (任务下发, seed 003's 网格员任务清单 and 任务分解、打表推进; the
//! storm and epidemic responses of seeds 002 and 004): a town or community sends a task —
//! "check every living-alone elderly household before 18:00" — to one, several or all of
//! its grids; each grid worker ticks the targets off, offline, one result at a time; the
//! sender watches progress per grid.
//!
//! **One record per grid node the task reached** ([`Task`], collection `tasks`), scoped by
//! its `grid` like a household: the node's worker and everyone above see it, a worker of
//! another grid does not. A record placed at a community node is for the community to
//! split: its staff *forward* it — a new record at each of its grids with `parent` set,
//! the same `batch`, and their own added instructions — since a grid worker does not see
//! records at the community node. Every record of one sending shares `batch`, so the
//! sender's board groups them ([`board`]).
//!
//! Results are keyed fields `result:<entry id>` (`entries.rs`), one per tick, each with a
//! fresh id: two workers ticking the same household offline both keep theirs, and the
//! field merge never has to choose. Progress ([`progress`]) is a function of the *set* of
//! results, so it is the same whichever order two pushes merged in. Added instructions
//! are keyed fields `note:<entry id>` likewise.

mod entries;
mod plan;
mod progress;
mod rules;
mod target_rule_de;

use serde::{Deserialize, Serialize};

pub use entries::{TaskEntries, NOTE_PREFIX, RESULT_PREFIX};
pub use plan::{forward, month_figures, send, today, MonthTasks, Sending};
pub use progress::{board, progress, resolve_targets, BoardRow, Progress, TargetState, WorkerCount};
pub use rules::{check, check_forward, check_sent_from, fits, TaskError};

use crate::household::HouseholdTag;
use crate::photo::PhotoRef;
use crate::unit::UnitKind;
use crate::{CommentText, Description, GridId, HouseholdId, IssueId, IssueTitle, Millis, PersonId, TaskId};
use crate::{UnitId, VisitId};

labelled_enum! {
    /// What a worker found at one target.
    pub enum ResultOutcome {
        /// 安全: seen, all well.
        Safe = "safe", "安全", "Safe";
        /// 需帮扶: seen, needs help (the phone offers to raise an issue or a need).
        NeedsHelp = "needs_help", "需帮扶", "Needs help";
        /// 未联系上: tried, nobody reached — the target still counts as not reached.
        Unreachable = "unreachable", "未联系上", "Not reachable";
        /// 已完成: done (a count taken, a rail patrolled).
        Done = "done", "已完成", "Done";
    }
}

impl ResultOutcome {
    /// Whether a result with this outcome reached its target (every outcome but
    /// 未联系上 does).
    pub const fn reached(self) -> bool {
        !matches!(self, ResultOutcome::Unreachable)
    }
}

/// One thing a task is done at: the grid itself (a patrol, a count), a household or a
/// unit. On the wire: `"grid"`, `{"household": "<id>"}`, `{"unit": "<id>"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The grid as a whole: the task is ticked once per grid.
    Grid,
    /// A household on the roster.
    Household(HouseholdId),
    /// A unit in the grid.
    Unit(UnitId),
}

/// Which targets a task has in each grid it reaches. A rule rather than a list where it
/// can be one, resolved where it is shown against the roster as it stands
/// ([`resolve_targets`]): a household tagged 独居老人 after the task was sent is checked
/// too, and the record does not carry personal data it does not need. Read by hand
/// (`target_rule_de.rs`): serde's internally tagged reader was compiled once per
/// deserializer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetRule {
    /// The grid as a whole, ticked once.
    Grid,
    /// Every household living there with this care tag (独居老人 …).
    CareTag {
        /// The tag.
        tag: HouseholdTag,
    },
    /// Every unit there of this kind (every school, every property firm).
    UnitKind {
        /// The kind.
        unit_kind: UnitKind,
    },
    /// A hand-picked list.
    Picked {
        /// The targets, at least one.
        targets: Vec<Target>,
    },
}

/// One tick: what a worker found at one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskResult {
    /// Where.
    pub target: Target,
    /// What was found.
    pub outcome: ResultOutcome,
    /// A short note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
    /// Who ticked it (the server holds it to the caller).
    pub by: PersonId,
    /// When (device clock).
    pub at: Millis,
    /// The issue raised from it (需帮扶 → an issue in one step), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueId>,
    /// The visit that completed it, if it was ticked from a visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<VisitId>,
    /// Photos, at most `photo::MAX_PHOTOS_PER_STEP`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
}

/// Instructions added by whoever forwarded the task down a rung ("二村重点查看河边三户").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedNote {
    /// The instructions.
    pub text: Description,
    /// Who added them.
    pub by: PersonId,
    /// The grid node they forwarded from.
    pub from: GridId,
    /// When.
    pub at: Millis,
}

/// A task closed by its sender (or staff above): done, or at its deadline with what was
/// not done listed by [`progress`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    /// When.
    pub at: Millis,
    /// Who closed it.
    pub by: PersonId,
    /// What was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
}

/// A task as it reached one grid node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Id of this record.
    pub id: TaskId,
    /// Id of the sending every record of it shares (the sender's board groups by it).
    pub batch: TaskId,
    /// The record it was forwarded from, if a rung above split it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<TaskId>,
    /// The grid node it was sent to: its scope.
    pub grid: GridId,
    /// The node it was sent from (the sender's town or community): the grid or one of
    /// its ancestors, and within the sender's scope (the server checks both).
    pub from: GridId,
    /// Who sent (or forwarded) this record: its author.
    pub sender: PersonId,
    /// What to do, in one line ("暴雨前排查独居老人").
    pub title: IssueTitle,
    /// The sender's instructions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Description>,
    /// When it was sent.
    pub sent_at: Millis,
    /// The deadline.
    pub due: Millis,
    /// Sent in emergency mode (平急转换): goes to the top of Today.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emergency: bool,
    /// What is ticked in each grid.
    pub targets: TargetRule,
    /// Closed, once it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Closed>,
    /// Results and added instructions, each its own keyed field.
    #[serde(flatten)]
    pub entries: TaskEntries,
}

impl Task {
    /// Added instructions oldest first (a forward copies its parent's, then adds its own).
    pub fn notes_in_order(&self) -> Vec<&AddedNote> {
        let mut notes: Vec<_> = self.entries.notes.iter().collect();
        crate::sort::sort_by_key(&mut notes, |(id, n)| (n.at, (*id).clone()));
        notes.into_iter().map(|(_, n)| n).collect()
    }

    /// Whether the deadline has passed at `now` with the task still open.
    pub fn overdue(&self, now: Millis) -> bool {
        self.closed.is_none() && now > self.due
    }
}

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;
