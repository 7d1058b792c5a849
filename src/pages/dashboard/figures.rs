//! The dashboard (统计) for community secretaries and above: the seeds' headline figures
//! for the signed-in person's scope — open, overdue, closed this month, the share closed
//! at grid and community level ("小事不出网格"), median time to close, by category —
//! and this month's visits, with small SVG charts and a link to the meeting list; then the
//! joint committee's figures for a chosen month and scope (`committee.rs`).

use leptos::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::stats::IssueFigures;

use super::charts::{Bar, Donut, SplitBar, StackedBars};
use super::committee::CommitteeSection;
use super::data::{duration, load_figures, percent, Figures};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::dashboard::DashMsg;
use crate::i18n::roster::label;
use crate::i18n::{tr, use_lang, Text};

/// Colours of the ladder's rungs, lowest (best) green to highest red.
pub const LEVEL_COLOURS: [&str; 4] = ["#2e7d32", "#7cb342", "#f9a825", "#c62828"];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = session();
    if !me.is_staff() {
        return view! {
            <section class="page" aria-labelledby="dash-title">
                <h2 id="dash-title">{tr(DashMsg::DashTitle)}</h2>
                <p class="card note">{tr(DashMsg::StaffOnly)}</p>
            </section>
        }
        .into_any();
    }
    let store = use_store();
    let scope = me.user.home_grid;
    // The committee section's choices live here, above what a sync re-renders.
    let today = wangge_core::Date::of_millis(now_ms());
    let (month, committee_scope) = (RwSignal::new(today.first_of_month()), RwSignal::new(scope.clone()));
    let home = scope.clone();
    let figures = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_figures(&store, &scope, now_ms()).await })
    });
    view! {
        <section class="page dashboard" aria-labelledby="dash-title">
            <h2 id="dash-title">{tr(DashMsg::DashTitle)}</h2>
            <crate::pages::assess::AssessCard/>
                {move || figures.get().map(|f| match f {
                    Ok(Some(f)) => view! { <Board f/> }.into_any(),
                    Ok(None) => view! { <p class="empty">{tr(crate::i18n::roster::RosterMsg::NoGrids)}</p> }.into_any(),
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                })}
            <CommitteeSection home=home.clone() today month scope=committee_scope/>
            <super::mediation::MediationSection scope=home.clone()/>
            <super::lists::ListsSection scope=home/>
        </section>
    }
    .into_any()
}

#[component]
fn Board(f: Figures) -> impl IntoView {
    let lang = use_lang();
    let i = f.issues.clone();
    let t = i.totals;
    let median = i.median_time_to_close;
    let month = format!("{}-{:02}", f.today.year(), f.today.month());
    view! {
        <p class="muted scope">{tr(DashMsg::ScopeMonth)} "：" {f.scope_name.clone()} " · " {month}</p>
        <div class="tiles">
            <Tile name=DashMsg::Open value=t.open.to_string() alert=false/>
            <Tile name=DashMsg::Overdue value=t.overdue.to_string() alert={t.overdue > 0}/>
            <Tile name=DashMsg::Supervision value=i.needing_supervision.to_string() alert={i.needing_supervision > 0}/>
            <Tile name=DashMsg::ClosedThisMonth value=i.closed_this_month.to_string() alert=false/>
            <Tile name=DashMsg::MedianClose alert=false
                value=Signal::derive(move || median.map_or("—".into(), |m| duration(m, lang.get())))/>
            <Tile name=DashMsg::ClosedInCommunity alert=false
                value=i.closed_within_community_share.map_or("—".into(), percent)/>
        </div>
        <LowLevel i=i.clone()/>
        <Categories i=i.clone()/>
        <section class="card" aria-labelledby="visits-fig">
            <h3 id="visits-fig">{tr(DashMsg::VisitsTitle)}</h3>
            <dl class="pairs">
                <dt>{tr(DashMsg::VisitsDone)}</dt><dd>{f.visits.scheduled_visits_done} " / " {f.visits.visits_due}</dd>
                <dt>{tr(DashMsg::HouseholdsOverdue)}</dt><dd>{f.visits.households_overdue}</dd>
            </dl>
        </section>
        <AppLink href="/dashboard/meeting" class="button wide">{tr(DashMsg::MeetingLink)} " →"</AppLink>
    }
}

/// One headline figure.
#[component]
fn Tile(name: DashMsg, #[prop(into)] value: Signal<String>, alert: bool) -> impl IntoView {
    view! {
        <div class="tile" class:alert=alert role="group" aria-label=tr(name)>
            <span class="tile-value">{value}</span>
            <span class="tile-name">{tr(name)}</span>
        </div>
    }
}

/// "小事不出网格，大事不出社区": the share closed at grid and within the community, and
/// where every closed issue was closed.
#[component]
fn LowLevel(i: IssueFigures) -> impl IntoView {
    let lang = use_lang();
    let (grid, community) = (i.closed_at_grid_share, i.closed_within_community_share);
    let levels = i.by_level.clone();
    let body = move || {
        let l = lang.get();
        let (Some(grid), Some(community)) = (grid, community) else {
            return view! { <p class="empty">{DashMsg::NoneClosed.text(l)}</p> }.into_any();
        };
        let parts: Vec<(String, u32, &'static str)> = levels
            .iter()
            .zip(LEVEL_COLOURS)
            .map(|(lc, colour)| {
                (label(l, lc.level.label_zh(), lc.level.label_en()).to_string(), lc.counts.closed, colour)
            })
            .collect();
        let said = |m: DashMsg, s: f64| format!("{} {}", m.text(l), percent(s));
        let split: Vec<String> = parts.iter().map(|(n, c, _)| format!("{n} {c}")).collect();
        view! {
            <div class="donuts">
                <figure>
                    <Donut share=grid colour=LEVEL_COLOURS[0] summary=said(DashMsg::ClosedAtGrid, grid)/>
                    <figcaption>{DashMsg::ClosedAtGrid.text(l)}</figcaption>
                </figure>
                <figure>
                    <Donut share=community colour=LEVEL_COLOURS[1] summary=said(DashMsg::ClosedInCommunity, community)/>
                    <figcaption>{DashMsg::ClosedInCommunity.text(l)}</figcaption>
                </figure>
            </div>
            <p class="muted">{DashMsg::ClosedByLevel.text(l)}</p>
            <SplitBar parts summary=format!("{}：{}", DashMsg::ClosedByLevel.text(l), split.join("，"))/>
        }
        .into_any()
    };
    let open_levels = i.by_level.clone();
    view! {
        <section class="card" aria-labelledby="low-level">
            <h3 id="low-level">{tr(DashMsg::LowLevelTitle)}</h3>
            {body}
            <p class="muted">{tr(DashMsg::ByLevel)}</p>
            <ul class="level-counts">
                {open_levels.into_iter().map(|lc| {
                    let level: EscalationLevel = lc.level;
                    view! {
                        <li><span>{move || label(lang.get(), level.label_zh(), level.label_en())}</span>
                            <strong>{lc.counts.open}</strong></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Open and closed issues per category, largest first, with the table behind the chart.
#[component]
fn Categories(i: IssueFigures) -> impl IntoView {
    let lang = use_lang();
    let mut cats: Vec<_> = i.by_category.into_iter().filter(|c| c.counts.open + c.counts.closed > 0).collect();
    wangge_core::sort::sort_by_key(&mut cats, |c| std::cmp::Reverse(c.counts.open + c.counts.closed));
    move || {
        let l = lang.get();
        let bars: Vec<Bar> = cats
            .iter()
            .map(|c| Bar {
                label: label(l, c.category.label_zh(), c.category.label_en()).to_string(),
                open: c.counts.open,
                closed: c.counts.closed,
            })
            .collect();
        let summary =
            bars.iter().map(|b| format!("{} {}/{}", b.label, b.open, b.closed)).collect::<Vec<_>>().join("，");
        view! {
            <section class="card" aria-labelledby="by-cat">
                <h3 id="by-cat">{DashMsg::ByCategory.text(l)}</h3>
                <p class="legend-line">
                    <span class="swatch open"></span>{DashMsg::Open.text(l)}
                    <span class="swatch closed"></span>{DashMsg::Closed.text(l)}
                </p>
                <StackedBars bars=bars.clone() summary=format!("{}：{summary}", DashMsg::ByCategory.text(l))/>
                <details>
                    <summary>{DashMsg::DataTable.text(l)}</summary>
                    <table class="data">
                        <thead><tr><th scope="col">{DashMsg::Category.text(l)}</th>
                            <th scope="col">{DashMsg::Open.text(l)}</th><th scope="col">{DashMsg::Closed.text(l)}</th></tr></thead>
                        <tbody>
                            {bars.into_iter().map(|b| view! {
                                <tr><th scope="row">{b.label}</th><td>{b.open}</td><td>{b.closed}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </section>
        }
    }
}
