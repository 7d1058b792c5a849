//! The assessment page (考核, `/assess?month=YYYY-MM`): a month's raw counts per grid and
//! per worker, counted by the core (`wangge_core::assessment`) over what the phone holds.
//! A grid worker sees her grid and her own row (我的考核, reached from Settings); staff
//! see every grid of their subtree with each grid's people under it and the total (from
//! the dashboard). No score: every figure is "12 / 15" under a label saying what it
//! counts, with a line saying where each comes from. 导出表格(CSV) writes the same table
//! offline through the core's `export::csv` and logs it in this phone's export log; 打印
//! gives the sheet for the monthly meeting (`style/assess.css` hides the shell in print).
//!
//! The month is a signal owned here, above what a sync re-reads, so a background sync
//! never resets the choice.

pub mod export;
pub mod table;

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::assessment::Month;

use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::assess::AssessMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::route::{navigate, query_param, replace_query, use_route, Route};
pub(crate) use export::LOG_KIND;
use table::AssessTable;

/// Months offered: this one and the eleven before.
const MONTHS: usize = 12;

fn months(now: Month) -> Vec<Month> {
    std::iter::successors(Some(now), |m| Some(m.previous())).take(MONTHS).collect()
}

/// Whose rows are shown: a worker sees only her own under her grid; staff everyone's.
#[derive(Clone, PartialEq)]
pub enum Viewer {
    Worker(String),
    Staff,
}

#[component]
pub fn AssessPage() -> impl IntoView {
    let store = use_store();
    let me = session();
    let this_month = Month::of(now_ms());
    let chosen = query_param("month").and_then(|m| Month::parse(&m)).filter(|m| *m <= this_month);
    let month = RwSignal::new(chosen.unwrap_or(this_month));
    Effect::new(move || replace_query(&[("month", month.get().to_string())]));
    let viewer = if me.is_staff() { Viewer::Staff } else { Viewer::Worker(me.user.person_id.to_string()) };
    let title = if viewer == Viewer::Staff { AssessMsg::Title } else { AssessMsg::MineTitle };
    let home = me.user.home_grid.clone();
    let reader = store.clone();
    let data = reload(move || {
        let (store, home, m) = ((*reader).clone(), home.clone(), month.get());
        Box::pin(async move { store.assessment(&home, m, now_ms()).await.map(|a| a.map(Arc::new)) })
    });
    let step = RwSignal::new(export::Step::Idle);
    view! {
        <section class="page assess-page" aria-labelledby="assess-title">
            <h2 id="assess-title">{tr(title)}</h2>
            <div class="assess-bar no-print">
                <label>{tr(AssessMsg::Month)} " "
                    <select class="assess-month" on:change=move |ev| {
                        if let Some(m) = Month::parse(&event_target_value(&ev)) {
                            month.set(m);
                            step.set(export::Step::Idle);
                        }
                    }>
                        {months(this_month).into_iter().map(|m| view! {
                            <option value=m.to_string() prop:selected=move || month.get() == m>{m.to_string()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <export::ExportButton data step viewer=viewer.clone()/>
                <button type="button" class="button secondary" on:click=move |_| { let _ = window().print(); }>
                    {tr(AssessMsg::Print)}
                </button>
            </div>
            {move || export::status_line(&step.get())}
            {move || data.get().map(|read| match read {
                Ok(Some(a)) => view! { <AssessTable read=a viewer=viewer.clone()/> }.into_any(),
                Ok(None) => view! { <p class="empty">{tr(AssessMsg::NoData)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <p class="assess-note">{tr(AssessMsg::NoScore)}</p>
            <p class="muted assess-sources">{tr(AssessMsg::Sources)}</p>
        </section>
    }
}

/// The way in: a card with one link (Settings for everyone who works a grid; the
/// dashboard for staff).
#[component]
pub fn AssessCard() -> impl IntoView {
    let route = use_route();
    let lang = use_lang();
    let staff = session().is_staff();
    let label = move || if staff { AssessMsg::Title.text(lang.get()) } else { AssessMsg::MineTitle.text(lang.get()) };
    view! {
        <section class="card assess-card" aria-labelledby="assess-card-title">
            <h3 id="assess-card-title">{label}</h3>
            <p class="muted">{tr(AssessMsg::CardHint)}</p>
            <a href="/assess" class="button secondary" on:click=move |ev| {
                ev.prevent_default();
                navigate(route, Route::Assess);
            }>{label}</a>
        </section>
    }
}
