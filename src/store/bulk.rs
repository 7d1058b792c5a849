//! Loading many records at once, as a first pull or the demo data set does: records the
//! server already has, so no outbox entries. One transaction per load, so a phone that
//! dies half-way has either the whole page or none of it.

use std::collections::HashMap;

use indexed_db_futures::prelude::*;
use wangge_core::demo::DemoData;
use wangge_core::issue::{derive, IssueEvent};

use super::rows::{HouseholdRow, IssueRow};
use super::schema::{EVENTS, GRIDS, HOUSEHOLDS, ISSUES, PEOPLE, UNITS, VISITS};
use super::{Store, StoreError};

impl Store {
    /// Stores the whole data set: the grid tree, people and units, households, issues
    /// (with their derived state), events and visits.
    pub async fn load_snapshot(&self, data: &DemoData) -> Result<(), StoreError> {
        let mut histories: HashMap<&str, Vec<IssueEvent>> = HashMap::new();
        for e in &data.events {
            histories
                .entry(e.issue.as_str())
                .or_default()
                .push(e.clone());
        }
        let tx = self.write_tx(&[GRIDS, PEOPLE, UNITS, ISSUES, EVENTS, HOUSEHOLDS, VISITS])?;
        let grids = tx.object_store(GRIDS)?;
        for g in &data.grids {
            drop(grids.put(g).serde()?);
        }
        let people = tx.object_store(PEOPLE)?;
        for p in &data.people {
            drop(people.put(p).serde()?);
        }
        let units = tx.object_store(UNITS)?;
        for u in &data.units {
            drop(units.put(u).serde()?);
        }
        let issues = tx.object_store(ISSUES)?;
        for issue in &data.issues {
            let state = derive(
                histories
                    .get(issue.id.as_str())
                    .map_or(&[][..], Vec::as_slice),
            )
            .state;
            // Requests go out when built; awaiting each one would only add round trips.
            drop(issues.put(IssueRow::new(issue.clone(), state)).serde()?);
        }
        let events = tx.object_store(EVENTS)?;
        for e in &data.events {
            drop(events.put(e).serde()?);
        }
        let households = tx.object_store(HOUSEHOLDS)?;
        for h in &data.households {
            drop(households.put(HouseholdRow::new(h.clone())).serde()?);
        }
        let visits = tx.object_store(VISITS)?;
        for v in &data.visits {
            drop(visits.put(v).serde()?);
        }
        tx.commit().await?;
        Ok(())
    }
}
