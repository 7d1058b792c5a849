//! Adding (`/lists/new?kind=…`, or `?issue=…` for a need raised from an issue, prefilled
//! with its title, grid and household; `?household=…` for a need of a household found
//! needing help on a task) and editing (`/lists/<id>/edit`) an entry. Each
//! input is parsed by the core beside its field and the whole entry checked with
//! `lists::check` before `store` writes it: one transaction with its outbox entry; an edit
//! sends only the changed fields with the bases the form opened on. The inputs are this
//! page's signals, above the part a data change re-renders (`fields.rs`).

use leptos::prelude::*;
use serde_json::{Map, Value};
use wangge_core::lists::{ListEntry, ListKind};
use wangge_core::sort::insert_all;
use wangge_core::ListEntryId;

use super::data::load_lists;
use super::fields::{Draft, EntryFields};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::{replace, AppLink};
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Lang};
use crate::pages::issues::common::{core_message, random_bytes};
use crate::route::{query_param, use_route};
use crate::store::{Bases, ListSaveError};

#[component]
pub fn NewEntryPage() -> impl IntoView {
    let me = session();
    let draft = Draft::new(super::words::kind_of(query_param("kind")), me.user.home_grid.to_string());
    if let Some(issue) = query_param("issue") {
        draft.kind.set(ListKind::Need);
        prefill_from_issue(draft, issue);
    } else if let Some(household) = query_param("household") {
        // From a task's 需帮扶 tick at a household: a need of that household.
        draft.kind.set(ListKind::Need);
        prefill_from_household(draft, household);
    }
    view! {
        <section class="page" aria-labelledby="entry-title">
            <AppLink href="/lists" class="back-link">"‹ " {tr(ListMsg::Back)}</AppLink>
            <h2 id="entry-title">{tr(ListMsg::NewTitle)}</h2>
            <EntryForm draft original=None/>
        </section>
    }
}

#[component]
pub fn EditEntryPage(id: String) -> impl IntoView {
    let store = use_store();
    let me = session();
    let draft = Draft::new(ListKind::Resource, me.user.home_grid.to_string());
    let names = store.clone();
    let read = reload(move || {
        let (store, id) = (store.clone(), id.clone());
        Box::pin(async move { store.list_entry_with_bases(&id).await })
    });
    // The entry as the form opened on it: filled in once, never replaced by a later read.
    let opened = RwSignal::new(None::<(ListEntry, Bases)>);
    Effect::new(move || {
        if let (None, Some(Ok(Some((entry, bases))))) = (opened.get_untracked(), read.get()) {
            draft.fill(&entry);
            // The household picker shows the head's name, read from the roster.
            if let Some(h) = entry.household.clone() {
                let store = names.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(Some(row)) = store.household(h.as_str()).await {
                        draft.household.set(Some((row.id, row.name)));
                    }
                });
            }
            opened.set(Some((entry, bases)));
        }
    });
    let loaded = Memo::new(move |_| opened.with(Option::is_some));
    view! {
        <section class="page" aria-labelledby="entry-title">
            <AppLink href="/lists" class="back-link">"‹ " {tr(ListMsg::Back)}</AppLink>
            <h2 id="entry-title">{tr(ListMsg::EditTitle)}</h2>
            {move || match read.get() {
                Some(Err(e)) => Some(view! { <ReadFailed error=e/> }.into_any()),
                Some(Ok(None)) => Some(view! { <p class="empty">{tr(ListMsg::NotFound)}</p> }.into_any()),
                _ => None,
            }}
            {move || loaded.get().then(|| view! { <EntryForm draft original=opened.get_untracked()/> })}
        </section>
    }
}

/// Reads the issue a need is raised from and fills in what the need takes from it.
fn prefill_from_issue(draft: Draft, issue: String) {
    let store = use_store();
    leptos::task::spawn_local(async move {
        let Ok(Some(row)) = store.issue(&issue).await else { return };
        draft.title.set(row.issue.title.to_string());
        draft.grid.set(row.issue.grid.to_string());
        if let Some(h) = &row.issue.household {
            let name = store.household(h.as_str()).await.ok().flatten().map_or_else(|| h.to_string(), |r| r.name);
            draft.household.set(Some((h.to_string(), name)));
        }
        draft.issue.set(Some((row.id.clone(), row.issue.title.to_string())));
    });
}

fn prefill_from_household(draft: Draft, household: String) {
    let store = use_store();
    leptos::task::spawn_local(async move {
        let Ok(Some(row)) = store.household(&household).await else { return };
        draft.grid.set(row.household.grid.to_string());
        draft.household.set(Some((row.id, row.name)));
    });
}

#[component]
fn EntryForm(draft: Draft, original: Option<(ListEntry, Bases)>) -> impl IntoView {
    let store = use_store();
    let scope = session().user.home_grid;
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_lists(&store, &scope).await })
    });
    let lang = use_lang();
    let (store, sync, route) = (use_store(), use_sync(), use_route());
    let editing = original.is_some();
    let me = session().user.person_id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now = now_ms();
        let id = original.as_ref().map_or_else(|| ListEntryId::generate(now, random_bytes()), |(e, _)| e.id.clone());
        let Some(entry) = draft.build(id, me.clone(), now, original.as_ref().map(|(e, _)| e)) else { return };
        if let Err(e) = wangge_core::lists::check(&entry) {
            return draft.failure.set(Some(core_message!(e, lang.get_untracked())));
        }
        let (store, original) = (store.clone(), original.clone());
        leptos::task::spawn_local(async move {
            let saved = match &original {
                None => store.add_list_entry(&entry).await.map(|()| true),
                Some((old, bases)) => store.edit_list_entry(&entry.id, changes(old, &entry), Some(bases)).await,
            };
            match saved {
                Ok(_) => {
                    sync.changed();
                    replace(route, &format!("/lists/{}", entry.id));
                }
                Err(e) => draft.failure.set(Some(save_error(&e, lang.get_untracked()))),
            }
        });
    };
    view! {
        <form class="form" novalidate aria-label=tr(ListMsg::NewTitle) on:submit=submit>
            <EntryFields draft data editing/>
            {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="submit" class="button">{tr(ListMsg::Save)}</button>
            </div>
        </form>
    }
}

/// The fields that differ between `old` and `new` (`null` for one cleared).
fn changes(old: &ListEntry, new: &ListEntry) -> Map<String, Value> {
    let as_map = |e: &ListEntry| match serde_json::to_value(e) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let (old, new) = (as_map(old), as_map(new));
    let mut out: Map<String, Value> =
        insert_all(new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())));
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).map(|k| (k.clone(), Value::Null)));
    out
}

/// A failed save in the worker's language: the core's refusal or the store's error.
pub fn save_error(e: &ListSaveError, l: Lang) -> String {
    match e {
        ListSaveError::Refused(e) => core_message!(e, l),
        ListSaveError::Store(e) => e.message(l),
    }
}
