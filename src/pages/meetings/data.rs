//! What the meeting screens read: the grid tree, the people and units (for names and the
//! committee), the issues and the meetings of the user's scope, all from the phone. A
//! failed read is an error the screen shows, never an empty list.

use std::collections::HashMap;
use std::sync::Arc;

use wangge_core::grid::GridTree;
use wangge_core::meeting::Meeting;
use wangge_core::people::Person;
use wangge_core::unit::Unit;
use wangge_core::GridId;

use super::words::Names;
use crate::store::{Bases, IssueRow, Store, StoreError};

/// Everything of the scope a meeting screen may need.
#[derive(Clone)]
pub struct Scope {
    pub tree: Arc<GridTree>,
    pub people: Arc<Vec<Person>>,
    pub units: Arc<Vec<Unit>>,
    /// Issues of the scope by id.
    pub issues: Arc<HashMap<String, IssueRow>>,
    /// Meetings of the scope, newest first.
    pub meetings: Arc<Vec<Meeting>>,
    pub names: Arc<Names>,
}

impl Scope {
    /// The meeting held before `m`, of the same kind and grid (whose follow-up the minutes give).
    pub fn previous(&self, m: &Meeting) -> Option<&Meeting> {
        self.meetings.iter().find(|e| e.kind == m.kind && e.grid == m.grid && e.held_at < m.held_at)
    }

    pub fn grid_name(&self, grid: &GridId) -> String {
        super::committee::grid_name(&self.tree, grid)
    }
}

pub async fn load_scope(store: &Store, scope: &GridId) -> Result<Scope, StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let (people, units) = (store.people().await?, store.units().await?);
    let issues = store
        .all_issues()
        .await?
        .into_iter()
        .filter(|r| tree.contains(scope, &r.issue.grid))
        .map(|r| (r.id.clone(), r))
        .collect();
    let meetings = store.meetings().await?.into_iter().filter(|m| tree.contains(scope, &m.grid)).collect();
    let names = Names {
        people: people.iter().map(|p| (p.id.to_string(), p.name.to_string())).collect(),
        units: units.iter().map(|u| (u.id.to_string(), u.name.to_string())).collect(),
    };
    Ok(Scope {
        tree: Arc::new(tree),
        people: Arc::new(people),
        units: Arc::new(units),
        issues: Arc::new(issues),
        meetings: Arc::new(meetings),
        names: Arc::new(names),
    })
}

/// One meeting with the bases of its fields, and its scope.
#[derive(Clone)]
pub struct Shown {
    pub meeting: Meeting,
    pub bases: Bases,
    pub scope: Scope,
}

/// `Ok(None)`: the meeting is not on the phone.
pub async fn load_meeting(store: &Store, scope: &GridId, id: &str) -> Result<Option<Shown>, StoreError> {
    let Some((meeting, bases)) = store.meeting_with_bases(id).await? else {
        return Ok(None);
    };
    let scope = load_scope(store, scope).await?;
    Ok(Some(Shown { meeting, bases, scope }))
}
