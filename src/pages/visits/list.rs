//! Visits (走访): households due a visit from the schedule (独居老人 weekly, 残疾 and
//! 重病 fortnightly, 低保 monthly …), narrowed by tag, and the latest visits recorded.

use std::collections::HashMap;

use leptos::prelude::*;
use wangge_core::household::HouseholdTag;
use wangge_core::visit::Visit;
use wangge_core::Date;

use super::due::{load_due, scheduled_tags, DueRow};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::components::roster_tags::TagChips;
use crate::components::visit_saved::VisitSaved;
use crate::context::use_store;
use crate::format::now_ms;
use crate::i18n::roster::RosterMsg;
use crate::i18n::visits::VisitMsg;
use crate::i18n::{tr, Msg};
use crate::route::{query_param, replace_query};
use crate::store::StoreError;

/// Recent visits shown.
const RECENT: usize = 15;

#[component]
pub fn VisitsPage() -> impl IntoView {
    let store = use_store();
    let today = Date::of_millis(now_ms());
    let tag = RwSignal::new(query_param("tag").and_then(|t| HouseholdTag::from_code(&t)));
    Effect::new(move || replace_query(&[("tag", tag.get().map(|t| t.code().to_string()).unwrap_or_default())]));
    let due = {
        let store = store.clone();
        reload(move || {
            let (store, t) = (store.clone(), tag.get());
            Box::pin(async move { load_due(&store, today, t).await })
        })
    };
    let recent = reload(move || {
        let store = store.clone();
        Box::pin(async move {
            let visits = store.recent_visits(RECENT).await?;
            let mut names = HashMap::new();
            for v in &visits {
                if let Ok(Some(row)) = store.household(v.household.as_str()).await {
                    names.insert(v.household.to_string(), row.name);
                }
            }
            Ok::<_, StoreError>((visits, names))
        })
    });
    view! {
        <section class="page visits" aria-labelledby="visits-title">
            <div class="page-head">
                <h2 id="visits-title">{tr(Msg::VisitsTitle)}</h2>
                <AppLink href="/visits/new" class="button">"＋ " {tr(VisitMsg::RecordVisit)}</AppLink>
            </div>
            <VisitSaved/>
            <section class="card" aria-labelledby="due-title">
                <h3 id="due-title">{tr(VisitMsg::DueTitle)}
                    {move || due.get().and_then(Result::ok).map(|d| view! { <span class="count-badge">{d.len()}</span> })}</h3>
                <TagChips tags=scheduled_tags() selected=tag
                    group_label=tr(RosterMsg::FilterByTag) all_label=tr(RosterMsg::AllTags)/>
                    {move || due.get().map(|read| match read {
                        Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                        Ok(items) => view! {
                            {items.is_empty().then(|| view! { <p class="empty">{tr(VisitMsg::NoDue)}</p> })}
                            <ul class="list due-list">
                                {items.into_iter().map(|item| view! { <DueRow item today/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
            </section>
            <section class="card" aria-labelledby="recent-title">
                <h3 id="recent-title">{tr(VisitMsg::RecentTitle)}</h3>
                    {move || recent.get().map(|read| match read {
                        Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                        Ok((visits, names)) => view! {
                            {visits.is_empty().then(|| view! { <p class="empty">{tr(VisitMsg::NoRecent)}</p> })}
                            <ul class="list">
                                {visits.into_iter().map(|v| view! { <RecentRow name=names.get(v.household.as_str()).cloned() visit=v/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
            </section>
        </section>
    }
}

#[component]
fn RecentRow(visit: Visit, name: Option<String>) -> impl IntoView {
    let notes = visit.notes.to_string();
    view! {
        <li>
            <AppLink href=format!("/households/{}", visit.household) class="recent-item">
                <span class="hh-name">{name.unwrap_or_else(|| visit.household.to_string())}</span>
                <span class="muted">{visit.date.to_string()}</span>
                <span class="visit-notes">{if notes.is_empty() { "—".to_string() } else { notes }}</span>
            </AppLink>
        </li>
    }
}
