//! Choosing whom a visit was to: search by the head's name, or tap one of the households
//! due a visit. The choice goes into the address (`/visits/new/<id>`), so a reload keeps it.

use leptos::prelude::*;
use wangge_core::household::HouseholdTag;
use wangge_core::Date;

use super::due::load_due;
use crate::components::roster_link::replace_url;
use crate::components::roster_load::reload;
use crate::components::roster_tags::TagBadges;
use crate::context::use_store;
use crate::i18n::tr;
use crate::i18n::visits::VisitMsg;
use crate::route::query_param;
use crate::store::HouseholdRow;

/// Due households offered for a quick pick.
const SUGGESTED: usize = 6;

#[component]
pub fn HouseholdPicker(chosen: RwSignal<Option<HouseholdRow>>, today: Date) -> impl IntoView {
    let store = use_store();
    let query = RwSignal::new(String::new());
    let found = {
        let store = store.clone();
        reload(move || {
            let (store, q) = (store.clone(), query.get().trim().to_string());
            Box::pin(async move {
                if q.is_empty() {
                    return None;
                }
                Some(store.households_by_name_prefix(&q, 20).await.unwrap_or_default())
            })
        })
    };
    let due = reload(move || {
        let store = store.clone();
        Box::pin(async move {
            let mut rows = Vec::new();
            // Suggestions only: on a failed read the search below still finds everyone.
            for item in load_due(&store, today, None).await.unwrap_or_default().into_iter().take(SUGGESTED) {
                if let Ok(Some(row)) = store.household(item.household.id.as_str()).await {
                    rows.push(row);
                }
            }
            rows
        })
    });
    let pick = Callback::new(move |row: HouseholdRow| {
        let from = query_param("from").map(|f| format!("?from={f}")).unwrap_or_default();
        replace_url(&format!("/visits/new/{}{from}", row.id));
        chosen.set(Some(row));
    });
    view! {
        <label class="field search">
            <span>{tr(VisitMsg::SearchHousehold)}</span>
            <input type="search" placeholder=tr(VisitMsg::SearchHint) prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))/>
        </label>
            {move || found.get().flatten().map(|rows| view! {
                {rows.is_empty().then(|| view! { <p class="empty">{tr(VisitMsg::NoMatch)}</p> })}
                <ul class="list pick-list">
                    {rows.into_iter().map(|row| view! { <PickRow row pick/> }).collect_view()}
                </ul>
            })}
        <p class="muted">{tr(VisitMsg::DueSuggestions)}</p>
            {move || due.get().map(|rows| view! {
                <ul class="list pick-list">
                    {rows.into_iter().map(|row| view! { <PickRow row pick/> }).collect_view()}
                </ul>
            })}
    }
}

#[component]
fn PickRow(row: HouseholdRow, pick: Callback<HouseholdRow>) -> impl IntoView {
    let tags: Vec<HouseholdTag> = row.household.tags.iter().copied().collect();
    let name = if row.name.is_empty() { row.household.address.to_string() } else { row.name.clone() };
    let address = row.household.address.to_string();
    view! {
        <li>
            <button type="button" class="pick" on:click=move |_| pick.run(row.clone())>
                <span class="hh-name">{name}</span>
                <span class="hh-addr">{address}</span>
                <TagBadges tags/>
            </button>
        </li>
    }
}
