//! User actions: each writes its records and their outbox entries in ONE read-write
//! transaction, committed explicitly, so a record is never saved without the mutation
//! that will sync it (and a failure leaves neither). Only IndexedDB is awaited inside.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde::Serialize;
use wangge_core::household::Household;
use wangge_core::issue::{derive, Issue, IssueEvent};
use wangge_core::sync::{Collection, FieldWrite, Mutation, Op};
use wangge_core::visit::Visit;

use super::codec::fields_of;
use super::rows::{HouseholdRow, IssueRow};
use super::schema::{EVENTS, HOUSEHOLDS, ISSUES, META, OUTBOX, VISITS};
use super::{Store, StoreError};

const NEXT_SEQ: &str = "next_seq";

impl Store {
    /// Reports a new issue: the issue, its first event and two outbox entries, together.
    pub async fn report_issue(&self, issue: Issue, reported: IssueEvent) -> Result<(), StoreError> {
        let state = derive(std::slice::from_ref(&reported)).state;
        let put = put_op(Collection::Issues, issue.id.as_str(), &issue)?;
        let row = IssueRow::new(issue, state);
        let tx = self.write_tx(&[ISSUES, EVENTS, OUTBOX, META])?;
        tx.object_store(ISSUES)?.add(&row).serde()?.await?;
        tx.object_store(EVENTS)?.add(&reported).serde()?.await?;
        enqueue(&tx, vec![put, Op::AppendEvent { event: reported }]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends an event to an issue's history and re-derives its state. An event that
    /// does not hold is still kept (the state machine marks it a conflict).
    pub async fn append_event(&self, event: IssueEvent) -> Result<IssueRow, StoreError> {
        let tx = self.write_tx(&[ISSUES, EVENTS, OUTBOX, META])?;
        let issues = tx.object_store(ISSUES)?;
        let row: Option<IssueRow> = issues.get(event.issue.as_str()).serde()?.await?;
        let mut row =
            row.ok_or_else(|| StoreError::Corrupt("event for an unknown issue".into()))?;
        let events = tx.object_store(EVENTS)?;
        let mut history: Vec<IssueEvent> = events
            .index("by_issue")?
            .get_all()
            .with_query(event.issue.as_str())
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        events.add(&event).serde()?.await?;
        history.push(event.clone());
        row = IssueRow::new(row.issue, derive(&history).state);
        issues.put(&row).serde()?.await?;
        enqueue(&tx, vec![Op::AppendEvent { event }]).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Records a household visit.
    pub async fn record_visit(&self, visit: Visit) -> Result<(), StoreError> {
        let put = put_op(Collection::Visits, visit.id.as_str(), &visit)?;
        let tx = self.write_tx(&[VISITS, OUTBOX, META])?;
        tx.object_store(VISITS)?.add(&visit).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves a new or changed household.
    pub async fn save_household(&self, household: Household) -> Result<(), StoreError> {
        let put = put_op(Collection::Households, household.id.as_str(), &household)?;
        let tx = self.write_tx(&[HOUSEHOLDS, OUTBOX, META])?;
        tx.object_store(HOUSEHOLDS)?
            .put(&HouseholdRow::new(household))
            .serde()?
            .await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) fn write_tx(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .build()?)
    }
}

/// Appends `ops` to the outbox with the device's next seqs, inside the caller's transaction.
pub(super) async fn enqueue(tx: &Transaction<'_>, ops: Vec<Op>) -> Result<(), StoreError> {
    let meta = tx.object_store(META)?;
    let next: Option<u64> = meta.get(NEXT_SEQ.to_string()).serde()?.await?;
    let mut seq = next.unwrap_or(1);
    let outbox = tx.object_store(OUTBOX)?;
    for op in ops {
        outbox.add(&Mutation { seq, op }).serde()?.await?;
        seq += 1;
    }
    meta.put(seq)
        .with_key(NEXT_SEQ.to_string())
        .serde()?
        .await?;
    Ok(())
}

/// A put of every field of a new record (base 0: the server has never had it).
fn put_op(collection: Collection, id: &str, record: &impl Serialize) -> Result<Op, StoreError> {
    let fields = fields_of(record)?
        .into_iter()
        .map(|(k, value)| (k, FieldWrite { value, base: 0 }))
        .collect();
    Ok(Op::Put {
        collection,
        id: id.to_string(),
        fields,
    })
}
