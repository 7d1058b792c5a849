//! What the phone's task screens build and show, as pure functions so they are tested
//! natively: the records of one sending (one per grid node, [`send`]), a forward down a
//! rung ([`forward`]: the parent's sending and instructions kept, its added instructions
//! copied and one more added), Today's order ([`today`]: emergency first, then the
//! nearest deadline), and a month's figures for the assessment (考核, [`month_figures`]:
//! per worker, results recorded, targets reached, of them on time).

use std::collections::BTreeMap;

use super::{AddedNote, TargetRule, Task, TaskEntries};
use crate::{Date, Description, EntryId, GridId, IssueTitle, Millis, PersonId, TaskId};

/// What a sender fills in once for a whole sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    /// The sending's id (`batch` of every record).
    pub batch: TaskId,
    /// The node it is sent from (the sender's town or community).
    pub from: GridId,
    /// The sender.
    pub sender: PersonId,
    /// The title.
    pub title: IssueTitle,
    /// The instructions.
    pub instructions: Option<Description>,
    /// When.
    pub sent_at: Millis,
    /// The deadline.
    pub due: Millis,
    /// Emergency (平急转换).
    pub emergency: bool,
    /// The targets in each grid.
    pub targets: TargetRule,
}

/// One record per grid node of `to`, each with the id the caller gave it (the phone
/// writes them all in one transaction). Check each with `check` and `check_sent_from`.
pub fn send(sending: &Sending, to: Vec<(TaskId, GridId)>) -> Vec<Task> {
    to.into_iter()
        .map(|(id, grid)| Task {
            id,
            batch: sending.batch.clone(),
            parent: None,
            grid,
            from: sending.from.clone(),
            sender: sending.sender.clone(),
            title: sending.title.clone(),
            instructions: sending.instructions.clone(),
            sent_at: sending.sent_at,
            due: sending.due,
            emergency: sending.emergency,
            targets: sending.targets.clone(),
            closed: None,
            entries: TaskEntries::default(),
        })
        .collect()
}

/// The record forwarding `parent` to `grid` by `sender` at `now`: the same sending,
/// title, instructions, deadline and targets, sent from the parent's grid; the parent's
/// added instructions copied (the worker sees every rung's) and `note` added as entry
/// `note_id`. Its results are its own (none yet).
pub fn forward(
    parent: &Task,
    id: TaskId,
    grid: GridId,
    sender: PersonId,
    note: Option<(EntryId, Description)>,
    now: Millis,
) -> Task {
    let mut notes = parent.entries.notes.clone();
    if let Some((note_id, text)) = note {
        let added = AddedNote { text, by: sender.clone(), from: parent.grid.clone(), at: now };
        notes.insert(note_id, added);
    }
    Task {
        id,
        parent: Some(parent.id.clone()),
        grid,
        from: parent.grid.clone(),
        sender,
        sent_at: now,
        closed: None,
        entries: TaskEntries { results: BTreeMap::new(), notes },
        ..parent.clone()
    }
}

/// The open tasks among `tasks` in Today's order: emergency first, then the nearest
/// deadline (overdue ones first of all within each), then id.
pub fn today(tasks: &[Task]) -> Vec<&Task> {
    let mut open: Vec<&Task> = tasks.iter().filter(|t| t.closed.is_none()).collect();
    crate::sort::sort_by_key(&mut open, |t| (!t.emergency, t.due, t.id.clone()));
    open
}

/// One worker's tasks in a month, for the assessment (raw counts, no score).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthTasks {
    /// Results recorded in the month.
    pub results: usize,
    /// Of them, results that reached their target.
    pub reached: usize,
    /// Of those, recorded by the task's deadline.
    pub on_time: usize,
}

/// Per worker, their results recorded in the month `(year, month)` (China time) across
/// `tasks`.
pub fn month_figures(tasks: &[Task], year: i32, month: u8) -> BTreeMap<PersonId, MonthTasks> {
    let mut out: BTreeMap<PersonId, MonthTasks> = BTreeMap::new();
    for t in tasks {
        for r in t.entries.results.values() {
            let day = Date::of_millis(r.at);
            if (day.year(), day.month()) != (year, month) {
                continue;
            }
            let f = out.entry(r.by.clone()).or_default();
            f.results += 1;
            if r.outcome.reached() {
                f.reached += 1;
                if r.at <= t.due {
                    f.on_time += 1;
                }
            }
        }
    }
    out
}
