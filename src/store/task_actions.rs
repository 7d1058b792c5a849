//! Writing tasks (任务下发) on the phone. A sending (or a forward down a rung) writes one
//! record per grid node with a put of every field (base 0), all in one transaction; a
//! tick is one new keyed field `result:<fresh entry id>` of the record through `edit.rs`'s
//! `edit_in`, so two workers ticking one household offline both keep theirs. Each is
//! checked with the core's rules first (`task::check`, `check_sent_from`, `check_forward`,
//! `fits`): a refused one writes nothing. A visit can complete targets: the visit and its
//! ticks go in one transaction (`record_visit_ticking`).

use indexed_db_futures::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::sync::Collection;
use wangge_core::task::{
    check, check_forward, check_sent_from, fits, Closed, Task, TaskEntries, TaskError, TaskResult,
};
use wangge_core::visit::Visit;
use wangge_core::{EntryId, IssueId, TaskId};

use super::actions::{enqueue, put_op};
use super::codec::Fields;
use super::edit::edit_in;
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::schema::{META, OUTBOX, TASKS, VERSIONS, VISITS};
use super::{Store, StoreError};

/// Why a task or a result was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskSaveError {
    /// The core refused it (its message goes beside the form).
    Refused(TaskError),
    /// Reading or writing the phone's store failed.
    Store(StoreError),
}

impl From<StoreError> for TaskSaveError {
    fn from(e: StoreError) -> TaskSaveError {
        TaskSaveError::Store(e)
    }
}

impl From<indexed_db_futures::error::Error> for TaskSaveError {
    fn from(e: indexed_db_futures::error::Error) -> TaskSaveError {
        TaskSaveError::Store(e.into())
    }
}

impl TaskSaveError {
    /// What the worker reads beside the form.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (TaskSaveError::Refused(e), crate::i18n::Lang::Zh) => e.message_zh(),
            (TaskSaveError::Refused(e), crate::i18n::Lang::En) => e.message_en(),
            (TaskSaveError::Store(e), l) => e.message(l),
        }
    }
}

impl Store {
    /// Sends `tasks` (built by `task::send`, or by `task::forward` from `parent`): every
    /// record and its put together, in one transaction. `add`: an id already on the
    /// phone is refused.
    pub async fn send_tasks(
        &self,
        tasks: &[Task],
        parent: Option<&Task>,
        tree: &GridTree,
    ) -> Result<(), TaskSaveError> {
        let mut puts = Vec::with_capacity(tasks.len());
        for t in tasks {
            check(t).and_then(|()| check_sent_from(tree, t)).map_err(TaskSaveError::Refused)?;
            if let Some(p) = parent {
                check_forward(tree, t, p).map_err(TaskSaveError::Refused)?;
            }
            puts.push(put_op(Collection::Tasks, t.id.as_str(), t)?);
        }
        let tx = self.record_tx(&[TASKS, OUTBOX, META])?;
        let store = tx.object_store(TASKS)?;
        for t in tasks {
            store.add(t).serde()?.await?;
        }
        enqueue(&tx, puts).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records one tick on `task` as the new entry `id`, with the photos it references,
    /// after checking in the same transaction that its target fits the task's rule.
    pub async fn add_task_result(
        &self,
        task: &TaskId,
        id: &EntryId,
        result: &TaskResult,
        photos: &[PhotoBytes],
    ) -> Result<(), TaskSaveError> {
        let tx = self.record_tx(&stores_with(&[TASKS, VERSIONS, OUTBOX, META], photos))?;
        let Some(put) = tick_in(&tx, task, id, result).await? else {
            return Ok(());
        };
        keep_in(&tx, photos).await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a visit and, in the same transaction, a tick on each task in `ticks` for
    /// the household visited (a visit completes a task's target: each result names the
    /// visit). A tick the core refuses writes nothing, the visit included.
    pub async fn record_visit_ticking(
        &self,
        visit: Visit,
        photos: &[PhotoBytes],
        ticks: &[(TaskId, EntryId, TaskResult)],
    ) -> Result<(), TaskSaveError> {
        let mut puts = vec![put_op(Collection::Visits, visit.id.as_str(), &visit)?];
        let tx = self.record_tx(&stores_with(&[VISITS, TASKS, VERSIONS, OUTBOX, META], photos))?;
        tx.object_store(VISITS)?.add(&visit).serde()?.await?;
        for (task, id, result) in ticks {
            puts.extend(tick_in(&tx, task, id, result).await?);
        }
        keep_in(&tx, photos).await?;
        enqueue(&tx, puts).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records on result `entry` of `task` the issue raised from it (需帮扶 → 上报问题, saved
    /// after the result): the result's field again with `issue` set. A result or task no
    /// longer on the phone is left alone.
    pub async fn link_task_issue(&self, task: &TaskId, entry: &EntryId, issue: &IssueId) -> Result<(), StoreError> {
        let tx = self.record_tx(&[TASKS, VERSIONS, OUTBOX, META])?;
        let stored: Option<Task> = tx.object_store(TASKS)?.get(task.as_str()).serde()?.await?;
        let Some(mut result) = stored.and_then(|t| t.entries.results.get(entry).cloned()) else {
            return Ok(());
        };
        result.issue = Some(issue.clone());
        let value = serde_json::to_value(&result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changes: Fields = [(TaskEntries::result_field(entry), value)].into_iter().collect();
        if let Some(put) = edit_in(&tx, Collection::Tasks, task.as_str(), changes, None).await? {
            enqueue(&tx, vec![put]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes every open record of the sending `batch` on this phone (the sender's, or a
    /// rung's part of it: what its staff see), in one transaction: each record's `closed`
    /// field, checked with the core first (a close before the sending is refused and
    /// nothing is written). What was not done stays on the board. Returns how many
    /// records it closed.
    pub async fn close_sending(&self, batch: &TaskId, closed: &Closed) -> Result<usize, TaskSaveError> {
        let tx = self.record_tx(&[TASKS, VERSIONS, OUTBOX, META])?;
        let tasks = tx.object_store(TASKS)?;
        let index = tasks.index("by_batch")?;
        let all: Vec<Task> = index.get_all().with_query(batch.as_str()).serde()?.await?.collect::<Result<_, _>>()?;
        let open: Vec<Task> = all.into_iter().filter(|t| t.closed.is_none()).collect();
        let value = serde_json::to_value(closed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut puts = Vec::with_capacity(open.len());
        for t in &open {
            check(&Task { closed: Some(closed.clone()), ..t.clone() }).map_err(TaskSaveError::Refused)?;
            let changes: Fields = [("closed".to_string(), value.clone())].into_iter().collect();
            puts.extend(edit_in(&tx, Collection::Tasks, t.id.as_str(), changes, None).await?);
        }
        let count = puts.len();
        if count > 0 {
            enqueue(&tx, puts).await?;
        }
        tx.commit().await?;
        Ok(count)
    }
}

/// One tick inside the caller's transaction (over `tasks` and `versions`): the task read,
/// the target checked against its rule, the new `result:<id>` field written; the put to
/// enqueue, or `None` if nothing changed.
async fn tick_in(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    task: &TaskId,
    id: &EntryId,
    result: &TaskResult,
) -> Result<Option<wangge_core::sync::Op>, TaskSaveError> {
    let stored: Option<Task> = tx.object_store(TASKS)?.get(task.as_str()).serde()?.await?;
    let stored = stored.ok_or_else(|| StoreError::Invalid(format!("task {task} is not on this phone")))?;
    if !fits(&stored.targets, &result.target) {
        return Err(TaskSaveError::Refused(TaskError::TargetNotInTask { entry: id.clone() }));
    }
    let value = serde_json::to_value(result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let changes: Fields = [(TaskEntries::result_field(id), value)].into_iter().collect();
    Ok(edit_in(tx, Collection::Tasks, task.as_str(), changes, None).await?)
}
