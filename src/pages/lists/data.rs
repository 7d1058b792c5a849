//! What the list screens read: the entries of the user's scope and the names they show
//! (grids, people, units, households' heads, issues' titles), all from the phone. A failed
//! read is an error the screen shows, never an empty list.

use std::collections::HashMap;
use std::sync::Arc;

use wangge_core::grid::GridTree;
use wangge_core::lists::ListEntry;
use wangge_core::people::Person;
use wangge_core::unit::Unit;
use wangge_core::GridId;

use crate::store::{Store, StoreError};

/// The scope's entries and the names around them.
#[derive(Clone)]
pub struct Lists {
    pub tree: Arc<GridTree>,
    /// Entries of the scope, newest first.
    pub entries: Arc<Vec<ListEntry>>,
    pub people: Arc<Vec<Person>>,
    pub units: Arc<Vec<Unit>>,
    /// Household id → the head's name.
    pub households: Arc<HashMap<String, String>>,
    /// Issue id → title.
    pub issues: Arc<HashMap<String, String>>,
}

impl Lists {
    pub fn person(&self, id: &str) -> String {
        self.people.iter().find(|p| p.id.as_str() == id).map_or_else(|| id.to_string(), |p| p.name.to_string())
    }

    pub fn unit(&self, id: &str) -> String {
        self.units.iter().find(|u| u.id.as_str() == id).map_or_else(|| id.to_string(), |u| u.name.to_string())
    }

    pub fn grid(&self, id: &GridId) -> String {
        self.tree.get(id).map_or_else(|| id.to_string(), |g| g.name.to_string())
    }

    pub fn household(&self, id: &str) -> String {
        self.households.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    pub fn issue(&self, id: &str) -> String {
        self.issues.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    pub fn entry(&self, id: &str) -> Option<&ListEntry> {
        self.entries.iter().find(|e| e.id.as_str() == id)
    }

    /// "unit · contact phone" of a resource or project, or a need's contact.
    pub fn who(&self, e: &ListEntry) -> String {
        let unit = e.unit.as_ref().map(|u| self.unit(u.as_str()));
        let contact = e.contact.as_ref().map(|c| match &e.phone {
            Some(p) => format!("{c} {p}"),
            None => c.to_string(),
        });
        [unit, contact].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    }

    /// Who took a need: the party member or unit that claimed it, else what it was matched to.
    pub fn taken_by(&self, e: &ListEntry) -> Option<String> {
        let claim = [
            e.claimed_by.as_ref().map(|p| self.person(p.as_str())),
            e.claimed_unit.as_ref().map(|u| self.unit(u.as_str())),
        ];
        let claim: Vec<String> = claim.into_iter().flatten().collect();
        let matched = e
            .matched_to
            .as_ref()
            .map(|m| self.entry(m.as_str()).map_or_else(|| m.to_string(), |o| o.title.to_string()));
        match (claim.is_empty(), matched) {
            (false, Some(m)) => Some(format!("{} · {m}", claim.join("、"))),
            (false, None) => Some(claim.join("、")),
            (true, m) => m,
        }
    }

    /// The grids of the scope a worker may file an entry under, the scope first.
    pub fn grid_choices(&self, scope: &GridId) -> Vec<(GridId, String)> {
        std::iter::once(scope)
            .filter_map(|s| self.tree.get(s))
            .chain(self.tree.descendants(scope))
            .map(|g| (g.id.clone(), g.name.to_string()))
            .collect()
    }
}

pub async fn load_lists(store: &Store, scope: &GridId) -> Result<Lists, StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let entries = store.list_entries().await?.into_iter().filter(|e| tree.contains(scope, &e.grid)).collect();
    let (people, units) = (store.people().await?, store.units().await?);
    let households = store
        .all_households()
        .await?
        .into_iter()
        .map(|h| (h.id.to_string(), h.head().map_or_else(|| h.id.to_string(), |m| m.name.to_string())))
        .collect();
    let issues = store.all_issues().await?.into_iter().map(|r| (r.id, r.issue.title.to_string())).collect();
    Ok(Lists {
        tree: Arc::new(tree),
        entries: Arc::new(entries),
        people: Arc::new(people),
        units: Arc::new(units),
        households: Arc::new(households),
        issues: Arc::new(issues),
    })
}
