//! Writing tasks (任务下发) on the phone. A sending (or a forward down a rung) writes one
//! record per grid node with a put of every field (base 0), all in one transaction; a
//! tick is one new keyed field `result:<fresh entry id>` of the record through `edit.rs`'s
//! `edit_in`, so two workers ticking one household offline both keep theirs. Each is
//! checked with the core's rules first (`task::check`, `check_sent_from`, `check_forward`,
//! `fits`): a refused one writes nothing.

use indexed_db_futures::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::sync::Collection;
use wangge_core::task::{check, check_forward, check_sent_from, fits, Task, TaskEntries, TaskError, TaskResult};
use wangge_core::{EntryId, IssueId, TaskId};

use super::actions::{enqueue, put_op};
use super::codec::Fields;
use super::edit::edit_in;
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::schema::{META, OUTBOX, TASKS, VERSIONS};
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
        let stored: Option<Task> = tx.object_store(TASKS)?.get(task.as_str()).serde()?.await?;
        let stored = stored.ok_or_else(|| StoreError::Invalid(format!("task {task} is not on this phone")))?;
        if !fits(&stored.targets, &result.target) {
            return Err(TaskSaveError::Refused(TaskError::TargetNotInTask { entry: id.clone() }));
        }
        let value = serde_json::to_value(result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changes: Fields = [(TaskEntries::result_field(id), value)].into_iter().collect();
        let Some(put) = edit_in(&tx, Collection::Tasks, task.as_str(), changes, None).await? else {
            return Ok(());
        };
        keep_in(&tx, photos).await?;
        enqueue(&tx, vec![put]).await?;
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
}
