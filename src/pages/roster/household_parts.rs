//! The sections of a household's screen: members with tap-to-call phones, the visit
//! rhythm, the visit history and the household's issues.

use std::collections::HashMap;

use leptos::prelude::*;
use wangge_core::household::{Household, Member, MemberStatus};
use wangge_core::issue::Status;
use wangge_core::visit::{Visit, VisitSchedule};
use wangge_core::{Date, MemberId};

use super::people::CallLink;
use crate::components::photo_strip::PhotoStrip;
use crate::components::roster_link::AppLink;
use crate::format::{date, now_ms};
use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::visits::VisitMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::IssueRow;

#[component]
pub fn Members(members: Vec<(MemberId, Member)>, on_edit: Callback<MemberId>) -> impl IntoView {
    // Those who moved out or died stay listed (history), marked, after those living here.
    let lang = use_lang();
    let today = Date::of_millis(now_ms());
    view! {
        <section class="card" aria-labelledby="members-title">
            <h3 id="members-title">{tr(RosterMsg::Members)}</h3>
            <ul class="list">
                {members.into_iter().map(|(id, m)| {
                    let (relation, gender, status) = (m.relation, m.gender, m.status);
                    let age = m.birth_year.age_in(today);
                    view! {
                        <li class="member" class:departed=status != MemberStatus::Present>
                            <span class="person-name">{m.name.to_string()}</span>
                            <span class="muted">{move || {
                                let l = lang.get();
                                let mut line = format!("{} · {} · {age}{}", label(l, relation.label_zh(), relation.label_en()),
                                    label(l, gender.label_zh(), gender.label_en()), RosterMsg::Age.text(l));
                                if status != MemberStatus::Present {
                                    line = format!("{line} · {}", label(l, status.label_zh(), status.label_en()));
                                }
                                line
                            }}</span>
                            <CallLink name=m.name.to_string() phone=m.phone.clone()/>
                            <button type="button" class="button small secondary" aria-label={ let n = m.name.to_string(); move || format!("{} {n}", RosterMsg::EditMember.text(lang.get())) }
                                on:click=move |_| on_edit.run(id.clone())>{tr(RosterMsg::EditMember)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// "Every 7 days · overdue by 3 days": how the household stands on the visit schedule.
#[component]
pub fn NextVisit(household: Household, last: Option<Date>) -> impl IntoView {
    let lang = use_lang();
    let every = VisitSchedule::default().interval_for(&household);
    let today = Date::of_millis(now_ms());
    move || {
        let l = lang.get();
        let Some(every) = every else {
            return view! { <p class="muted">{RosterMsg::NotScheduled.text(l)}</p> }.into_any();
        };
        let rhythm = format!("{} {every} {}", RosterMsg::EveryDaysBefore.text(l), RosterMsg::EveryDaysAfter.text(l));
        let (state, late) = due_text(last, every, today, l);
        view! { <p class="next-visit" class:late=late><span>{rhythm}</span> " · " <span>{state}</span></p> }.into_any()
    }
}

/// Where a household stands: never visited, due today, overdue by n days, or next due on.
pub(crate) fn due_text(last: Option<Date>, every: u32, today: Date, l: Lang) -> (String, bool) {
    let Some(last) = last else {
        return (VisitMsg::NeverVisited.text(l).into(), true);
    };
    let due = last.add_days(i64::from(every));
    let late = due.days_until(today);
    if late > 0 {
        let text = format!("{} {late} {}", VisitMsg::OverdueBefore.text(l), VisitMsg::DaysUnit.text(l));
        (text, true)
    } else if late == 0 {
        (VisitMsg::DueToday.text(l).into(), true)
    } else {
        (format!("{} {due}", RosterMsg::NextVisit.text(l)), false)
    }
}

#[component]
pub fn VisitHistory(visits: Vec<Visit>, names: HashMap<String, String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="visits-title">
            <h3 id="visits-title">{tr(RosterMsg::VisitHistory)} <span class="muted">" · " {visits.len()}</span></h3>
            {visits.is_empty().then(|| view! { <p class="empty">{tr(RosterMsg::NoVisits)}</p> })}
            <ol class="list timeline">
                {visits.into_iter().map(|v| {
                    let who = names.get(v.worker.as_str()).cloned().unwrap_or_else(|| v.worker.to_string());
                    let notes = v.notes.to_string();
                    view! {
                        <li class="visit">
                            <p class="visit-head"><strong>{v.date.to_string()}</strong>
                                <span class="muted">" · " {tr(RosterMsg::Visitor)} " " {who}</span></p>
                            <p class="visit-notes">{if notes.is_empty() { "—".to_string() } else { notes }}</p>
                            <PhotoStrip photos=v.photos/>
                            {v.issues.into_iter().map(|i| {
                                let href = format!("/issues/{i}");
                                view! { <AppLink href class="small-link">{tr(RosterMsg::RaisedIssues)} " →"</AppLink> }
                            }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn IssueList(issues: Vec<IssueRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="issues-title">
            <h3 id="issues-title">{tr(RosterMsg::IssuesTitle)} <span class="muted">" · " {issues.len()}</span></h3>
            {issues.is_empty().then(|| view! { <p class="empty">{tr(RosterMsg::NoIssues)}</p> })}
            <ul class="list">
                {issues.into_iter().map(|row| {
                    let status = Status::from_code(&row.status).unwrap_or(Status::Reported);
                    let level = row.state.level;
                    let created = date(row.issue.created_at as f64);
                    view! {
                        <li>
                            <AppLink href=format!("/issues/{}", row.id) class="issue-item">
                                <span class="issue-title">{row.title.clone()}</span>
                                <span class="muted">{move || {
                                    let l = lang.get();
                                    format!("{} · {} · {created}", label(l, status.label_zh(), status.label_en()),
                                        label(l, level.label_zh(), level.label_en()))
                                }}</span>
                            </AppLink>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
