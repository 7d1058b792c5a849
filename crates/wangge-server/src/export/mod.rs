//! The list exports a secretary takes to Excel: issues, households, visits, mediation
//! cases and the three lists of the caller's subtree as `.xlsx` or as UTF-8 CSV with a BOM.
//! Pure: `db/export.rs` reads the records ([`Scoped`]); the core's `export` module (shared
//! with the phone's offline CSV, so the two never drift) turns them into a [`Table`]
//! (columns, filters, enums by `label_zh()`, an issue's state derived by the core from its
//! history) and writes CSV; `xlsx.rs` writes the workbook.
//! **Every text cell passes through the core's `neutralise` (CSV) or is written as a
//! string, never a formula (XLSX)**: a title typed as `=HYPERLINK(…)` must not run in Excel.

mod xlsx;

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;
use wangge_core::export::{self as shared, Names};
use wangge_core::grid::GridTree;
use wangge_core::household::Household;
use wangge_core::issue::{derive, Issue, IssueEvent};
use wangge_core::lists::ListEntry;
use wangge_core::mediation::Case;
use wangge_core::visit::Visit;
use wangge_core::{GridId, Millis};

pub(crate) use wangge_core::export::{Filter, Kind, StatusFilter, Table};

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// What the database read for one export.
#[derive(Debug)]
pub(crate) struct Scoped {
    /// The root of the exported subtree.
    pub(crate) root: GridId,
    pub(crate) tree: GridTree,
    /// Person id → name.
    pub(crate) names: HashMap<String, String>,
    pub(crate) issues: Vec<(Issue, Vec<IssueEvent>)>,
    pub(crate) households: Vec<Household>,
    pub(crate) visits: Vec<Visit>,
    pub(crate) mediations: Vec<Case>,
    pub(crate) lists: Vec<ListEntry>,
    /// Unit id → name (the lists' units and claimants).
    pub(crate) units: HashMap<String, String>,
}

/// One row of the export log as an administrator reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ExportLogged {
    pub(crate) id: i64,
    /// Unix milliseconds.
    pub(crate) at: i64,
    /// Who exported.
    pub(crate) username: String,
    /// `issues`, `households`, `visits`, `mediations` or `lists`.
    pub(crate) kind: String,
    /// `xlsx` or `csv`.
    pub(crate) format: String,
    /// The filters as codes (`status`, `level`, `category`, `from`, `to`, `grid`).
    #[schema(value_type = Object)]
    pub(crate) filters: serde_json::Value,
    /// The grid whose subtree was exported, and its name.
    pub(crate) scope_grid: String,
    pub(crate) grid_name: Option<String>,
    /// How many rows the file held.
    pub(crate) rows: u64,
}

/// The table of `kind` from what was read, filtered; `now` decides what is overdue.
pub(crate) fn table(kind: Kind, scoped: &Scoped, filter: &Filter, now: Millis) -> Table {
    let names = Names { tree: &scoped.tree, people: &scoped.names, units: &scoped.units };
    match kind {
        Kind::Issues => {
            let states: Vec<_> = scoped.issues.iter().map(|(issue, events)| (issue, derive(events).state)).collect();
            shared::issues(states.iter().map(|(issue, state)| (*issue, state)), &names, filter, now)
        }
        Kind::Households => shared::households(&scoped.households, &names, filter),
        Kind::Visits => {
            let households: Vec<&Household> = scoped.households.iter().collect();
            shared::visits(&scoped.visits, &households, &names, filter)
        }
        Kind::Mediations => shared::mediations(&scoped.mediations, &names, filter, now),
        Kind::Lists => shared::lists(&scoped.lists, &names, filter),
    }
}

/// The file's bytes.
pub(crate) fn write(table: &Table, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Xlsx => xlsx::write(table).map_err(|e| format!("xlsx: {e}")),
        Format::Csv => Ok(shared::csv(table).into_bytes()),
    }
}
