//! The dashboard's 三张清单 section for the user's scope: needs taken on and met (with the
//! raw counts beside each share), projects by status, and the resources and projects most
//! used (needs matched to them, and of those met) — `lists::stats::figures` over the
//! `list_entries` store. It reads on its own.

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::lists::stats::ListFigures;
use wangge_core::GridId;

use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;
use crate::store::{Store, StoreError};

/// Most-used entries shown.
const TOP: usize = 5;

async fn load(store: &Store, scope: &GridId) -> Result<(ListFigures, Vec<(String, u32, u32)>), StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let figures = store.list_figures(&tree, scope).await?;
    let entries = store.list_entries().await?;
    let mut used: Vec<(String, u32, u32)> = figures
        .used
        .iter()
        .map(|(id, (matched, met))| {
            let title = entries.iter().find(|e| &e.id == id).map_or_else(|| id.to_string(), |e| e.title.to_string());
            (title, *matched, *met)
        })
        .collect();
    wangge_core::sort::sort_by_key(&mut used, |(t, m, _)| (std::cmp::Reverse(*m), t.clone()));
    used.truncate(TOP);
    Ok((figures, used))
}

/// "60%（3/5）".
fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{}%（{part}/{whole}）", part * 100 / whole)
}

#[component]
pub fn ListsSection(scope: GridId) -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load(&store, &scope).await })
    });
    view! {
        <section class="card list-figures" aria-labelledby="list-fig">
            <h3 id="list-fig">{tr(ListMsg::ListFigTitle)}</h3>
            {move || data.get().map(|r| match r {
                Ok((f, used)) => view! {
                    <dl class="pairs">
                        <dt>{tr(ListMsg::NeedsTaken)}</dt><dd>{share(f.needs_taken, f.needs)}</dd>
                        <dt>{tr(ListMsg::NeedsMet)}</dt><dd>{share(f.needs_fulfilled, f.needs)}</dd>
                    </dl>
                    <p class="muted">{tr(ListMsg::ProjectsBy)}</p>
                    {f.projects.is_empty().then(|| view! { <p class="empty">{tr(ListMsg::None)}</p> })}
                    <dl class="pairs">
                        {f.projects.into_iter().map(|(s, n)| view! {
                            <dt>{move || core_label!(s, lang.get())}</dt><dd>{n}</dd>
                        }).collect_view()}
                    </dl>
                    <p class="muted">{tr(ListMsg::MostUsed)}</p>
                    <ol class="used">
                        {used.into_iter().map(|(t, m, met)| view! {
                            <li>{t} " · " {move || ListMsg::UsedCount.text(lang.get())} " " {m} " · "
                                {move || ListMsg::NeedsMet.text(lang.get())} " " {met}</li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <AppLink href="/lists" class="button small secondary">{tr(ListMsg::Title)} " →"</AppLink>
        </section>
    }
}
