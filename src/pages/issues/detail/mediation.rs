//! An issue's link to mediation: the case it became ("调解案件:调解中", found through the
//! store's `by_issue` index), or, on a 矛盾纠纷 issue without one, "转为调解案件", which
//! opens a new case filled in from the issue. Reads on its own, so the issue's read is
//! unchanged; nothing for an account that only answers for a unit.

use leptos::prelude::*;
use wangge_core::issue::Category;

use super::Shown;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::core_label;

#[component]
pub fn CaseLink(detail: Shown) -> impl IntoView {
    if !crate::pages::mediation::may_mediate() {
        return ().into_any();
    }
    let lang = use_lang();
    let store = use_store();
    let id = detail.with_untracked(|d| d.map(|d| d.row.id.clone())).unwrap_or_default();
    let dispute = move || detail.with(|d| d.is_some_and(|d| d.row.issue.category == Category::Dispute));
    let found = {
        let id = id.clone();
        reload(move || {
            let (store, id) = (store.clone(), id.clone());
            Box::pin(async move { store.case_of_issue(&id).await.ok().flatten() })
        })
    };
    view! {
        {move || match found.get() {
            Some(Some(c)) => {
                let stage = c.stage();
                Some(view! {
                    <p class="card case-link">
                        <AppLink href=format!("/mediation/{}", c.id)>{tr(MedMsg::CaseLink)} {move || core_label!(stage, lang.get())}</AppLink>
                    </p>
                }.into_any())
            }
            Some(None) if dispute() => Some(view! {
                <p class="case-link">
                    <AppLink href=format!("/mediation/new?issue={id}") class="button secondary">{tr(MedMsg::ToCase)}</AppLink>
                </p>
            }.into_any()),
            _ => None,
        }}
    }
    .into_any()
}
