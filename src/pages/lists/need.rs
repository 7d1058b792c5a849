//! A need's three steps: 匹配 to a resource or project (entries where `lists::can_match`),
//! 认领 by an in-service party member (people on the phone with `Role::PartyMember`,
//! searched by name) or by a unit, and 办结 with its date and how it was met — offered
//! once matched or claimed; the core refuses it otherwise and its message is shown. Each
//! is one field edit with the bases the screen showed (`Store::edit_list_entry`).

use leptos::prelude::*;
use serde_json::{json, Map, Value};
use wangge_core::lists::{can_match, NeedStatus};
use wangge_core::people::Role;
use wangge_core::CommentText;

use super::entry::Shown;
use super::form::save_error;
use crate::context::{use_store, use_sync};
use crate::format::{date, now_ms};
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::core_message;
use crate::store::StoreError;

/// The inputs of the three forms, owned by the page.
#[derive(Clone, Copy)]
pub struct NeedDraft {
    offer: RwSignal<String>,
    member: RwSignal<String>,
    unit: RwSignal<String>,
    day: RwSignal<String>,
    outcome: RwSignal<String>,
    outcome_error: RwSignal<Option<wangge_core::DomainError>>,
    failure: RwSignal<Option<String>>,
    saved: RwSignal<bool>,
}

impl Default for NeedDraft {
    fn default() -> Self {
        let text = || RwSignal::new(String::new());
        NeedDraft {
            offer: text(),
            member: text(),
            unit: text(),
            day: RwSignal::new(date(now_ms() as f64)),
            outcome: text(),
            outcome_error: RwSignal::new(None),
            failure: RwSignal::new(None),
            saved: RwSignal::new(false),
        }
    }
}

type Read = RwSignal<Option<Result<Option<Shown>, StoreError>>>;

fn with_shown<R>(read: Read, f: impl FnOnce(&Shown) -> R) -> Option<R> {
    read.with(|r| match r {
        Some(Ok(Some(s))) => Some(f(s)),
        _ => None,
    })
}

/// What saving needs, taken from the page's context while it renders (event handlers run
/// outside it).
#[derive(Clone)]
struct Ctx {
    store: crate::context::StoreHandle,
    sync: crate::sync::SyncHandle,
    lang: RwSignal<crate::i18n::Lang>,
    read: Read,
    draft: NeedDraft,
}

impl Ctx {
    /// Writes `changes` to the need shown, with the bases it was shown with.
    fn save(&self, changes: Value) {
        let Ctx { store, sync, lang, read, draft } = self.clone();
        let Some((id, bases)) = read.with_untracked(|r| match r {
            Some(Ok(Some(s))) => Some((s.entry.id.clone(), s.bases.clone())),
            _ => None,
        }) else {
            return;
        };
        let Value::Object(changes) = changes else { return };
        let changes: Map<String, Value> = changes;
        draft.saved.set(false);
        leptos::task::spawn_local(async move {
            match store.edit_list_entry(&id, changes, Some(&bases)).await {
                Ok(_) => {
                    draft.failure.set(None);
                    draft.saved.set(true);
                    sync.changed();
                }
                Err(e) => draft.failure.set(Some(save_error(&e, lang.get_untracked()))),
            }
        });
    }
}

#[component]
pub fn NeedActions(read: Read, draft: NeedDraft) -> impl IntoView {
    let lang = use_lang();
    let ctx = StoredValue::new(Ctx { store: use_store(), sync: use_sync(), lang, read, draft });
    let offers = move || {
        with_shown(read, |s| {
            let offers = s.lists.entries.iter().filter(|e| can_match(e));
            offers.map(|e| (e.id.to_string(), e.title.to_string())).collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let members = move || {
        let q = draft.member.get();
        with_shown(read, |s| {
            let q = q.trim();
            let people = s.lists.people.iter().filter(|p| p.active && p.has_role(Role::PartyMember));
            people
                .filter(|p| q.is_empty() || p.name.as_str().contains(q))
                .take(6)
                .map(|p| (p.id.to_string(), p.name.to_string()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let units = move || {
        with_shown(read, |s| s.lists.units.iter().map(|u| (u.id.to_string(), u.name.to_string())).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let status = Memo::new(move |_| with_shown(read, |s| s.entry.need_status()).flatten());
    let takeable = move || status.get() != Some(NeedStatus::Fulfilled);
    let fulfil = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome = CommentText::parse(draft.outcome.get_untracked().trim());
        draft.outcome_error.set(outcome.as_ref().err().cloned());
        let at = js_sys::Date::new(&format!("{}T12:00", draft.day.get_untracked()).into()).get_time();
        let (Ok(outcome), false) = (outcome, at.is_nan()) else {
            return draft
                .failure
                .set(at.is_nan().then(|| crate::i18n::Text::text(ListMsg::BadDate, lang.get_untracked()).to_string()));
        };
        ctx.read_value().save(json!({"fulfilled_at": at as i64, "outcome": outcome}));
    };
    view! {
        <section class="card need-actions" aria-label=tr(ListMsg::Match)>
            {move || draft.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || draft.saved.get().then(|| view! { <p class="ok" role="status">{tr(ListMsg::Saved)}</p> })}
            <Show when=takeable>
                <h3>{tr(ListMsg::Match)}</h3>
                {move || {
                    let list = offers();
                    if list.is_empty() {
                        return view! { <p class="muted">{tr(ListMsg::NoOffers)}</p> }.into_any();
                    }
                    view! {
                        <div class="inline-form">
                            <select name="offer" aria-label=tr(ListMsg::Match) on:change=move |ev| draft.offer.set(event_target_value(&ev))>
                                <option value="">{tr(ListMsg::Choose)}</option>
                                {list.into_iter().map(|(id, title)| {
                                    let selected = draft.offer.get_untracked() == id;
                                    view! { <option value=id selected=selected>{title}</option> }
                                }).collect_view()}
                            </select>
                            <button type="button" class="button small" on:click=move |_| {
                                let offer = draft.offer.get_untracked();
                                if !offer.is_empty() { ctx.read_value().save(json!({"matched_to": offer})) }
                            }>{tr(ListMsg::DoMatch)}</button>
                        </div>
                    }.into_any()
                }}
                <h3>{tr(ListMsg::ClaimMember)}</h3>
                <input type="search" name="member-search" aria-label=tr(ListMsg::SearchMember) placeholder=tr(ListMsg::SearchMember) prop:value=draft.member
                    on:input=move |ev| draft.member.set(event_target_value(&ev))/>
                <div class="picks">
                    {move || {
                        let list = members();
                        if list.is_empty() {
                            return view! { <p class="muted">{tr(ListMsg::NoMembers)}</p> }.into_any();
                        }
                        list.into_iter().map(|(id, name)| view! {
                            <button type="button" class="button small secondary list-pick"
                                on:click=move |_| ctx.read_value().save(json!({"claimed_by": id.clone()}))>
                                {tr(ListMsg::Claim)} " " {name}
                            </button>
                        }).collect_view().into_any()
                    }}
                </div>
                <h3>{tr(ListMsg::ClaimUnit)}</h3>
                <div class="inline-form">
                    <select name="claim-unit" aria-label=tr(ListMsg::ClaimUnit) on:change=move |ev| draft.unit.set(event_target_value(&ev))>
                        <option value="">{tr(ListMsg::Choose)}</option>
                        {move || units().into_iter().map(|(id, name)| {
                            let selected = draft.unit.get_untracked() == id;
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="button small" on:click=move |_| {
                        let unit = draft.unit.get_untracked();
                        if !unit.is_empty() { ctx.read_value().save(json!({"claimed_unit": unit})) }
                    }>{tr(ListMsg::Claim)}</button>
                </div>
                <h3>{tr(ListMsg::Fulfil)}</h3>
                {move || match status.get() {
                    Some(NeedStatus::Matched | NeedStatus::Claimed) => view! {
                        <form class="form" novalidate aria-label=tr(ListMsg::Fulfil) on:submit=fulfil>
                            <label class="field">{tr(ListMsg::FulfilDate)}
                                <input type="date" name="fulfilled-on" prop:value=draft.day on:input=move |ev| draft.day.set(event_target_value(&ev))/>
                            </label>
                            <label class="field">{tr(ListMsg::Outcome)}
                                <textarea name="outcome" prop:value=draft.outcome on:input=move |ev| draft.outcome.set(event_target_value(&ev))></textarea>
                            </label>
                            {move || draft.outcome_error.get().map(|e| view! { <p class="field-error" role="alert">{core_message!(e, lang.get())}</p> })}
                            <button type="submit" class="button">{tr(ListMsg::Fulfil)}</button>
                        </form>
                    }.into_any(),
                    _ => view! { <p class="muted">{tr(ListMsg::FulfilHint)}</p> }.into_any(),
                }}
            </Show>
        </section>
    }
}
