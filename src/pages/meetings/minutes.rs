//! 纪要: a meeting as A4 minutes — title, time, place, host, recorder, who was present or
//! absent, guests, each item with its decision, who takes it and by when, the general
//! minutes, and 上次会议事项跟进: the previous meeting of the same kind and grid, each
//! item's decision and what became of it (the core's `meeting::follow_up`). On paper the
//! app's header, sync line, navigation and buttons disappear (`style/meetings.css`).

use leptos::prelude::*;
use wangge_core::meeting::{follow_up, Attendance, FollowUp, Meeting};

use super::committee::{community_of, grid_name};
use super::data::{load_meeting, Shown};
use super::words::{decision_line, minutes_title, outcome_label, taken_by};
use crate::components::print_head::PrintHead;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::{date, date_time, now_ms};
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{tr, use_lang, Lang, Text};

#[component]
pub fn MinutesPage(id: String) -> impl IntoView {
    if let Some(refused) = super::staff_only() {
        return refused;
    }
    let store = use_store();
    let scope = session().user.home_grid;
    let back = format!("/meetings/{id}");
    let data = reload(move || {
        let (store, scope, id) = (store.clone(), scope.clone(), id.clone());
        Box::pin(async move { load_meeting(&store, &scope, &id).await })
    });
    view! {
        <section class="page minutes" aria-labelledby="minutes-title">
            <PrintHead back back_label=|l| MeetMsg::Back.text(l) print_label=|l| MeetMsg::Print.text(l)/>
            {move || data.get().map(|d| match d {
                Ok(Some(s)) => view! { <Sheet s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="minutes-title">{tr(MeetMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Sheet(s: Shown) -> impl IntoView {
    let l = use_lang().get();
    let m = &s.meeting;
    let names = &s.scope.names;
    let community = community_of(&s.scope.tree, &m.grid);
    let title = minutes_title(m, &grid_name(&s.scope.tree, &community), l);
    let who = |want: &[Attendance]| {
        let list: Vec<String> = m
            .entries
            .attendees
            .iter()
            .filter(|(_, a)| want.contains(a))
            .map(|(p, a)| match a {
                Attendance::Present => names.person(p.as_str()),
                other => format!("{}（{}）", names.person(p.as_str()), other_label(*other, l)),
            })
            .collect();
        if list.is_empty() {
            MeetMsg::None.text(l).to_string()
        } else {
            list.join("、")
        }
    };
    let present = who(&[Attendance::Present]);
    let absent = who(&[Attendance::Absent, Attendance::Excused]);
    let host = m.host.as_ref().map(|h| names.person(h.as_str())).unwrap_or_else(|| MeetMsg::None.text(l).into());
    let guests = m.guests.as_ref().map(|g| g.to_string()).unwrap_or_else(|| MeetMsg::None.text(l).into());
    let notes = m.notes.as_ref().map(|n| n.to_string());
    let cell = |k: MeetMsg| k.text(l);
    view! {
        <header class="sheet-head">
            <h2 id="minutes-title">{title}</h2>
        </header>
        <dl class="minutes-facts">
            <dt>{cell(MeetMsg::When)}</dt><dd>{date_time(m.held_at as f64)}</dd>
            <dt>{cell(MeetMsg::Place)}</dt><dd>{m.place.to_string()}</dd>
            <dt>{cell(MeetMsg::Host)}</dt><dd>{host}</dd>
            <dt>{cell(MeetMsg::Recorder)}</dt><dd>{names.person(m.recorder.as_str())}</dd>
            <dt>{cell(MeetMsg::Present)}</dt><dd>{present}</dd>
            <dt>{cell(MeetMsg::Absent)}</dt><dd>{absent}</dd>
            <dt>{cell(MeetMsg::Guests)}</dt><dd>{guests}</dd>
        </dl>
        <h3>{cell(MeetMsg::Agenda)}</h3>
        <ItemsTable s=s.clone() l/>
        {notes.map(|n| view! { <h3>{cell(MeetMsg::Notes)}</h3> <p class="minutes-notes">{n}</p> })}
        <h3>{cell(MeetMsg::FollowUp)}</h3>
        {match s.scope.previous(m) {
            Some(prev) => view! { <FollowUpTable s=s.clone() prev=prev.clone() l/> }.into_any(),
            None => view! { <p class="empty">{cell(MeetMsg::NoPrevious)}</p> }.into_any(),
        }}
    }
}

fn other_label(a: Attendance, l: Lang) -> &'static str {
    match l {
        Lang::Zh => a.label_zh(),
        Lang::En => a.label_en(),
    }
}

/// The items: a table on paper and on a desktop, stacked cards on a phone.
#[component]
fn ItemsTable(s: Shown, l: Lang) -> impl IntoView {
    let m = &s.meeting;
    if m.agenda_len() == 0 {
        return view! { <p class="empty">{MeetMsg::NoItems.text(l)}</p> }.into_any();
    }
    let head =
        [MeetMsg::ColNo, MeetMsg::ColIssue, MeetMsg::ColGrid, MeetMsg::ColDecision, MeetMsg::ColWho, MeetMsg::ColDue];
    let rows = m
        .items_in_order()
        .into_iter()
        .enumerate()
        .map(|(n, (id, item))| {
            let row = s.scope.issues.get(id.as_str());
            let title = row.map(|r| r.title.clone()).unwrap_or_else(|| id.to_string());
            let grid = row.map(|r| s.scope.grid_name(&r.issue.grid)).unwrap_or_default();
            let d = item.decision.as_ref();
            let decision = d.map_or_else(
                || MeetMsg::Undecided.text(l).to_string(),
                |d| {
                    let mut text = outcome_label(d.outcome, l).to_string();
                    if let Some(note) = &d.note {
                        text = format!("{text}：{note}");
                    }
                    text
                },
            );
            let who = d.map(|d| taken_by(d, &s.scope.names)).unwrap_or_default();
            let due = d.and_then(|d| d.due).map(|due| date(due as f64)).unwrap_or_default();
            view! {
                <tr>
                    <td data-label=MeetMsg::ColNo.text(l)>{n + 1}</td>
                    <td data-label=MeetMsg::ColIssue.text(l) class="title-cell">{title}</td>
                    <td data-label=MeetMsg::ColGrid.text(l)>{grid}</td>
                    <td data-label=MeetMsg::ColDecision.text(l)>{decision}</td>
                    <td data-label=MeetMsg::ColWho.text(l)>{who}</td>
                    <td data-label=MeetMsg::ColDue.text(l)>{due}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="minutes-table">
            <thead><tr>{head.map(|h| view! { <th scope="col">{h.text(l)}</th> }).into_iter().collect_view()}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Last meeting's items and what became of them.
#[component]
fn FollowUpTable(s: Shown, prev: Meeting, l: Lang) -> impl IntoView {
    let issues = s.scope.issues.clone();
    let followed = follow_up(&prev, |id| issues.get(id.as_str()).map(|r| r.state.clone()), now_ms());
    let when = format!("{} · {}", date_time(prev.held_at as f64), prev.place);
    let head = [MeetMsg::ColNo, MeetMsg::ColIssue, MeetMsg::ColDecision, MeetMsg::ColNow];
    let rows = followed
        .into_iter()
        .enumerate()
        .map(|(n, f)| {
            let title = issues.get(f.issue.as_str()).map(|r| r.title.clone()).unwrap_or_else(|| f.issue.to_string());
            let decision = prev.entries.items.get(&f.issue).and_then(|i| i.decision.as_ref());
            let decision = decision
                .map_or_else(|| MeetMsg::Undecided.text(l).to_string(), |d| decision_line(d, &s.scope.names, l));
            let (now, late) = standing(&f, l);
            view! {
                <tr class:overdue=late>
                    <td data-label=MeetMsg::ColNo.text(l)>{n + 1}</td>
                    <td data-label=MeetMsg::ColIssue.text(l) class="title-cell">{title}</td>
                    <td data-label=MeetMsg::ColDecision.text(l)>{decision}</td>
                    <td data-label=MeetMsg::ColNow.text(l)>{now}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted">{when}</p>
        <table class="minutes-table">
            <thead><tr>{head.map(|h| view! { <th scope="col">{h.text(l)}</th> }).into_iter().collect_view()}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// What became of an item, and whether it is late at its unit.
fn standing(f: &FollowUp, l: Lang) -> (String, bool) {
    let text = if f.status.is_none() {
        MeetMsg::NotOnPhone
    } else if f.done {
        MeetMsg::Done
    } else if f.overdue_at_unit {
        MeetMsg::OverdueAtUnit
    } else {
        MeetMsg::InProgress
    };
    (text.text(l).to_string(), f.overdue_at_unit)
}
