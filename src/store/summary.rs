//! The dashboard's summary (schema v10): the facts its figures read of every issue,
//! household and visit ([`IssueFacts`], [`HouseholdFacts`], [`VisitFacts`]), kept in a
//! few hundred chunk rows instead of 60,000 record rows, so the board reads a few hundred
//! strings rather than structured-cloning every whole record (≈ 800 ms at village scale).
//!
//! A record's entry lives in the chunk its kind and id hash to (never its grid), so a
//! writer needs only the id to replace or drop an entry, even when an edit moves the
//! record to another grid or a pull evicts it. A chunk is a text of lines
//! `<id as JSON>\t<facts as a JSON array>`: a save splits the lines and swaps one without
//! parsing the rest; only the dashboard parses the facts.
//!
//! **Every writer of an issue, household or visit row adds its change to a
//! [`SummaryChanges`] and hands it to [`write`] in the same transaction**, so the summary
//! and the records commit together or not at all — **except a local save**, which writes
//! no entry: its record stays named by an outbox entry until the server acknowledges it,
//! the board reads such records from their rows, and the acknowledgement writes their
//! entries (`summary_pending.rs`). [`super::Store`]'s transactions add the summary's store
//! to any read-write transaction over those records (the one choke point for the store
//! list).

use std::collections::{BTreeMap, HashMap};

use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use wangge_core::household::Household;
use wangge_core::stats::{HouseholdFacts, IssueFacts, VisitFacts};
use wangge_core::sync::Collection;
use wangge_core::visit::Visit;

use super::codec::Row;
use super::figure_queries::{FigureFacts, VisitFactsRow};
use super::meta::SUMMARY_TO_BUILD;
use super::rows::IssueRow;
use super::schema::{META, SUMMARY};
use super::summary_entries::{HouseholdEntry, IssueEntry, VisitEntry};
use super::summary_pending::{ask_pending, facts_of};
use super::StoreError;

/// Chunks per kind. A save rewrites one chunk (≈ 1/CHUNKS of its kind's facts); the
/// board reads 3 × CHUNKS rows. Chosen by measurement (ARCHITECTURE.md, "Dashboard summary").
const CHUNKS: u32 = 64;

/// The first schema version with the summary's store.
pub(super) const SINCE_VERSION: u32 = 10;

/// The kinds of record the summary holds, each under its own key prefix.
#[derive(Clone, Copy)]
enum Kind {
    Issue,
    Household,
    Visit,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Issue, Kind::Household, Kind::Visit];

    fn of(collection: Collection) -> Option<Kind> {
        match collection {
            Collection::Issues => Some(Kind::Issue),
            Collection::Households => Some(Kind::Household),
            Collection::Visits => Some(Kind::Visit),
            _ => None,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Kind::Issue => "i",
            Kind::Household => "h",
            Kind::Visit => "v",
        }
    }

    /// The chunk `id` belongs in: FNV-1a of the id, so the same id always lands in the
    /// same chunk on every phone and build.
    fn chunk_of(self, id: &str) -> String {
        let hash = id.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        format!("{}{:03}", self.prefix(), hash % CHUNKS)
    }
}

fn to_json(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("summary: {e}")))
}

/// Changes to the summary made by one transaction, in the order they happened: per
/// record, its new facts or its removal.
#[derive(Default)]
pub(super) struct SummaryChanges {
    /// (chunk key, id as JSON, entry as JSON or `None` for a removal).
    changes: Vec<(String, String, Option<String>)>,
}

impl SummaryChanges {
    fn set(&mut self, kind: Kind, id: &str, entry: Option<String>) -> Result<(), StoreError> {
        self.changes.push((kind.chunk_of(id), to_json(&id)?, entry));
        Ok(())
    }

    /// An issue row as written.
    pub(super) fn issue(&mut self, row: &IssueRow) -> Result<(), StoreError> {
        self.issue_facts(&row.id, &IssueFacts::of(&row.issue, &row.state))
    }

    /// A household as written.
    pub(super) fn household(&mut self, h: &Household) -> Result<(), StoreError> {
        self.household_facts(HouseholdFacts::of(h))
    }

    /// A visit as written.
    pub(super) fn visit(&mut self, v: &Visit) -> Result<(), StoreError> {
        self.visit_facts(v.id.as_str(), VisitFacts::of(v))
    }

    pub(super) fn issue_facts(&mut self, id: &str, f: &IssueFacts) -> Result<(), StoreError> {
        self.set(Kind::Issue, id, Some(to_json(&IssueEntry::from(f))?))
    }

    pub(super) fn household_facts(&mut self, f: HouseholdFacts) -> Result<(), StoreError> {
        let id = f.id.to_string();
        self.set(Kind::Household, &id, Some(to_json(&HouseholdEntry(f.id, f.grid, f.status, f.tags))?))
    }

    pub(super) fn visit_facts(&mut self, id: &str, f: VisitFacts) -> Result<(), StoreError> {
        self.set(Kind::Visit, id, Some(to_json(&VisitEntry(f.household, f.date))?))
    }

    /// A stored row of any collection as written (rows of other collections are not
    /// summarised and are skipped).
    pub(super) fn row(&mut self, collection: Collection, row: &Row) -> Result<(), StoreError> {
        match (Kind::of(collection), row) {
            (_, Row::Issue(row)) => self.issue(row),
            (_, Row::Household(row)) => self.household(&row.household),
            (Some(Kind::Visit), Row::Plain(value)) => {
                let lean = VisitFactsRow::deserialize(value)
                    .map_err(|e| StoreError::Corrupt(format!("summary of a visit row: {e}")))?;
                let id = lean.id.clone();
                self.visit_facts(&id, VisitFacts::from(lean))
            }
            _ => Ok(()),
        }
    }

    /// A record of `collection` deleted (tombstone, eviction).
    pub(super) fn remove(&mut self, collection: Collection, id: &str) -> Result<(), StoreError> {
        match Kind::of(collection) {
            Some(kind) => self.set(kind, id, None),
            None => Ok(()),
        }
    }

    /// The changes by chunk, in order within each.
    fn by_chunk(self) -> BTreeMap<String, Vec<(String, Option<String>)>> {
        let mut by_chunk: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
        for (chunk, id, entry) in self.changes {
            by_chunk.entry(chunk).or_default().push((id, entry));
        }
        by_chunk
    }
}

/// Whether `tx`'s database has the summary (schema v10): upgrade tests write through
/// older schemas, whose summary the v10 step builds from the records.
pub(super) fn has_summary(tx: &Transaction<'_>) -> bool {
    tx.as_sys().db().version() >= f64::from(SINCE_VERSION)
}

/// Key prefix of the delta rows: a record's facts, one row per record, put blind by a
/// push acknowledgement for the records it took out of the outbox (and by the saves of
/// earlier builds, which a save no longer does: `summary_pending.rs`). They are folded
/// into their chunks by the next [`write`] (a pulled page) and laid over them by [`read`]
/// until then.
const DELTA: &str = "d";

fn delta_range() -> KeyRange<String> {
    KeyRange::Bound(DELTA.to_string(), false, format!("{DELTA}\u{ffff}"), false)
}

/// `changes` as delta rows inside the caller's transaction (`d<chunk>\t<id>`, the entry or
/// "" for a removal), put without reading or awaiting anything: an acknowledgement of a
/// 200-mutation batch touches most chunks, and rewriting them (~35 KB each at village
/// scale) belongs to the next pulled page, which rewrites them anyway.
pub(super) fn note(tx: &Transaction<'_>, changes: SummaryChanges) -> Result<(), StoreError> {
    if changes.changes.is_empty() || !has_summary(tx) {
        return Ok(());
    }
    let store = tx.object_store(SUMMARY)?;
    for (chunk, id, entry) in changes.changes {
        drop(store.put(entry.unwrap_or_default()).with_key(format!("{DELTA}{chunk}\t{id}")).serde()?);
    }
    Ok(())
}

/// The delta rows as changes, oldest state first (one row per record: the latest).
async fn deltas(store: &ObjectStore<'_>) -> Result<SummaryChanges, StoreError> {
    let keys = store.get_all_keys().with_query::<String, _>(delta_range()).serde()?;
    let values = store.get_all().with_query::<String, _>(delta_range()).serde()?;
    let keys: Vec<String> = keys.await?.collect::<Result<_, _>>()?;
    let values: Vec<String> = values.await?.collect::<Result<_, _>>()?;
    let mut changes = SummaryChanges::default();
    for (key, entry) in keys.into_iter().zip(values) {
        if let Some((chunk, id)) = key.strip_prefix(DELTA).and_then(|k| k.split_once('\t')) {
            changes.changes.push((chunk.to_string(), id.to_string(), (!entry.is_empty()).then_some(entry)));
        }
    }
    Ok(changes)
}

/// Writes `changes` (a pulled page, a snapshot) into the summary inside the caller's
/// transaction, after folding in the delta rows (older than the page): each touched chunk is read once (all asked at once), changed and put
/// back (or deleted when empty), and the delta rows are deleted.
pub(super) async fn write(tx: &Transaction<'_>, changes: SummaryChanges) -> Result<(), StoreError> {
    if changes.changes.is_empty() || !has_summary(tx) {
        return Ok(());
    }
    let store = tx.object_store(SUMMARY)?;
    let mut all = deltas(&store).await?;
    if !all.changes.is_empty() {
        drop(store.delete::<String, _>(delta_range()).serde()?);
    }
    all.changes.extend(changes.changes);
    let by_chunk = all.by_chunk();
    let mut reads = Vec::with_capacity(by_chunk.len());
    for key in by_chunk.keys() {
        reads.push(store.get(key.clone()).serde()?);
    }
    let held: Vec<Result<Option<String>, _>> = super::pull::in_order(reads).await;
    for ((key, changes), held) in by_chunk.into_iter().zip(held) {
        let text = apply(held?.as_deref().unwrap_or(""), changes);
        if text.is_empty() {
            drop(store.delete(key).serde()?);
        } else {
            drop(store.put(text).with_key(key).serde()?);
        }
    }
    Ok(())
}

/// Replaces the summary with `changes` (the facts of every record), inside the caller's
/// transaction, without reading what was there.
pub(super) fn replace_all(tx: &Transaction<'_>, changes: SummaryChanges) -> Result<(), StoreError> {
    let store = tx.object_store(SUMMARY)?;
    drop(store.clear()?);
    for (key, changes) in changes.by_chunk() {
        drop(store.put(apply("", changes)).with_key(key).serde()?);
    }
    Ok(())
}

/// A chunk's text with `changes` applied in order (the last change of an id wins).
fn apply(held: &str, changes: Vec<(String, Option<String>)>) -> String {
    let mut lines: BTreeMap<&str, &str> = held.lines().filter_map(|l| l.split_once('\t')).collect();
    for (id, entry) in &changes {
        match entry {
            Some(entry) => lines.insert(id, entry),
            None => lines.remove(id.as_str()),
        };
    }
    let mut text = String::with_capacity(held.len() + 64);
    for (id, entry) in lines {
        text.push_str(id);
        text.push('\t');
        text.push_str(entry);
        text.push('\n');
    }
    text
}

/// Empties the summary inside the caller's transaction, with the records it summarises
/// (epoch reset, logout).
pub(super) fn clear(tx: &Transaction<'_>) -> Result<(), StoreError> {
    if has_summary(tx) {
        drop(tx.object_store(SUMMARY)?.clear()?);
    }
    Ok(())
}

/// Reads the facts from the summary in one transaction with the flag that says whether
/// it is built, with the delta rows and then the records the outbox names laid over it. `Ok(None)`: not built yet, or a chunk this build cannot read — the caller
/// reads the records instead (never a wrong figure).
/// `tx` holds the summary's store, `meta`, the outbox and the issue, household and visit stores.
pub(super) async fn read(tx: &Transaction<'_>) -> Result<Option<FigureFacts>, StoreError> {
    let to_build = tx.object_store(META)?.get(SUMMARY_TO_BUILD.to_string()).serde()?;
    let store = tx.object_store(SUMMARY)?;
    let mut reads = Vec::with_capacity(3);
    for kind in Kind::ALL {
        let range = KeyRange::Bound(kind.prefix().to_string(), false, format!("{}\u{ffff}", kind.prefix()), false);
        reads.push(store.get_all().with_query::<String, _>(range).serde()?);
    }
    let pending = ask_pending(tx)?;
    let mut over = deltas(&store).await?;
    let mut chunks = Vec::with_capacity(3);
    for read in reads {
        chunks.push(read.await?.collect::<Result<Vec<String>, _>>()?);
    }
    // Answered before the reads above (IndexedDB answers in order).
    let to_build: Option<bool> = to_build.await?;
    if to_build == Some(true) {
        return Ok(None);
    }
    // The records saved here and not yet acknowledged, from their rows, laid last: their
    // entries are missing or older (`summary_pending.rs`).
    over.changes.extend(facts_of(tx, pending.await?).await?.changes);
    match parse(&chunks, &over) {
        Ok(facts) => Ok(Some(facts)),
        Err(e) => {
            web_sys::console::warn_1(&format!("dashboard summary unreadable, reading the records: {e}").into());
            Ok(None)
        }
    }
}

/// The entries (facts as JSON) of a kind: its chunks' lines, with `over` (delta rows, then
/// pending records) laid over them: a record's last change replaces its chunk line, a
/// removal drops it.
fn entries<'t>(kind: Kind, texts: &'t [String], deltas: &'t SummaryChanges) -> Vec<&'t str> {
    let over: HashMap<&str, Option<&str>> = deltas
        .changes
        .iter()
        .filter(|(chunk, _, _)| chunk.starts_with(kind.prefix()))
        .map(|(_, id, entry)| (id.as_str(), entry.as_deref()))
        .collect();
    let held = texts.iter().flat_map(|t| t.lines()).filter_map(|l| l.split_once('\t'));
    let mut kept: Vec<&str> = held.filter(|(id, _)| !over.contains_key(id)).map(|(_, entry)| entry).collect();
    kept.extend(over.into_values().flatten());
    kept
}

fn parse(chunks: &[Vec<String>], deltas: &SummaryChanges) -> Result<FigureFacts, serde_json::Error> {
    let issues = entries(Kind::Issue, &chunks[0], deltas)
        .into_iter()
        .map(|e| serde_json::from_str::<IssueEntry>(e).map(IssueFacts::from))
        .collect::<Result<_, _>>()?;
    let households = entries(Kind::Household, &chunks[1], deltas)
        .into_iter()
        .map(|e| {
            serde_json::from_str::<HouseholdEntry>(e).map(|HouseholdEntry(id, grid, status, tags)| HouseholdFacts {
                id,
                grid,
                status,
                tags,
            })
        })
        .collect::<Result<_, _>>()?;
    let visits = entries(Kind::Visit, &chunks[2], deltas)
        .into_iter()
        .map(|e| {
            serde_json::from_str::<VisitEntry>(e).map(|VisitEntry(household, date)| VisitFacts { household, date })
        })
        .collect::<Result<_, _>>()?;
    Ok(FigureFacts { issues, households, visits })
}
