//! Recording how a term of a signed agreement was kept (已履行 / 部分履行, the day, a note):
//! the term's `term:<id>` field with its `kept` set. Offered only once the agreement is
//! signed; the store checks the case with the core all the same (a term kept before the
//! signing day is refused with the core's message and nothing is written).

use leptos::prelude::*;
use wangge_core::mediation::{CaseEntries, Fulfilment, TermKept};
use wangge_core::{CommentText, EntryId};

use super::data::{field, Saver, Shown};
use super::words::{parse_day, today};
use crate::context::session;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message};

/// What the fulfilment form holds; `term` is the term it is open on.
#[derive(Clone, Copy)]
pub struct KeptDraft {
    pub term: RwSignal<Option<EntryId>>,
    how: RwSignal<Fulfilment>,
    date: RwSignal<String>,
    note: RwSignal<String>,
    message: RwSignal<Option<String>>,
}

impl Default for KeptDraft {
    fn default() -> KeptDraft {
        KeptDraft {
            term: RwSignal::new(None),
            how: RwSignal::new(Fulfilment::Full),
            date: RwSignal::new(today()),
            note: RwSignal::new(String::new()),
            message: RwSignal::new(None),
        }
    }
}

impl KeptDraft {
    /// Opens the form on a term.
    pub fn open_on(self, term: &EntryId) {
        self.term.set(Some(term.clone()));
        self.message.set(None);
        if let Some(form) = document().get_element_by_id("kept-form") {
            form.scroll_into_view();
        }
    }
}

#[component]
pub fn KeptForm(shown: Signal<Option<Shown>>, draft: KeptDraft) -> impl IntoView {
    let lang = use_lang();
    let saver = Saver::from_context();
    let me = session().user.person_id;
    let what = move || {
        let id = draft.term.get()?;
        shown.with(|s| s.as_ref().and_then(|s| s.case.entries.terms.get(&id).map(|t| t.what.to_string())))
    };
    let save = move |_| {
        let (Some(s), Some(id)) = (shown.get_untracked(), draft.term.get_untracked()) else { return };
        let l = lang.get_untracked();
        let Some(term) = s.case.entries.terms.get(&id).cloned() else { return };
        let Ok(at) = parse_day(&draft.date.get_untracked()) else {
            return draft.message.set(Some(MedMsg::BadDate.text(l).into()));
        };
        let note = draft.note.get_untracked();
        let note = match note.trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(e) => return draft.message.set(Some(core_message!(e, l))),
            },
        };
        let kept = TermKept { how: draft.how.get_untracked(), at, note, by: me.clone() };
        let term = wangge_core::mediation::Term { kept: Some(kept), ..term };
        saver.save(&s, field(CaseEntries::term_field(&id), &term), draft.message, move || {
            draft.term.set(None);
            draft.note.set(String::new());
        });
    };
    view! {
        <section class="card kept-form" id="kept-form" aria-label=tr(MedMsg::Kept) hidden=move || draft.term.get().is_none()>
            <h4>{tr(MedMsg::Kept)} "：" {what}</h4>
            <fieldset class="field">
                <legend>{tr(MedMsg::KeptHow)}</legend>
                {Fulfilment::ALL.map(|f| view! {
                    <label class="choice">
                        <input type="radio" name="kept-how" prop:checked=move || draft.how.get() == f on:change=move |_| draft.how.set(f)/>
                        {move || core_label!(f, lang.get())}
                    </label>
                }).into_iter().collect_view()}
            </fieldset>
            <label class="field">{tr(MedMsg::KeptDate)}
                <input type="date" prop:value=draft.date on:input=move |ev| draft.date.set(event_target_value(&ev))/>
            </label>
            <label class="field">{tr(MedMsg::KeptNote)}
                <input type="text" prop:value=draft.note on:input=move |ev| draft.note.set(event_target_value(&ev))/>
            </label>
            {move || draft.message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="button" class="button small" on:click=save>{tr(MedMsg::SaveKept)}</button>
                <button type="button" class="button small secondary" on:click=move |_| draft.term.set(None)>{tr(MedMsg::Cancel)}</button>
            </div>
        </section>
    }
}
