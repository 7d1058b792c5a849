//! The list exports a secretary takes to Excel: issues, households, visits, mediation
//! cases and the three lists (`casework.rs`) of the caller's subtree as `.xlsx` or as UTF-8 CSV with a BOM. Pure: `db/export.rs` reads
//! the records ([`Scoped`]), `sheets.rs` turns them into a [`Table`] (filtered, enums by
//! the core's `label_zh()`, an issue's state derived by the core from its history),
//! `xlsx.rs` and `csv.rs` write the table.
//! **Every text cell passes through `cells::neutralise` (CSV) or is written as a string,
//! never a formula (XLSX)**: a title typed as `=HYPERLINK(…)` must not run in Excel.

mod casework;
mod cells;
mod csv;
mod sheets;
mod xlsx;

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;
use wangge_core::grid::{EscalationLevel, GridTree};
use wangge_core::household::Household;
use wangge_core::issue::{Category, Issue, IssueEvent, Status};
use wangge_core::lists::ListEntry;
use wangge_core::mediation::Case;
use wangge_core::visit::Visit;
use wangge_core::{Date, GridId, Millis};

pub(crate) use cells::Table;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Issues,
    Households,
    Visits,
    Mediations,
    Lists,
}

impl Kind {
    pub(crate) fn from_code(code: &str) -> Option<Kind> {
        match code {
            "issues" => Some(Kind::Issues),
            "households" => Some(Kind::Households),
            "visits" => Some(Kind::Visits),
            "mediations" => Some(Kind::Mediations),
            "lists" => Some(Kind::Lists),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Issues => "issues",
            Kind::Households => "households",
            Kind::Visits => "visits",
            Kind::Mediations => "mediations",
            Kind::Lists => "lists",
        }
    }

    /// The query parameters this list accepts besides `format`.
    pub(crate) fn filters(self) -> &'static [&'static str] {
        match self {
            Kind::Issues => &["format", "status", "level", "category", "overdue", "from", "to", "grid"],
            Kind::Households => &["format", "grid"],
            Kind::Visits | Kind::Mediations => &["format", "from", "to", "grid"],
            Kind::Lists => &["format", "grid"],
        }
    }

    /// The file's name (ASCII) and its Chinese name, without the extension.
    pub(crate) fn file_names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Issues => ("issues", "问题清单"),
            Kind::Households => ("households", "住户台账"),
            Kind::Visits => ("visits", "走访记录"),
            Kind::Mediations => ("mediations", "调解案件"),
            Kind::Lists => ("lists", "三张清单"),
        }
    }
}

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

/// The status filter as on the phone's issue list: `open` (未结案: reported and not yet
/// closed or withdrawn) or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusFilter {
    Open,
    Is(Status),
}

impl StatusFilter {
    pub(crate) fn from_code(code: &str) -> Option<StatusFilter> {
        match code {
            "open" => Some(StatusFilter::Open),
            c => Status::from_code(c).map(StatusFilter::Is),
        }
    }

    pub(crate) fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::Open => status.is_open(),
            StatusFilter::Is(s) => s == status,
        }
    }
}

impl Serialize for StatusFilter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            StatusFilter::Open => "open",
            StatusFilter::Is(status) => status.code(),
        })
    }
}

/// The filters of the issue list (each list takes those of `Kind::filters`). `grid` is
/// applied by the database read (the export's root); the rest here.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Filter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<StatusFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) level: Option<EscalationLevel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) category: Option<Category>,
    /// Only issues flagged for supervision (督办: overdue, or a supervision order stands).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) to: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) grid: Option<GridId>,
}

impl Filter {
    /// Inclusive day range, in China Standard Time.
    pub(crate) fn takes_day(&self, day: Date) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    /// As the export log keeps it: codes and ids only.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
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
    match kind {
        Kind::Issues => sheets::issues(scoped, filter, now),
        Kind::Households => sheets::households(scoped),
        Kind::Visits => sheets::visits(scoped, filter),
        Kind::Mediations => casework::mediations(scoped, filter, now),
        Kind::Lists => casework::lists(scoped),
    }
}

/// The file's bytes.
pub(crate) fn write(table: &Table, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Xlsx => xlsx::write(table).map_err(|e| format!("xlsx: {e}")),
        Format::Csv => csv::write(table).map_err(|e| format!("csv: {e}")),
    }
}
