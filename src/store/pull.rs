//! A pulled page lands: every change of the page and the cursor it moves to, as the
//! core's `plan_pull_page` decides, in one read-write transaction, so a tab closed mid-pull leaves either the whole page or
//! nothing. Records are rebuilt as the pulled state with the outbox's pending values on
//! top, and every issue whose record or history changed is re-derived from all the events
//! the phone holds. A pulled issue is two puts at the end of the page, whatever number of
//! its events the page brought: its list row and its history row (events and field
//! versions, `history.rs`).
//!
//! Written for speed as much as for clarity, because a fresh phone pulls a whole village
//! (≈140,000 changes) through here: nothing is awaited request by request. IndexedDB
//! answers a transaction's requests in the order they were made, so the writes of a page
//! go out without waiting, the reads a step needs are all asked at once and only the last
//! one is awaited (see [`in_order`]), and the commit is the one wait for the writes.
//! The rows themselves cross into JavaScript as one JSON text per batch (see [`Rows`]).

use std::collections::{BTreeSet, HashMap};
use std::future::Future;

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use js_sys::Array;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wangge_core::issue::{derive, IssueEvent};
use wangge_core::sort::insert_all;
use wangge_core::sync::{plan_pull_page, Change, Collection, Mutation, Op, PullPlan, PullRequest, PullResponse};
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{fields_of_row, row_from_fields, store_of, stored, stored_collections, version_key, Fields};
use super::epoch::reset_for_epoch;
use super::history::HistoryRow;
use super::meta::{CURSOR, EPOCH};
use super::schema::{CONFLICTS, HISTORY, ISSUES, META, VERSIONS};
use super::summary::{self, SummaryChanges};
use super::sync::{PullOutcome, VersionRow};
use super::{Store, StoreError};

impl Store {
    /// Applies one pull page and its cursor in one transaction, as the core's
    /// [`plan_pull_page`] decides: a page from a new epoch resets the device instead (in
    /// this same transaction); one from an epoch the device already left, or asked from
    /// beyond its cursor, is ignored.
    pub async fn apply_pull(&self, request: &PullRequest, response: &PullResponse) -> Result<PullOutcome, StoreError> {
        // Where the device stands is read in the transaction that moves it, so no other
        // step can move it in between.
        let (tx, sync, outbox) = self.sync_step(KeyRange::LowerBound(0, false)).await?;
        let apply = match plan_pull_page(&sync, request, response) {
            // Nothing was written: dropping the transaction rolls it back.
            PullPlan::Ignore => return Ok(PullOutcome::Ignored),
            PullPlan::NewEpoch(epoch) => {
                reset_for_epoch(&tx, &sync, &epoch).await?;
                tx.commit().await?;
                return Ok(PullOutcome::NewEpoch);
            }
            PullPlan::Apply(apply) => apply,
        };
        let pending = pending_puts(outbox);
        let mut page = Page::open(&tx)?;
        let mut applied = 0u32;
        for change in apply.changes(response) {
            applied += 1;
            page.apply(change, &pending)?;
        }
        page.flush()?;
        rederive_issues(&tx, page.issues, &mut page.summary).await?;
        // One summary update per page: each chunk it touched read and written once.
        summary::write(&tx, page.summary).await?;
        let meta = tx.object_store(META)?;
        drop(meta.put(apply.cursor).with_key(CURSOR.to_string()).serde()?);
        if let Some(epoch) = apply.set_epoch {
            drop(meta.put(epoch).with_key(EPOCH.to_string()).serde()?);
        }
        // The commit resolves once every request above succeeded; a failed one aborts
        // the transaction, and the commit reports it.
        tx.commit().await?;
        Ok(PullOutcome::Applied { changes: applied })
    }
}

/// The stores a page writes, opened once, and the issues it touched.
struct Page<'a> {
    records: Vec<(Collection, ObjectStore<'a>)>,
    versions: ObjectStore<'a>,
    history: ObjectStore<'a>,
    conflicts: ObjectStore<'a>,
    issues: TouchedIssues,
    rows: Rows<Target>,
    /// The page's changes to the dashboard's summary, written once at the end.
    summary: SummaryChanges,
}

/// What a page (or a push reply) changed of issues, written once per issue at the end.
#[derive(Default)]
struct TouchedIssues {
    /// Issues whose record or history changed: re-derived once at the end of the page.
    ids: BTreeSet<String>,
    /// Pulled issue records (with pending values on top), waiting for their state.
    fields: HashMap<String, Fields>,
    /// Pulled field versions of issues, for their history rows.
    versions: HashMap<String, VersionRow>,
    /// Pulled events, by issue, for their history rows.
    events: HashMap<String, Vec<IssueEvent>>,
}

impl TouchedIssues {
    /// Forgets what the page brought of `id` before its tombstone or eviction.
    fn forget(&mut self, id: &str) {
        self.ids.remove(id);
        self.fields.remove(id);
        self.versions.remove(id);
        self.events.remove(id);
    }
}

/// Where a queued row goes.
#[derive(Clone, Copy)]
enum Target {
    Record(Collection),
    Versions,
    Conflicts,
}

impl<'a> Page<'a> {
    fn open(tx: &'a Transaction<'_>) -> Result<Page<'a>, StoreError> {
        let records =
            stored_collections().map(|c| Ok((c, tx.object_store(store_of(c))?))).collect::<Result<_, StoreError>>()?;
        Ok(Page {
            records,
            versions: tx.object_store(VERSIONS)?,
            history: tx.object_store(HISTORY)?,
            conflicts: tx.object_store(CONFLICTS)?,
            issues: TouchedIssues::default(),
            rows: Rows::default(),
            summary: SummaryChanges::default(),
        })
    }

    /// Sends the queued rows, in the order they were queued.
    fn flush(&mut self) -> Result<(), StoreError> {
        for (target, row) in self.rows.take()? {
            let store = match target {
                Target::Record(c) => self.store(c),
                Target::Versions => &self.versions,
                Target::Conflicts => &self.conflicts,
            };
            drop(store.put(row).primitive()?);
        }
        Ok(())
    }

    fn store(&self, collection: Collection) -> &ObjectStore<'a> {
        let (_, store) =
            self.records.iter().find(|(c, _)| *c == collection).expect("every collection's store is opened");
        store
    }

    /// Sends the change's writes without waiting for them (see the module docs).
    fn apply(&mut self, change: &Change, pending: &HashMap<String, Fields>) -> Result<(), StoreError> {
        // A collection this build does not keep yet (tasks) is skipped whole: no row, no
        // versions. Its store's schema step must fetch such records again (see `stored`).
        if let Change::Upsert { collection, .. }
        | Change::Tombstone { collection, .. }
        | Change::Evict { collection, .. } = change
        {
            if !stored(*collection) {
                return Ok(());
            }
        }
        match change {
            Change::Upsert { collection, id, version, fields } => {
                let key = version_key(*collection, id);
                let mut values: Fields = insert_all(fields.iter().map(|(k, v)| (k.clone(), v.value.clone())));
                // What the worker changed and the server has not acknowledged yet
                // stays on screen: the view is the pulled state plus the outbox.
                if let Some(mine) = pending.get(&key) {
                    values.extend(mine.clone());
                }
                let versions = VersionRow {
                    key,
                    version: *version,
                    fields: insert_all(fields.iter().map(|(k, v)| (k.clone(), v.version))),
                    writers: insert_all(fields.iter().filter_map(|(k, v)| Some((k.clone(), (v.by.clone()?, v.at?))))),
                };
                if *collection == Collection::Issues {
                    self.issues.ids.insert(id.clone());
                    self.issues.fields.insert(id.clone(), values);
                    self.issues.versions.insert(id.clone(), versions);
                    return Ok(());
                }
                self.rows.push(Target::Versions, &versions)?;
                match row_from_fields(*collection, values, None) {
                    Ok(row) => {
                        self.summary.row(*collection, &row)?;
                        self.rows.push(Target::Record(*collection), &row)?
                    }
                    // A record this build cannot read (a newer app wrote it) is skipped,
                    // not allowed to stop every later change.
                    Err(e) => {
                        web_sys::console::warn_1(&format!("skipped a {} record: {e:?}", collection.name()).into())
                    }
                }
            }
            Change::Tombstone { collection, id, .. } | Change::Evict { collection, id, .. } => {
                // Deletes go after every put queued before them, as the page has them.
                self.flush()?;
                drop(self.store(*collection).delete(id.clone()).serde()?);
                self.summary.remove(*collection, id)?;
                if *collection == Collection::Issues {
                    // Its history and versions go with it; events the page brings after
                    // this start a new history row (the read at the end comes after this
                    // delete, so it finds none).
                    self.issues.forget(id);
                    drop(self.history.delete(id.clone()).serde()?);
                } else {
                    drop(self.versions.delete(version_key(*collection, id)).serde()?);
                }
            }
            Change::Event { event, .. } => {
                let issue = event.issue.to_string();
                self.issues.events.entry(issue.clone()).or_default().push(event.clone());
                self.issues.ids.insert(issue);
            }
            Change::Conflict { conflict, .. } => {
                self.rows.push(Target::Conflicts, conflict)?;
            }
        }
        Ok(())
    }
}

/// After a push: writes the records the server handed back with refused puts as if
/// pulled (under the outbox's still-pending values) and re-derives the issues whose
/// refused events left the history. The cursor does not move: these are not feed entries,
/// and the feed brings anything newer in its turn.
pub(super) async fn restore(
    tx: &Transaction<'_>,
    records: &[Change],
    unwound: BTreeSet<String>,
    outbox: Vec<Mutation>,
) -> Result<(), StoreError> {
    let pending = pending_puts(outbox);
    let mut page = Page::open(tx)?;
    for change in records {
        page.apply(change, &pending)?;
    }
    page.flush()?;
    page.issues.ids.extend(unwound);
    rederive_issues(tx, page.issues, &mut page.summary).await?;
    summary::write(tx, page.summary).await
}

/// Rows on their way to IndexedDB, each with where it goes. They are written as one JSON
/// array and parsed by the browser's `JSON.parse` in one call: building each row field by
/// field through wasm-bindgen (serde_wasm_bindgen) cost a call into JavaScript per field
/// and a text decode per string, a tenth of a first pull's time. The rows are the same
/// values either way, except that a missing optional field is `null` rather than
/// `undefined`; both read back as `None`, and neither is a valid index key.
struct Rows<T> {
    json: Vec<u8>,
    targets: Vec<T>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows { json: Vec::new(), targets: Vec::new() }
    }
}

impl<T: Copy> Rows<T> {
    fn push(&mut self, target: T, row: &impl Serialize) -> Result<(), StoreError> {
        self.json.push(if self.targets.is_empty() { b'[' } else { b',' });
        serde_json::to_writer(&mut self.json, row).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.targets.push(target);
        Ok(())
    }

    /// The queued rows as JavaScript values, each with its target; empties the queue.
    fn take(&mut self) -> Result<Vec<(T, JsValue)>, StoreError> {
        if self.targets.is_empty() {
            return Ok(Vec::new());
        }
        self.json.push(b']');
        let text = String::from_utf8(std::mem::take(&mut self.json)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let values: Array = js_sys::JSON::parse(&text).map_err(StoreError::from_js)?.unchecked_into();
        Ok(self.targets.drain(..).zip(values.iter()).collect())
    }
}

/// Rows read back as JavaScript values (absent ones `None`), decoded through one
/// `JSON.stringify` and one `serde_json` parse for the whole batch: the read-side twin of
/// [`Rows`]. Decoding each row with serde_wasm_bindgen cost a call into JavaScript per
/// field, and an event page reads back about a thousand history rows full of events.
/// The rows hold only what JSON can say (maps were stored as plain objects), so the
/// values are the same either way.
fn decode_rows<T: DeserializeOwned>(
    read: Vec<Result<Option<JsValue>, indexed_db_futures::error::Error>>,
) -> Result<Vec<Option<T>>, StoreError> {
    let values = read.into_iter().map(|r| Ok(r?.unwrap_or(JsValue::NULL))).collect::<Result<Array, StoreError>>()?;
    if values.length() == 0 {
        return Ok(Vec::new());
    }
    let text: String = js_sys::JSON::stringify(&values).map_err(StoreError::from_js)?.into();
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Awaits requests made in this order in one transaction. IndexedDB answers them in
/// that order, so once the last is answered every other one is too and resolves without
/// another trip through the event loop (or a listener of its own).
pub(super) async fn in_order<F: Future>(requests: Vec<F>) -> Vec<F::Output> {
    let mut out: Vec<Option<F::Output>> = requests.iter().map(|_| None).collect();
    for (i, request) in requests.into_iter().enumerate().rev() {
        out[i] = Some(request.await);
    }
    out.into_iter().flatten().collect()
}

/// The values of pending puts per record (oldest first, later ones winning).
fn pending_puts(outbox: Vec<Mutation>) -> HashMap<String, Fields> {
    let mut map: HashMap<String, Fields> = HashMap::new();
    for m in outbox {
        if let Op::Put { collection, id, fields } = m.op {
            let entry = map.entry(version_key(collection, &id)).or_default();
            entry.extend(fields.into_iter().map(|(k, w)| (k, w.value)));
        }
    }
    map
}

/// Rebuilds the rows of issues whose record or history changed: the page's events join
/// the history row, and the state is derived from every event the phone holds (pulled and
/// its own) by the core's one state machine. Each issue is one history put and one list
/// row put.
async fn rederive_issues(
    tx: &Transaction<'_>,
    mut touched: TouchedIssues,
    summary: &mut SummaryChanges,
) -> Result<(), StoreError> {
    let issues = tx.object_store(ISSUES)?;
    let history = tx.object_store(HISTORY)?;
    // Every history row, and every stored record the page did not bring, asked at once:
    // one wait per page, not one per issue.
    let mut histories = Vec::with_capacity(touched.ids.len());
    let mut stored = Vec::new();
    for id in &touched.ids {
        histories.push(history.get(id.clone()).primitive()?);
        if !touched.fields.contains_key(id) {
            stored.push(issues.get(id.clone()).primitive()?);
        }
    }
    let mut history_rows = Rows::default();
    let mut issue_rows = Rows::default();
    let mut stored = decode_rows::<serde_json::Value>(in_order(stored).await)?.into_iter();
    let histories = decode_rows::<HistoryRow>(in_order(histories).await)?;
    for (id, held) in std::mem::take(&mut touched.ids).into_iter().zip(histories) {
        let mut row = held.unwrap_or_else(|| HistoryRow::new(&id));
        let new_events = touched.events.remove(&id);
        let new_versions = touched.versions.remove(&id);
        let changed = new_events.is_some() || new_versions.is_some();
        row.merge(new_events.into_iter().flatten());
        if new_versions.is_some() {
            row.versions = new_versions;
        }
        let record = match touched.fields.remove(&id) {
            Some(f) => Some(f),
            None => match stored.next().expect("one read per issue") {
                Some(row) => Some(fields_of_row(Collection::Issues, row)?),
                // Events of an issue the phone does not hold (yet): kept, derived later.
                None => None,
            },
        };
        if let Some(record) = record {
            match row_from_fields(Collection::Issues, record, Some(derive(&row.events).state)) {
                Ok(issue) => {
                    summary.row(Collection::Issues, &issue)?;
                    issue_rows.push((), &issue)?
                }
                Err(e) => web_sys::console::warn_1(&format!("skipped an issue record: {e:?}").into()),
            }
        }
        if changed {
            history_rows.push((), &row)?;
        }
    }
    for ((), row) in history_rows.take()? {
        drop(history.put(row).primitive()?);
    }
    for ((), row) in issue_rows.take()? {
        drop(issues.put(row).primitive()?);
    }
    Ok(())
}
