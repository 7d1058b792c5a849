//! A member's fields as form inputs (name, gender, year of birth, phone, relation and,
//! for someone already on the record, whether they still live here): used by the
//! household screen's member form and by the new household's head.

use leptos::prelude::*;
use wangge_core::household::{Gender, MemberStatus, Relation};

use super::edit_draft::{FieldError, MemberInputs};
use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::{tr, use_lang};

/// One text input with its label and, when refused, the core's message beside it.
#[component]
pub fn TextField(
    id: String,
    label_text: RosterMsg,
    value: RwSignal<String>,
    error: RwSignal<Option<FieldError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] mode: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label_text)}</label>
            <input type=kind id=id inputmode=mode aria-describedby=err_id.clone() prop:value=move || value.get()
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            {move || error.get().map(|e| view! { <p class="field-error" id=err_id.clone()>{e.message(lang.get())}</p> })}
        </div>
    }
}

#[component]
pub fn MemberFields(inputs: MemberInputs, prefix: &'static str, with_status: bool) -> impl IntoView {
    let lang = use_lang();
    let MemberInputs { name, gender, birth_year, phone, relation, status, name_error, year_error, phone_error } = inputs;
    let id = |s: &str| format!("{prefix}-{s}");
    view! {
        <TextField id=id("name") label_text=RosterMsg::FieldName value=name error=name_error/>
        <div class="field">
            <label for=id("gender")>{tr(RosterMsg::FieldGender)}</label>
            <select id=id("gender") on:change=move |ev| if let Some(g) = Gender::from_code(&event_target_value(&ev)) { gender.set(g) }>
                {Gender::ALL.into_iter().map(|g| view! {
                    <option value=g.code() prop:selected=move || gender.get() == g>{move || label(lang.get(), g.label_zh(), g.label_en())}</option>
                }).collect_view()}
            </select>
        </div>
        <TextField id=id("year") label_text=RosterMsg::FieldBirthYear value=birth_year error=year_error mode="numeric"/>
        <TextField id=id("phone") label_text=RosterMsg::FieldPhone value=phone error=phone_error kind="tel"/>
        <div class="field">
            <label for=id("relation")>{tr(RosterMsg::FieldRelation)}</label>
            <select id=id("relation") on:change=move |ev| if let Some(r) = Relation::from_code(&event_target_value(&ev)) { relation.set(r) }>
                {Relation::ALL.into_iter().map(|r| view! {
                    <option value=r.code() prop:selected=move || relation.get() == r>{move || label(lang.get(), r.label_zh(), r.label_en())}</option>
                }).collect_view()}
            </select>
        </div>
        {with_status.then(|| view! {
            <div class="field">
                <label for=id("status")>{tr(RosterMsg::FieldMemberStatus)}</label>
                <select id=id("status") on:change=move |ev| if let Some(s) = MemberStatus::from_code(&event_target_value(&ev)) { status.set(s) }>
                    {MemberStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() prop:selected=move || status.get() == s>{move || label(lang.get(), s.label_zh(), s.label_en())}</option>
                    }).collect_view()}
                </select>
            </div>
        })}
    }
}
