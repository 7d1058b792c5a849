//! Several steps appended to one issue at once (a hand-over and its note), in ONE
//! transaction with their outbox entries and the photos they reference: either all are on
//! the phone or none is.

use wangge_core::issue::IssueEvent;
use wangge_core::sync::Op;

use super::actions::{append_all_in, ask_next_seq, enqueue_at};
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::rows::IssueRow;
use super::schema::{HISTORY, ISSUES, META, OUTBOX};
use super::{Store, StoreError};

impl Store {
    /// Appends `events` (all of one issue, in order) and re-derives its state once. Like
    /// [`Store::append_event`], a step that does not hold is kept and marked by the machine.
    pub async fn append_events(&self, events: Vec<IssueEvent>) -> Result<IssueRow, StoreError> {
        self.append_events_with(events, &[]).await
    }

    /// [`Store::append_events`] with the photos the steps reference, in the same transaction.
    pub async fn append_events_with(
        &self,
        events: Vec<IssueEvent>,
        photos: &[PhotoBytes],
    ) -> Result<IssueRow, StoreError> {
        let tx = self.record_tx(&stores_with(&[ISSUES, HISTORY, OUTBOX, META], photos))?;
        // Asked first, answered with the issue's reads (see `ask_next_seq`).
        let next = ask_next_seq(&tx)?;
        let row = append_all_in(&tx, &events).await?;
        let next = next.await?;
        keep_in(&tx, photos).await?;
        enqueue_at(&tx, next, events.into_iter().map(|event| Op::AppendEvent { event }).collect())?;
        tx.commit().await?;
        Ok(row)
    }
}
