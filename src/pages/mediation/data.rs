//! What the mediation screens read: the grid tree and the people (for names and the
//! mediator picker) and the cases of the user's scope, all from the phone; one case with
//! the bases of its fields. A failed read is an error the screen shows, never an empty list.

use std::collections::HashMap;
use std::sync::Arc;

use wangge_core::grid::GridTree;
use wangge_core::mediation::Case;
use wangge_core::people::Person;
use wangge_core::GridId;

use crate::store::{Bases, Store, StoreError};

/// Everything of the scope a mediation screen may need.
#[derive(Clone)]
pub struct Scope {
    pub tree: Arc<GridTree>,
    pub people: Arc<Vec<Person>>,
    /// Names by person id.
    pub names: Arc<HashMap<String, String>>,
    /// Cases of the scope, newest accepted first.
    pub cases: Arc<Vec<Case>>,
}

impl Scope {
    pub fn grid_name(&self, grid: &GridId) -> String {
        crate::pages::meetings::committee::grid_name(&self.tree, grid)
    }

    /// A person's name, or their id when this phone does not hold them.
    pub fn person(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// The people who may mediate: active, with a role that works a rung of the ladder.
    pub fn mediators(&self) -> Vec<&Person> {
        self.people.iter().filter(|p| p.active && p.roles.iter().any(|r| r.handles_at().is_some())).collect()
    }
}

pub async fn load_scope(store: &Store, scope: &GridId) -> Result<Scope, StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let people = store.people().await?;
    let names = people.iter().map(|p| (p.id.to_string(), p.name.to_string())).collect();
    // A grid the tree does not know (the phone holds no grids yet) is kept: better shown than lost.
    let cases = store
        .cases()
        .await?
        .into_iter()
        .filter(|c| tree.get(&c.grid).is_none() || tree.contains(scope, &c.grid))
        .collect();
    Ok(Scope { tree: Arc::new(tree), people: Arc::new(people), names: Arc::new(names), cases: Arc::new(cases) })
}

/// One case with the bases of its fields, and its scope.
#[derive(Clone)]
pub struct Shown {
    pub case: Case,
    pub bases: Bases,
    pub scope: Scope,
}

/// `Ok(None)`: the case is not on the phone.
pub async fn load_case(store: &Store, scope: &GridId, id: &str) -> Result<Option<Shown>, StoreError> {
    let Some((case, bases)) = store.case_with_bases(id).await? else {
        return Ok(None);
    };
    let scope = load_scope(store, scope).await?;
    Ok(Some(Shown { case, bases, scope }))
}

/// Saving a change to the shown case: store and sync, taken from the page's context while
/// it renders (event handlers run outside it).
#[derive(Clone)]
pub struct Saver {
    store: crate::context::StoreHandle,
    sync: crate::sync::SyncHandle,
    lang: leptos::prelude::RwSignal<crate::i18n::Lang>,
}

impl Saver {
    pub fn from_context() -> Saver {
        Saver { store: crate::context::use_store(), sync: crate::context::use_sync(), lang: crate::i18n::use_lang() }
    }

    /// Writes `changes` (field → value) to the case shown, checked by the store with the
    /// core; `message` gets the core's refusal or the store's failure, and `saved` runs
    /// once it is on the phone.
    pub fn save(
        &self,
        s: &Shown,
        changes: crate::store::Fields,
        message: leptos::prelude::RwSignal<Option<String>>,
        saved: impl FnOnce() + 'static,
    ) {
        self.save_with(s, changes, Vec::new(), message, saved)
    }

    /// [`Saver::save`] with the photos the change references, kept in the same transaction.
    pub fn save_with(
        &self,
        s: &Shown,
        changes: crate::store::Fields,
        photos: Vec<crate::store::PhotoBytes>,
        message: leptos::prelude::RwSignal<Option<String>>,
        saved: impl FnOnce() + 'static,
    ) {
        use leptos::prelude::*;
        let (store, sync, id, bases) = (self.store.clone(), self.sync, s.case.id.clone(), s.bases.clone());
        let lang = self.lang.get_untracked();
        leptos::task::spawn_local(async move {
            match store.edit_case_with(&id, changes, Some(&bases), &photos).await {
                Ok(_) => {
                    message.set(None);
                    sync.changed();
                    saved();
                }
                Err(e) => message.set(Some(e.message(lang))),
            }
        });
    }
}

/// One field of a case as sync carries it: `(name, value)`.
pub fn field(name: String, value: &impl serde::Serialize) -> crate::store::Fields {
    let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    crate::store::Fields::from_iter([(name, value)])
}
