//! The needs an issue raised (三张清单's 需求, found by the `by_issue` index) with where
//! each stands, and "提出需求": a need prefilled from the issue (`/lists/new?issue=…`).
//! Any issue can raise one. It reads on its own, so a change here re-renders only this box.

use leptos::prelude::*;

use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::core_label;

#[component]
pub fn IssueNeeds(id: String) -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let issue = id.clone();
    let needs = reload(move || {
        let (store, issue) = (store.clone(), issue.clone());
        Box::pin(async move { store.needs_of_issue(&issue).await })
    });
    view! {
        <section class="card issue-needs" aria-labelledby="issue-needs-title">
            <h3 id="issue-needs-title">{tr(ListMsg::IssueNeeds)}</h3>
            {move || needs.get().map(|r| match r {
                Ok(list) => view! {
                    <ul class="list">
                        {list.into_iter().map(|n| {
                            let status = n.need_status();
                            view! {
                                <li><AppLink href=format!("/lists/{}", n.id)>{n.title.to_string()}</AppLink> " "
                                    {status.map(|s| view! {
                                        <span class=format!("pill list-status {}", s.code())>{move || core_label!(s, lang.get())}</span>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <AppLink href=format!("/lists/new?issue={id}") class="button small secondary">"+ " {tr(ListMsg::RaiseNeed)}</AppLink>
        </section>
    }
}
