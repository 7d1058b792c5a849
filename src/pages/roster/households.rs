//! The households of the grid in view: filtered by tag (独居老人, 低保 …) through the tag
//! index, or found by the head's name through the name index, never by reading every
//! household. At most 100 are drawn; the rest are a search away.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::household::HouseholdTag;

use super::tree::{subtree_ids, Filters};
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::components::roster_tags::{TagBadges, TagChips};
use crate::context::use_store;
use crate::i18n::roster::RosterMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::store::{HouseholdRow, Store};

/// Households drawn at once; a grid rarely has more, and search finds the rest.
const SHOWN: usize = 100;
/// Name matches read before keeping those in the grid in view.
const SEARCH_LIMIT: u32 = 500;

#[component]
pub fn HouseholdList(tree: Arc<GridTree>, filters: Filters) -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let Filters { grid, tag, search } = filters;
    let rows = reload(move || {
        let (g, t, q) = (grid.get(), tag.get(), search.get());
        let (store, tree) = (store.clone(), tree.clone());
        Box::pin(async move { load(&store, &tree, &g, t, q.trim()).await })
    });
    view! {
        <AppLink href="/households/new".to_string() class="button secondary add-household">"＋ " {tr(RosterMsg::AddHousehold)}</AppLink>
        <TagChips tags=HouseholdTag::ALL.to_vec() selected=tag
            group_label=tr(RosterMsg::FilterByTag) all_label=tr(RosterMsg::AllTags)/>
        <label class="field search">
            <span>{tr(RosterMsg::SearchByName)}</span>
            <input type="search" placeholder=tr(RosterMsg::SearchHint) prop:value=search
                on:input=move |ev| search.set(event_target_value(&ev))/>
        </label>
            {move || rows.get().map(|(total, rows)| view! {
                <p class="muted count" aria-live="polite">
                    {move || format!("{} {total} {}", RosterMsg::Total.text(lang.get()), RosterMsg::HouseholdsUnit.text(lang.get()))}
                </p>
                {rows.is_empty().then(|| view! { <p class="empty">{tr(RosterMsg::NoHouseholds)}</p> })}
                <ul class="list hh-list">
                    {rows.into_iter().map(|row| view! { <HouseholdItem row/> }).collect_view()}
                </ul>
                {(total > SHOWN).then(|| view! { <p class="muted">{tr(RosterMsg::ShowingFirst)}</p> })}
            })}
    }
}

#[component]
fn HouseholdItem(row: HouseholdRow) -> impl IntoView {
    let href = format!("/households/{}", row.id);
    let name = if row.name.is_empty() { row.household.address.to_string() } else { row.name.clone() };
    let tags: Vec<HouseholdTag> = row.household.tags.iter().copied().collect();
    view! {
        <li>
            <AppLink href class="hh-item">
                <span class="hh-name">{name}</span>
                <span class="hh-addr">{row.household.address.to_string()}</span>
                <TagBadges tags/>
            </AppLink>
        </li>
    }
}

/// The matching households of `grid`'s subtree, sorted by grid then address: how many,
/// and the first [`SHOWN`].
async fn load(
    store: &Store,
    tree: &GridTree,
    grid: &str,
    tag: Option<HouseholdTag>,
    search: &str,
) -> (usize, Vec<HouseholdRow>) {
    let ids = subtree_ids(tree, grid);
    let scope: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let found = if !search.is_empty() {
        store.households_by_name_prefix(search, SEARCH_LIMIT).await
    } else if let Some(t) = tag {
        store.households_by_tag(t.code()).await
    } else {
        store.households_in_grids(&ids).await
    };
    let mut rows: Vec<HouseholdRow> = found
        .unwrap_or_default()
        .into_iter()
        .filter(|r| scope.contains(r.grid.as_str()))
        .filter(|r| tag.is_none_or(|t| r.household.has_tag(t)))
        .collect();
    wangge_core::sort::sort_by(&mut rows, |a, b| {
        (&a.grid, a.household.address.as_str()).cmp(&(&b.grid, b.household.address.as_str()))
    });
    let total = rows.len();
    rows.truncate(SHOWN);
    (total, rows)
}
