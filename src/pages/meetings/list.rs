//! 会议记录: the joint meetings and on-site office sessions of the user's scope, newest
//! first, each with its date, kind, place and how many items are decided; and the button
//! that opens a new one.

use leptos::prelude::*;
use wangge_core::meeting::Meeting;

use super::data::{load_scope, Scope};
use super::words::kind_label;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::date_time;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang, Text};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    if let Some(refused) = super::staff_only() {
        return refused;
    }
    let store = use_store();
    let scope = session().user.home_grid;
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_scope(&store, &scope).await })
    });
    view! {
        <section class="page meetings" aria-labelledby="meetings-title">
            <super::subnav::MeetNav/>
            <div class="page-head">
                <h2 id="meetings-title">{tr(MeetMsg::Title)}</h2>
                <AppLink href="/meetings/new" class="button small">"+ " {tr(MeetMsg::OpenNew)}</AppLink>
            </div>
            {move || data.get().map(|d| match d {
                Ok(s) if s.meetings.is_empty() => view! { <p class="empty">{tr(MeetMsg::NoMeetings)}</p> }.into_any(),
                Ok(s) => view! { <MeetingRows scope=s/> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

#[component]
fn MeetingRows(scope: Scope) -> impl IntoView {
    let rows = scope.meetings.iter().map(|m| row(m, &scope)).collect_view();
    view! { <ul class="list rows card meeting-rows">{rows}</ul> }
}

fn row(m: &Meeting, scope: &Scope) -> impl IntoView {
    let lang = use_lang();
    let (kind, closed) = (m.kind, m.closed);
    let counts = format!("{}/{}", m.decided(), m.agenda_len());
    let meta = format!("{} · {} · {}", date_time(m.held_at as f64), scope.grid_name(&m.grid), m.place);
    view! {
        <li>
            <AppLink href=format!("/meetings/{}", m.id) class="row-link">
                <span class="row-title">
                    {move || kind_label(kind, lang.get())}
                    <span class="meeting-state" class:final=closed>
                        {move || if closed { MeetMsg::Final.text(lang.get()) } else { MeetMsg::Draft.text(lang.get()) }}
                    </span>
                </span>
                <span class="row-meta">{meta}</span>
                <span class="row-meta">{tr(MeetMsg::ItemsDecided)} " " {counts}</span>
            </AppLink>
        </li>
    }
}
