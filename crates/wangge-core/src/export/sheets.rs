//! Issues, households and visits as tables: which columns, in which order, and what each
//! row says. An issue's status, rung, handler and dates are its derived state (the server
//! derives it from the stored history, the phone stores it derived), the overdue flag
//! comes from [`Deadlines`] — the same rules the phone's list applies.

use std::collections::HashMap;

use super::{col, Cell, Column, Filter, Names, Table};
use crate::household::{Household, HouseholdTag, MemberStatus, Relation};
use crate::issue::{Deadlines, Issue, IssueState};
use crate::sort::sort_by;
use crate::visit::Visit;
use crate::{Date, Millis};

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

/// Issues whose state passes the filter, newest report first.
pub fn issues<'a>(
    list: impl IntoIterator<Item = (&'a Issue, &'a IssueState)>,
    names: &Names<'_>,
    filter: &Filter,
    now: Millis,
) -> Table {
    let deadlines = Deadlines::default();
    let mut rows: Vec<(Millis, Vec<Cell>)> = Vec::new();
    for (issue, state) in list {
        let reported_at = state.reported_at.unwrap_or(issue.created_at);
        let keep = filter.status.is_none_or(|s| s.admits(state.status))
            && filter.level.is_none_or(|l| l == state.level)
            && filter.category.is_none_or(|c| c == issue.category)
            && (!filter.overdue || state.needs_supervision(issue, &deadlines, now))
            && filter.takes_day(Date::of_millis(reported_at))
            && filter.takes_grid(names.tree, &issue.grid);
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
            names.grid(&issue.grid),
            names.person(Some(issue.reporter.as_str())),
            Cell::time(state.reported_at),
            names.person(state.assignee.as_ref().map(|p| p.as_str())),
            Cell::time(due),
            Cell::text(overdue),
            Cell::time(state.closed_at),
            state.closed_level.map_or(Cell::Empty, |l| Cell::text(l.label_zh())),
            state.rating.as_ref().map_or(Cell::Empty, |r| Cell::Int(i64::from(r.score.score()))),
        ];
        rows.push((reported_at, row));
    }
    sort_by(&mut rows, |a, b| b.0.cmp(&a.0));
    Table { sheet: "问题清单", columns: ISSUE_COLUMNS, rows: rows.into_iter().map(|(_, r)| r).collect() }
}

fn tags(tags: impl IntoIterator<Item = HouseholdTag>) -> Cell {
    Cell::text(tags.into_iter().map(HouseholdTag::label_zh).collect::<Vec<_>>().join("、"))
}

/// Every household in the filter's grid, by grid and address. Only the head's phone: the
/// other members' numbers stay on the roster.
pub fn households<'a>(list: impl IntoIterator<Item = &'a Household>, names: &Names<'_>, filter: &Filter) -> Table {
    let mut list: Vec<&Household> = list.into_iter().filter(|h| filter.takes_grid(names.tree, &h.grid)).collect();
    sort_by(&mut list, |a, b| (a.grid.as_str(), a.address.as_str()).cmp(&(b.grid.as_str(), b.address.as_str())));
    let rows = list
        .into_iter()
        .map(|h| {
            let head = h.members.iter().map(|(_, m)| m).find(|m| m.relation == Relation::Head);
            let present = h.members.iter().filter(|(_, m)| m.status == MemberStatus::Present).count();
            vec![
                Cell::text(h.address.as_str()),
                names.grid(&h.grid),
                tags(h.tags.iter().copied()),
                Cell::text(h.status.label_zh()),
                head.map_or(Cell::Empty, |m| Cell::text(m.name.as_str())),
                head.and_then(|m| m.phone.as_ref()).map_or(Cell::Empty, |p| Cell::text(p.as_str())),
                Cell::Int(present as i64),
            ]
        })
        .collect();
    Table { sheet: "住户台账", columns: HOUSEHOLD_COLUMNS, rows }
}

/// Visits in the filter's date range (and grid, by their household's), newest first.
/// `households` are those the visits may refer to.
pub fn visits<'a>(
    list: impl IntoIterator<Item = &'a Visit>,
    households: &[&Household],
    names: &Names<'_>,
    filter: &Filter,
) -> Table {
    let by_id: HashMap<&str, &Household> = households.iter().map(|h| (h.id.as_str(), *h)).collect();
    let mut list: Vec<(&Visit, Option<&Household>)> = list
        .into_iter()
        .map(|v| (v, by_id.get(v.household.as_str()).copied()))
        .filter(|(v, h)| {
            filter.takes_day(v.date)
                && (filter.grid.is_none() || h.is_some_and(|h| filter.takes_grid(names.tree, &h.grid)))
        })
        .collect();
    sort_by(&mut list, |a, b| b.0.date.cmp(&a.0.date).then_with(|| a.0.id.as_str().cmp(b.0.id.as_str())));
    let rows = list
        .into_iter()
        .map(|(v, household)| {
            vec![
                Cell::Day(v.date),
                household.map_or(Cell::Empty, |h| Cell::text(h.address.as_str())),
                household.map_or(Cell::Empty, |h| names.grid(&h.grid)),
                names.person(Some(v.worker.as_str())),
                Cell::text(v.notes.as_str()),
                Cell::Int(v.issues.len() as i64),
            ]
        })
        .collect();
    Table { sheet: "走访记录", columns: VISIT_COLUMNS, rows }
}
