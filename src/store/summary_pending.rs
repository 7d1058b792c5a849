//! The dashboard summary's pending records (`summary.rs`): a local save writes no summary
//! entry, so a save costs no IndexedDB request beyond its record and outbox entry (issue
//! #17: one extra request per save made 1,000 saves slower than PouchDB's). Every record a
//! save writes stays named by an outbox entry until the server acknowledges it, so:
//! - the board ([`super::summary::read`]) lays the facts of every record the outbox names,
//!   read from its own row, over the summary's entries;
//! - the acknowledgement that removes the entries (`sync.rs`'s `write_ack`) writes those
//!   records' entries from their rows, in its own transaction (as delta rows, put blind;
//!   the next pulled page folds them into their chunks).
//!
//! Rows are the truth either way: a pull that rewrote a pending record meanwhile, a
//! refused step unwound, or a reset that emptied the records are read as they stand.

use std::collections::BTreeSet;

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::Deserialize;
use wangge_core::stats::{IssueFacts, VisitFacts};
use wangge_core::sync::{Collection, Op};

use super::figure_queries::{HouseholdFactsRow, IssueFactsRow, VisitFactsRow};
use super::pull::in_order;
use super::schema::{HOUSEHOLDS, ISSUES, OUTBOX, VISITS};
use super::summary::SummaryChanges;
use super::StoreError;

/// The records the summary holds that outbox entries name (kind, id), each once.
pub(super) type Named = BTreeSet<(Collection, String)>;

/// The record `op` writes on the phone, if any (a settled conflict writes none).
pub(super) fn named_by(op: &Op) -> Option<(Collection, String)> {
    match op {
        Op::Put { collection, id, .. } | Op::Delete { collection, id, .. } => Some((*collection, id.clone())),
        Op::AppendEvent { event } => Some((Collection::Issues, event.issue.to_string())),
        Op::SettleConflict { .. } => None,
    }
}

/// An outbox entry (`Mutation`, its `Op` flattened in) as far as [`named_by`] reads it:
/// serde-wasm-bindgen fetches only these properties, not a put's fields.
#[derive(Deserialize)]
struct PendingEntry {
    #[serde(default)]
    collection: Option<Collection>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    event: Option<PendingEvent>,
}

#[derive(Deserialize)]
struct PendingEvent {
    issue: String,
}

/// Asks for the records every outbox entry names, to be awaited later with the caller's
/// other reads (`tx` holds the outbox).
pub(super) fn ask_pending(
    tx: &Transaction<'_>,
) -> Result<impl std::future::Future<Output = Result<Named, StoreError>>, StoreError> {
    let asked = tx.object_store(OUTBOX)?.get_all::<PendingEntry>().serde()?;
    Ok(async move {
        let mut named = Named::new();
        for entry in asked.await? {
            match entry? {
                PendingEntry { event: Some(event), .. } => named.insert((Collection::Issues, event.issue)),
                PendingEntry { collection: Some(collection), id: Some(id), .. } => named.insert((collection, id)),
                _ => false,
            };
        }
        Ok(named)
    })
}

/// The summary's changes for `named` as their rows stand in `tx` (which holds the issue,
/// household and visit stores): each record's facts, or its removal when it has no row.
/// Every read is asked before any is awaited; records of other collections are skipped.
pub(super) async fn facts_of(
    tx: &Transaction<'_>,
    named: impl IntoIterator<Item = (Collection, String)>,
) -> Result<SummaryChanges, StoreError> {
    let (mut issues, mut households, mut visits) = (Vec::new(), Vec::new(), Vec::new());
    for (collection, id) in named {
        match collection {
            Collection::Issues => issues.push(id),
            Collection::Households => households.push(id),
            Collection::Visits => visits.push(id),
            _ => {}
        }
    }
    let mut changes = SummaryChanges::default();
    if issues.is_empty() && households.is_empty() && visits.is_empty() {
        return Ok(changes);
    }
    let ask = |name: &str| tx.object_store(name);
    let (issue_store, household_store, visit_store) = (ask(ISSUES)?, ask(HOUSEHOLDS)?, ask(VISITS)?);
    let issue_rows = issues
        .iter()
        .map(|id| issue_store.get::<IssueFactsRow, _, _>(id.as_str()).serde())
        .collect::<Result<Vec<_>, _>>()?;
    let household_rows = households
        .iter()
        .map(|id| household_store.get::<HouseholdFactsRow, _, _>(id.as_str()).serde())
        .collect::<Result<Vec<_>, _>>()?;
    let visit_rows = visits
        .iter()
        .map(|id| visit_store.get::<VisitFactsRow, _, _>(id.as_str()).serde())
        .collect::<Result<Vec<_>, _>>()?;
    // Awaited last asked first: once the last answers, the others already have.
    let visit_rows = in_order(visit_rows).await;
    let household_rows = in_order(household_rows).await;
    let issue_rows = in_order(issue_rows).await;
    for (id, row) in issues.iter().zip(issue_rows) {
        match row? {
            Some(row) => changes.issue_facts(id, &IssueFacts::from(row))?,
            None => changes.remove(Collection::Issues, id)?,
        }
    }
    for (id, row) in households.iter().zip(household_rows) {
        match row? {
            Some(row) => changes.household_facts(row.household)?,
            None => changes.remove(Collection::Households, id)?,
        }
    }
    for (id, row) in visits.iter().zip(visit_rows) {
        match row? {
            Some(row) => changes.visit_facts(id, VisitFacts::from(row))?,
            None => changes.remove(Collection::Visits, id)?,
        }
    }
    Ok(changes)
}
