//! 新增住户: a household entered on the phone, offline — grid (her own subtree), address,
//! care tags and the head of household; further members are added on the household's
//! screen. One `Store::add_household` writes the record and its outbox entry together.

use std::collections::BTreeSet;

use leptos::prelude::*;
use wangge_core::household::{Household, HouseholdStatus, Members, Relation};
use wangge_core::{Address, GridId, HouseholdId, MemberId};

use super::edit_draft::{FieldError, MemberInputs};
use super::household_form::{GridPicker, TagBoxes};
use super::member_form::{MemberFields, TextField};
use crate::components::roster_link::AppLink;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::roster::RosterMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::random_bytes;
use crate::route::{redirect, use_route, Route};

#[component]
pub fn NewHouseholdPage() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let route = use_route();
    let grid = RwSignal::new(session().user.home_grid.to_string());
    let address = RwSignal::new(String::new());
    let address_error = RwSignal::new(None::<FieldError>);
    let tags = RwSignal::new(BTreeSet::new());
    let head = MemberInputs::default();
    head.relation.set(Relation::Head);
    let failure = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = Address::parse(address.get_untracked().trim());
        address_error.set(a.as_ref().err().cloned().map(FieldError::Core));
        let member = head.parse(None);
        let (Ok(address), Some(member), Ok(grid)) = (a, member, GridId::parse(grid.get_untracked())) else {
            return;
        };
        let now = now_ms();
        let household = Household {
            id: HouseholdId::generate(now, random_bytes()),
            grid,
            address,
            tags: tags.get_untracked(),
            status: HouseholdStatus::Present,
            merged_into: None,
            members: Members(wangge_core::sort::insert_all([(MemberId::generate(now, random_bytes()), member)])),
        };
        let (store, id) = (store.clone(), household.id.to_string());
        leptos::task::spawn_local(async move {
            match store.add_household(household).await {
                Ok(()) => {
                    sync.changed();
                    redirect(route, Route::Household(id));
                }
                Err(e) => failure.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <section class="page" aria-labelledby="new-household-title">
            <AppLink href="/roster".to_string() class="back-link">"‹ " {tr(RosterMsg::Households)}</AppLink>
            <h2 id="new-household-title">{tr(RosterMsg::AddHousehold)}</h2>
            <form class="form" novalidate on:submit=submit aria-label=tr(RosterMsg::AddHousehold)>
                <GridPicker grid id="new-hh-grid"/>
                <TextField id="new-hh-address".to_string() label_text=RosterMsg::FieldAddress value=address error=address_error/>
                <TagBoxes tags/>
                <fieldset class="field">
                    <legend>{tr(RosterMsg::HeadTitle)}</legend>
                    <MemberFields inputs=head prefix="head" with_status=false/>
                </fieldset>
                {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <div class="form-buttons">
                    <button type="submit" class="button">{tr(RosterMsg::Save)}</button>
                </div>
            </form>
        </section>
    }
}
