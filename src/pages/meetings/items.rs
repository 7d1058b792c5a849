//! The agenda on the meeting screen: each item with its issue, grid and decision (or the
//! 研判 button), at an on-site office its photos and 添加照片, and adding an issue by hand — found by title among the issues on the
//! phone — or, at an on-site office, reporting a new one on the spot.

use leptos::prelude::*;
use serde_json::json;
use wangge_core::meeting::{AgendaItem, Entries, ItemSource, MeetingKind};
use wangge_core::IssueId;

use super::data::Shown;
use super::decide::DecideDraft;
use super::item_photos::PhotoDraft;
use super::words::decision_line;
use crate::components::photo_strip::PhotoStrip;
use crate::components::roster_link::AppLink;
use crate::context::{use_store, use_sync};
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::core_label;

/// The agenda as the meeting stands (re-rendered with the data; holds no input).
#[component]
pub fn Agenda(shown: Shown, draft: DecideDraft, photos: PhotoDraft) -> impl IntoView {
    let lang = use_lang();
    let (store, sync) = (use_store(), use_sync());
    // Why taking an item off failed (the phone's store refused the write), said aloud.
    let failure = RwSignal::new(None::<String>);
    let m = &shown.meeting;
    // Photos are taken at an on-site office (the problem on the spot), while it is open.
    let takes_photos = m.kind == MeetingKind::OnSiteOffice && !m.closed;
    if m.agenda_len() == 0 {
        return view! { <p class="empty">{tr(MeetMsg::NoItems)}</p> }.into_any();
    }
    let rows = m
        .items_in_order()
        .into_iter()
        .enumerate()
        .map(|(n, (id, item))| {
            let row = shown.scope.issues.get(id.as_str());
            let title = row.map(|r| r.title.clone()).unwrap_or_else(|| id.to_string());
            let grid = row.map(|r| shown.scope.grid_name(&r.issue.grid)).unwrap_or_default();
            let state = row.map(|r| (r.state.level, r.state.status));
            let decided = item.decision.as_ref().map(|d| decision_line(d, &shown.scope.names, lang.get_untracked()));
            let can_decide = decided.is_none() && !m.closed;
            let (issue, bases) = (id.to_string(), shown.bases.clone());
            let (this, for_photos) = (issue.clone(), issue.clone());
            // Taking an undecided item off the agenda: its field rewritten with `removed`,
            // on the bases the screen shows, so it merges like any edit.
            let removed = serde_json::to_value(AgendaItem { removed: true, ..item.clone() }).map_err(|e| e.to_string());
            let field = Entries::item_field(id);
            let (meeting_id, remove_bases, store) = (m.id.clone(), shown.bases.clone(), store.clone());
            let remove = move |_| {
                let value = match removed.clone() {
                    Ok(value) => value,
                    Err(e) => return failure.set(Some(e)),
                };
                let changes = serde_json::Map::from_iter([(field.clone(), value)]);
                let (store, meeting_id, bases) = (store.clone(), meeting_id.clone(), remove_bases.clone());
                leptos::task::spawn_local(async move {
                    match store.edit_meeting(&meeting_id, changes, Some(&bases)).await {
                        Ok(_) => sync.changed(),
                        Err(e) => failure.set(Some(e.message(lang.get_untracked()))),
                    }
                });
            };
            let by_hand = item.source == ItemSource::ByHand;
            view! {
                <li class="agenda-item">
                    <div class="agenda-head">
                        <span class="agenda-no">{n + 1}</span>
                        <AppLink href=format!("/issues/{id}") class="row-title">{title}</AppLink>
                    </div>
                    <p class="row-meta">
                        {grid}
                        {state.map(|(level, status)| view! { " · " {move || core_label!(level, lang.get())} " · " {move || core_label!(status, lang.get())} })}
                        {by_hand.then(|| view! { " · " {move || core_label!(ItemSource::ByHand, lang.get())} })}
                    </p>
                    {match decided {
                        Some(line) => view! { <p class="decision">{line}</p> }.into_any(),
                        None => view! { <p class="muted">{tr(MeetMsg::Undecided)}</p> }.into_any(),
                    }}
                    <PhotoStrip photos=item.photos.clone()/>
                    {takes_photos.then(|| view! {
                        <button type="button" class="button small secondary"
                            on:click=move |_| photos.start(for_photos.clone())>{tr(MeetMsg::AddPhotos)}</button>
                    })}
                    {can_decide.then(|| view! {
                        <div class="form-buttons">
                            <button type="button" class="button small" aria-expanded=move || (draft.open.get().as_deref() == Some(this.as_str())).to_string()
                                on:click=move |_| draft.start(issue.clone(), bases.clone())>
                                {tr(MeetMsg::Decide)}
                            </button>
                            <button type="button" class="button small secondary" on:click=remove>{tr(MeetMsg::RemoveItem)}</button>
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="list agenda">{rows}</ol>
        {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
    }
    .into_any()
}

/// Adding an item by hand. `query` is the page's, so the typed search survives a sync.
#[component]
pub fn AddItem(shown: Signal<Option<Shown>>, query: RwSignal<String>) -> impl IntoView {
    let (store, sync) = (use_store(), use_sync());
    let failure = RwSignal::new(None::<String>);
    let lang = use_lang();
    let matches = move || {
        let q = query.get();
        let q = q.trim();
        if q.is_empty() {
            return Vec::new();
        }
        shown.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let mut found: Vec<(String, String)> = s
                .scope
                .issues
                .values()
                .filter(|r| r.state.status.is_pending() && r.title.contains(q))
                .filter(|r| IssueId::parse(r.id.clone()).is_ok_and(|id| !s.meeting.on_agenda(&id)))
                .map(|r| (r.id.clone(), r.title.clone()))
                .collect();
            wangge_core::sort::sort_by(&mut found, Ord::cmp);
            found.truncate(8);
            found
        })
    };
    let add = move |issue: String| {
        let Some(s) = shown.get_untracked() else { return };
        let Ok(id) = IssueId::parse(issue) else { return };
        let position = s.meeting.entries.items.values().map(|i| i.position).max().unwrap_or(0) + 1;
        let value = json!({"position": position, "source": ItemSource::ByHand.code()});
        let changes = serde_json::Map::from_iter([(Entries::item_field(&id), value)]);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.edit_meeting(&s.meeting.id, changes, Some(&s.bases)).await {
                Ok(_) => {
                    query.set(String::new());
                    sync.changed();
                }
                Err(e) => failure.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    let on_site = move || shown.with(|s| s.as_ref().is_some_and(|s| s.meeting.kind == MeetingKind::OnSiteOffice));
    view! {
        <section class="card add-item" aria-labelledby="add-item-title">
            <h3 id="add-item-title">{tr(MeetMsg::AddItem)}</h3>
            <label class="field">{tr(MeetMsg::SearchIssue)}
                <input type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <ul class="list rows">
                {move || {
                    let found = matches();
                    if found.is_empty() && !query.with(|q| q.trim().is_empty()) {
                        return view! { <li class="muted">{tr(MeetMsg::NoMatch)}</li> }.into_any();
                    }
                    found.into_iter().map(|(id, title)| {
                        let add = add.clone();
                        view! {
                            <li class="found">
                                <span>{title}</span>
                                <button type="button" class="button small secondary" on:click=move |_| add(id.clone())>{tr(MeetMsg::Add)}</button>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
            {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <Show when=on_site>
                <AppLink href="/issues/new" class="see-all">"+ " {tr(MeetMsg::ReportOnSite)}</AppLink>
            </Show>
        </section>
    }
}
