//! Reads for the meeting screens: every meeting on the phone (a staff member's phone holds
//! exactly their scope), and one meeting with the bases of its fields, read together so
//! that a form opened on it edits against what it showed; the agenda a joint meeting opens
//! with.

use indexed_db_futures::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::issue::Deadlines;
use wangge_core::meeting::{agenda, Meeting};
use wangge_core::sync::Collection;
use wangge_core::{GridId, IssueId, Millis};

use super::codec::version_key;
use super::edit::Bases;
use super::schema::{MEETINGS, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

impl Store {
    /// Every meeting and on-site office session on the phone, newest first.
    pub async fn meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        let tx = self.read_tx(&[MEETINGS])?;
        let mut all: Vec<Meeting> = tx.object_store(MEETINGS)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        wangge_core::sort::sort_by_key(&mut all, |m| (std::cmp::Reverse(m.held_at), m.id.clone()));
        Ok(all)
    }

    /// One meeting and the server version each of its fields was last pulled at.
    pub async fn meeting_with_bases(&self, id: &str) -> Result<Option<(Meeting, Bases)>, StoreError> {
        let tx = self.read_tx(&[MEETINGS, VERSIONS])?;
        let meeting: Option<Meeting> = tx.object_store(MEETINGS)?.get(id).serde()?.await?;
        let Some(meeting) = meeting else {
            return Ok(None);
        };
        let versions: Option<VersionRow> =
            tx.object_store(VERSIONS)?.get(version_key(Collection::Meetings, id)).serde()?.await?;
        Ok(Some((meeting, versions.map(|v| v.fields).unwrap_or_default())))
    }
}

impl Store {
    /// The agenda a joint meeting of `community` opens with: the core's
    /// [`agenda`](wangge_core::meeting::agenda) over every issue on the phone.
    pub async fn draw_agenda(&self, community: &GridId, now: Millis) -> Result<Vec<IssueId>, StoreError> {
        let tree = GridTree::build(self.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
        let rows = self.all_issues().await?;
        let issues: Vec<_> = rows.iter().map(|r| (&r.issue, &r.state)).collect();
        Ok(agenda(community, &tree, &issues, &Deadlines::default(), now))
    }
}
