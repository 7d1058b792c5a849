//! 新建调解案件: title, type, facts, the day accepted (受理), the grid, the mediators (the
//! user by default) and the parties. Opened from a 矛盾纠纷 issue (`?issue=`) it starts
//! filled in from it: title, grid, facts from the description, the issue linked, and the
//! reporting household's head as applicant when the phone knows them. The core checks the
//! case (`mediation::check`) and one `Store::open_case` writes it with its outbox entry.
//! The form's inputs are signals of this page, above the part a data change re-renders.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use wangge_core::mediation::{Case, CaseEntries, DisputeType, Party, PartySide};
use wangge_core::{CaseId, Description, EntryId, GridId, IssueId, IssueTitle, PersonId};

use super::data::{load_scope, Scope};
use super::party::{PartyDraft, PartyForm};
use super::words::{parse_day, today};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store, use_sync};
use crate::format::now_ms;
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::{core_label, core_message, random_bytes};
use crate::route::{query_param, redirect, use_route, Route};
use crate::store::Store;

/// Everything the form holds.
#[derive(Clone, Copy)]
struct Draft {
    title: RwSignal<String>,
    dispute: RwSignal<DisputeType>,
    facts: RwSignal<String>,
    accepted: RwSignal<String>,
    grid: RwSignal<String>,
    mediators: RwSignal<BTreeSet<String>>,
    parties: RwSignal<Vec<(EntryId, Party)>>,
    issue: RwSignal<Option<IssueId>>,
    error: RwSignal<Option<String>>,
}

/// What saving needs, taken from the page's context while it renders.
#[derive(Clone)]
struct Ctx {
    store: crate::context::StoreHandle,
    sync: crate::sync::SyncHandle,
    route: RwSignal<Route>,
    me: PersonId,
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    if let Some(refused) = super::refused() {
        return refused;
    }
    let store = use_store();
    let me = session();
    let scope_id = me.user.home_grid.clone();
    let data = {
        let store = store.clone();
        reload(move || {
            let (store, scope) = (store.clone(), scope_id.clone());
            Box::pin(async move { load_scope(&store, &scope).await })
        })
    };
    let draft = Draft {
        title: RwSignal::new(String::new()),
        dispute: RwSignal::new(DisputeType::Neighbour),
        facts: RwSignal::new(String::new()),
        accepted: RwSignal::new(today()),
        grid: RwSignal::new(me.user.home_grid.to_string()),
        mediators: RwSignal::new(BTreeSet::from([me.user.person_id.to_string()])),
        parties: RwSignal::new(Vec::new()),
        issue: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    if let Some(issue) = query_param("issue") {
        leptos::task::spawn_local(prefill(store.clone(), issue, draft));
    }
    let party = PartyDraft::default();
    let lang = use_lang();
    let add_party = Callback::new(move |()| match party.parse(lang.get_untracked()) {
        Ok(p) => {
            draft.parties.update(|list| list.push((EntryId::generate(now_ms(), random_bytes()), p)));
            party.clear();
        }
        Err(m) => party.error.set(Some(m)),
    });
    let input = |s: RwSignal<String>| move |ev| s.set(event_target_value(&ev));
    let ctx = Ctx { store, sync: use_sync(), route: use_route(), me: me.user.person_id.clone() };
    view! {
        <section class="page mediation" aria-labelledby="new-case-title">
            <AppLink href="/mediation" class="back-link">"‹ " {tr(MedMsg::Back)}</AppLink>
            <h2 id="new-case-title">{tr(MedMsg::OpenNew)}</h2>
            <form class="form" novalidate aria-label=tr(MedMsg::OpenNew) on:submit=move |ev| {
                ev.prevent_default();
                submit(draft, ctx.clone(), lang.get_untracked());
            }>
                {move || draft.issue.get().map(|i| view! {
                    <p class="muted"><AppLink href=format!("/issues/{i}")>{tr(MedMsg::ViewIssue)}</AppLink></p>
                })}
                <label class="field">{tr(MedMsg::CaseTitle)}
                    <input type="text" prop:value=draft.title on:input=input(draft.title)/>
                </label>
                <label class="field">{tr(MedMsg::Dispute)}
                    <select on:change=move |ev| {
                        if let Some(d) = DisputeType::from_code(&event_target_value(&ev)) { draft.dispute.set(d) }
                    }>
                        {DisputeType::ALL.map(|d| view! {
                            <option value=d.code() selected=move || draft.dispute.get() == d>{move || core_label!(d, lang.get())}</option>
                        }).into_iter().collect_view()}
                    </select>
                </label>
                <label class="field">{tr(MedMsg::Facts)}
                    <textarea prop:value=draft.facts on:input=input(draft.facts)></textarea>
                </label>
                <label class="field">{tr(MedMsg::AcceptedAt)}
                    <input type="date" prop:value=draft.accepted on:input=input(draft.accepted)/>
                </label>
                {move || data.get().map(|d| match d {
                    Ok(scope) => view! { <GridAndMediators draft scope/> }.into_any(),
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                })}
                <fieldset class="field parties">
                    <legend>{tr(MedMsg::Parties)}</legend>
                    <ul class="list party-list">
                        {move || draft.parties.get().into_iter().map(|(id, p)| {
                            let side = p.side;
                            view! {
                                <li>
                                    <span>{p.name.to_string()} "(" {move || core_label!(side, lang.get())} ")"</span>
                                    <button type="button" class="button small secondary" on:click=move |_| {
                                        draft.parties.update(|l| l.retain(|(i, _)| *i != id));
                                        draft.error.set(None);
                                    }>{tr(MedMsg::Remove)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <PartyForm draft=party on_add=add_party/>
                </fieldset>
                {move || draft.error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <div class="form-buttons">
                    <button type="submit" class="button">{tr(MedMsg::Create)}</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// The grid (the user's own and those below it) and the mediators, from the people read.
#[component]
fn GridAndMediators(draft: Draft, scope: Scope) -> impl IntoView {
    let me = session().user;
    let home = me.home_grid.clone();
    let grids: Vec<(String, String)> = scope
        .tree
        .get(&home)
        .into_iter()
        .chain(scope.tree.descendants(&home))
        .map(|g| (g.id.to_string(), scope.grid_name(&g.id)))
        .collect();
    let mut people: Vec<(String, String)> =
        scope.mediators().into_iter().map(|p| (p.id.to_string(), p.name.to_string())).collect();
    if !people.iter().any(|(id, _)| *id == me.person_id.as_str()) {
        people.insert(0, (me.person_id.to_string(), me.name.clone()));
    }
    view! {
        <label class="field">{tr(MedMsg::Grid)}
            <select on:change=move |ev| draft.grid.set(event_target_value(&ev))>
                {grids.into_iter().map(|(id, name)| {
                    let value = id.clone();
                    view! { <option value=value selected=move || draft.grid.get() == id>{name}</option> }
                }).collect_view()}
            </select>
        </label>
        <fieldset class="field mediator-pick">
            <legend>{tr(MedMsg::Mediators)}</legend>
            {people.into_iter().map(|(id, name)| {
                let (a, b) = (id.clone(), id);
                view! {
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || draft.mediators.with(|m| m.contains(&a))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.mediators.update(|m| { if on { m.insert(b.clone()); } else { m.remove(&b); } });
                            }/>
                        {name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Fills the form from the issue (once, before the user typed a title).
async fn prefill(store: crate::context::StoreHandle, issue: String, draft: Draft) {
    let Ok(Some(row)) = store.issue(&issue).await else { return };
    let head = match &row.issue.household {
        Some(h) => applicant(&store, h.as_str()).await,
        None => None,
    };
    let i = row.issue;
    if !draft.title.get_untracked().is_empty() {
        return;
    }
    draft.title.set(i.title.to_string());
    draft.facts.set(i.description.to_string());
    draft.grid.set(i.grid.to_string());
    draft.dispute.set(DisputeType::Neighbour);
    draft.issue.set(Some(i.id));
    if let Some(p) = head {
        draft.parties.update(|l| l.push((EntryId::generate(now_ms(), random_bytes()), p)));
    }
}

/// The household's head as the applicant, when the phone has the household.
async fn applicant(store: &Store, household: &str) -> Option<Party> {
    let row = store.household(household).await.ok().flatten()?;
    let head = row.household.head()?;
    Some(Party {
        name: head.name.clone(),
        side: PartySide::Applicant,
        phone: head.phone.clone(),
        id_last4: head.id_last4.clone(),
        household: Some(row.household.id.clone()),
    })
}

/// Checks the inputs with the core's parse functions and the case with `mediation::check`,
/// then writes it.
fn submit(d: Draft, ctx: Ctx, l: Lang) {
    let fail = move |m: String| d.error.set(Some(m));
    let title = match IssueTitle::parse(d.title.get_untracked().trim()) {
        Ok(t) => t,
        Err(e) => return fail(format!("{}:{}", MedMsg::CaseTitle.text(l), core_message!(e, l))),
    };
    let facts = d.facts.get_untracked();
    let facts = match facts.trim() {
        "" => None,
        t => match Description::parse(t) {
            Ok(f) => Some(f),
            Err(e) => return fail(format!("{}:{}", MedMsg::Facts.text(l), core_message!(e, l))),
        },
    };
    let Ok(accepted_at) = parse_day(&d.accepted.get_untracked()) else {
        return fail(MedMsg::BadDate.text(l).into());
    };
    let Ok(grid) = GridId::parse(d.grid.get_untracked()) else { return };
    let Ctx { store, sync, route, me } = ctx;
    let mediators = d.mediators.get_untracked().into_iter().filter_map(|p| PersonId::parse(p).ok()).collect();
    let now = now_ms();
    let case = Case {
        id: CaseId::generate(now, random_bytes()),
        grid,
        title,
        dispute: d.dispute.get_untracked(),
        facts,
        accepted_at,
        recorder: me,
        mediators,
        issue: d.issue.get_untracked(),
        outcome: None,
        entries: CaseEntries {
            parties: wangge_core::sort::insert_all::<BTreeMap<_, _>, _>(d.parties.get_untracked()),
            ..CaseEntries::default()
        },
    };
    leptos::task::spawn_local(async move {
        match store.open_case(&case).await {
            Ok(()) => {
                sync.changed();
                redirect(route, Route::Case(case.id.to_string()));
            }
            Err(e) => fail(e.message(l)),
        }
    });
}
