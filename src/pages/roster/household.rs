//! One household (户): who lives there, its tags, when it is next due a visit, its visit
//! history, its issues and who changed it, with what a worker does from here — record a
//! visit, report an issue, edit the household, add or edit a member. The forms live in a
//! [`RosterDraft`] the page owns, beside (not inside) what a sync re-renders.

use std::collections::HashMap;

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::household::HouseholdTag;
use wangge_core::visit::Visit;
use wangge_core::GridId;

use super::edit_draft::{FormKind, RosterDraft};
use super::history::{ChangeHistory, ServerWrite};
use super::household_form::RosterForms;
use super::household_parts::{IssueList, Members, NextVisit, VisitHistory};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::components::roster_tags::TagBadges;
use crate::components::visit_saved::VisitSaved;
use crate::context::{session, use_store};
use crate::i18n::roster::RosterMsg;
use crate::i18n::tr;
use crate::i18n::visits::VisitMsg;
use crate::store::{Bases, HouseholdRow, IssueRow, PendingWrite, StoreError};
use wangge_core::sync::Collection;

/// Everything the screen shows, read together.
#[derive(Clone)]
struct Data {
    row: HouseholdRow,
    /// The server version of each field, what a form opens on.
    bases: Bases,
    /// This phone's writes not yet synced.
    pending: Vec<PendingWrite>,
    /// The server's last writer of each field, newest first.
    written: Vec<ServerWrite>,
    path: Vec<String>,
    visits: Vec<Visit>,
    issues: Vec<IssueRow>,
    /// Person id → name, to say who visited.
    names: HashMap<String, String>,
}

#[component]
pub fn HouseholdPage(id: String) -> impl IntoView {
    let store = use_store();
    let key = id.clone();
    let data = reload(move || {
        let (store, id) = (store.clone(), key.clone());
        Box::pin(async move {
            // A failed read of the household, its visits or its issues is shown as an
            // error (an empty visit history would read as "never visited"); the grid
            // path and visitors' names are labels, best effort.
            let Some((row, bases)) = store.household_with_bases(&id).await? else {
                return Ok(None);
            };
            let pending = store.pending_writes(Collection::Households, &id).await?;
            let writers = store.field_writers(Collection::Households, &id).await?;
            let visits = store.visits_of_household(&id).await?;
            let mut issues = store.issues_of_household(&id).await?;
            wangge_core::sort::sort_by(&mut issues, |a, b| b.issue.created_at.cmp(&a.issue.created_at));
            let grids = store.grids().await.unwrap_or_default();
            let path = GridTree::build(grids)
                .map(|t| t.path_names(&row.household.grid).iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            let names = store.people_names().await;
            let written = server_writes(&row, writers, &names);
            Ok::<_, StoreError>(Some(Data { row, bases, pending, written, path, visits, issues, names }))
        })
    });
    let draft = RosterDraft::default();
    view! {
        <section class="page household" aria-labelledby="household-title">
                {move || data.get().map(|d| match d {
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                    Ok(Some(d)) => view! { <Household data=d draft/> }.into_any(),
                    Ok(None) => view! {
                        <h2 id="household-title">{tr(RosterMsg::Households)}</h2>
                        <p class="empty">{tr(RosterMsg::NotFound)}</p>
                    }.into_any(),
                })}
                <RosterForms draft/>
        </section>
    }
}

#[component]
fn Household(data: Data, draft: RosterDraft) -> impl IntoView {
    let Data { row, bases, pending, written, path, visits, issues, names } = data;
    let h = row.household;
    let id = h.id.to_string();
    let title = if row.name.is_empty() { h.address.to_string() } else { row.name.clone() };
    let tags: Vec<HouseholdTag> = h.tags.iter().copied().collect();
    let last = visits.first().map(|v| v.date);
    let grid: GridId = h.grid.clone();
    let me = session().user.name;
    let open = {
        let (h, bases) = (h.clone(), bases.clone());
        move |kind: FormKind| draft.open_on(kind, &h, &bases)
    };
    let open_member = open.clone();
    view! {
        <VisitSaved/>
        <header class="card hh-head">
            <h2 id="household-title">{title} <span class="muted">" " {tr(RosterMsg::HouseholdOf)}</span></h2>
            <p class="hh-addr">{h.address.to_string()}</p>
            <p class="muted grid-path" title=grid.to_string()>{path.join(" › ")}</p>
            <TagBadges tags/>
            <NextVisit household=h.clone() last/>
            <div class="actions">
                <AppLink href=format!("/visits/new/{id}?from=household") class="button">{tr(VisitMsg::RecordVisit)}</AppLink>
                <AppLink href=format!("/issues/new?household={id}") class="button secondary">{tr(RosterMsg::ReportIssue)}</AppLink>
            </div>
            <div class="actions">
                <button type="button" class="button small secondary" on:click={ let open = open.clone(); move |_| open(FormKind::Household) }>{tr(RosterMsg::EditHousehold)}</button>
                <button type="button" class="button small secondary" on:click=move |_| open(FormKind::NewMember)>{tr(RosterMsg::AddMember)}</button>
            </div>
        </header>
        <Members members=h.members.in_display_order().into_iter().map(|(i, m)| (i.clone(), m.clone())).collect()
            on_edit=Callback::new(move |m| open_member(FormKind::Member(m)))/>
        <ChangeHistory pending written me/>
        <VisitHistory visits names/>
        <IssueList issues/>
    }
}

/// The fields whose server writer the phone knows, with their current values (the
/// household as shown, pending edits included), newest first.
fn server_writes(
    row: &HouseholdRow,
    writers: std::collections::BTreeMap<String, (String, i64)>,
    names: &HashMap<String, String>,
) -> Vec<ServerWrite> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&row.household) else {
        return Vec::new();
    };
    let mut out: Vec<ServerWrite> = writers
        .into_iter()
        .filter(|(field, _)| field != "id")
        .map(|(field, (by, at))| ServerWrite {
            value: fields.get(&field).cloned().unwrap_or_default(),
            who: names.get(&by).cloned().unwrap_or(by),
            field,
            at,
        })
        .collect();
    wangge_core::sort::sort_by(&mut out, |a, b| b.at.cmp(&a.at));
    out
}
