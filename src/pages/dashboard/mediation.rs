//! The dashboard's 矛盾纠纷调解 section for the user's scope: cases accepted and agreed per
//! month with the resolution rate (the raw counts beside it), cases ended at each rung,
//! the 零上交 villages against those that sent a case up, and agreements with overdue
//! terms — `mediation::stats::figures` over the `mediations` store. It reads on its own.

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::GridId;

use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::format::now_ms;
use crate::i18n::lists::ListMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;
use crate::store::{Store, StoreError};

/// Months shown, newest first.
const MONTHS: usize = 6;

#[derive(Clone)]
struct Read {
    figures: wangge_core::mediation::stats::MediationFigures,
    overdue: Vec<(wangge_core::CaseId, String)>,
    tree: std::sync::Arc<GridTree>,
}

async fn load(store: &Store, scope: &GridId) -> Result<Read, StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let (figures, overdue) = store.mediation_figures(&tree, scope, now_ms()).await?;
    Ok(Read { figures, overdue, tree: std::sync::Arc::new(tree) })
}

/// "99.4%（171/172）": a rate in per mille with what it is made of.
fn rate(permille: Option<u32>, part: u32, whole: u32) -> String {
    match permille {
        Some(p) => format!("{}.{}%（{part}/{whole}）", p / 10, p % 10),
        None => "—".into(),
    }
}

#[component]
pub fn MediationSection(scope: GridId) -> impl IntoView {
    let store = use_store();
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load(&store, &scope).await })
    });
    view! {
        <section class="card mediation-figures" aria-labelledby="med-fig">
            <h3 id="med-fig">{tr(ListMsg::MedTitle)}</h3>
            {move || data.get().map(|r| match r {
                Ok(r) if r.figures.months.is_empty() => view! { <p class="empty">{tr(ListMsg::MedNone)}</p> }.into_any(),
                Ok(r) => view! { <Body r/> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Body(r: Read) -> impl IntoView {
    let lang = use_lang();
    let f = r.figures;
    let names = |ids: &[GridId]| -> String {
        ids.iter()
            .map(|g| r.tree.get(g).map_or_else(|| g.to_string(), |x| x.name.to_string()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let (zero, sent) = (names(&f.zero_escalation), names(&f.escalated_from));
    let (zero_n, sent_n) = (f.zero_escalation.len(), f.escalated_from.len());
    let months = f
        .months
        .iter()
        .rev()
        .take(MONTHS)
        .map(|((y, m), mf)| {
            let ended = mf.agreed + mf.not_agreed;
            view! {
                <tr><th scope="row">{format!("{y}-{m:02}")}</th><td>{mf.accepted}</td><td>{mf.agreed}</td>
                    <td>{rate(mf.resolved_permille(), mf.agreed, ended)}</td></tr>
            }
        })
        .collect_view();
    let rungs = f
        .ended_at
        .iter()
        .map(|(level, n)| {
            let level = *level;
            view! { <dt>{move || core_label!(level, lang.get())}</dt><dd>{*n}</dd> }
        })
        .collect_view();
    let none = move || ListMsg::None.text(lang.get());
    view! {
        <table class="data">
            <thead><tr><th scope="col">{tr(ListMsg::MedMonth)}</th><th scope="col">{tr(ListMsg::MedAccepted)}</th>
                <th scope="col">{tr(ListMsg::MedAgreed)}</th><th scope="col">{tr(ListMsg::MedRate)}</th></tr></thead>
            <tbody>{months}</tbody>
        </table>
        <p class="muted">{tr(ListMsg::MedEndedAt)}</p>
        <dl class="pairs">{rungs}</dl>
        <dl class="pairs">
            <dt>{tr(ListMsg::MedZero)} " " {zero_n}</dt><dd>{if zero.is_empty() { none().to_string() } else { zero }}</dd>
            <dt>{tr(ListMsg::MedEscalated)} " " {sent_n}</dt><dd>{if sent.is_empty() { none().to_string() } else { sent }}</dd>
            <dt>{tr(ListMsg::MedOverdue)} " " {r.overdue.len()}</dt>
            <dd>
                {r.overdue.is_empty().then(none)}
                {r.overdue.into_iter().map(|(id, title)| view! {
                    <AppLink href=format!("/mediation/{id}") class="overdue-case">{title}</AppLink>
                }).collect_view()}
            </dd>
        </dl>
    }
}
