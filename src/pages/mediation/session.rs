//! The sessions of a case (调解过程): each with its date, mode (面对面 / 背靠背), the step of
//! the 贵和工作法 it was at, the parties met and what was said; and the form recording one,
//! saved as its own `session:<id>` field (two mediators recording offline both keep theirs).

use std::collections::BTreeSet;

use leptos::prelude::*;
use wangge_core::mediation::{CaseEntries, Session, SessionMode, Stage};
use wangge_core::photo::PhotoStage;
use wangge_core::{EntryId, Notes};

use super::data::{field, Saver, Shown};
use super::words::{day, parse_day, party_name, today};
use crate::components::photo_picker::PhotoPicker;
use crate::components::photo_strip::PhotoStrip;
use crate::context::session;
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message, random_bytes};
use crate::photos::Picked;

#[component]
pub fn SessionList(s: Shown) -> impl IntoView {
    let lang = use_lang();
    let c = &s.case;
    if c.entries.sessions.is_empty() {
        return view! { <p class="empty">{tr(MedMsg::NoSessions)}</p> }.into_any();
    }
    let rows = c
        .sessions_in_order()
        .into_iter()
        .map(|(_, x)| {
            let (mode, stage) = (x.mode, x.stage);
            let met: Vec<String> = x.met.iter().map(|p| party_name(c, p)).collect();
            let by = s.scope.person(x.by.as_str());
            view! {
                <li class="session">
                    <span class="row-title">{day(x.at)} " · " {move || core_label!(mode, lang.get())}</span>
                    <span class="row-meta">{move || core_label!(stage, lang.get())} " · " {met.join("、")} " · " {by}</span>
                    {x.notes.as_ref().map(|n| view! { <p class="session-notes">{n.to_string()}</p> })}
                    <PhotoStrip photos=x.photos.clone()/>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="list card session-list">{rows}</ul> }.into_any()
}

/// Recording a session. Its inputs live here, built once beside the list.
#[component]
pub fn SessionForm(shown: Signal<Option<Shown>>) -> impl IntoView {
    let lang = use_lang();
    let saver = Saver::from_context();
    let me = session().user.person_id;
    let (date, notes) = (RwSignal::new(today()), RwSignal::new(String::new()));
    let mode = RwSignal::new(SessionMode::Joint);
    let stage = RwSignal::new(Stage::Listen);
    let met = RwSignal::new(BTreeSet::<EntryId>::new());
    let message = RwSignal::new(None::<String>);
    let photos = Picked::new(PhotoStage::Scene);
    let parties = move || {
        shown.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.case.entries.parties.iter().map(|(id, p)| (id.clone(), p.name.to_string())).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let save = move |_| {
        let Some(s) = shown.get_untracked() else { return };
        let l = lang.get_untracked();
        let Ok(at) = parse_day(&date.get_untracked()) else {
            return message.set(Some(MedMsg::BadDate.text(l).into()));
        };
        let text = notes.get_untracked();
        let notes_value = match text.trim() {
            "" => None,
            t => match Notes::parse(t) {
                Ok(n) => Some(n),
                Err(e) => return message.set(Some(core_message!(e, l))),
            },
        };
        let x = Session {
            at,
            mode: mode.get_untracked(),
            stage: stage.get_untracked(),
            met: met.get_untracked().into_iter().collect(),
            notes: notes_value,
            by: me.clone(),
            photos: photos.refs(),
        };
        let id = EntryId::generate(now_ms(), random_bytes());
        saver.save_with(&s, field(CaseEntries::session_field(&id), &x), photos.bytes(), message, move || {
            notes.set(String::new());
            met.set(BTreeSet::new());
            photos.clear();
        });
    };
    view! {
        <details class="card session-form">
            <summary>{tr(MedMsg::AddSession)}</summary>
            <label class="field">{tr(MedMsg::SessionDate)}
                <input type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
            </label>
            <fieldset class="field">
                <legend>{tr(MedMsg::Mode)}</legend>
                {SessionMode::ALL.map(|m| view! {
                    <label class="choice">
                        <input type="radio" name="session-mode" prop:checked=move || mode.get() == m on:change=move |_| mode.set(m)/>
                        {move || core_label!(m, lang.get())}
                    </label>
                }).into_iter().collect_view()}
            </fieldset>
            <label class="field">{tr(MedMsg::GuiheStage)}
                <select on:change=move |ev| { if let Some(s) = Stage::from_code(&event_target_value(&ev)) { stage.set(s) } }>
                    {Stage::ALL.map(|s| view! {
                        <option value=s.code() selected=move || stage.get() == s>{move || core_label!(s, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
            <fieldset class="field">
                <legend>{tr(MedMsg::Met)}</legend>
                {move || parties().into_iter().map(|(id, name)| {
                    let (a, b) = (id.clone(), id);
                    view! {
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || met.with(|m| m.contains(&a))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    met.update(|m| { if on { m.insert(b.clone()); } else { m.remove(&b); } });
                                }/>
                            {name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="field">{tr(MedMsg::Notes)}
                <textarea prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <PhotoPicker picked=photos/>
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="button small" on:click=save>{tr(MedMsg::SaveSession)}</button>
        </details>
    }
}
