//! Reads for the three lists (资源、项目、需求): every entry on the phone (a staff member's
//! phone holds exactly their scope), one entry with the bases of its fields (what a form
//! edits against), the needs an issue raised (`by_issue`), and the figures the dashboard
//! shows for the lists and for mediation — the core's pure functions over the stores.

use indexed_db_futures::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::lists::stats::{figures as list_figures, ListFigures};
use wangge_core::lists::ListEntry;
use wangge_core::mediation::stats::{figures as mediation_figures, MediationFigures};
use wangge_core::mediation::Case;
use wangge_core::sync::Collection;
use wangge_core::{CaseId, GridId, Millis};

use super::codec::version_key;
use super::edit::Bases;
use super::schema::{LIST_ENTRIES, MEDIATIONS, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

impl Store {
    /// Every list entry on the phone, newest first.
    pub async fn list_entries(&self) -> Result<Vec<ListEntry>, StoreError> {
        let tx = self.read_tx(&[LIST_ENTRIES])?;
        let mut all: Vec<ListEntry> =
            tx.object_store(LIST_ENTRIES)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        wangge_core::sort::sort_by_key(&mut all, |e| (std::cmp::Reverse(e.recorded_at), e.id.clone()));
        Ok(all)
    }

    /// One entry and the server version each of its fields was last pulled at.
    pub async fn list_entry_with_bases(&self, id: &str) -> Result<Option<(ListEntry, Bases)>, StoreError> {
        let tx = self.read_tx(&[LIST_ENTRIES, VERSIONS])?;
        let entry: Option<ListEntry> = tx.object_store(LIST_ENTRIES)?.get(id).serde()?.await?;
        let Some(entry) = entry else {
            return Ok(None);
        };
        let versions: Option<VersionRow> =
            tx.object_store(VERSIONS)?.get(version_key(Collection::ListEntries, id)).serde()?.await?;
        Ok(Some((entry, versions.map(|v| v.fields).unwrap_or_default())))
    }

    /// The needs raised from `issue` (the `by_issue` index), oldest first.
    pub async fn needs_of_issue(&self, issue: &str) -> Result<Vec<ListEntry>, StoreError> {
        let tx = self.read_tx(&[LIST_ENTRIES])?;
        let store = tx.object_store(LIST_ENTRIES)?;
        let index = store.index("by_issue")?;
        let mut found: Vec<ListEntry> = index.get_all().with_query(issue).serde()?.await?.collect::<Result<_, _>>()?;
        wangge_core::sort::sort_by_key(&mut found, |e| (e.recorded_at, e.id.clone()));
        Ok(found)
    }

    /// The lists' figures over the entries of `scope`'s subtree.
    pub async fn list_figures(&self, tree: &GridTree, scope: &GridId) -> Result<ListFigures, StoreError> {
        let entries = self.list_entries().await?;
        Ok(list_figures(entries.iter().filter(|e| tree.contains(scope, &e.grid))))
    }

    /// The mediation figures of `scope` at `now`: every case on the phone, with the grid
    /// of each party's household (what tells a village that sent a case up); and the titles
    /// of the agreements with overdue terms, which the figures name by id.
    pub async fn mediation_figures(
        &self,
        tree: &GridTree,
        scope: &GridId,
        now: Millis,
    ) -> Result<(MediationFigures, Vec<(CaseId, String)>), StoreError> {
        let tx = self.read_tx(&[MEDIATIONS])?;
        let cases: Vec<Case> = tx.object_store(MEDIATIONS)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        drop(tx);
        let households = self.all_households().await?;
        let home = |h: &wangge_core::HouseholdId| households.iter().find(|x| &x.id == h).map(|x| x.grid.clone());
        let figures = mediation_figures(&cases, tree, scope, home, now);
        let overdue = cases
            .iter()
            .filter(|c| figures.overdue_agreements.contains(&c.id))
            .map(|c| (c.id.clone(), c.title.to_string()))
            .collect();
        Ok((figures, overdue))
    }
}
