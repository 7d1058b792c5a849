//! The assessment as a sheet (`export::Table`), for the phone's offline CSV and any
//! server export: a row per grid (人员 "全网格"), its people's rows under it, and the
//! total last when there are several grids; every share as two columns of raw counts, never a percentage or a score.

use super::{Assessment, Figures, Share};
use crate::export::{col, Cell, Column, Names, Table};

const COLUMNS: &[Column] = &[
    col("网格", 14.0),
    col("人员", 10.0),
    col("应走访", 8.0),
    col("按时走访", 8.0),
    col("本月上报", 8.0),
    col("走访后一日内上报", 10.0),
    col("本月办结", 8.0),
    col("网格社区内办结", 10.0),
    col("在办", 6.0),
    col("逾期", 6.0),
    col("评价5分", 6.0),
    col("评价4分", 6.0),
    col("评价3分", 6.0),
    col("评价2分", 6.0),
    col("评价1分", 6.0),
    col("任务结果", 8.0),
    col("已排查到", 8.0),
    col("按期排查到", 8.0),
    col("到期任务", 8.0),
    col("按期完成", 8.0),
];

/// What the 人员 column says on a grid's own row and on the total.
pub const WHOLE_GRID: &str = "全网格";
pub const TOTAL: &str = "合计";

/// The sheet of `a`, names read through `names`.
pub fn table(a: &Assessment, names: &Names<'_>) -> Table {
    let mut rows = Vec::new();
    for g in &a.grids {
        rows.push(row(names.grid(&g.grid), Cell::text(WHOLE_GRID), &g.figures, true));
        for w in &g.workers {
            rows.push(row(names.grid(&g.grid), names.person(Some(w.person.as_str())), &w.figures, false));
        }
    }
    // One grid's total is its own row again.
    if a.grids.len() > 1 {
        rows.push(row(Cell::text(TOTAL), Cell::Empty, &a.total, true));
    }
    Table { sheet: "考核", columns: COLUMNS, rows }
}

fn row(grid: Cell, who: Cell, f: &Figures, whole: bool) -> Vec<Cell> {
    let int = |n: u32| Cell::Int(i64::from(n));
    let pair = |s: Share| [int(s.of), int(s.count)];
    let mut cells = vec![grid, who];
    cells.extend(pair(f.visits));
    cells.extend(pair(f.reported));
    cells.extend(pair(f.closed_low));
    cells.extend(pair(f.overdue));
    cells.extend(f.ratings.iter().rev().map(|n| int(*n)));
    cells.extend([int(f.task_reached.of), int(f.task_reached.count), int(f.task_on_time.count)]);
    // A person's row has no task records of its own: they are the grid's.
    if whole {
        cells.extend(pair(f.task_records));
    } else {
        cells.extend([Cell::Empty, Cell::Empty]);
    }
    cells
}
