//! Today's section for a mediator (调解协议履行提醒): the terms of signed agreements they
//! mediate or recorded that are overdue or due within `REMINDER_DAYS` (the core's
//! `mediation::reminders`), each with the case, the term, its sum and due day, linking to
//! the case; and the way to every case ("调解案件 · 全部"). It reads the cases itself, so
//! Today's own read is unchanged; an account that only answers for a unit sees nothing.

use leptos::prelude::*;
use wangge_core::mediation::{Case, Reminder, TermStatus};

use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Msg};
use crate::pages::issues::common::core_label;
use crate::pages::mediation::words::{day, yuan};

#[component]
pub fn MediationReminders() -> impl IntoView {
    if !crate::pages::mediation::may_mediate() {
        return ().into_any();
    }
    let store = use_store();
    let me = session().user.person_id;
    let data = reload(move || {
        let (store, me) = (store.clone(), me.clone());
        Box::pin(async move { store.mediation_reminders(&me, now_ms()).await })
    });
    view! {
        <section class="card today-section mediation-reminders" aria-label=tr(MedMsg::Reminders)>
            {move || data.get().map(|d| match d {
                Ok(list) => view! { <Items list/> }.into_any(),
                Err(e) => view! { <h3>{tr(MedMsg::Reminders)}</h3> <ReadFailed error=e/> }.into_any(),
            })}
            <AppLink href="/mediation" class="see-all">{tr(MedMsg::AllCases)}</AppLink>
        </section>
    }
    .into_any()
}

#[component]
fn Items(list: Vec<(Reminder, Case)>) -> impl IntoView {
    let lang = use_lang();
    let count = list.len();
    let items = list
        .into_iter()
        .map(|(r, c)| {
            let term = c.entries.terms.get(&r.term);
            let what = term.map(|t| t.what.to_string()).unwrap_or_default();
            let money = term.and_then(|t| t.amount_fen).map(|f| format!(" · ¥{}", yuan(f))).unwrap_or_default();
            let (status, late) = (r.status, r.status == TermStatus::Overdue);
            let due = day(r.due);
            view! {
                <li>
                    <AppLink href=format!("/mediation/{}", c.id) class="row-link">
                        <span class="row-title">{c.title.to_string()}</span>
                        <span class="row-meta">{what} {money}</span>
                        <span class="row-meta" class:overdue=late>{due} " · " {move || core_label!(status, lang.get())}</span>
                    </AppLink>
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>{tr(MedMsg::Reminders)} <span class="count">{count}</span></h3>
        {(count == 0).then(|| view! { <p class="empty">{tr(Msg::NothingYet)}</p> })}
        <ul class="list rows">{items}</ul>
    }
}
