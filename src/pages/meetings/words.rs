//! How the meeting screens word things: a kind, a decision with whom it went to, a
//! meeting's title on the minutes. Labels are the core's (`label_zh` / `label_en`).

use std::collections::HashMap;

use wangge_core::meeting::{Decision, Meeting, MeetingKind, Outcome};

use crate::format::date;
use crate::i18n::meetings::MeetMsg;
use crate::i18n::{Lang, Text};
use crate::pages::issues::common::core_label;

/// Names of people and units on the phone, by id (an id the phone lacks shows as itself).
#[derive(Clone, Default, PartialEq)]
pub struct Names {
    pub people: HashMap<String, String>,
    pub units: HashMap<String, String>,
}

impl Names {
    pub fn person(&self, id: &str) -> String {
        self.people.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    pub fn unit(&self, id: &str) -> String {
        self.units.get(id).cloned().unwrap_or_else(|| id.to_string())
    }
}

pub fn kind_label(kind: MeetingKind, l: Lang) -> &'static str {
    core_label!(kind, l)
}

pub fn outcome_label(outcome: Outcome, l: Lang) -> &'static str {
    core_label!(outcome, l)
}

/// Who takes the item on: the member or the unit a decision names.
pub fn taken_by(d: &Decision, names: &Names) -> String {
    match (&d.person, &d.unit) {
        (Some(p), _) => names.person(p.as_str()),
        (None, Some(u)) => names.unit(u.as_str()),
        (None, None) => String::new(),
    }
}

/// "交单位/部门办理 · 区城管局 · 2026-11-30 · 说明" — a decision on one line.
pub fn decision_line(d: &Decision, names: &Names, l: Lang) -> String {
    let mut parts = vec![outcome_label(d.outcome, l).to_string()];
    let who = taken_by(d, names);
    if !who.is_empty() {
        parts.push(who);
    }
    if let Some(due) = d.due {
        parts.push(format!("{} {}", MeetMsg::Due.text(l), date(due as f64)));
    }
    if let Some(note) = &d.note {
        parts.push(note.to_string());
    }
    parts.join(" · ")
}

/// "齐驰社区 · 2026年11月 党建联席会议纪要".
pub fn minutes_title(m: &Meeting, community: &str, l: Lang) -> String {
    let d = js_sys::Date::new(&(m.held_at as f64).into());
    let (year, month) = (d.get_full_year(), d.get_month() + 1);
    match (l, m.kind) {
        (Lang::Zh, MeetingKind::JointMeeting) => format!("{community} · {year}年{month}月 党建联席会议纪要"),
        (Lang::Zh, MeetingKind::OnSiteOffice) => format!("{community} · {year}年{month}月 现场办公纪要"),
        (Lang::En, kind) => format!("{community} · {kind} minutes, {year}-{month:02}", kind = kind.label_en()),
    }
}
