//! One list entry (`/lists/<id>`): its fields, names for its unit, household, issue and
//! who took it; for a need, the match, claim and fulfilment forms (`need.rs`). The head
//! re-renders when the data on the phone changes; the forms are built once beside it and
//! their inputs live in this page, so a sync never drops what was typed.

use leptos::prelude::*;
use wangge_core::lists::{ListEntry, ListKind};

use super::data::{load_lists, Lists};
use super::need::{NeedActions, NeedDraft};
use super::words::{kind_msg, status_code, status_label, yuan};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::date;
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::store::{Bases, StoreError};

/// The entry as read, with the bases of its fields and the scope's names.
#[derive(Clone)]
pub struct Shown {
    pub entry: ListEntry,
    pub bases: Bases,
    pub lists: Lists,
}

type Read = Option<Result<Option<Shown>, StoreError>>;

async fn load(store: &crate::store::Store, scope: &wangge_core::GridId, id: &str) -> Result<Option<Shown>, StoreError> {
    let Some((entry, bases)) = store.list_entry_with_bases(id).await? else {
        return Ok(None);
    };
    Ok(Some(Shown { entry, bases, lists: load_lists(store, scope).await? }))
}

#[component]
pub fn EntryPage(id: String) -> impl IntoView {
    let store = use_store();
    let scope = session().user.home_grid;
    let entry_id = id.clone();
    let read: RwSignal<Read> = reload(move || {
        let (store, scope, id) = (store.clone(), scope.clone(), entry_id.clone());
        Box::pin(async move { load(&store, &scope, &id).await })
    });
    let is_need = Memo::new(move |_| read.with(|r| matches!(r, Some(Ok(Some(s))) if s.entry.kind == ListKind::Need)));
    let draft = NeedDraft::default();
    view! {
        <section class="page list-entry" aria-labelledby="entry-title">
            <AppLink href="/lists?kind=need" class="back-link">"‹ " {tr(ListMsg::Back)}</AppLink>
            {move || read.get().map(|r| match r {
                Ok(Some(s)) => view! { <Head s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="entry-title">{tr(ListMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            {move || is_need.get().then(|| view! { <NeedActions read draft/> })}
        </section>
    }
}

#[component]
fn Head(s: Shown) -> impl IntoView {
    let lang = use_lang();
    let (e, lists) = (s.entry, s.lists);
    let l = lang.get_untracked();
    let mut facts: Vec<(ListMsg, String)> = vec![(ListMsg::Grid, lists.grid(&e.grid))];
    let who = lists.who(&e);
    if !who.is_empty() {
        facts.push((ListMsg::Contact, who));
    }
    facts.extend(e.availability.as_ref().map(|a| (ListMsg::Availability, a.to_string())));
    facts.extend(e.budget_yuan.map(|b| (ListMsg::Budget, yuan(b))));
    facts.extend(e.household.as_ref().map(|h| (ListMsg::FromHousehold, lists.household(h.as_str()))));
    facts.extend(lists.taken_by(&e).map(|t| (ListMsg::TakenBy, t)));
    facts.extend(e.fulfilled_at.map(|t| (ListMsg::FulfilDate, date(t as f64))));
    facts.extend(e.outcome.as_ref().map(|o| (ListMsg::Outcome, o.to_string())));
    facts
        .push((ListMsg::RecordedBy, format!("{} · {}", lists.person(e.recorder.as_str()), date(e.recorded_at as f64))));
    let status = status_label(&e, l).map(|s| {
        let code = status_code(&e).unwrap_or_default();
        view! { <span class=format!("pill list-status {code}")>{s}</span> }
    });
    let issue = e.issue.as_ref().map(|i| {
        let title = lists.issue(i.as_str());
        view! { <p>{tr(ListMsg::FromIssue)} "：" <AppLink href=format!("/issues/{i}")>{title}</AppLink></p> }
    });
    let kind = e.kind;
    view! {
        <header class="card">
            <p class="muted">{move || kind_msg(kind).text(lang.get())}</p>
            <h2 id="entry-title">{e.title.to_string()} " " {status}</h2>
            {e.description.as_ref().map(|d| view! { <p>{d.to_string()}</p> })}
            {issue}
            <dl class="meeting-facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{tr(k)}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <AppLink href=format!("/lists/{}/edit", e.id) class="button small secondary">{tr(ListMsg::Edit)}</AppLink>
        </header>
    }
}
