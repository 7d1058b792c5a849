//! Recording a meeting on the phone. Opening one writes the record (every field, base 0)
//! with its outbox entry; a decision (研判) writes, in ONE transaction, the meeting's
//! `item:<issue>` field (with its base, like any edit, so two phones merge per item) and
//! the issue's events the core plans for it (`meeting::plan_decision`), each appended
//! exactly as steps are (`actions.rs`'s `append_all_in`). A refused decision writes nothing.
//! Photos of an item (an on-site office's problem) are added to the item field as the
//! transaction reads it, with the photos' bytes, together.

use indexed_db_futures::prelude::*;
use wangge_core::issue::{Actor, IssueEvent};
use wangge_core::meeting::{plan_decision, AgendaItem, Decision, DecisionError, Entries, Meeting};
use wangge_core::photo::{check_count, PhotoRef};
use wangge_core::sync::{Collection, Op};
use wangge_core::{IssueId, MeetingId};

use super::actions::{append_all_in, enqueue, put_op};
use super::edit::{edit_in, Bases};
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::rows::IssueRow;
use super::schema::{HISTORY, ISSUES, MEETINGS, META, OUTBOX, VERSIONS};
use super::{Fields, Store, StoreError};

/// Why a decision was not recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum DecideError {
    /// The core refused it (its message goes beside the form).
    Refused(DecisionError),
    /// The minutes are final (定稿): decisions are read-only.
    Closed,
    /// The item already has a decision.
    AlreadyDecided,
    /// Reading or writing the phone's store failed.
    Store(StoreError),
}

impl From<StoreError> for DecideError {
    fn from(e: StoreError) -> DecideError {
        DecideError::Store(e)
    }
}

impl From<indexed_db_futures::error::Error> for DecideError {
    fn from(e: indexed_db_futures::error::Error) -> DecideError {
        DecideError::Store(e.into())
    }
}

impl Store {
    /// Opens a meeting recorded on this phone: the record and a put of every field with
    /// base 0, together. `add`: an id already on the phone is refused.
    pub async fn open_meeting(&self, meeting: &Meeting) -> Result<(), StoreError> {
        let put = put_op(Collection::Meetings, meeting.id.as_str(), meeting)?;
        let tx = self.record_tx(&[MEETINGS, OUTBOX, META])?;
        tx.object_store(MEETINGS)?.add(meeting).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes fields of a meeting (attendance, an item added, notes, 定稿) from a form that
    /// showed it with the bases `seen`; see [`Store::edit_seen`].
    pub async fn edit_meeting(
        &self,
        id: &MeetingId,
        changes: Fields,
        seen: Option<&Bases>,
    ) -> Result<bool, StoreError> {
        self.edit_seen(Collection::Meetings, id.as_str(), changes, seen).await
    }

    /// Records `decision` on `issue`'s agenda item: the item field and the issue's planned
    /// events, in one transaction, or nothing at all. Returns the events written.
    pub async fn decide_item(
        &self,
        meeting: &MeetingId,
        issue: &IssueId,
        decision: Decision,
        actor: &Actor,
        seen: Option<&Bases>,
        random: impl FnMut() -> [u8; 10],
    ) -> Result<Vec<IssueEvent>, DecideError> {
        let tx = self.record_tx(&[MEETINGS, ISSUES, HISTORY, VERSIONS, OUTBOX, META])?;
        let record: Option<Meeting> = tx.object_store(MEETINGS)?.get(meeting.as_str()).serde()?.await?;
        let record = record.ok_or_else(|| StoreError::Invalid(format!("meeting {meeting} is not on this phone")))?;
        if record.closed {
            return Err(DecideError::Closed);
        }
        let item = record
            .entries
            .items
            .get(issue)
            .filter(|i| !i.removed)
            .ok_or_else(|| StoreError::Invalid(format!("issue {issue} is not on the agenda")))?;
        if item.decision.is_some() {
            return Err(DecideError::AlreadyDecided);
        }
        let row: Option<IssueRow> = tx.object_store(ISSUES)?.get(issue.as_str()).serde()?.await?;
        let row = row.ok_or_else(|| StoreError::Invalid(format!("issue {issue} is not on this phone")))?;
        // Planned on the issue as this transaction reads it, so nothing can slip in between.
        let events = plan_decision(actor, &row.issue, &row.state, &decision, meeting, decision.at, random)
            .map_err(DecideError::Refused)?;
        if !events.is_empty() {
            append_all_in(&tx, &events).await?;
        }
        let decided = AgendaItem { decision: Some(decision), ..item.clone() };
        let value = serde_json::to_value(&decided).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changes = Fields::from_iter([(Entries::item_field(issue), value)]);
        let put = edit_in(&tx, Collection::Meetings, meeting.as_str(), changes, seen).await?;
        let mut ops: Vec<Op> = events.iter().map(|event| Op::AppendEvent { event: event.clone() }).collect();
        ops.extend(put);
        enqueue(&tx, ops).await?;
        tx.commit().await?;
        Ok(events)
    }

    /// Adds `refs` to `issue`'s agenda item and keeps their bytes, in one transaction. The
    /// item is read inside it and the photos added to it as it stands, so what a sync
    /// brought meanwhile (another phone's photos or decision) stays, and the field goes
    /// with the phone's own base (not a form's: nothing was typed over it blind). Refused
    /// when the minutes are final or the item would carry more than the core allows.
    pub async fn add_item_photos(
        &self,
        meeting: &MeetingId,
        issue: &IssueId,
        refs: Vec<PhotoRef>,
        photos: &[PhotoBytes],
    ) -> Result<bool, StoreError> {
        let tx = self.record_tx(&stores_with(&[MEETINGS, VERSIONS, OUTBOX, META], photos))?;
        let record: Option<Meeting> = tx.object_store(MEETINGS)?.get(meeting.as_str()).serde()?.await?;
        let record = record.ok_or_else(|| StoreError::Invalid(format!("meeting {meeting} is not on this phone")))?;
        if record.closed {
            return Err(StoreError::Invalid("会议纪要已定稿,不能再添加照片".into()));
        }
        let mut item = record
            .entries
            .items
            .get(issue)
            .filter(|i| !i.removed)
            .cloned()
            .ok_or_else(|| StoreError::Invalid(format!("issue {issue} is not on the agenda")))?;
        item.photos.extend(refs);
        check_count(&item.photos).map_err(|e| StoreError::Invalid(e.message_zh()))?;
        let value = serde_json::to_value(&item).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changes = Fields::from_iter([(Entries::item_field(issue), value)]);
        let Some(put) = edit_in(&tx, Collection::Meetings, meeting.as_str(), changes, None).await? else {
            return Ok(false);
        };
        keep_in(&tx, photos).await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(true)
    }
}
