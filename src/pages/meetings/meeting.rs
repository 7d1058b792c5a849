//! One meeting (会议): its head, attendance (each change saved at once as the person's
//! `attendee:` field), the agenda with each item's decision, adding items, the general
//! minutes, and 定稿 / reopen. What a data change re-renders (head, attendance, agenda)
//! holds no input; the decision form, an item's photo picker, the search and the minutes
//! text are signals owned here and their panels are built once beside it, so a sync never closes or empties them.

use leptos::prelude::*;
use serde_json::{json, Value};
use wangge_core::meeting::{Attendance, Entries, MeetingKind};
use wangge_core::CommentText;

use super::data::{load_meeting, Shown};
use super::decide::{DecideDraft, DecisionForm};
use super::item_photos::{ItemPhotoForm, PhotoDraft};
use super::items::{AddItem, Agenda};
use super::words::kind_label;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::date_time;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message};

#[component]
pub fn MeetingPage(id: String) -> impl IntoView {
    if let Some(refused) = super::staff_only() {
        return refused;
    }
    let store = use_store();
    let scope = session().user.home_grid;
    let data = {
        let id = id.clone();
        reload(move || {
            let (store, scope, id) = (store.clone(), scope.clone(), id.clone());
            Box::pin(async move { load_meeting(&store, &scope, &id).await })
        })
    };
    let shown = Signal::derive(move || data.get().and_then(|d| d.ok().flatten()));
    let draft = DecideDraft::default();
    let photos = PhotoDraft::default();
    let query = RwSignal::new(String::new());
    let notes = RwSignal::new(None::<String>);
    let is_open = move || shown.with(|s| s.as_ref().is_some_and(|s| !s.meeting.closed));
    let found = move || shown.with(Option::is_some);
    view! {
        <section class="page meeting-page" aria-labelledby="meeting-head">
            <AppLink href="/meetings" class="back-link">"‹ " {tr(MeetMsg::Back)}</AppLink>
            {move || data.get().map(|d| match d {
                Ok(Some(s)) => view! { <Head s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="meeting-head">{tr(MeetMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <Show when=found>
                <h3 class="section-title">{tr(MeetMsg::Agenda)}</h3>
                {move || draft.open.get().and_then(|issue| shown.get_untracked().map(|s| view! { <DecisionForm issue shown=s draft/> }))}
                {move || photos.open.get().and_then(|issue| shown.get_untracked().map(|s| view! { <ItemPhotoForm issue shown=s draft=photos/> }))}
                {move || shown.get().map(|s| view! { <Agenda shown=s draft photos/> })}
            </Show>
            <Show when=is_open>
                <AddItem shown query/>
            </Show>
            <Show when=found>
                <Minutes shown notes/>
                <Finalise shown/>
            </Show>
        </section>
    }
    .into_any()
}

/// Kind, time, place, host, recorder, guests, and attendance.
#[component]
fn Head(s: Shown) -> impl IntoView {
    let lang = use_lang();
    let m = s.meeting.clone();
    let names = s.scope.names.clone();
    let kind = m.kind;
    let host_label = if kind == MeetingKind::OnSiteOffice { MeetMsg::HostOnSite } else { MeetMsg::Host };
    let host = m.host.as_ref().map(|h| names.person(h.as_str())).unwrap_or_default();
    let attendees = m
        .entries
        .attendees
        .iter()
        .map(|(p, a)| view! { <AttendeeLine s=s.clone() person=p.to_string() name=names.person(p.as_str()) now=*a/> })
        .collect_view();
    view! {
        <h2 id="meeting-head">{move || kind_label(kind, lang.get())} " " {date_time(m.held_at as f64)}</h2>
        <dl class="card meeting-facts">
            <dt>{tr(MeetMsg::Grid)}</dt><dd>{s.scope.grid_name(&m.grid)}</dd>
            <dt>{tr(MeetMsg::Place)}</dt><dd>{m.place.to_string()}</dd>
            <dt>{tr(host_label)}</dt><dd>{host}</dd>
            <dt>{tr(MeetMsg::Recorder)}</dt><dd>{names.person(m.recorder.as_str())}</dd>
            <dt>{tr(MeetMsg::Guests)}</dt><dd>{m.guests.map(|g| g.to_string()).unwrap_or_default()}</dd>
        </dl>
        {m.closed.then(|| view! { <p class="card note">{tr(MeetMsg::ClosedNote)}</p> })}
        <AppLink href=format!("/meetings/{}/minutes", m.id) class="button small secondary">{tr(MeetMsg::ShowMinutes)}</AppLink>
        <h3 class="section-title">{tr(MeetMsg::Attendees)}</h3>
        <ul class="list card attendee-list">{attendees}</ul>
    }
}

/// One attendee; while the minutes are open, changing the choice saves it at once.
#[component]
fn AttendeeLine(s: Shown, person: String, name: String, now: Attendance) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    if s.meeting.closed {
        return view! { <li class="attendee"><span>{name}</span><span>{move || core_label!(now, lang.get())}</span></li> }.into_any();
    }
    let field = wangge_core::PersonId::parse(person).map(|p| Entries::attendee_field(&p)).unwrap_or_default();
    let save = move |code: String| {
        let changes = serde_json::Map::from_iter([(field.clone(), Value::String(code))]);
        let (store, s) = (store.clone(), s.clone());
        leptos::task::spawn_local(async move {
            if let Ok(true) = store.edit_meeting(&s.meeting.id, changes, Some(&s.bases)).await {
                sync.changed();
            }
        });
    };
    view! {
        <li class="attendee">
            <label>
                <span>{name}</span>
                <select on:change=move |ev| save(event_target_value(&ev))>
                    {Attendance::ALL.map(|a| view! {
                        <option value=a.code() selected=a == now>{move || core_label!(a, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
        </li>
    }
    .into_any()
}

/// The general minutes (会议纪要): typed here, saved with the button.
#[component]
fn Minutes(shown: Signal<Option<Shown>>, notes: RwSignal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    let message = RwSignal::new(None::<String>);
    let stored = move || {
        shown.with(|s| s.as_ref().and_then(|s| s.meeting.notes.as_ref().map(|n| n.to_string())).unwrap_or_default())
    };
    let closed = move || shown.with(|s| s.as_ref().is_some_and(|s| s.meeting.closed));
    let save = move |_| {
        let Some(s) = shown.get_untracked() else { return };
        let text = notes.get_untracked().unwrap_or_else(stored);
        let value = match text.trim() {
            "" => Value::Null,
            t => match CommentText::parse(t) {
                Ok(c) => json!(c.as_str()),
                Err(e) => return message.set(Some(core_message!(e, lang.get_untracked()))),
            },
        };
        let changes = serde_json::Map::from_iter([("notes".to_string(), value)]);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.edit_meeting(&s.meeting.id, changes, Some(&s.bases)).await {
                Ok(_) => {
                    message.set(Some(MeetMsg::Saved.text(lang.get_untracked()).to_string()));
                    sync.changed();
                }
                Err(e) => message.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="notes-title">
            <h3 id="notes-title">{tr(MeetMsg::Notes)}</h3>
            <label class="field">
                <span class="visually-hidden">{tr(MeetMsg::Notes)}</span>
                <textarea prop:value=move || notes.get().unwrap_or_else(stored) prop:readonly=closed
                    on:input=move |ev| notes.set(Some(event_target_value(&ev)))></textarea>
            </label>
            {move || message.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
            <Show when=move || !closed()>
                <button type="button" class="button small" on:click=save.clone()>{tr(MeetMsg::SaveNotes)}</button>
            </Show>
        </section>
    }
}

/// 定稿 (decisions become read-only) and, for staff, reopening.
#[component]
fn Finalise(shown: Signal<Option<Shown>>) -> impl IntoView {
    let (store, sync) = (use_store(), use_sync());
    let closed = move || shown.with(|s| s.as_ref().is_some_and(|s| s.meeting.closed));
    let set = move |to: bool| {
        let Some(s) = shown.get_untracked() else { return };
        let changes = serde_json::Map::from_iter([("closed".to_string(), Value::Bool(to))]);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            if let Ok(true) = store.edit_meeting(&s.meeting.id, changes, Some(&s.bases)).await {
                sync.changed();
            }
        });
    };
    view! {
        <div class="actions finalise">
            {move || if closed() {
                let set = set.clone();
                view! { <button type="button" class="button secondary" on:click=move |_| set(false)>{tr(MeetMsg::Reopen)}</button> }.into_any()
            } else {
                let set = set.clone();
                view! { <button type="button" class="button" on:click=move |_| set(true)>{tr(MeetMsg::CloseMinutes)}</button> }.into_any()
            }}
        </div>
    }
}
