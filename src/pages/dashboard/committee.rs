//! The dashboard's "大党委工作" section: the seeds' committee figures for a chosen month
//! and scope — joint meetings and items decided, on-site office sessions and problems
//! solved since (also per leader), the share closed at or below the community rung, and
//! hand-offs done and on time — each share beside the raw counts behind it. The core
//! counts (`committee_stats`); this file only reads and shows.
//!
//! The month and scope choices are signals owned by the dashboard page, above the part a
//! background sync re-renders, so a sync never resets what the user picked.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::committee_stats::{committee_figures, CommitteeFigures, Share};
use wangge_core::grid::{GridLevel, GridTree};
use wangge_core::meeting::Meeting;
use wangge_core::{Date, GridId, PersonId};

use super::data::{load_issues, percent};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::use_store;
use crate::i18n::dashboard::DashMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::store::{IssueRow, Store, StoreError};

/// What the section counts over.
#[derive(Clone)]
struct Loaded {
    tree: Arc<GridTree>,
    rows: Arc<Vec<IssueRow>>,
    meetings: Arc<Vec<Meeting>>,
    names: Arc<HashMap<PersonId, String>>,
}

async fn load(store: &Store, home: &GridId) -> Result<Option<Loaded>, StoreError> {
    let (issues, meetings, people) =
        futures::future::join3(load_issues(store, home), store.meetings(), store.people()).await;
    let Some(scope) = issues? else { return Ok(None) };
    let names = people?.into_iter().map(|p| (p.id, p.name.to_string())).collect();
    Ok(Some(Loaded {
        tree: scope.tree,
        rows: Arc::new(scope.rows),
        meetings: Arc::new(meetings?),
        names: Arc::new(names),
    }))
}

/// The last twelve months, newest first, as their first days.
fn months(today: Date) -> Vec<Date> {
    let mut out = vec![today.first_of_month()];
    for _ in 1..12 {
        let last = out[out.len() - 1];
        out.push(last.add_days(-1).first_of_month());
    }
    out
}

/// The section; `month` and `scope` are held by the page.
#[component]
pub fn CommitteeSection(home: GridId, today: Date, month: RwSignal<Date>, scope: RwSignal<GridId>) -> impl IntoView {
    let store = use_store();
    let data = reload(move || {
        let (store, home) = (store.clone(), home.clone());
        Box::pin(async move { load(&store, &home).await })
    });
    view! {
        <section class="card committee" aria-labelledby="committee-fig">
            <h3 id="committee-fig">{tr(DashMsg::CommitteeTitle)}</h3>
            {move || data.get().map(|d| match d {
                Ok(Some(d)) => view! { <Choosers d=d.clone() today month scope/> <Figures d month scope/> }.into_any(),
                Ok(None) => view! { <p class="empty">{tr(crate::i18n::roster::RosterMsg::NoGrids)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Choosers(d: Loaded, today: Date, month: RwSignal<Date>, scope: RwSignal<GridId>) -> impl IntoView {
    let home = scope.get_untracked();
    // The home grid and everything down to the communities: where the committee sits.
    let home_grid = d.tree.get(&home).cloned();
    let mut scopes: Vec<(GridId, String)> = home_grid.iter().map(|g| (g.id.clone(), g.name.to_string())).collect();
    for g in d.tree.descendants(&home) {
        if matches!(g.level, GridLevel::Town | GridLevel::Community) && !g.retired {
            scopes.push((g.id.clone(), g.name.to_string()));
        }
    }
    view! {
        <div class="choosers">
            <label>{tr(DashMsg::Month)} " "
                <select on:change=move |ev| if let Ok(d) = Date::parse(&event_target_value(&ev)) { month.set(d) }>
                    {months(today).into_iter().map(|m| {
                        let value = m.to_string();
                        let text = format!("{}-{:02}", m.year(), m.month());
                        view! { <option value=value prop:selected=move || month.get() == m>{text}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{tr(DashMsg::Scope)} " "
                <select on:change=move |ev| if let Ok(g) = GridId::parse(event_target_value(&ev)) { scope.set(g) }>
                    {scopes.into_iter().map(|(id, name)| {
                        let value = id.as_str().to_string();
                        view! { <option value=value prop:selected=move || scope.get() == id>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

#[component]
fn Figures(d: Loaded, month: RwSignal<Date>, scope: RwSignal<GridId>) -> impl IntoView {
    let lang = use_lang();
    let figures = Memo::new(move |_| {
        let rows = d.rows.iter().map(|r| (&r.issue, &r.state));
        committee_figures(&d.tree, &scope.get(), month.get(), d.meetings.iter(), rows)
    });
    let names = d.names.clone();
    move || {
        let l = lang.get();
        let f: CommitteeFigures = figures.get();
        let share = |s: Share| {
            let raw = format!("{} {} {}", s.count, DashMsg::OutOf.text(l), s.of);
            s.ratio().map_or(raw.clone(), |r| format!("{} ({raw})", percent(r)))
        };
        let hosts: Vec<(String, u32, String)> = f
            .by_host
            .iter()
            .map(|h| {
                let name = h.host.as_ref().and_then(|p| names.get(p).cloned());
                (name.unwrap_or_else(|| DashMsg::NoHost.text(l).to_string()), h.sessions, share(h.solved))
            })
            .collect();
        view! {
            <dl class="pairs">
                <dt>{DashMsg::JointMeetings.text(l)}</dt><dd>{f.joint_meetings}</dd>
                <dt>{DashMsg::ItemsDecided.text(l)}</dt><dd>{f.items_decided}</dd>
                <dt>{DashMsg::OnsiteSessions.text(l)}</dt><dd>{f.onsite_sessions}</dd>
                <dt>{DashMsg::OnsiteSolved.text(l)}</dt><dd>{share(f.onsite_solved)}</dd>
                <dt>{DashMsg::KeptInCommunity.text(l)}</dt><dd>{share(f.closed_within_community)}</dd>
                <dt>{DashMsg::Handed.text(l)}</dt><dd>{share(f.handed_done)}</dd>
                <dt>{DashMsg::HandedOnTime.text(l)}</dt><dd>{share(f.handed_on_time)}</dd>
            </dl>
            {(!hosts.is_empty()).then(|| view! {
                <table class="data">
                    <caption>{DashMsg::ByHost.text(l)}</caption>
                    <thead><tr><th scope="col">{DashMsg::Host.text(l)}</th><th scope="col">{DashMsg::Sessions.text(l)}</th>
                        <th scope="col">{DashMsg::Solved.text(l)}</th></tr></thead>
                    <tbody>
                        {hosts.into_iter().map(|(name, n, solved)| view! {
                            <tr><th scope="row">{name}</th><td>{n}</td><td>{solved}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        }
    }
}
