//! The second half of schema step v10: on the first open after the upgrade (and after an
//! import, which may add records in bulk), the dashboard's summary is built from every
//! issue, household and visit in one read-write transaction with the flag that asked for
//! it, so it is never half built: either the whole summary and no flag, or the flag and
//! the dashboard reading the records as before.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wangge_core::stats::{IssueFacts, VisitFacts};

use super::figure_queries::lean_rows;
use super::meta::SUMMARY_TO_BUILD;
use super::schema::{HOUSEHOLDS, ISSUES, META, SUMMARY, VISITS};
use super::summary::{has_summary, replace_all, SummaryChanges};
use super::{Store, StoreError};

impl Store {
    /// Builds the summary if the flag asks for it; a no-op once built (the flag is gone).
    pub(super) async fn build_summary_if_asked(&self) -> Result<(), StoreError> {
        // The default durability: a summary lost to a power cut is lost with its flag's
        // removal, and built again at the next open.
        let tx = self.write_tx(&[ISSUES, HOUSEHOLDS, VISITS, SUMMARY, META])?;
        let meta = tx.object_store(META)?;
        let asked: Option<bool> = meta.get(SUMMARY_TO_BUILD.to_string()).serde()?.await?;
        if asked != Some(true) {
            return Ok(());
        }
        rebuild_in(&tx).await?;
        drop(meta.delete(SUMMARY_TO_BUILD.to_string()).serde()?);
        tx.commit().await?;
        Ok(())
    }
}

/// Replaces the summary with the facts of every record, inside the caller's transaction
/// (over the three record stores and the summary's).
pub(super) async fn rebuild_in(tx: &Transaction<'_>) -> Result<(), StoreError> {
    if !has_summary(tx) {
        return Ok(());
    }
    let (issues, households, visits) = lean_rows(tx).await?;
    let mut all = SummaryChanges::default();
    for row in issues {
        let id = row.id.clone();
        all.issue_facts(&id, &IssueFacts::from(row))?;
    }
    for row in households {
        all.household_facts(row.household)?;
    }
    for row in visits {
        let id = row.id.clone();
        all.visit_facts(&id, VisitFacts::from(row))?;
    }
    replace_all(tx, all)
}
