//! The printable monthly issue list for the joint meeting (问题清单, 党建联席会议研判):
//! every open issue in scope, the highest rung of the ladder first (what the meeting must
//! bring resources to), oldest first within a rung; then what was closed this month, to
//! report back. On paper the app's header, sync line and navigation disappear.

use leptos::prelude::*;
use wangge_core::grid::GridTree;
use wangge_core::issue::{Deadlines, Status};
use wangge_core::{Date, DAY_MILLIS};

use super::data::{load_issues, ScopeIssues};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::{date, date_time, now_ms};
use crate::i18n::dashboard::DashMsg;
use crate::i18n::roster::label;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::IssueRow;

#[component]
pub fn MeetingListPage() -> impl IntoView {
    let me = session();
    if !me.is_staff() {
        return view! {
            <section class="page" aria-labelledby="meeting-title">
                <h2 id="meeting-title">{tr(DashMsg::MeetingTitle)}</h2>
                <p class="card note">{tr(DashMsg::StaffOnly)}</p>
            </section>
        }
        .into_any();
    }
    let store = use_store();
    let scope = me.user.home_grid;
    let data = reload(move || {
        let (store, scope) = (store.clone(), scope.clone());
        Box::pin(async move { load_issues(&store, &scope).await })
    });
    let prepared_by = me.user.name;
    view! {
        <section class="page meeting" aria-labelledby="meeting-title">
            <div class="page-head no-print">
                <AppLink href="/dashboard" class="small-link">"← " {tr(DashMsg::Back)}</AppLink>
                <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>
                    {tr(DashMsg::Print)}
                </button>
            </div>
                {move || data.get().map(|d| match d {
                    Ok(Some(d)) => view! { <Sheet d prepared_by=prepared_by.clone()/> }.into_any(),
                    Ok(None) => view! { <p class="empty">{tr(crate::i18n::roster::RosterMsg::NoGrids)}</p> }.into_any(),
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                })}
        </section>
    }
    .into_any()
}

#[component]
fn Sheet(d: ScopeIssues, prepared_by: String) -> impl IntoView {
    let now = now_ms();
    let today = Date::of_millis(now);
    let month_start = today.first_of_month().start_millis();
    let mut open: Vec<IssueRow> = d.rows.iter().filter(|r| r.state.status.is_open()).cloned().collect();
    // Highest rung first, then oldest: what the joint meeting must take on comes first.
    wangge_core::sort::sort_by_key(&mut open, |r| {
        (std::cmp::Reverse(r.state.level), r.state.reported_at.unwrap_or(r.issue.created_at))
    });
    let mut closed: Vec<IssueRow> =
        d.rows.iter().filter(|r| r.state.closed_at.is_some_and(|c| c >= month_start)).cloned().collect();
    wangge_core::sort::sort_by_key(&mut closed, |r| (std::cmp::Reverse(r.state.closed_level), r.state.closed_at));
    let title = format!("{} {}年{}月", d.scope_name, today.year(), today.month());
    view! {
        <header class="sheet-head">
            <h2 id="meeting-title">{title} " " {tr(DashMsg::MeetingTitle)}</h2>
            <p class="muted">{tr(DashMsg::MeetingSubtitle)} " · " {tr(DashMsg::PreparedAt)} " " {date_time(now as f64)} " · " {prepared_by}</p>
        </header>
        <h3>{tr(DashMsg::OpenSection)} <span class="count-badge">{open.len()}</span></h3>
        <IssueTable rows=open tree=d.tree.clone() now empty=DashMsg::NoOpen/>
        <h3>{tr(DashMsg::ClosedSection)} <span class="count-badge">{closed.len()}</span></h3>
        <IssueTable rows=closed tree=d.tree now empty=DashMsg::NoClosed/>
    }
}

/// A table on paper and on a desktop; on a phone each row stacks into a card, every cell
/// labelled by its column (see `dashboard.css`).
#[component]
fn IssueTable(rows: Vec<IssueRow>, tree: std::sync::Arc<GridTree>, now: i64, empty: DashMsg) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="empty">{tr(empty)}</p> }.into_any();
    }
    let head = [
        DashMsg::ColNo,
        DashMsg::ColTitle,
        DashMsg::ColGrid,
        DashMsg::Level,
        DashMsg::ColStatus,
        DashMsg::ColReported,
        DashMsg::ColAge,
    ];
    view! {
        <table class="issue-sheet">
            <thead><tr>{head.map(|h| view! { <th scope="col">{tr(h)}</th> }).into_iter().collect_view()}</tr></thead>
            <tbody>
                {rows.into_iter().enumerate().map(|(n, r)| {
                    let grid = tree.get(&r.issue.grid).map(|g| g.name.to_string()).unwrap_or_default();
                    view! { <Row n=n + 1 r grid now lang=lang.get_untracked()/> }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Row(n: usize, r: IssueRow, grid: String, now: i64, lang: Lang) -> impl IntoView {
    let l = lang;
    let s = &r.state;
    let reported = s.reported_at.unwrap_or(r.issue.created_at);
    let end = s.closed_at.unwrap_or(now);
    let days = (end - reported) / DAY_MILLIS;
    let overdue = s.is_overdue(&r.issue, &Deadlines::default(), now);
    let status = s.status;
    let cell = |m: DashMsg| m.text(l);
    view! {
        <tr class:overdue=overdue>
            <td data-label=cell(DashMsg::ColNo)>{n}</td>
            <td data-label=cell(DashMsg::ColTitle) class="title-cell">
                <AppLink href=format!("/issues/{}", r.id)>{r.title.clone()}</AppLink>
                <span class="muted cat">{label(l, r.issue.category.label_zh(), r.issue.category.label_en())}</span>
            </td>
            <td data-label=cell(DashMsg::ColGrid)>{grid}</td>
            <td data-label=cell(DashMsg::Level)>{label(l, s.level.label_zh(), s.level.label_en())}</td>
            <td data-label=cell(DashMsg::ColStatus)>
                {label(l, status.label_zh(), status.label_en())}
                {overdue.then(|| view! { <span class="flag">{cell(DashMsg::OverdueMark)}</span> })}
                {(status == Status::Closed).then(|| s.closed_level.map(|c| format!("（{}）", label(l, c.label_zh(), c.label_en()))))}
            </td>
            <td data-label=cell(DashMsg::ColReported)>{date(reported as f64)}</td>
            <td data-label=cell(DashMsg::ColAge)>{days} " " {cell(DashMsg::Days)}</td>
        </tr>
    }
}
