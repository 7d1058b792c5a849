//! Everything on the phone as one JSON file, and back: a worker's rescue when a phone is
//! replaced, broken or about to be reset. Export reads every store in one read-only
//! transaction; import writes in one read-write transaction, so a failed import leaves
//! the phone exactly as it was.
//!
//! **Import never loses what is already on the phone.** The choice, record by record:
//! - A record the phone lacks is added; a record it already has is kept as it is (the
//!   phone's own pull cursor will still bring it up to date, and its own pending edits
//!   are in its outbox). Issue states are re-derived from the merged event histories.
//! - Pulled field versions (the bases of later edits) come along only for the records
//!   taken from the file, so a base always matches the row it belongs to.
//! - The file's pending changes (its outbox) are appended to this phone's outbox as new
//!   mutations with fresh seqs, so they reach the server from here. One already queued
//!   here (an identical op) is not queued twice. Pushing a change the other phone has
//!   since pushed itself is harmless: the server answers it as unchanged (same value) or
//!   keeps it as a conflict for a person to settle; events are idempotent by id.
//! - The device's own bookkeeping (client id, cursor, epoch, seq counter) is never taken
//!   from the file. If the file comes from another server database (another epoch), its
//!   versions and conflicts mean nothing here: they are skipped and the bases of its
//!   pending changes reset to 0, as a new server epoch does (the core's
//!   `forget_bases`).
//!
//! The file keeps the layout it had before schema v9: an issue's events are rows of
//! `issue_events` and its pulled versions rows of `versions`, although the phone now keeps
//! both in the issue's history row (`history.rs`). Files of either schema read the same.

use std::collections::{BTreeMap, HashSet};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wangge_core::issue::{derive, IssueEvent};
use wangge_core::sync::{forget_bases, Collection, Mutation, Op};
use wasm_bindgen::JsValue;

use super::actions::enqueue;
use super::codec::{store_of, version_key};
use super::history::{read_history, HistoryRow};
use super::meta::EPOCH;
use super::rows::IssueRow;
use super::schema::*;
use super::sync::VersionRow;
use super::{Store, StoreError, DB_VERSION};

mod check;
mod error;

use check::Checked;
pub use error::{ImportError, ImportReport};

/// The `format` field of every export file.
pub const EXPORT_FORMAT: &str = "wangge-export";
/// The file layout version this build writes and the newest it reads.
pub const EXPORT_VERSION: u32 = 1;

/// Stores exported as rows, in import order: records first, then the bookkeeping that
/// refers to them (versions only for records taken from the file).
const ROW_STORES: [&str; 15] = [
    GRIDS,
    PEOPLE,
    UNITS,
    HOUSEHOLDS,
    VISITS,
    MEETINGS,
    MEDIATIONS,
    LIST_ENTRIES,
    TASKS,
    EMERGENCIES,
    ISSUES,
    EVENTS,
    CONFLICTS,
    REJECTED,
    VERSIONS,
];

/// The file: every store's rows as stored, the outbox, and the meta key-values.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    /// The IndexedDB schema version of the phone that wrote it.
    pub schema: u32,
    /// Unix milliseconds.
    pub exported_at: f64,
    /// The username logged in when it was written.
    #[serde(default)]
    pub exported_by: String,
    pub stores: BTreeMap<String, Vec<Value>>,
    pub outbox: Vec<Value>,
    pub meta: BTreeMap<String, Value>,
}

impl ExportFile {
    /// Reads a file's text, refusing anything that is not a Wangge export this build can
    /// read. Rows are checked later, by [`Store::import_file`], before anything is written.
    pub fn parse(json: &str) -> Result<ExportFile, ImportError> {
        let value: Value = serde_json::from_str(json).map_err(|_| ImportError::NotJson)?;
        if value.get("format").and_then(Value::as_str) != Some(EXPORT_FORMAT) {
            return Err(ImportError::NotAnExport);
        }
        let file: ExportFile = serde_json::from_value(value).map_err(|_| ImportError::NotAnExport)?;
        if file.version > EXPORT_VERSION || file.schema > DB_VERSION {
            return Err(ImportError::TooNew);
        }
        Ok(file)
    }

    /// Records in the file (every store's rows), for the confirmation before importing.
    pub fn record_count(&self) -> usize {
        self.stores.values().map(Vec::len).sum()
    }
}

impl Store {
    /// Every store's rows, the outbox and meta, as JSON text (in one transaction, so the
    /// file is one consistent moment of the phone).
    pub async fn export_all(&self, exported_by: &str, now: f64) -> Result<String, StoreError> {
        let mut names = ROW_STORES.to_vec();
        names.extend([HISTORY, OUTBOX, META]);
        let tx = self.read_tx(&names)?;
        let mut stores = BTreeMap::new();
        for name in ROW_STORES {
            let rows = tx.object_store(name)?.get_all().serde()?.await?;
            stores.insert(name.to_string(), rows.collect::<Result<Vec<Value>, _>>()?);
        }
        // Issue histories, written out as the pre-v9 rows (see the module docs).
        let histories: Vec<HistoryRow> =
            tx.object_store(HISTORY)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        let mut events = Vec::new();
        let mut versions = Vec::new();
        for h in histories {
            events.extend(h.events);
            versions.extend(h.versions);
        }
        stores.entry(EVENTS.to_string()).or_default().extend(as_values(&events)?);
        stores.entry(VERSIONS.to_string()).or_default().extend(as_values(&versions)?);
        let outbox = tx.object_store(OUTBOX)?.get_all().serde()?.await?;
        let outbox = outbox.collect::<Result<Vec<Value>, _>>()?;
        let meta_store = tx.object_store(META)?;
        let keys = meta_store.get_all_keys().serde()?.await?;
        let keys = keys.collect::<Result<Vec<Value>, _>>()?;
        let values = meta_store.get_all().serde()?.await?;
        let values = values.collect::<Result<Vec<Value>, _>>()?;
        let meta = keys
            .into_iter()
            .map(|k| match k {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .zip(values)
            .collect();
        let file = ExportFile {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            schema: DB_VERSION,
            exported_at: now,
            exported_by: exported_by.into(),
            stores,
            outbox,
            meta,
        };
        serde_json::to_string(&file).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// [`ExportFile::parse`] then [`Store::import_file`].
    pub async fn import_all(&self, json: &str) -> Result<ImportReport, ImportError> {
        self.import_file(&ExportFile::parse(json)?).await
    }

    /// Merges a file into the phone (see the module docs for the rules). Every row is
    /// checked against the core's types before the transaction starts.
    pub async fn import_file(&self, file: &ExportFile) -> Result<ImportReport, ImportError> {
        let checked = Checked::from_file(file)?;
        let mut names = ROW_STORES.to_vec();
        names.extend([HISTORY, OUTBOX, META]);
        // Strict: the file may hold another phone's unsynced records, now only here.
        let tx = self.record_tx(&names)?;
        let local_epoch: Option<String> = tx.object_store(META)?.get(EPOCH.to_string()).serde()?.await?;
        let foreign = matches!((&local_epoch, &checked.epoch), (Some(a), Some(b)) if a != b);
        let mut report = ImportReport { other_server: foreign, ..ImportReport::default() };
        let mut taken: HashSet<String> = HashSet::new();
        let mut touched_issues: HashSet<String> = HashSet::new();
        for (name, rows) in &checked.rows {
            if foreign && (*name == VERSIONS || *name == CONFLICTS) {
                continue;
            }
            match *name {
                EVENTS => touched_issues.extend(add_missing_events(&tx, &checked.events, &mut report).await?),
                VERSIONS => add_issue_versions(&tx, &checked.issue_versions, &taken, &mut report).await?,
                _ => {}
            }
            let added = add_missing(&tx, name, rows, &taken, &mut report).await?;
            if let Some(c) = Collection::ALL.iter().find(|c| store_of(**c) == *name) {
                taken.extend(added.iter().map(|id| version_key(*c, id)));
            }
            if *name == ISSUES {
                touched_issues.extend(added);
            }
        }
        rederive(&tx, touched_issues).await?;
        // Imports are rare and may add thousands of records: the summary is rebuilt whole.
        super::summary_build::rebuild_in(&tx).await?;
        let outbox: Vec<Mutation> = tx.object_store(OUTBOX)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        let mut queued: Vec<Op> = outbox.into_iter().map(|m| m.op).collect();
        let mut new_ops = Vec::new();
        for mut op in checked.outbox.into_iter().map(|m| m.op) {
            if foreign {
                forget_bases(&mut op);
            }
            if queued.contains(&op) {
                report.changes_already_queued += 1;
            } else {
                queued.push(op.clone());
                new_ops.push(op);
            }
        }
        report.changes_queued = new_ops.len() as u32;
        if !new_ops.is_empty() {
            enqueue(&tx, new_ops).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(report)
    }
}

/// Adds the rows whose key the store lacks; returns their keys. Versions are added only
/// for records in `taken`. `add`, never `put`: a key that is somehow there after all
/// fails the whole import rather than overwrite it.
async fn add_missing(
    tx: &Transaction<'_>,
    name: &str,
    rows: &[(String, JsValue)],
    taken: &HashSet<String>,
    report: &mut ImportReport,
) -> Result<Vec<String>, ImportError> {
    let store = tx.object_store(name)?;
    let mut present: HashSet<String> = store.get_all_keys().serde()?.await?.collect::<Result<_, _>>()?;
    let mut added = Vec::new();
    for (key, row) in rows {
        let wanted = name != VERSIONS || taken.contains(key);
        if !wanted || !present.insert(key.clone()) {
            report.records_kept += 1;
            continue;
        }
        // Requests go out when built; awaiting each one would only add round trips.
        drop(store.add(row.clone()).primitive()?);
        added.push(key.clone());
        report.records_added += 1;
    }
    Ok(added)
}

fn as_values<T: Serialize>(rows: &[T]) -> Result<Vec<Value>, StoreError> {
    rows.iter().map(|r| serde_json::to_value(r).map_err(|e| StoreError::Corrupt(e.to_string()))).collect()
}

/// Adds the file's events the phone lacks (by event id) to their issues' history rows;
/// returns the issues whose history grew.
async fn add_missing_events(
    tx: &Transaction<'_>,
    events: &[IssueEvent],
    report: &mut ImportReport,
) -> Result<Vec<String>, ImportError> {
    let mut by_issue: BTreeMap<&str, Vec<&IssueEvent>> = BTreeMap::new();
    for e in events {
        by_issue.entry(e.issue.as_str()).or_default().push(e);
    }
    let mut grown = Vec::new();
    for (issue, events) in by_issue {
        let mut history = read_history(tx, issue).await?;
        let before = history.events.len();
        for e in events {
            if history.events.iter().any(|h| h.id == e.id) {
                report.records_kept += 1;
            } else {
                history.merge([e.clone()]);
                report.records_added += 1;
            }
        }
        if history.events.len() != before {
            drop(tx.object_store(HISTORY)?.put(&history).serde()?);
            grown.push(issue.to_string());
        }
    }
    Ok(grown)
}

/// Gives the issues taken from the file (`taken`) the file's versions, into their history
/// rows; an issue the phone already had keeps its own.
async fn add_issue_versions(
    tx: &Transaction<'_>,
    versions: &[VersionRow],
    taken: &HashSet<String>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let prefix = version_key(Collection::Issues, "");
    for v in versions {
        let Some(issue) = v.key.strip_prefix(&prefix).filter(|_| taken.contains(&v.key)) else {
            report.records_kept += 1;
            continue;
        };
        let mut history = read_history(tx, issue).await?;
        if history.versions.is_some() {
            report.records_kept += 1;
            continue;
        }
        history.versions = Some(v.clone());
        drop(tx.object_store(HISTORY)?.put(&history).serde()?);
        report.records_added += 1;
    }
    Ok(())
}

/// Re-derives the state of issues whose row or history changed, from every event the
/// phone now holds, by the core's one state machine.
async fn rederive(tx: &Transaction<'_>, touched: HashSet<String>) -> Result<(), ImportError> {
    let issues = tx.object_store(ISSUES)?;
    for id in touched {
        let history = read_history(tx, &id).await?.events;
        let row: Option<IssueRow> = issues.get(id).serde()?.await?;
        // Events of an issue the phone does not hold stay, to be derived when it arrives.
        let (Some(row), false) = (row, history.is_empty()) else {
            continue;
        };
        let row = IssueRow::new(row.issue, derive(&history).state);
        drop(issues.put(&row).serde()?);
    }
    Ok(())
}
