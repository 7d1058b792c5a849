//! 三张清单: the resources, projects or needs of the user's scope, one list at a time, with
//! filters (status, grid) kept in the query string so a reload shows the same list, and
//! "打印清单", which prints the filtered list on A4 (`print.rs`, `style/lists.css`).
//! The filters are this page's signals, above the part a data change re-renders.

use leptos::prelude::*;
use wangge_core::lists::{ListEntry, ListKind};

use super::data::{load_lists, Lists};
use super::print::PrintSheet;
use super::words::{kind_msg, kind_of, status_choices, status_code, status_label, yuan};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::meetings::subnav::MeetNav;
use crate::route::{query_param, replace_query};

/// The list shown and its filters.
#[derive(Clone, Copy)]
pub struct Filter {
    pub kind: RwSignal<ListKind>,
    pub status: RwSignal<String>,
    pub grid: RwSignal<String>,
}

impl Filter {
    pub fn passes(&self, e: &ListEntry, lists: &Lists) -> bool {
        let (status, grid) = (self.status.get(), self.grid.get());
        e.kind == self.kind.get()
            && (status.is_empty() || status_code(e) == Some(status.as_str()))
            && (grid.is_empty() || wangge_core::GridId::parse(&grid).is_ok_and(|g| lists.tree.contains(&g, &e.grid)))
    }
}

#[component]
pub fn ListsPage() -> impl IntoView {
    let store = use_store();
    let me = session();
    let scope = me.user.home_grid.clone();
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_lists(&store, &scope).await })
    });
    let filter = Filter {
        kind: RwSignal::new(kind_of(query_param("kind"))),
        status: RwSignal::new(query_param("status").unwrap_or_default()),
        grid: RwSignal::new(query_param("grid").unwrap_or_default()),
    };
    Effect::new(move || {
        replace_query(&[
            ("kind", filter.kind.get().code().into()),
            ("status", filter.status.get()),
            ("grid", filter.grid.get()),
        ])
    });
    let lang = use_lang();
    let home = me.user.home_grid.clone();
    view! {
        <section class="page lists" aria-labelledby="lists-title">
            {me.is_staff().then(|| view! { <MeetNav/> })}
            <div class="page-head no-print">
                <h2 id="lists-title">{tr(ListMsg::Title)}</h2>
                {move || view! {
                    <AppLink href=format!("/lists/new?kind={}", filter.kind.get().code()) class="button small">
                        "+ " {tr(ListMsg::Add)}
                    </AppLink>
                }}
            </div>
            <div class="segments no-print" role="group" aria-label=tr(ListMsg::Kind)>
                {ListKind::ALL.map(|k| view! {
                    <button type="button" class="segment" aria-pressed=move || (filter.kind.get() == k).to_string()
                        on:click=move |_| { filter.kind.set(k); filter.status.set(String::new()); }>
                        {tr(kind_msg(k))}
                    </button>
                }).into_iter().collect_view()}
            </div>
            <div class="filters no-print">
                {move || (filter.kind.get() != ListKind::Resource).then(|| view! {
                    <select aria-label=tr(ListMsg::Status) on:change=move |ev| filter.status.set(event_target_value(&ev))>
                        <option value="">{tr(ListMsg::AllStatus)}</option>
                        {status_choices(filter.kind.get(), lang.get()).into_iter().map(|(code, label)| view! {
                            <option value=code selected=filter.status.get_untracked() == code>{label}</option>
                        }).collect_view()}
                    </select>
                })}
                {move || data.get().and_then(Result::ok).map(|d| {
                    let grids = d.grid_choices(&home);
                    view! {
                        <select aria-label=tr(ListMsg::Grid) on:change=move |ev| filter.grid.set(event_target_value(&ev))>
                            <option value="">{tr(ListMsg::AllGrids)}</option>
                            {grids.into_iter().map(|(id, name)| {
                                let selected = filter.grid.get_untracked() == id.as_str();
                                view! { <option value=id.to_string() selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
                <button type="button" class="button small secondary" on:click=move |_| { let _ = window().print(); }>
                    {tr(ListMsg::Print)}
                </button>
            </div>
            {move || data.get().map(|d| match d {
                Ok(lists) => view! { <Rows lists filter/> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Rows(lists: Lists, filter: Filter) -> impl IntoView {
    let lang = use_lang();
    move || {
        let shown: Vec<ListEntry> = lists.entries.iter().filter(|e| filter.passes(e, &lists)).cloned().collect();
        if shown.is_empty() {
            let none = lists.entries.iter().all(|e| e.kind != filter.kind.get());
            let msg = if none { ListMsg::Empty } else { ListMsg::NoneMatch };
            return view! { <p class="empty">{msg.text(lang.get())}</p> }.into_any();
        }
        let rows = shown.iter().map(|e| row(e, &lists, lang.get())).collect_view();
        let sheet = view! { <PrintSheet lists=lists.clone() entries=shown.clone() kind=filter.kind.get()/> };
        view! { <ul class="list rows card list-rows no-print">{rows}</ul> {sheet} }.into_any()
    }
}

fn row(e: &ListEntry, lists: &Lists, l: crate::i18n::Lang) -> impl IntoView + use<> {
    let status = status_label(e, l).map(|s| {
        let code = status_code(e).unwrap_or_default();
        view! { <span class=format!("pill list-status {code}")>{s}</span> }
    });
    let who = lists.who(e);
    let mut meta: Vec<String> = Vec::new();
    if !who.is_empty() {
        meta.push(who);
    }
    match e.kind {
        ListKind::Resource => meta.extend(e.availability.as_ref().map(|a| a.to_string())),
        ListKind::Project => meta.extend(e.budget_yuan.map(|b| format!("{} {}", ListMsg::Budget.text(l), yuan(b)))),
        ListKind::Need => {
            meta.extend(
                e.household
                    .as_ref()
                    .map(|h| format!("{} {}", ListMsg::FromHousehold.text(l), lists.household(h.as_str()))),
            );
            meta.extend(
                e.issue.as_ref().map(|i| format!("{} {}", ListMsg::FromIssue.text(l), lists.issue(i.as_str()))),
            );
            meta.extend(lists.taken_by(e).map(|t| format!("{} {t}", ListMsg::TakenBy.text(l))));
        }
    }
    let (title, grid) = (e.title.to_string(), lists.grid(&e.grid));
    view! {
        <li>
            <AppLink href=format!("/lists/{}", e.id) class="row-link">
                <span class="row-title">{title} {status}</span>
                <span class="row-meta">{grid}</span>
                {meta.into_iter().map(|m| view! { <span class="row-meta">{m}</span> }).collect_view()}
            </AppLink>
        </li>
    }
}
