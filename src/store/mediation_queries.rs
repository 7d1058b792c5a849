//! Reads for the mediation screens: every case on the phone (a phone holds exactly its
//! user's scope), one case with the bases of its fields (read together, so a form edits
//! against what it showed), the case an issue became (the `by_issue` index), and the
//! mediator's reminders for Today, computed by the core from the cases read.

use indexed_db_futures::prelude::*;
use wangge_core::mediation::{reminders, Case, Reminder};
use wangge_core::sync::Collection;
use wangge_core::{Millis, PersonId};

use super::codec::version_key;
use super::edit::Bases;
use super::schema::{MEDIATIONS, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

impl Store {
    /// Every mediation case on the phone, newest accepted first.
    pub async fn cases(&self) -> Result<Vec<Case>, StoreError> {
        let tx = self.read_tx(&[MEDIATIONS])?;
        let mut all: Vec<Case> = tx.object_store(MEDIATIONS)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        wangge_core::sort::sort_by_key(&mut all, |c| (std::cmp::Reverse(c.accepted_at), c.id.clone()));
        Ok(all)
    }

    /// One case and the server version each of its fields was last pulled at.
    pub async fn case_with_bases(&self, id: &str) -> Result<Option<(Case, Bases)>, StoreError> {
        let tx = self.read_tx(&[MEDIATIONS, VERSIONS])?;
        let case: Option<Case> = tx.object_store(MEDIATIONS)?.get(id).serde()?.await?;
        let Some(case) = case else {
            return Ok(None);
        };
        let versions: Option<VersionRow> =
            tx.object_store(VERSIONS)?.get(version_key(Collection::Mediations, id)).serde()?.await?;
        Ok(Some((case, versions.map(|v| v.fields).unwrap_or_default())))
    }

    /// The case opened from `issue`, if the phone has one (the first by id if, from two
    /// phones offline, there are several).
    pub async fn case_of_issue(&self, issue: &str) -> Result<Option<Case>, StoreError> {
        let tx = self.read_tx(&[MEDIATIONS])?;
        let mut found: Vec<Case> = tx
            .object_store(MEDIATIONS)?
            .index("by_issue")?
            .get_all()
            .with_query(issue)
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        wangge_core::sort::sort_by_key(&mut found, |c| c.id.clone());
        Ok(found.into_iter().next())
    }

    /// The agreement terms `person` should see on Today (overdue or due within
    /// `REMINDER_DAYS`), with the cases they belong to.
    pub async fn mediation_reminders(
        &self,
        person: &PersonId,
        now: Millis,
    ) -> Result<Vec<(Reminder, Case)>, StoreError> {
        let cases = self.cases().await?;
        let found = reminders(&cases, person, now);
        Ok(found.into_iter().filter_map(|r| cases.iter().find(|c| c.id == r.case).map(|c| (r, c.clone()))).collect())
    }
}
