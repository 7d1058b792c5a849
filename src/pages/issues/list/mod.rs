//! The issue list (问题清单): search, filters with counts, and a windowed list that stays
//! fast with 20,000 issues on the phone.
//!
//! Data flow: the briefs are read once per data change (a save or a pulled change bumps
//! `data_version`); each keystroke or filter tap re-runs `filter::apply` in memory, and the
//! household-name search asks the households' name index. Filters live in the URL query.

pub mod data;
pub mod filter;
pub mod filters;
pub mod rows;

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::context::{session, use_store, use_sync};
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::AppLink;
use crate::route::{query_param, replace_query, Route};
use data::load;
use filter::{apply, IssueFilter};
use filters::FilterBar;
use rows::IssueRows;

/// Households matched per name search. One surname can match thousands; the first 500
/// by name are plenty to find the one meant, and keep each keystroke cheap.
const HOUSEHOLD_HITS: u32 = 500;

#[component]
pub fn IssueListPage() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let me = session().user.person_id.to_string();
    let filter = RwSignal::new(IssueFilter::from_params(query_param));
    // The URL follows the filters, so a reload (or the back button) shows the same list.
    Effect::new(move || filter.with(|f| replace_query(&f.to_params())));

    let loader = store.clone();
    let person = me.clone();
    let loaded = LocalResource::new(move || {
        let version = sync.data_version().get();
        load((*loader).clone(), person.clone(), version)
    });
    let searcher = store.clone();
    let hits = LocalResource::new(move || {
        let q = filter.with(|f| f.query.trim().to_string());
        let store = (*searcher).clone();
        async move {
            if q.is_empty() {
                return Arc::new(HashSet::new());
            }
            let ids = store.issue_household_ids_by_name(&q, HOUSEHOLD_HITS).await.unwrap_or_default();
            Arc::new(ids.into_iter().collect::<HashSet<String>>())
        }
    });
    // Recomputed on every filter change; never compared (a fresh result is always new).
    let filtered = Memo::new_with_compare(
        move |_| {
            let f = filter.get();
            let hits = hits.get().unwrap_or_default();
            loaded.get().map(|l| Arc::new(apply(&l.briefs, &f, &me, &hits))).unwrap_or_default()
        },
        |_, _| true,
    );
    let shown = move || {
        loaded.map(|_| ())?;
        let n = filtered.with(|f| f.rows.len());
        let l = lang.get();
        Some(format!("{} {n} {}", IssueMsg::ShownPrefix.text(l), IssueMsg::ShownSuffix.text(l)))
    };
    view! {
        <section class="page issues-page" aria-labelledby="issues-title">
            <div class="page-head">
                <h2 id="issues-title">{tr(crate::i18n::Msg::IssuesTitle)}</h2>
                <AppLink to=Route::NewIssue class="button report-button">
                    <span aria-hidden="true">"＋ "</span>{tr(IssueMsg::NewIssue)}
                </AppLink>
            </div>
            <FilterBar filter counts=Signal::derive(move || filtered.with(|f| f.counts.clone()))/>
            <div class="issues-shown">
                <p role="status">{shown}</p>
                <crate::pages::export::ExportIssuesLink/>
                <Show when=move || filter.with(|f| f.active_count() > 0 || !f.query.trim().is_empty())>
                    <button type="button" class="link clear-filters"
                        on:click=move |_| filter.set(IssueFilter::default())>
                        {tr(IssueMsg::ClearFilters)}
                    </button>
                </Show>
            </div>
            {move || match loaded.get() {
                None => view! { <p class="muted">{tr(IssueMsg::Loading)}</p> }.into_any(),
                Some(l) => view! {
                    {move || filtered.with(|f| f.rows.is_empty())
                        .then(|| view! { <p class="empty">{tr(IssueMsg::NoMatches)}</p> })}
                    <IssueRows loaded=l filtered/>
                }.into_any(),
            }}
        </section>
    }
}
