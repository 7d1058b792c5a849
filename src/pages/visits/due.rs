//! The due list: households on the visit schedule (read through the tag index, with their
//! visits, by the query the Today screen uses too), handed to the core's `due_visits`,
//! most overdue first.

use std::collections::HashMap;

use leptos::prelude::*;
use wangge_core::household::{Household, HouseholdTag};
use wangge_core::visit::{due_visits, DueVisit, VisitSchedule};
use wangge_core::Date;

use crate::components::roster_link::AppLink;
use crate::components::roster_tags::TagBadges;
use crate::i18n::tr;
use crate::i18n::visits::VisitMsg;
use crate::i18n::{use_lang, Text};
use crate::pages::roster::household_parts::due_text;
use crate::store::{Store, StoreError};

/// A household due a visit, with what the list shows of it.
#[derive(Clone)]
pub struct DueItem {
    pub household: Household,
    pub due: DueVisit,
}

/// The tags the schedule visits, most frequent first (独居老人 weekly …).
pub fn scheduled_tags() -> Vec<HouseholdTag> {
    let schedule = VisitSchedule::default();
    let mut tags: Vec<(HouseholdTag, u32)> = schedule.every_days.into_iter().collect();
    wangge_core::sort::sort_by_key(&mut tags, |(t, every)| (*every, *t));
    tags.into_iter().map(|(t, _)| t).collect()
}

/// Households due a visit on `today`, optionally only those with `tag`.
/// A failed read is an error, never an empty list: "no one is due" could mean an old
/// person living alone goes unvisited.
pub async fn load_due(store: &Store, today: Date, tag: Option<HouseholdTag>) -> Result<Vec<DueItem>, StoreError> {
    let tags: Vec<HouseholdTag> = match tag {
        Some(t) => vec![t],
        None => scheduled_tags(),
    };
    let (rows, visits) = store.households_with_visits(&tags).await?;
    let households: Vec<Household> = rows.into_iter().map(|r| r.household).collect();
    // With one tag chosen, that tag's rhythm decides (a weekly elderly person who is also
    // low-income is due weekly either way; the filter only narrows the list).
    let due = due_visits(&households, &visits, &VisitSchedule::default(), today);
    let mut by_id: HashMap<String, Household> = households.into_iter().map(|h| (h.id.to_string(), h)).collect();
    Ok(due
        .into_iter()
        .filter_map(|d| {
            let household = by_id.remove(d.household.as_str())?;
            Some(DueItem { household, due: d })
        })
        .collect())
}

/// One due household: who, where, why, how late; the row opens the household and the
/// button records the visit straight away.
#[component]
pub fn DueRow(item: DueItem, today: Date) -> impl IntoView {
    let lang = use_lang();
    let h = item.household;
    let id = h.id.to_string();
    let name = h.head().map(|m| m.name.to_string()).unwrap_or_else(|| h.address.to_string());
    let tags: Vec<HouseholdTag> = h.tags.iter().copied().collect();
    let (last, every) = (item.due.last_visit, item.due.every_days);
    let button_label = {
        let name = name.clone();
        move || format!("{}：{name}", VisitMsg::RecordVisit.text(lang.get()))
    };
    view! {
        <li class="due-row">
            <AppLink href=format!("/households/{id}") class="due-main">
                <span class="hh-name">{name}</span>
                <span class="hh-addr">{h.address.to_string()}</span>
                <TagBadges tags/>
                <span class="due-state">{move || due_text(last, every, today, lang.get()).0}</span>
            </AppLink>
            <AppLink href=format!("/visits/new/{id}") class="button small" label=Signal::derive(button_label)>
                {tr(VisitMsg::RecordVisit)}
            </AppLink>
        </li>
    }
}
