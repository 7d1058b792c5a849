//! One mediation case (调解案件): its head, the parties, the sessions, the agreement's
//! terms with their status, and the outcome. What a data change re-renders (head and the
//! lists) holds no input; every form (a party, a session, a term, its fulfilment, the
//! outcome) is built once beside them with signals owned here, so a sync never closes or
//! empties one.

use leptos::prelude::*;
use wangge_core::mediation::CaseEntries;

use super::data::{field, load_case, Saver, Shown};
use super::kept::{KeptDraft, KeptForm};
use super::outcome::{OutcomeForm, OutcomeView};
use super::party::{PartyDraft, PartyForm};
use super::session::{SessionForm, SessionList};
use super::terms::{TermDraft, TermForm, TermList};
use super::words::day;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang};
use crate::pages::issues::common::{core_label, random_bytes};

#[component]
pub fn CasePage(id: String) -> impl IntoView {
    if let Some(refused) = super::refused() {
        return refused;
    }
    let store = use_store();
    let scope = session().user.home_grid;
    let data = reload(move || {
        let (store, scope, id) = (store.clone(), scope.clone(), id.clone());
        Box::pin(async move { load_case(&store, &scope, &id).await })
    });
    let shown = Signal::derive(move || data.get().and_then(|d| d.ok().flatten()));
    let found = move || shown.with(Option::is_some);
    let open = move || shown.with(|s| s.as_ref().is_some_and(|s| s.case.outcome.is_none()));
    let (party, term, kept) = (PartyDraft::default(), TermDraft::default(), KeptDraft::default());
    view! {
        <section class="page mediation case-page" aria-labelledby="case-title">
            <AppLink href="/mediation" class="back-link">"‹ " {tr(MedMsg::Back)}</AppLink>
            {move || data.get().map(|d| match d {
                Ok(Some(s)) => view! { <Head s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="case-title">{tr(MedMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
            <Show when=found>
                <h3 class="section-title">{tr(MedMsg::Parties)}</h3>
                {move || shown.get().map(|s| view! { <Parties s/> })}
                <Show when=open>
                    <AddParty shown draft=party/>
                </Show>
                <h3 class="section-title">{tr(MedMsg::Sessions)}</h3>
                {move || shown.get().map(|s| view! { <SessionList s/> })}
                <Show when=open>
                    <SessionForm shown/>
                </Show>
                <h3 class="section-title">{tr(MedMsg::Terms)}</h3>
                {move || shown.get().map(|s| view! { <TermList s term kept/> })}
                <KeptForm shown draft=kept/>
                <Show when=open>
                    <TermForm shown draft=term/>
                </Show>
                <h3 class="section-title">{tr(MedMsg::Outcome)}</h3>
                {move || shown.get().map(|s| view! { <OutcomeView s/> })}
                <Show when=open>
                    <OutcomeForm shown/>
                </Show>
            </Show>
        </section>
    }
    .into_any()
}

/// Title, stage, type, grid, dates, people, the issue it came from, the facts.
#[component]
fn Head(s: Shown) -> impl IntoView {
    let lang = use_lang();
    let c = s.case.clone();
    let (stage, dispute) = (c.stage(), c.dispute);
    let mediators: Vec<String> = c.mediators.iter().map(|p| s.scope.person(p.as_str())).collect();
    let issue = c.issue.clone();
    let show_agreement = c.agreed_at().is_some() || !c.terms_in_order().is_empty();
    view! {
        <header class="card case-head">
            <h2 id="case-title">{c.title.to_string()}</h2>
            <p><span class=format!("case-stage stage-{}", stage.code())>{move || core_label!(stage, lang.get())}</span></p>
            <dl class="meeting-facts">
                <dt>{tr(MedMsg::Dispute)}</dt><dd>{move || core_label!(dispute, lang.get())}</dd>
                <dt>{tr(MedMsg::Grid)}</dt><dd>{s.scope.grid_name(&c.grid)}</dd>
                <dt>{tr(MedMsg::AcceptedAt)}</dt><dd>{day(c.accepted_at)}</dd>
                <dt>{tr(MedMsg::Mediators)}</dt><dd>{mediators.join("、")}</dd>
                <dt>{tr(MedMsg::Recorder)}</dt><dd>{s.scope.person(c.recorder.as_str())}</dd>
            </dl>
            {issue.map(|i| view! {
                <p class="muted"><AppLink href=format!("/issues/{i}")>{tr(MedMsg::ViewIssue)}</AppLink></p>
            })}
            {c.facts.map(|f| view! { <p class="case-facts">{f.to_string()}</p> })}
            {show_agreement.then(|| view! {
                <AppLink href=format!("/mediation/{}/agreement", c.id) class="button small secondary">{tr(MedMsg::ShowAgreement)}</AppLink>
            })}
        </header>
    }
}

/// The parties: name, side, phone, ID tail.
#[component]
fn Parties(s: Shown) -> impl IntoView {
    let lang = use_lang();
    if s.case.entries.parties.is_empty() {
        return view! { <p class="empty">{tr(MedMsg::NoParties)}</p> }.into_any();
    }
    let rows = s
        .case
        .entries
        .parties
        .values()
        .map(|p| {
            let side = p.side;
            let extra: Vec<String> =
                p.phone.iter().map(|ph| ph.to_string()).chain(p.id_last4.iter().map(|t| format!("****{t}"))).collect();
            view! {
                <li class="party">
                    <span class="row-title">{p.name.to_string()}</span>
                    <span class="row-meta">{move || core_label!(side, lang.get())} " " {extra.join(" · ")}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="list card party-list">{rows}</ul> }.into_any()
}

/// Adding a party to the case: saved at once as its `party:<id>` field.
#[component]
fn AddParty(shown: Signal<Option<Shown>>, draft: PartyDraft) -> impl IntoView {
    let saver = Saver::from_context();
    let lang = use_lang();
    let add = Callback::new(move |()| {
        let Some(s) = shown.get_untracked() else { return };
        match draft.parse(lang.get_untracked()) {
            Ok(p) => {
                let id = wangge_core::EntryId::generate(now_ms(), random_bytes());
                saver.save(&s, field(CaseEntries::party_field(&id), &p), draft.error, move || draft.clear());
            }
            Err(m) => draft.error.set(Some(m)),
        }
    });
    view! {
        <details class="card add-party">
            <summary>{tr(MedMsg::AddParty)}</summary>
            <PartyForm draft on_add=add/>
        </details>
    }
}
