//! The call roster (应急联络) and 主动报到. The roster: each person or unit who can be
//! called in the emergency's scope, reported ones first and marked 已报到 with their note,
//! the phone number a `tel:` link (one tap to call). The report form — built once, above
//! the re-rendered roster, so a sync never drops the note being typed — is for anyone in
//! the scope who is on the roster: a committee member or volunteer, or a unit's contact
//! (who reports for their unit).

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::emergency::{Callable, Emergency, Report, CALLED_ROLES};
use wangge_core::CommentText;

use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::emergency::EmergencyMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::{core_label, core_message};
use crate::store::emergency_queries::EmergencyWorld;

#[component]
pub fn RosterList(e: Emergency, w: Arc<EmergencyWorld>) -> impl IntoView {
    let lang = use_lang();
    let lines = w.roster(&e);
    let empty = lines.is_empty();
    let rows = lines
        .into_iter()
        .map(|line| {
            let callable = line.callable.clone();
            let role = move || role_text(&callable, lang.get());
            let reported = line.report.map(|(_, r)| r);
            let (is_reported, report_note) = (reported.is_some(), reported.and_then(|r| r.note));
            let phone = line.phone.map(|p| p.to_string());
            let grid = w.grid_name(&line.grid);
            view! {
                <li class="roster-line" class:reported=is_reported>
                    <span class="row-title">
                        {is_reported.then(|| view! { <span class="badge ok">{tr(EmergencyMsg::Reported)}</span> " " })}
                        {line.name}
                    </span>
                    <span class="row-meta">{role} " · " {grid}</span>
                    {report_note.map(|n| view! { <span class="row-meta report-note">{n.to_string()}</span> })}
                    {phone.map(|p| {
                        let href = format!("tel:{p}");
                        view! { <a class="tel" href=href>{tr(EmergencyMsg::Call)} " " {p}</a> }
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card emergency-roster" aria-label=tr(EmergencyMsg::Roster)>
            <h3>{tr(EmergencyMsg::Roster)}</h3>
            {empty.then(|| view! { <p class="muted">{tr(EmergencyMsg::NoRoster)}</p> })}
            <ul class="list rows">{rows}</ul>
        </section>
    }
}

/// How a roster line's person or unit is described: the role the roster calls them for,
/// or the unit's kind and contact.
fn role_text(c: &Callable, lang: Lang) -> String {
    match c {
        Callable::Person { roles, .. } => roles
            .iter()
            .find(|r| CALLED_ROLES.contains(r))
            .or(roles.first())
            .map_or_else(String::new, |r| core_label!(r, lang).to_string()),
        Callable::Unit { kind, contact, .. } => {
            let who = contact.as_ref().map(|c| format!(" · {c}")).unwrap_or_default();
            format!("{}{who}", core_label!(kind, lang))
        }
    }
}

/// 主动报到: shown while an emergency is on to someone on its roster (a called role, or a
/// unit's contact); reporting again replaces the note.
#[component]
pub fn ReportForm(on: Signal<Option<Emergency>>) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    let me = session();
    let person = me.user.person_id.clone();
    let roles = me.user.roles.clone();
    let may = roles.iter().any(|r| CALLED_ROLES.contains(r) || *r == wangge_core::people::Role::UnitContact);
    let (note, message) = (RwSignal::new(String::new()), RwSignal::new(None::<String>));
    let mine = {
        let person = person.clone();
        move || on.with(|e| e.as_ref().is_some_and(|e| e.reports.of(&person).is_some()))
    };
    let go = move |_| {
        let Some(e) = on.get_untracked() else { return };
        let l = lang.get_untracked();
        let note = match note.get_untracked().trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(err) => return message.set(Some(core_message!(err, l))),
            },
        };
        // A contact reports for their unit (the one on this phone whose contact they are).
        let store = store.clone();
        let person = person.clone();
        leptos::task::spawn_local(async move {
            let unit =
                store.units().await.ok().and_then(|units| {
                    units.into_iter().find(|u| u.contact_person.as_ref() == Some(&person)).map(|u| u.id)
                });
            let report = Report { unit, at: now_ms(), note };
            match store.report_available(&e.id, &person, &report).await {
                Ok(()) => {
                    sync.changed();
                    message.set(Some(EmergencyMsg::ReportSaved.text(l).into()));
                }
                Err(err) => message.set(Some(err.message(l))),
            }
        });
    };
    view! {
        <div class="card report-form" prop:hidden=move || !may || on.with(Option::is_none)>
            <label class="field">{tr(EmergencyMsg::ReportNote)}
                <input id="report-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <button type="button" class="button urgent-button" on:click=go>
                {move || if mine() { tr(EmergencyMsg::ReportAgain)() } else { tr(EmergencyMsg::Report)() }}
            </button>
            {move || message.get().map(|m| view! { <p class="note" role="status">{m}</p> })}
        </div>
    }
}
