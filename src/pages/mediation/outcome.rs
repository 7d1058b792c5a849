//! How the case ended (调解结果): 达成协议 with the signing day, 调解不成 with what comes next
//! (诉讼 / 仲裁 / 上级调解), or 撤回; shown once recorded, and the form recording it while
//! the case is open. The core refuses no agreement without a next step, and an outcome
//! before the day the case was accepted.

use leptos::prelude::*;
use wangge_core::mediation::{CaseOutcome, NextStep, OutcomeKind};
use wangge_core::CommentText;

use super::data::{field, Saver, Shown};
use super::words::{day, parse_day, today};
use crate::context::session;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message};

#[component]
pub fn OutcomeView(s: Shown) -> impl IntoView {
    let lang = use_lang();
    let Some(o) = s.case.outcome.clone() else {
        return view! { <p class="empty">{tr(MedMsg::NoOutcome)}</p> }.into_any();
    };
    let (kind, next) = (o.kind, o.next);
    let by = s.scope.person(o.by.as_str());
    view! {
        <div class="card outcome">
            <p class="row-title">{move || core_label!(kind, lang.get())} " · " {day(o.at)}</p>
            {next.map(|n| view! { <p>{tr(MedMsg::NextStep)} "：" {move || core_label!(n, lang.get())}</p> })}
            {o.note.map(|n| view! { <p>{n.to_string()}</p> })}
            <p class="row-meta">{by}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn OutcomeForm(shown: Signal<Option<Shown>>) -> impl IntoView {
    let lang = use_lang();
    let saver = Saver::from_context();
    let me = session().user.person_id;
    let kind = RwSignal::new(OutcomeKind::Agreement);
    let next = RwSignal::new(None::<NextStep>);
    let (date, note) = (RwSignal::new(today()), RwSignal::new(String::new()));
    let message = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(s) = shown.get_untracked() else { return };
        let l = lang.get_untracked();
        let Ok(at) = parse_day(&date.get_untracked()) else {
            return message.set(Some(MedMsg::BadDate.text(l).into()));
        };
        let text = note.get_untracked();
        let note = match text.trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(e) => return message.set(Some(core_message!(e, l))),
            },
        };
        let k = kind.get_untracked();
        // A next step belongs only to a failed mediation; the choice is dropped otherwise.
        let next = if k == OutcomeKind::NoAgreement { next.get_untracked() } else { None };
        let outcome = CaseOutcome { kind: k, at, next, note, by: me.clone() };
        saver.save(&s, field("outcome".into(), &outcome), message, || {});
    };
    view! {
        <section class="card outcome-form" aria-label=tr(MedMsg::SaveOutcome)>
            <fieldset class="field">
                <legend>{tr(MedMsg::Outcome)}</legend>
                {OutcomeKind::ALL.map(|k| view! {
                    <label class="choice">
                        <input type="radio" name="outcome-kind" prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                        {move || core_label!(k, lang.get())}
                    </label>
                }).into_iter().collect_view()}
            </fieldset>
            <label class="field">{tr(MedMsg::OutcomeDate)}
                <input type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
            </label>
            <label class="field" hidden=move || kind.get() != OutcomeKind::NoAgreement>{tr(MedMsg::NextStep)}
                <select on:change=move |ev| next.set(NextStep::from_code(&event_target_value(&ev)))>
                    <option value="">{tr(MedMsg::Nobody)}</option>
                    {NextStep::ALL.map(|n| view! {
                        <option value=n.code() selected=move || next.get() == Some(n)>{move || core_label!(n, lang.get())}</option>
                    }).into_iter().collect_view()}
                </select>
            </label>
            <label class="field">{tr(MedMsg::OutcomeNote)}
                <input type="text" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="button small" on:click=save>{tr(MedMsg::SaveOutcome)}</button>
        </section>
    }
}
