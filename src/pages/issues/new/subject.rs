//! Who the new issue concerns: a household found by its head's name (the households'
//! name index) or a unit in the grid (驻区单位) found by name, or nobody in particular.
//! Picking one moves the issue's grid to where that household or unit is.

use leptos::prelude::*;
use wangge_core::{GridId, HouseholdId, UnitId};

use crate::context::use_store;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Text};

/// Results shown per search: enough to pick from with one thumb without scrolling.
const RESULTS: usize = 8;

/// The household or unit an issue concerns.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Nobody,
    Household { id: HouseholdId, label: String, grid: GridId },
    Unit { id: UnitId, label: String, grid: GridId },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Household,
    Unit,
}

#[component]
pub fn SubjectPicker(subject: RwSignal<Subject>, grid: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let mode = RwSignal::new(Mode::Household);
    let query = RwSignal::new(String::new());
    let units = {
        let store = store.clone();
        LocalResource::new(move || {
            let store = store.clone();
            async move { store.units().await.unwrap_or_default() }
        })
    };
    let results = LocalResource::new(move || {
        let (q, m) = (query.get().trim().to_string(), mode.get());
        let store = store.clone();
        let units = units.get();
        async move {
            if q.is_empty() {
                return Vec::new();
            }
            match m {
                Mode::Household => store
                    .households_by_name_prefix(&q, RESULTS as u32)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|h| Subject::Household {
                        label: format!("{} · {}", h.name, h.household.address),
                        id: h.household.id,
                        grid: h.household.grid,
                    })
                    .collect(),
                Mode::Unit => units
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|u| u.name.as_str().contains(&q))
                    .take(RESULTS)
                    .map(|u| Subject::Unit { label: format!("{} · {}", u.name, u.address), id: u.id, grid: u.grid })
                    .collect(),
            }
        }
    });
    let pick = move |s: Subject| {
        if let Subject::Household { grid: g, .. } | Subject::Unit { grid: g, .. } = &s {
            grid.set(g.to_string());
        }
        subject.set(s);
        query.set(String::new());
    };
    let search_label = move || match mode.get() {
        Mode::Household => IssueMsg::SearchHousehold.text(lang.get()),
        Mode::Unit => IssueMsg::SearchUnit.text(lang.get()),
    };
    view! {
        <fieldset class="field subject">
            <legend>{tr(IssueMsg::FieldSubject)}</legend>
            {move || match subject.get() {
                Subject::Nobody => None,
                Subject::Household { label, .. } | Subject::Unit { label, .. } => Some(view! {
                    <div class="issue-picked">
                        <span>{tr(IssueMsg::Picked)} <strong>{label}</strong></span>
                        <button type="button" class="link" on:click=move |_| subject.set(Subject::Nobody)>
                            {tr(IssueMsg::Unpick)}
                        </button>
                    </div>
                }),
            }}
            <div class="issue-segmented" role="radiogroup" aria-label=tr(IssueMsg::SubjectKind)>
                <ModeChoice mode value=Mode::Household label=IssueMsg::KindHousehold/>
                <ModeChoice mode value=Mode::Unit label=IssueMsg::KindUnit/>
            </div>
            <label class="field">
                <span>{search_label}</span>
                <input type="search" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <ul class="list issue-picks" aria-label=tr(IssueMsg::SearchResults)>
                {move || results.get().unwrap_or_default().into_iter().map(|s| {
                    let label = match &s {
                        Subject::Household { label, .. } | Subject::Unit { label, .. } => label.clone(),
                        Subject::Nobody => String::new(),
                    };
                    view! {
                        <li><button type="button" class="issue-pick" on:click=move |_| pick(s.clone())>{label}</button></li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || !query.with(|q| q.trim().is_empty()) && results.get().is_some_and(|r| r.is_empty())>
                <p class="muted">{tr(IssueMsg::NothingFound)}</p>
            </Show>
        </fieldset>
    }
}

#[component]
fn ModeChoice(mode: RwSignal<Mode>, value: Mode, label: IssueMsg) -> impl IntoView {
    view! {
        <label class="issue-segment" class:on=move || mode.get() == value>
            <input type="radio" name="subject-kind" prop:checked=move || mode.get() == value
                on:change=move |_| mode.set(value)/>
            <span>{tr(label)}</span>
        </label>
    }
}
