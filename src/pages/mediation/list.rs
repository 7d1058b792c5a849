//! 调解案件: the cases of the user's scope, those still open first (accepted or being
//! mediated, then agreements with terms left to keep), each with its stage, type, parties
//! and next due term; and the button that opens a new one.

use leptos::prelude::*;
use wangge_core::mediation::{Case, CaseStage, TermStatus};

use super::data::{load_scope, Scope};
use super::words::{day, next_due};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;

#[component]
pub fn CasesPage() -> impl IntoView {
    if let Some(refused) = super::refused() {
        return refused;
    }
    let store = use_store();
    let me = session();
    let staff = me.is_staff();
    let scope = me.user.home_grid;
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_scope(&store, &scope).await })
    });
    view! {
        <section class="page mediation" aria-labelledby="cases-title">
            // Staff reach the cases from the committee's sub-nav; a worker from Today.
            {staff.then(|| view! { <crate::pages::meetings::subnav::MeetNav/> })}
            <div class="page-head">
                <h2 id="cases-title">{tr(MedMsg::Title)}</h2>
                <AppLink href="/mediation/new" class="button small">"+ " {tr(MedMsg::OpenNew)}</AppLink>
            </div>
            {move || data.get().map(|d| match d {
                Ok(s) if s.cases.is_empty() => view! { <p class="empty">{tr(MedMsg::NoCases)}</p> }.into_any(),
                Ok(s) => view! { <CaseRows scope=s/> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

/// Open first: 0 still being mediated, 1 an agreement with terms to keep, 2 ended.
fn rank(case: &Case, now: i64) -> u8 {
    match case.stage() {
        CaseStage::Accepted | CaseStage::Mediating => 0,
        CaseStage::Agreed if next_due(case, now).is_some() => 1,
        _ => 2,
    }
}

#[component]
fn CaseRows(scope: Scope) -> impl IntoView {
    let now = now_ms();
    let mut cases: Vec<&Case> = scope.cases.iter().collect();
    // Stable: within a rank the newest accepted stays first.
    wangge_core::sort::sort_by_key(&mut cases, |c| rank(c, now));
    let rows = cases.into_iter().map(|c| row(c, now)).collect_view();
    view! { <ul class="list rows card case-rows">{rows}</ul> }
}

fn row(c: &Case, now: i64) -> AnyView {
    let lang = use_lang();
    let (stage, dispute) = (c.stage(), c.dispute);
    let parties: Vec<String> = c.entries.parties.values().map(|p| p.name.to_string()).collect();
    let parties = parties.join("、");
    let due = next_due(c, now);
    let late = due.is_some_and(|(_, s)| s == TermStatus::Overdue);
    let due_line = move || {
        due.map(|(d, s)| format!("{} {} · {}", MedMsg::NextDue.text(lang.get()), day(d), core_label!(s, lang.get())))
    };
    let (href, title) = (format!("/mediation/{}", c.id), c.title.to_string());
    view! {
        <li>
            <AppLink href class="row-link">
                <span class="row-title">
                    {title}
                    <span class=format!("case-stage stage-{}", stage.code())>{move || core_label!(stage, lang.get())}</span>
                </span>
                <span class="row-meta">{move || core_label!(dispute, lang.get())} " · " {parties}</span>
                {due.is_some().then(|| view! { <span class="row-meta" class:overdue=late>{due_line}</span> })}
            </AppLink>
        </li>
    }
    .into_any()
}
