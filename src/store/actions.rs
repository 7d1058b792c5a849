//! User actions: each writes its records and their outbox entries in ONE read-write
//! transaction, committed explicitly, so a record is never saved without the mutation
//! that will sync it (and a failure leaves neither). Only IndexedDB is awaited inside.
//! Those transactions are `strict` ([`Store::record_tx`]): "saved" means on disk.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions};
use serde::Serialize;
use wangge_core::household::Household;
use wangge_core::issue::{derive, Issue, IssueEvent};
use wangge_core::sync::{Collection, FieldWrite, Mutation, Op};
use wangge_core::visit::Visit;

use super::codec::fields_of;
use super::history::HistoryRow;
use super::meta::NEXT_SEQ;
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::rows::{HouseholdRow, IssueRow};
use super::schema::{HISTORY, HOUSEHOLDS, ISSUES, META, OUTBOX, SUMMARY, VISITS};
use super::summary;
use super::{Store, StoreError};

impl Store {
    /// Reports a new issue: the issue, its history row with the first event and two outbox
    /// entries, together.
    pub async fn report_issue(&self, issue: Issue, reported: IssueEvent) -> Result<(), StoreError> {
        self.report_issue_with(issue, reported, &[]).await
    }

    /// [`Store::report_issue`] with the photos its first event references, in the same
    /// transaction.
    pub async fn report_issue_with(
        &self,
        issue: Issue,
        reported: IssueEvent,
        photos: &[PhotoBytes],
    ) -> Result<(), StoreError> {
        let state = derive(std::slice::from_ref(&reported)).state;
        let put = put_op(Collection::Issues, issue.id.as_str(), &issue)?;
        let row = IssueRow::new(issue, state);
        // Keyed by the event's issue, as the event names it: an event of an issue already
        // held (a reused id) fails the `add`, as the event's own row did before v9.
        let mut history = HistoryRow::new(reported.issue.as_str());
        history.merge([reported.clone()]);
        let tx = self.record_tx(&stores_with(&[ISSUES, HISTORY, OUTBOX, META], photos))?;
        // The seq and both `add`s asked before any is awaited (they answer in order, so
        // the later waits cost no extra trip); each `add` is awaited so an id already held
        // reports `AlreadyExists`, not the abort that follows it.
        let next = ask_next_seq(&tx)?;
        let issue_added = tx.object_store(ISSUES)?.add(&row).serde()?;
        let history_added = tx.object_store(HISTORY)?.add(&history).serde()?;
        issue_added.await?;
        history_added.await?;
        let next = next.await?;
        keep_in(&tx, photos).await?;
        enqueue_at(&tx, next, vec![put, Op::AppendEvent { event: reported }])?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends an event to an issue's history and re-derives its state. An event that
    /// does not hold is still kept (the state machine marks it a conflict).
    pub async fn append_event(&self, event: IssueEvent) -> Result<IssueRow, StoreError> {
        let tx = self.record_tx(&[ISSUES, HISTORY, OUTBOX, META])?;
        // Asked first, answered with the issue's reads (see `ask_next_seq`).
        let next = ask_next_seq(&tx)?;
        let row = append_in(&tx, &event).await?;
        enqueue_at(&tx, next.await?, vec![Op::AppendEvent { event }])?;
        tx.commit().await?;
        Ok(row)
    }

    /// Records a household visit.
    pub async fn record_visit(&self, visit: Visit) -> Result<(), StoreError> {
        self.record_visit_with(visit, &[]).await
    }

    /// Records a household visit and the photos it references, together.
    pub async fn record_visit_with(&self, visit: Visit, photos: &[PhotoBytes]) -> Result<(), StoreError> {
        let put = put_op(Collection::Visits, visit.id.as_str(), &visit)?;
        let tx = self.record_tx(&stores_with(&[VISITS, OUTBOX, META], photos))?;
        let next = ask_next_seq(&tx)?;
        tx.object_store(VISITS)?.add(&visit).serde()?.await?;
        let next = next.await?;
        keep_in(&tx, photos).await?;
        enqueue_at(&tx, next, vec![put])?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a household entered on this phone: the record and a put of every field with
    /// base 0 (the server has never had it), together. `add`, not `put`: an id already
    /// on the phone is refused, so this can never overwrite a pulled household with
    /// base-0 writes that would all come back as conflicts. Changes to a household the
    /// phone has go through [`Store::edit_seen`] (only the changed fields, with bases).
    pub async fn add_household(&self, household: Household) -> Result<(), StoreError> {
        let put = put_op(Collection::Households, household.id.as_str(), &household)?;
        let tx = self.record_tx(&[HOUSEHOLDS, OUTBOX, META])?;
        let next = ask_next_seq(&tx)?;
        let row = HouseholdRow::new(household);
        tx.object_store(HOUSEHOLDS)?.add(&row).serde()?.await?;
        enqueue_at(&tx, next.await?, vec![put])?;
        tx.commit().await?;
        Ok(())
    }

    /// A read-only transaction over `stores`, for every read that is not part of a write.
    pub(super) fn read_tx(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        self.transaction(stores, TransactionMode::Readonly, TransactionOptions::new())
    }

    /// A read-write transaction with the browser's default durability, for what can be
    /// fetched again if a power cut takes it: pulled pages (their cursor is written in
    /// the same transaction, so both go or neither), acks, sync bookkeeping.
    pub(super) fn write_tx(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        self.transaction(stores, TransactionMode::Readwrite, TransactionOptions::new())
    }

    /// A read-write transaction for something only this phone has: the worker's own
    /// record, edit or decision and its outbox entry. `strict` makes the browser flush to
    /// disk before it reports the commit. Chromium's default has been `relaxed` since
    /// version 121 (the commit is reported once the data is in the OS's buffers, which
    /// Linux and Android write out within about 30 s), so a cheap phone whose battery
    /// dies just after "已保存" would lose the record, and nothing else has a copy yet.
    pub(super) fn record_tx(&self, stores: &[&str]) -> Result<Transaction<'_>, StoreError> {
        let strict = TransactionOptions::new().with_durability(TransactionDurability::Strict);
        self.transaction(stores, TransactionMode::Readwrite, strict)
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
        options: TransactionOptions,
    ) -> Result<Transaction<'_>, StoreError> {
        let mut stores = stores.to_vec();
        // The one place the summary joins every write of the records it summarises
        // (`summary.rs`); each writer hands its changes to `summary::write` (a local
        // save writes none: `summary_pending.rs`).
        let writes_records = stores.iter().any(|s| [ISSUES, HOUSEHOLDS, VISITS].contains(s));
        if matches!(mode, TransactionMode::Readwrite)
            && writes_records
            && self.version() >= summary::SINCE_VERSION
            && !stores.contains(&SUMMARY)
        {
            stores.push(SUMMARY);
        }
        Ok(self.db.transaction(stores).with_mode(mode).with_options(options).build()?)
    }
}

/// Appends `event` to its issue's history and re-derives the issue's state, inside the
/// caller's transaction (the one way a step reaches an issue).
pub(super) async fn append_in(tx: &Transaction<'_>, event: &IssueEvent) -> Result<IssueRow, StoreError> {
    append_all_in(tx, std::slice::from_ref(event)).await
}

/// Appends `events` (all of one issue, in order) and re-derives its state once, inside the
/// caller's transaction. A step that does not hold is kept and marked by the machine.
pub(super) async fn append_all_in(tx: &Transaction<'_>, events: &[IssueEvent]) -> Result<IssueRow, StoreError> {
    let Some(first) = events.first() else {
        return Err(StoreError::Invalid("no steps to append".into()));
    };
    if events.iter().any(|e| e.issue != first.issue) {
        return Err(StoreError::Invalid("steps of several issues in one save".into()));
    }
    let issues = tx.object_store(ISSUES)?;
    let history = tx.object_store(HISTORY)?;
    // Both reads asked at once; the second answers after the first.
    let row = issues.get(first.issue.as_str()).serde()?;
    let held = history.get(first.issue.as_str()).serde()?;
    let row: Option<IssueRow> = row.await?;
    let held: Option<HistoryRow> = held.await?;
    let row = row.ok_or_else(|| StoreError::Corrupt("event for an unknown issue".into()))?;
    let mut held = held.unwrap_or_else(|| HistoryRow::new(first.issue.as_str()));
    // An event id already in the history is refused, as `add` refused it before v9.
    if events.iter().any(|e| held.events.iter().any(|h| h.id == e.id)) {
        return Err(StoreError::Invalid("this step is already in the issue's history".into()));
    }
    held.merge(events.iter().cloned());
    let row = IssueRow::new(row.issue, derive(&held.events).state);
    drop(history.put(&held).serde()?);
    drop(issues.put(&row).serde()?);
    Ok(row)
}

/// Appends `ops` to the outbox with the device's next seqs, inside the caller's transaction.
pub(super) async fn enqueue(tx: &Transaction<'_>, ops: Vec<Op>) -> Result<(), StoreError> {
    let next = ask_next_seq(tx)?.await?;
    enqueue_at(tx, next, ops)
}

/// Asks for the device's next outbox seq now, to be awaited later with the action's own
/// requests. IndexedDB answers a transaction's requests in order, so a save that asks
/// for it before its own reads or `add`s gets it with their answers: one trip through the
/// event loop before the commit instead of two (the seq read used to be a trip of its
/// own, after the record's). Then [`enqueue_at`] with the answer.
pub(super) fn ask_next_seq(
    tx: &Transaction<'_>,
) -> Result<impl std::future::Future<Output = Result<Option<u64>, StoreError>>, StoreError> {
    let asked = tx.object_store(META)?.get(NEXT_SEQ.to_string()).serde()?;
    Ok(async move { Ok(asked.await?) })
}

/// Appends `ops` to the outbox from `next` (the answer of [`ask_next_seq`] in this same
/// transaction) and moves the device's next seq past them. Nothing is awaited: a failed
/// request aborts the transaction and the caller's commit reports it.
pub(super) fn enqueue_at(tx: &Transaction<'_>, next: Option<u64>, ops: Vec<Op>) -> Result<(), StoreError> {
    let mut seq = next.unwrap_or(1);
    let outbox = tx.object_store(OUTBOX)?;
    for op in ops {
        drop(outbox.add(&Mutation { seq, op }).serde()?);
        seq += 1;
    }
    drop(tx.object_store(META)?.put(seq).with_key(NEXT_SEQ.to_string()).serde()?);
    Ok(())
}

/// A put of every field of a new record (base 0: the server has never had it).
pub(super) fn put_op(collection: Collection, id: &str, record: &impl Serialize) -> Result<Op, StoreError> {
    let fields = fields_of(record)?.into_iter().map(|(k, value)| (k, FieldWrite { value, base: 0 })).collect();
    Ok(Op::Put { collection, id: id.to_string(), fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexed_db_futures::internals::SystemRepr;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// What the browser reports for a transaction's durability ("strict", "relaxed", or
    /// "default"); web-sys has no getter for it yet.
    fn durability(tx: &Transaction<'_>) -> Option<String> {
        js_sys::Reflect::get(tx.as_sys(), &"durability".into()).ok().and_then(|v| v.as_string())
    }

    #[wasm_bindgen_test]
    async fn the_workers_own_records_are_flushed_before_the_save_returns() {
        let name = format!("wangge-durability-{}", js_sys::Math::random());
        let store = Store::open_named(&name).await.unwrap();
        let own = store.record_tx(&[VISITS, OUTBOX, META]).unwrap();
        assert_eq!(durability(&own).as_deref(), Some("strict"));
        drop(own);
        // Pulled data keeps the faster default: it can be fetched again.
        let pulled = store.write_tx(&[VISITS]).unwrap();
        assert_ne!(durability(&pulled).as_deref(), Some("strict"));
    }
}
