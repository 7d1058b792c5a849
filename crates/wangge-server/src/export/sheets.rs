//! The three lists as tables: which columns, in which order, and what each row says.
//! Enums read as the core labels them (`label_zh()`); an issue's status, rung, handler
//! and dates come from the core's `derive` over its stored history, and the overdue flag
//! from the core's `Deadlines` — the same rules the phone's list applies.

use std::collections::HashMap;

use wangge_core::household::{Household, HouseholdTag, MemberStatus, Relation};
use wangge_core::issue::{derive, Deadlines};
use wangge_core::{Date, GridId, Millis};

use super::cells::{Cell, Column, Table};
use super::{Filter, Scoped};

pub(super) const fn col(header: &'static str, width: f64) -> Column {
    Column { header, width }
}

const ISSUE_COLUMNS: &[Column] = &[
    col("编号", 28.0),
    col("标题", 30.0),
    col("类别", 12.0),
    col("来源", 12.0),
    col("状态", 14.0),
    col("当前层级", 10.0),
    col("所在网格", 16.0),
    col("上报人", 10.0),
    col("上报时间", 17.0),
    col("处置人", 10.0),
    col("截止时间", 17.0),
    col("是否逾期", 9.0),
    col("结案时间", 17.0),
    col("结案层级", 10.0),
    col("满意度", 8.0),
];

const HOUSEHOLD_COLUMNS: &[Column] = &[
    col("地址", 32.0),
    col("所在网格", 16.0),
    col("关怀标签", 24.0),
    col("状态", 8.0),
    col("户主", 10.0),
    col("户主电话", 15.0),
    col("在住人数", 9.0),
];

const VISIT_COLUMNS: &[Column] = &[
    col("走访日期", 12.0),
    col("住户地址", 32.0),
    col("所在网格", 16.0),
    col("走访人", 10.0),
    col("走访记录", 50.0),
    col("提出问题数", 10.0),
];

pub(super) fn grid_name(scoped: &Scoped, id: &GridId) -> Cell {
    Cell::text(scoped.tree.get(id).map_or(id.as_str(), |g| g.name.as_str()))
}

pub(super) fn person(scoped: &Scoped, id: Option<&str>) -> Cell {
    match id {
        Some(id) => Cell::text(scoped.names.get(id).map_or(id, String::as_str)),
        None => Cell::Empty,
    }
}

/// Issues whose derived state passes the filter, newest report first.
pub(super) fn issues(scoped: &Scoped, filter: &Filter, now: Millis) -> Table {
    let deadlines = Deadlines::default();
    let mut rows: Vec<(Millis, Vec<Cell>)> = Vec::new();
    for (issue, events) in &scoped.issues {
        let state = derive(events).state;
        let reported_at = state.reported_at.unwrap_or(issue.created_at);
        let keep = filter.status.is_none_or(|s| s.admits(state.status))
            && filter.level.is_none_or(|l| l == state.level)
            && filter.category.is_none_or(|c| c == issue.category)
            && (!filter.overdue || state.needs_supervision(issue, &deadlines, now))
            && filter.takes_day(Date::of_millis(reported_at));
        if !keep {
            continue;
        }
        let due = state.due_at(issue, &deadlines);
        let overdue = match due {
            Some(due) if now > due => "是",
            Some(_) => "否",
            None => "",
        };
        let row = vec![
            Cell::text(issue.id.as_str()),
            Cell::text(issue.title.as_str()),
            Cell::text(issue.category.label_zh()),
            Cell::text(issue.source.label_zh()),
            Cell::text(state.status.label_zh()),
            Cell::text(state.level.label_zh()),
            grid_name(scoped, &issue.grid),
            person(scoped, Some(issue.reporter.as_str())),
            Cell::time(state.reported_at),
            person(scoped, state.assignee.as_ref().map(|p| p.as_str())),
            Cell::time(due),
            Cell::text(overdue),
            Cell::time(state.closed_at),
            state.closed_level.map_or(Cell::Empty, |l| Cell::text(l.label_zh())),
            state.rating.as_ref().map_or(Cell::Empty, |r| Cell::Number(f64::from(r.score.score()))),
        ];
        rows.push((reported_at, row));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    Table { sheet: "问题清单", columns: ISSUE_COLUMNS, rows: rows.into_iter().map(|(_, r)| r).collect() }
}

fn tags(tags: impl IntoIterator<Item = HouseholdTag>) -> Cell {
    Cell::text(tags.into_iter().map(HouseholdTag::label_zh).collect::<Vec<_>>().join("、"))
}

/// Every household, by grid and address. Only the head's phone: the other members'
/// numbers stay on the roster.
pub(super) fn households(scoped: &Scoped) -> Table {
    let mut list: Vec<_> = scoped.households.iter().collect();
    list.sort_by(|a, b| (a.grid.as_str(), a.address.as_str()).cmp(&(b.grid.as_str(), b.address.as_str())));
    let rows = list
        .into_iter()
        .map(|h| {
            let head = h.members.iter().map(|(_, m)| m).find(|m| m.relation == Relation::Head);
            let present = h.members.iter().filter(|(_, m)| m.status == MemberStatus::Present).count();
            vec![
                Cell::text(h.address.as_str()),
                grid_name(scoped, &h.grid),
                tags(h.tags.iter().copied()),
                Cell::text(h.status.label_zh()),
                head.map_or(Cell::Empty, |m| Cell::text(m.name.as_str())),
                head.and_then(|m| m.phone.as_ref()).map_or(Cell::Empty, |p| Cell::text(p.as_str())),
                Cell::Number(present as f64),
            ]
        })
        .collect();
    Table { sheet: "住户台账", columns: HOUSEHOLD_COLUMNS, rows }
}

/// Visits in the filter's date range, newest first.
pub(super) fn visits(scoped: &Scoped, filter: &Filter) -> Table {
    let mut list: Vec<_> = scoped.visits.iter().filter(|v| filter.takes_day(v.date)).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.as_str().cmp(b.id.as_str())));
    let by_id: HashMap<&str, &Household> = scoped.households.iter().map(|h| (h.id.as_str(), h)).collect();
    let rows = list
        .into_iter()
        .map(|v| {
            let household = by_id.get(v.household.as_str()).copied();
            vec![
                Cell::Day(v.date),
                household.map_or(Cell::Empty, |h| Cell::text(h.address.as_str())),
                household.map_or(Cell::Empty, |h| grid_name(scoped, &h.grid)),
                person(scoped, Some(v.worker.as_str())),
                Cell::text(v.notes.as_str()),
                Cell::Number(v.issues.len() as f64),
            ]
        })
        .collect();
    Table { sheet: "走访记录", columns: VISIT_COLUMNS, rows }
}
