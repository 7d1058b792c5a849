//! The agreement's terms (协议条款): each with what is to be done, the sum in 元 (kept in
//! fen), the due day, who owes whom, and where it stands (`mediation::term_status`, 已逾期
//! in red); and the form adding or editing one, saved as its own `term:<id>` field. Until
//! the agreement is signed a term can be edited or struck out; after, its fulfilment is
//! recorded (`kept.rs`).

use leptos::prelude::*;
use wangge_core::mediation::{term_status, CaseEntries, Term, TermStatus};
use wangge_core::{EntryId, Summary};

use super::data::{field, Saver, Shown};
use super::kept::KeptDraft;
use super::words::{day, parse_day, parse_yuan, party_name, yuan};
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::{core_label, core_message, random_bytes};

/// What the term form holds; `editing` is the term being changed (none: a new one).
#[derive(Clone, Copy)]
pub struct TermDraft {
    pub editing: RwSignal<Option<EntryId>>,
    pub what: RwSignal<String>,
    pub amount: RwSignal<String>,
    pub due: RwSignal<String>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub message: RwSignal<Option<String>>,
}

impl Default for TermDraft {
    fn default() -> TermDraft {
        let s = || RwSignal::new(String::new());
        TermDraft {
            editing: RwSignal::new(None),
            what: s(),
            amount: s(),
            due: s(),
            from: s(),
            to: s(),
            message: RwSignal::new(None),
        }
    }
}

impl TermDraft {
    fn clear(self) {
        for s in [self.what, self.amount, self.due, self.from, self.to] {
            s.set(String::new());
        }
        self.editing.set(None);
        self.message.set(None);
    }

    /// Opens the form on an existing term.
    fn edit(self, id: &EntryId, t: &Term) {
        self.editing.set(Some(id.clone()));
        self.what.set(t.what.to_string());
        self.amount.set(t.amount_fen.map(yuan).unwrap_or_default());
        self.due.set(t.due.map(day).unwrap_or_default());
        self.from.set(t.from.as_ref().map(|p| p.to_string()).unwrap_or_default());
        self.to.set(t.to.as_ref().map(|p| p.to_string()).unwrap_or_default());
        if let Some(form) = document().get_element_by_id("term-form") {
            form.scroll_into_view();
        }
    }
}

#[component]
pub fn TermList(s: Shown, term: TermDraft, kept: KeptDraft) -> impl IntoView {
    let lang = use_lang();
    let c = s.case.clone();
    let terms = c.terms_in_order();
    if terms.is_empty() {
        return view! { <p class="empty">{tr(MedMsg::NoTerms)}</p> }.into_any();
    }
    let (agreed, now) = (c.agreed_at().is_some(), now_ms());
    let saver = Saver::from_context();
    let rows = terms
        .into_iter()
        .enumerate()
        .map(|(n, (id, t))| {
            let status = term_status(t, agreed, now);
            let late = status == TermStatus::Overdue;
            let money = t.amount_fen.map(|f| format!("¥{}", yuan(f)));
            let who = match (&t.from, &t.to) {
                (Some(f), Some(to)) => Some(format!("{} → {}", party_name(&c, f), party_name(&c, to))),
                (Some(f), None) => Some(party_name(&c, f)),
                _ => None,
            };
            let due = t.due.map(|d| format!("{} {}", MedMsg::Due.text(lang.get_untracked()), day(d)));
            let meta: Vec<String> = [money, due, who].into_iter().flatten().collect();
            let kept_line = t.kept.as_ref().map(|k| {
                let how = k.how;
                let note = k.note.as_ref().map(|n| format!(" · {n}")).unwrap_or_default();
                view! { <span class="row-meta">{move || core_label!(how, lang.get())} " " {day(k.at)} {note}</span> }
            });
            let (id2, t2, id3) = (id.clone(), t.clone(), id.clone());
            let strike = {
                let (s, saver, id) = (s.clone(), saver.clone(), id.clone());
                let struck = Term { removed: true, ..t.clone() };
                move |_| saver.save(&s, field(CaseEntries::term_field(&id), &struck), term.message, || {})
            };
            view! {
                <li class="term" class:overdue=late>
                    <span class="row-title">{n + 1} ". " {t.what.to_string()}
                        <span class=format!("term-status status-{}", status.code())>{move || core_label!(status, lang.get())}</span>
                    </span>
                    <span class="row-meta">{meta.join(" · ")}</span>
                    {kept_line}
                    <div class="term-actions">
                        {(!agreed).then(|| view! {
                            <button type="button" class="button small secondary" on:click=move |_| term.edit(&id2, &t2)>{tr(MedMsg::Edit)}</button>
                            <button type="button" class="button small secondary" on:click=strike>{tr(MedMsg::Strike)}</button>
                        })}
                        {(agreed && status != TermStatus::Fulfilled).then(|| view! {
                            <button type="button" class="button small" on:click=move |_| kept.open_on(&id3)>{tr(MedMsg::Kept)}</button>
                        })}
                    </div>
                </li>
            }
        })
        .collect_view();
    let total = c.total_fen();
    view! {
        <ul class="list card term-list">{rows}</ul>
        {(total > 0).then(|| view! { <p class="term-total">{tr(MedMsg::Total)} " ¥" {yuan(total)}</p> })}
    }
    .into_any()
}

/// Adding a term, or changing the one `draft.editing` names.
#[component]
pub fn TermForm(shown: Signal<Option<Shown>>, draft: TermDraft) -> impl IntoView {
    let lang = use_lang();
    let saver = Saver::from_context();
    let parties = move || {
        shown.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.case
                        .entries
                        .parties
                        .iter()
                        .map(|(id, p)| (id.to_string(), p.name.to_string()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let save = move |_| {
        let Some(s) = shown.get_untracked() else { return };
        let l = lang.get_untracked();
        let fail = |m: String| draft.message.set(Some(m));
        let what = match Summary::parse(draft.what.get_untracked().trim()) {
            Ok(w) => w,
            Err(e) => return fail(core_message!(e, l)),
        };
        let Ok(amount_fen) = parse_yuan(&draft.amount.get_untracked()) else {
            return fail(MedMsg::BadAmount.text(l).into());
        };
        let due = draft.due.get_untracked();
        let due = match due.trim() {
            "" => None,
            d => match parse_day(d) {
                Ok(d) => Some(d),
                Err(e) => return fail(core_message!(e, l)),
            },
        };
        let party = |v: String| EntryId::parse(v).ok();
        let editing = draft.editing.get_untracked();
        let old = editing.as_ref().and_then(|id| s.case.entries.terms.get(id)).cloned();
        let next = s.case.entries.terms.values().map(|t| t.position).max().unwrap_or(0) + 1;
        let t = Term {
            position: old.as_ref().map_or(next, |o| o.position),
            what,
            amount_fen,
            due,
            from: party(draft.from.get_untracked()),
            to: party(draft.to.get_untracked()),
            kept: old.and_then(|o| o.kept),
            removed: false,
        };
        let id = editing.unwrap_or_else(|| EntryId::generate(now_ms(), random_bytes()));
        saver.save(&s, field(CaseEntries::term_field(&id), &t), draft.message, move || draft.clear());
    };
    let picker = move |sig: RwSignal<String>| {
        view! {
            <select on:change=move |ev| sig.set(event_target_value(&ev))>
                <option value="">{tr(MedMsg::Nobody)}</option>
                {move || parties().into_iter().map(|(id, name)| {
                    let value = id.clone();
                    view! { <option value=value selected=move || sig.get() == id>{name}</option> }
                }).collect_view()}
            </select>
        }
    };
    let input = |s: RwSignal<String>| move |ev| s.set(event_target_value(&ev));
    view! {
        <section class="card term-form" id="term-form" aria-label=tr(MedMsg::AddTerm)>
            <h4>{move || if draft.editing.get().is_some() { MedMsg::EditTerm.text(lang.get()) } else { MedMsg::AddTerm.text(lang.get()) }}</h4>
            <label class="field">{tr(MedMsg::TermWhat)}
                <input type="text" prop:value=draft.what on:input=input(draft.what)/>
            </label>
            <label class="field">{tr(MedMsg::Amount)}
                <input type="text" inputmode="decimal" prop:value=draft.amount on:input=input(draft.amount)/>
            </label>
            <label class="field">{tr(MedMsg::Due)}
                <input type="date" prop:value=draft.due on:input=input(draft.due)/>
            </label>
            <label class="field">{tr(MedMsg::From)} {picker(draft.from)}</label>
            <label class="field">{tr(MedMsg::To)} {picker(draft.to)}</label>
            {move || draft.message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <div class="form-buttons">
                <button type="button" class="button small" on:click=save>{tr(MedMsg::SaveTerm)}</button>
                <button type="button" class="button small secondary" on:click=move |_| draft.clear()>{tr(MedMsg::Cancel)}</button>
            </div>
        </section>
    }
}
