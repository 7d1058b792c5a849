//! Adding a party (当事人): name, side, phone and the ID number's last four, each parsed
//! with the core (`PersonName`, `Phone`); or a resident picked from the household roster
//! (by the household's name), which fills those in and names the household. The same form
//! serves a new case (the party joins the draft) and the case screen (saved at once); its
//! inputs are signals of the page that shows it.

use leptos::prelude::*;
use wangge_core::mediation::{Party, PartySide};
use wangge_core::{HouseholdId, PersonName, Phone};

use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Lang};
use crate::pages::issues::common::{core_label, core_message};

/// What the party form holds.
#[derive(Clone, Copy)]
pub struct PartyDraft {
    pub name: RwSignal<String>,
    pub side: RwSignal<PartySide>,
    pub phone: RwSignal<String>,
    pub id4: RwSignal<String>,
    pub household: RwSignal<Option<HouseholdId>>,
    pub query: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
}

impl Default for PartyDraft {
    fn default() -> PartyDraft {
        PartyDraft {
            name: RwSignal::new(String::new()),
            side: RwSignal::new(PartySide::Applicant),
            phone: RwSignal::new(String::new()),
            id4: RwSignal::new(String::new()),
            household: RwSignal::new(None),
            query: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }
}

impl PartyDraft {
    /// The party as typed, or the core's message for the first field it refuses.
    pub fn parse(self, l: Lang) -> Result<Party, String> {
        let name = PersonName::parse(self.name.get_untracked().trim()).map_err(|e| core_message!(e, l))?;
        let phone = self.phone.get_untracked();
        let phone = (!phone.trim().is_empty()).then(|| Phone::parse(phone.trim())).transpose();
        let phone = phone.map_err(|e| core_message!(e, l))?;
        let id4 = self.id4.get_untracked().trim().to_uppercase();
        let party = Party {
            name,
            side: self.side.get_untracked(),
            phone,
            id_last4: (!id4.is_empty()).then_some(id4),
            household: self.household.get_untracked(),
        };
        Ok(party)
    }

    /// Empties the form after the party was added.
    pub fn clear(self) {
        for s in [self.name, self.phone, self.id4, self.query] {
            s.set(String::new());
        }
        self.household.set(None);
        self.error.set(None);
    }
}

/// The party form; `on_add` takes the draft from here (and clears it once it is kept).
#[component]
pub fn PartyForm(draft: PartyDraft, on_add: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let input = |s: RwSignal<String>| move |ev| s.set(event_target_value(&ev));
    view! {
        <div class="party-form">
            <label class="field">{tr(MedMsg::FromRoster)}
                <input type="search" prop:value=draft.query on:input=input(draft.query)/>
            </label>
            <RosterPick draft/>
            <label class="field">{tr(MedMsg::PartyName)}
                <input type="text" prop:value=draft.name on:input=input(draft.name)/>
            </label>
            <label class="field">{tr(MedMsg::Side)}
                <select on:change=move |ev| {
                    if let Some(s) = PartySide::from_code(&event_target_value(&ev)) { draft.side.set(s) }
                }>
                    {PartySide::ALL.map(|s| view! {
                        <option value=s.code() selected=move || draft.side.get() == s>{move || core_label!(s, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
            <label class="field">{tr(MedMsg::Phone)}
                <input type="tel" inputmode="tel" prop:value=draft.phone on:input=input(draft.phone)/>
            </label>
            <label class="field">{tr(MedMsg::IdLast4)}
                <input type="text" maxlength="4" prop:value=draft.id4 on:input=input(draft.id4)/>
            </label>
            {move || draft.error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="button small secondary" on:click=move |_| on_add.run(())>{tr(MedMsg::AddParty)}</button>
        </div>
    }
}

/// Residents of the households whose name starts with what was typed: tapping one fills
/// the form with their name, phone and ID tail and names their household.
#[component]
fn RosterPick(draft: PartyDraft) -> impl IntoView {
    let store = use_store();
    let found = reload(move || {
        let (store, q) = (store.clone(), draft.query.get());
        Box::pin(async move {
            if q.trim().is_empty() {
                return Vec::new();
            }
            let rows = store.households_by_name_prefix(q.trim(), 5).await.unwrap_or_default();
            rows.into_iter()
                .flat_map(|h| {
                    let id = h.household.id.clone();
                    let address = h.household.address.to_string();
                    let members: Vec<_> = h
                        .household
                        .members
                        .iter()
                        .filter(|(_, m)| m.is_present())
                        .map(|(_, m)| (id.clone(), address.clone(), m.clone()))
                        .collect();
                    members
                })
                .take(12)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ul class="list roster-pick">
            {move || found.get().unwrap_or_default().into_iter().map(|(household, address, m)| {
                let label = format!("{} · {}", m.name, address);
                view! {
                    <li>
                        <span>{label}</span>
                        <button type="button" class="button small secondary" on:click=move |_| {
                            draft.name.set(m.name.to_string());
                            draft.phone.set(m.phone.as_ref().map(|p| p.to_string()).unwrap_or_default());
                            draft.id4.set(m.id_last4.clone().unwrap_or_default());
                            draft.household.set(Some(household.clone()));
                            draft.query.set(String::new());
                        }>{tr(MedMsg::Pick)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
