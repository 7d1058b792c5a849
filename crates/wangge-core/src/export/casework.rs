//! The mediation cases and the three lists as tables (`sheets.rs` holds the other three).
//! A case's stage, total, and overdue terms come from [`Case::stage`], `total_fen` and
//! [`term_status`] with `now` passed in, a need's status from `ListEntry::need_status`:
//! the same rules the phone shows.
//! Parties' phones are personal data, exported as the household list exports its heads'
//! phones (to whoever may export the case's grid); the parties' ID tails never leave.

use std::collections::HashMap;

use super::{col, Cell, Column, Filter, Names, Table};
use crate::lists::{ListEntry, ListKind};
use crate::mediation::{term_status, Case, PartySide, TermStatus};
use crate::sort::sort_by;
use crate::{Date, Millis};

const CASE_COLUMNS: &[Column] = &[
    col("编号", 22.0),
    col("纠纷简述", 30.0),
    col("纠纷类型", 10.0),
    col("调解地", 14.0),
    col("受理日期", 12.0),
    col("状态", 10.0),
    col("调解员", 16.0),
    col("申请人", 20.0),
    col("被申请人", 20.0),
    col("当事人电话", 30.0),
    col("调解次数", 9.0),
    col("协议条款数", 10.0),
    col("协议金额(元)", 13.0),
    col("逾期条款数", 10.0),
    col("调解结果", 10.0),
    col("结案日期", 12.0),
    col("后续途径", 12.0),
];

const LIST_COLUMNS: &[Column] = &[
    col("清单", 8.0),
    col("名称", 28.0),
    col("所属网格", 14.0),
    col("单位/联系人", 20.0),
    col("登记日期", 12.0),
    col("需求状态", 10.0),
    col("匹配资源/项目", 24.0),
    col("认领人", 16.0),
    col("办结日期", 12.0),
    col("项目进度", 10.0),
    col("预算(元)", 11.0),
];

fn day(at: Option<Millis>) -> Cell {
    at.map_or(Cell::Empty, |at| Cell::Day(Date::of_millis(at)))
}

fn joined(items: impl IntoIterator<Item = String>) -> Cell {
    Cell::text(items.into_iter().collect::<Vec<_>>().join("、"))
}

/// Cases accepted within the filter's days (and grid), newest first.
pub fn mediations<'a>(
    list: impl IntoIterator<Item = &'a Case>,
    names: &Names<'_>,
    filter: &Filter,
    now: Millis,
) -> Table {
    let mut list: Vec<&Case> = list
        .into_iter()
        .filter(|c| filter.takes_day(Date::of_millis(c.accepted_at)) && filter.takes_grid(names.tree, &c.grid))
        .collect();
    sort_by(&mut list, |a, b| b.accepted_at.cmp(&a.accepted_at).then_with(|| a.id.cmp(&b.id)));
    let rows = list
        .into_iter()
        .map(|c| {
            let names_of = |side: PartySide| {
                joined(c.entries.parties.values().filter(|p| p.side == side).map(|p| p.name.to_string()))
            };
            let phones = c.entries.parties.values().filter_map(|p| Some(format!("{} {}", p.name, p.phone.as_ref()?)));
            let mediators = c.mediators.iter().map(|m| match names.person(Some(m.as_str())) {
                Cell::Text(name) => name,
                _ => m.to_string(),
            });
            let terms = c.terms_in_order();
            let agreed = c.agreed_at().is_some();
            let overdue = terms.iter().filter(|(_, t)| term_status(t, agreed, now) == TermStatus::Overdue).count();
            let outcome = c.outcome.as_ref();
            vec![
                Cell::text(c.id.as_str()),
                Cell::text(c.title.as_str()),
                Cell::text(c.dispute.label_zh()),
                names.grid(&c.grid),
                day(Some(c.accepted_at)),
                Cell::text(c.stage().label_zh()),
                joined(mediators),
                names_of(PartySide::Applicant),
                names_of(PartySide::Respondent),
                joined(phones),
                Cell::Int(c.entries.sessions.len() as i64),
                Cell::Int(terms.len() as i64),
                Cell::Fen(c.total_fen() as i64),
                Cell::Int(overdue as i64),
                outcome.map_or(Cell::Empty, |o| Cell::text(o.kind.label_zh())),
                day(outcome.map(|o| o.at)),
                outcome.and_then(|o| o.next).map_or(Cell::Empty, |n| Cell::text(n.label_zh())),
            ]
        })
        .collect();
    Table { sheet: "调解案件", columns: CASE_COLUMNS, rows }
}

/// Resources, then projects, then needs, each oldest first (within the filter's grid).
pub fn lists(entries: &[ListEntry], names: &Names<'_>, filter: &Filter) -> Table {
    let mut list: Vec<&ListEntry> = entries.iter().filter(|e| filter.takes_grid(names.tree, &e.grid)).collect();
    let order = |k: ListKind| ListKind::ALL.iter().position(|x| *x == k).unwrap_or(usize::MAX);
    sort_by(&mut list, |a, b| (order(a.kind), a.recorded_at, &a.id).cmp(&(order(b.kind), b.recorded_at, &b.id)));
    let titles: HashMap<&str, &str> = entries.iter().map(|e| (e.id.as_str(), e.title.as_str())).collect();
    let unit = |id: Option<&crate::UnitId>| id.map(|u| names.unit(u.as_str()));
    let rows = list
        .into_iter()
        .map(|e| {
            let offered = unit(e.unit.as_ref()).or_else(|| e.contact.as_ref().map(|c| c.to_string()));
            // A match outside the caller's part of the grid shows by id, never by content.
            let matched = e.matched_to.as_ref().map(|m| titles.get(m.as_str()).copied().unwrap_or(m.as_str()));
            let claimed = match (e.claimed_by.as_ref(), unit(e.claimed_unit.as_ref())) {
                (Some(p), _) => names.person(Some(p.as_str())),
                (None, Some(u)) => Cell::text(u),
                (None, None) => Cell::Empty,
            };
            vec![
                Cell::text(e.kind.label_zh()),
                Cell::text(e.title.as_str()),
                names.grid(&e.grid),
                Cell::text(offered.unwrap_or_default()),
                day(Some(e.recorded_at)),
                e.need_status().map_or(Cell::Empty, |s| Cell::text(s.label_zh())),
                Cell::text(matched.unwrap_or_default()),
                claimed,
                day(e.fulfilled_at),
                e.status.map_or(Cell::Empty, |s| Cell::text(s.label_zh())),
                e.budget_yuan.map_or(Cell::Empty, |b| Cell::Int(b as i64)),
            ]
        })
        .collect();
    Table { sheet: "三张清单", columns: LIST_COLUMNS, rows }
}
