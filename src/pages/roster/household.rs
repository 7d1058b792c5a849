//! One household (户): who lives there, its tags, when it is next due a visit, its visit
//! history and its issues, with the two things a worker does from here — record a visit
//! and report an issue.

use std::collections::HashMap;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wangge_core::grid::GridTree;
use wangge_core::household::HouseholdTag;
use wangge_core::visit::Visit;
use wangge_core::GridId;

use super::household_parts::{IssueList, Members, NextVisit, VisitHistory};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::components::roster_tags::TagBadges;
use crate::components::visit_saved::VisitSaved;
use crate::context::use_store;
use crate::i18n::roster::RosterMsg;
use crate::i18n::visits::VisitMsg;
use crate::i18n::tr;
use crate::store::{HouseholdRow, IssueRow, StoreError};

/// Everything the screen shows, read together.
#[derive(Clone)]
struct Data {
    row: HouseholdRow,
    path: Vec<String>,
    visits: Vec<Visit>,
    issues: Vec<IssueRow>,
    /// Person id → name, to say who visited.
    names: HashMap<String, String>,
}

#[component]
pub fn HouseholdPage(id: String) -> impl IntoView {
    let store = SendWrapper::new(use_store());
    let key = id.clone();
    let data = reload(move || {
        let (store, id) = ((*store).clone(), key.clone());
        Box::pin(async move {
            // A failed read of the household, its visits or its issues is shown as an
            // error (an empty visit history would read as "never visited"); the grid
            // path and visitors' names are labels, best effort.
            let Some(row) = store.household(&id).await? else {
                return Ok(None);
            };
            let visits = store.visits_of_household(&id).await?;
            let mut issues = store.issues_of_household(&id).await?;
            wangge_core::sort::sort_by(&mut issues, |a, b| b.issue.created_at.cmp(&a.issue.created_at));
            let grids = store.grids().await.unwrap_or_default();
            let path = GridTree::build(grids)
                .map(|t| {
                    t.path_names(&row.household.grid)
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                })
                .unwrap_or_default();
            let names = store
                .people()
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.id.to_string(), p.name.to_string()))
                .collect();
            Ok::<_, StoreError>(Some(Data {
                row,
                path,
                visits,
                issues,
                names,
            }))
        })
    });
    view! {
        <section class="page household" aria-labelledby="household-title">
                {move || data.get().map(|d| match d {
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                    Ok(Some(d)) => view! { <Household data=d/> }.into_any(),
                    Ok(None) => view! {
                        <h2 id="household-title">{tr(RosterMsg::Households)}</h2>
                        <p class="empty">{tr(RosterMsg::NotFound)}</p>
                    }.into_any(),
                })}
        </section>
    }
}

#[component]
fn Household(data: Data) -> impl IntoView {
    let Data {
        row,
        path,
        visits,
        issues,
        names,
    } = data;
    let h = row.household;
    let id = h.id.to_string();
    let title = if row.name.is_empty() {
        h.address.to_string()
    } else {
        row.name.clone()
    };
    let tags: Vec<HouseholdTag> = h.tags.iter().copied().collect();
    let last = visits.first().map(|v| v.date);
    let grid: GridId = h.grid.clone();
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
        </header>
        <Members members=h.members.in_display_order().into_iter().map(|(_, m)| m.clone()).collect()/>
        <VisitHistory visits names/>
        <IssueList issues/>
    }
}
