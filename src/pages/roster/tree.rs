//! The roster (花名册): the worker's part of the grid tree, walked from their home grid
//! down, with the households, people and units of the grid in view. Every choice (grid,
//! section, tag, search) lives in the query string, so a reload or the back button
//! returns to the same list.

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::grid::{Grid, GridTree};
use wangge_core::household::HouseholdTag;
use wangge_core::GridId;

use super::households::HouseholdList;
use super::people::{PeopleList, UnitList};
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::{tr, use_lang, Msg};
use crate::route::{query_param, replace_query};

/// Which list the roster shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Households,
    People,
    Units,
}

impl Section {
    const ALL: [(Section, &'static str, RosterMsg); 3] = [
        (Section::Households, "households", RosterMsg::Households),
        (Section::People, "people", RosterMsg::People),
        (Section::Units, "units", RosterMsg::Units),
    ];

    fn code(self) -> &'static str {
        Self::ALL.iter().find(|s| s.0 == self).map_or("", |s| s.1)
    }

    fn from_code(code: Option<String>) -> Section {
        Self::ALL.iter().find(|s| Some(s.1) == code.as_deref()).map_or(Section::Households, |s| s.0)
    }
}

/// The signals a roster screen is steered by.
#[derive(Clone, Copy)]
pub struct Filters {
    pub grid: RwSignal<String>,
    pub tag: RwSignal<Option<HouseholdTag>>,
    pub search: RwSignal<String>,
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let store = use_store();
    let home = session().user.home_grid;
    let filters = Filters {
        grid: RwSignal::new(query_param("grid").unwrap_or_else(|| home.to_string())),
        tag: RwSignal::new(query_param("tag").and_then(|t| HouseholdTag::from_code(&t))),
        search: RwSignal::new(query_param("q").unwrap_or_default()),
    };
    let section = RwSignal::new(Section::from_code(query_param("view")));
    Effect::new(move || {
        replace_query(&[
            ("grid", filters.grid.get()),
            ("view", section.get().code().to_string()),
            ("tag", filters.tag.get().map(|t| t.code().to_string()).unwrap_or_default()),
            ("q", filters.search.get()),
        ])
    });
    let grids = reload(move || {
        let store = store.clone();
        Box::pin(async move { store.grids().await.unwrap_or_default() })
    });
    // Rebuilt only when the grids really changed, not on every save or pull, so a search
    // being typed keeps its focus.
    let grids = Memo::new(move |_| grids.get());
    let tree = move || grids.get().map(|g| GridTree::build(g).ok().map(Arc::new));
    view! {
        <section class="page roster" aria-labelledby="roster-title">
            <h2 id="roster-title">{tr(Msg::RosterTitle)}</h2>
                {move || tree().map(|tree| match tree {
                    Some(tree) if tree.get(&home).is_some() => {
                        // A grid from an old link that is no longer in scope: back home.
                        let wanted = GridId::parse(filters.grid.get_untracked()).ok();
                        if !wanted.is_some_and(|g| tree.contains(&home, &g)) {
                            filters.grid.set(home.to_string());
                        }
                        view! { <RosterBody tree home=home.clone() filters section/> }.into_any()
                    }
                    _ => view! { <p class="empty">{tr(RosterMsg::NoGrids)}</p> }.into_any(),
                })}
        </section>
    }
}

#[component]
fn RosterBody(tree: Arc<GridTree>, home: GridId, filters: Filters, section: RwSignal<Section>) -> impl IntoView {
    let lang = use_lang();
    let grid = filters.grid;
    let current = {
        let tree = tree.clone();
        move || GridId::parse(grid.get()).ok().and_then(|id| tree.get(&id).cloned())
    };
    let crumbs = {
        let tree = tree.clone();
        move || path_from(&tree, &home, &grid.get())
    };
    let children = {
        let tree = tree.clone();
        move || match GridId::parse(grid.get()) {
            Ok(id) => tree.children(&id).cloned().collect::<Vec<Grid>>(),
            Err(_) => Vec::new(),
        }
    };
    let tabs = Section::ALL.map(|(s, _, name)| {
        view! {
            <button type="button" class="segment" aria-pressed=move || (section.get() == s).to_string()
                on:click=move |_| section.set(s)>
                {tr(name)}
            </button>
        }
    });
    let list_tree = tree.clone();
    view! {
        <nav class="crumbs" aria-label=tr(RosterMsg::GridPath)>
            {move || crumbs().into_iter().map(|g| {
                let id = g.id.to_string();
                view! { <button type="button" class="crumb" on:click=move |_| grid.set(id.clone())>{g.name.to_string()}</button> }
            }).collect_view()}
        </nav>
        {move || current().map(|g| view! {
            <h3 class="grid-name">
                {g.name.to_string()}
                <span class="muted level">{move || label(lang.get(), g.level.label_zh(), g.level.label_en())}</span>
            </h3>
        })}
        {move || {
            let kids = children();
            (!kids.is_empty()).then(|| view! {
                <div class="subgrids" role="group" aria-label=tr(RosterMsg::SubGrids)>
                    {kids.into_iter().map(|g| {
                        let id = g.id.to_string();
                        view! {
                            <button type="button" class="subgrid" on:click=move |_| grid.set(id.clone())>
                                {g.name.to_string()} <span aria-hidden="true">" ›"</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            })
        }}
        <div class="segments" role="group" aria-label=tr(RosterMsg::Sections)>{tabs.into_iter().collect_view()}</div>
        {move || match section.get() {
            Section::Households => view! { <HouseholdList tree=list_tree.clone() filters/> }.into_any(),
            Section::People => view! { <PeopleList tree=list_tree.clone() grid/> }.into_any(),
            Section::Units => view! { <UnitList tree=list_tree.clone() grid/> }.into_any(),
        }}
    }
}

/// The grids from the worker's home grid down to (not including) `grid`: the way back up.
fn path_from(tree: &GridTree, home: &GridId, grid: &str) -> Vec<Grid> {
    let Ok(id) = GridId::parse(grid) else {
        return Vec::new();
    };
    if id == *home {
        return Vec::new();
    }
    let mut up = Vec::new();
    for g in tree.ancestors(&id) {
        up.push(g.clone());
        if g.id == *home {
            break;
        }
    }
    up.reverse();
    up
}

/// The grid and everything below it, as the ids records carry.
pub(super) fn subtree_ids(tree: &GridTree, grid: &str) -> Vec<String> {
    let Ok(id) = GridId::parse(grid) else {
        return Vec::new();
    };
    let mut ids = vec![id.to_string()];
    ids.extend(tree.descendants(&id).iter().map(|g| g.id.to_string()));
    ids
}
