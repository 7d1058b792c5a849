//! Emergency mode (平急转换) on the phone: Today's red banner while the user's node or one
//! above it is in emergency (`banner.rs`), and the emergency screen `/emergency` — reason
//! and since, the call roster with `tel:` links and 主动报到 (`roster.rs`), the live board
//! of vulnerable households per grid (`board.rs`), the staff's switch and switch-back
//! forms (`switch.rs`) and the history of past ones. Every read is the core's
//! (`emergency::active`, `roster`, `board`) over the store; every save is checked by the
//! core and written with its outbox entry in one transaction.

pub mod banner;
pub mod board;
pub mod roster;
pub mod switch;

pub use banner::EmergencyBanner;

use leptos::prelude::*;
use wangge_core::emergency::Emergency;
use wangge_core::grid::EscalationLevel;
use wangge_core::people::Role;

use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::emergency::EmergencyMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::core_label;
use crate::store::emergency_queries::EmergencyWorld;

/// Whether someone holding `roles` switches a scope into emergency and back: town and
/// district staff (the server's rule, `db/emergencies.rs`).
pub fn switches(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.handles_at().is_some_and(|l| l >= EscalationLevel::Town))
}

/// "自12月7日 10:00起" / "since 12-07 10:00", in the phone's local time.
pub fn since_text(at: wangge_core::Millis, lang: Lang) -> String {
    let d = js_sys::Date::new(&(at as f64).into());
    let (month, day, hour, minute) = (d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes());
    match lang {
        Lang::Zh => format!("自{month}月{day}日 {hour:02}:{minute:02}起"),
        Lang::En => format!("since {month:02}-{day:02} {hour:02}:{minute:02}"),
    }
}

/// "紧急状态 · 暴雨 · 自12月7日 10:00起".
pub fn headline(e: &Emergency, lang: Lang) -> String {
    format!("{} · {} · {}", EmergencyMsg::Title.text(lang), core_label!(e.kind, lang), since_text(e.started_at, lang))
}

#[component]
pub fn EmergencyPage() -> impl IntoView {
    let store = use_store();
    let home = session().user.home_grid;
    let world = reload(move || {
        let store = store.clone();
        Box::pin(async move { store.emergency_world().await.map(std::sync::Arc::new) })
    });
    let world_now = Signal::derive(move || world.get().and_then(Result::ok));
    let on = {
        let home = home.clone();
        Signal::derive(move || world_now.get().and_then(|w| w.shown_at(&home).cloned()))
    };
    // The forms sit outside the part that re-renders on every sync, so typing survives it.
    view! {
        <section class="page emergency-page" aria-labelledby="emergency-title">
            <h2 id="emergency-title">{tr(EmergencyMsg::Title)}</h2>
            {move || match world.get() {
                Some(Err(e)) => view! { <ReadFailed error=e/> }.into_any(),
                _ => ().into_any(),
            }}
            {move || on.get().map(|e| view! { <Summary e/> })}
            {move || (world_now.get().is_some() && on.get().is_none()).then(|| view! {
                <p class="card note">{tr(EmergencyMsg::None)}</p>
            })}
            <switch::SwitchForms world=world_now on/>
            <roster::ReportForm on/>
            {move || on.get().zip(world_now.get()).map(|(e, w)| view! {
                <board::Board e=e.clone() w=w.clone()/>
                <roster::RosterList e w/>
            })}
            {move || world_now.get().map(|w| view! { <History w home=home.clone()/> })}
        </section>
    }
}

/// The emergency's head: kind, since, area and reason.
#[component]
fn Summary(e: Emergency) -> impl IntoView {
    let lang = use_lang();
    let reason = e.reason.to_string();
    view! {
        <div class="card emergency-summary" role="status">
            <p class="emergency-headline">{move || headline(&e, lang.get())}</p>
            <p><strong>{tr(EmergencyMsg::Reason)}</strong> " " {reason}</p>
        </div>
    }
}

/// Past emergencies at, above or below the user's node, the most recent first.
#[component]
fn History(w: std::sync::Arc<EmergencyWorld>, home: wangge_core::GridId) -> impl IntoView {
    let lang = use_lang();
    let past: Vec<Emergency> = w.history(&home).into_iter().cloned().collect();
    let empty = past.is_empty();
    let rows = past
        .into_iter()
        .map(|e| {
            let area = w.grid_name(&e.grid);
            let ended = e.ended.clone().map(|x| (crate::format::date_time(x.at as f64), x.note.map(|n| n.to_string())));
            let reports = e.reports.0.len();
            let reason = e.reason.to_string();
            view! {
                <li class="emergency-past">
                    <span class="row-title">{move || headline(&e, lang.get())}</span>
                    <span class="row-meta">
                        {area} " · " {reason} " · " {tr(EmergencyMsg::Reported)} " " {reports}
                    </span>
                    {ended.map(|(at, note)| view! {
                        <span class="row-meta">{tr(EmergencyMsg::Ended)} " " {at} {note.map(|n| format!(" · {n}"))}</span>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card emergency-history" aria-label=tr(EmergencyMsg::History)>
            <h3>{tr(EmergencyMsg::History)}</h3>
            {empty.then(|| view! { <p class="muted">{tr(EmergencyMsg::NoHistory)}</p> })}
            <ul class="list rows">{rows}</ul>
        </section>
    }
}
