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

/// A select over one `labelled_enum!`'s values, by code. One component for the four
/// enums the roster forms pick from, so the wasm carries its view code once, not four
/// times (what a field worker downloads).
#[component]
pub fn CodeSelect(
    id: String,
    label_text: RosterMsg,
    /// (code, zh, en) per choice.
    options: Vec<(&'static str, &'static str, &'static str)>,
    value: Signal<&'static str>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label_text)}</label>
            <select id=id on:change=move |ev| on_pick.run(event_target_value(&ev))>
                {options.into_iter().map(|(code, zh, en)| view! {
                    <option value=code prop:selected=move || value.get() == code>{move || label(lang.get(), zh, en)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// The (code, zh, en) choices of a `labelled_enum!`.
macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL.iter().map(|v| (v.code(), v.label_zh(), v.label_en())).collect::<Vec<_>>()
    };
}
pub(crate) use choices;

#[component]
pub fn MemberFields(inputs: MemberInputs, prefix: &'static str, with_status: bool) -> impl IntoView {
    let MemberInputs { name, gender, birth_year, phone, relation, status, name_error, year_error, phone_error } =
        inputs;
    let id = |s: &str| format!("{prefix}-{s}");
    view! {
        <TextField id=id("name") label_text=RosterMsg::FieldName value=name error=name_error/>
        <CodeSelect id=id("gender") label_text=RosterMsg::FieldGender options=choices!(Gender)
            value=Signal::derive(move || gender.get().code())
            on_pick=Callback::new(move |c: String| if let Some(g) = Gender::from_code(&c) { gender.set(g) })/>
        <TextField id=id("year") label_text=RosterMsg::FieldBirthYear value=birth_year error=year_error mode="numeric"/>
        <TextField id=id("phone") label_text=RosterMsg::FieldPhone value=phone error=phone_error kind="tel"/>
        <CodeSelect id=id("relation") label_text=RosterMsg::FieldRelation options=choices!(Relation)
            value=Signal::derive(move || relation.get().code())
            on_pick=Callback::new(move |c: String| if let Some(r) = Relation::from_code(&c) { relation.set(r) })/>
        {with_status.then(|| view! {
            <CodeSelect id=id("status") label_text=RosterMsg::FieldMemberStatus options=choices!(MemberStatus)
                value=Signal::derive(move || status.get().code())
                on_pick=Callback::new(move |c: String| if let Some(s) = MemberStatus::from_code(&c) { status.set(s) })/>
        })}
    }
}
