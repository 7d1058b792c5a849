//! The list exports a secretary takes to Excel — issues, households, visits, mediation
//! cases and the three lists — as one definition shared by the server (`.xlsx` and CSV
//! of the caller's subtree) and the phone (CSV of what it holds, offline), so the two
//! files can never disagree on a column, a label or a rule.
//!
//! Pure: callers pass in the records, the names to show for ids ([`Names`]) and `now`;
//! `sheets.rs` and `casework.rs` turn them into a [`Table`] (filtered, enums by their
//! `label_zh()`, an issue's state as the core derives it), [`csv`] writes one as text.
//! **Every text cell passes through [`neutralise`] in CSV** (the server's XLSX writer
//! stores text as strings, never formulas): a title typed as `=HYPERLINK(…)` must not run
//! in Excel (OWASP "CSV injection").

mod casework;
mod filter;
mod sheets;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::grid::GridTree;
use crate::{Date, GridId, Millis};

pub use casework::{lists, mediations};
pub use filter::{Filter, Kind, StatusFilter};
pub use sheets::{households, issues, visits};

/// One cell: text, an instant (shown in China Standard Time), a calendar day, a whole
/// number, an amount of money in fen (shown in yuan), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Time(Millis),
    Day(Date),
    Int(i64),
    Fen(i64),
    Empty,
}

impl Cell {
    /// Text, or an empty cell for an empty string.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub fn time(at: Option<Millis>) -> Cell {
        at.map_or(Cell::Empty, Cell::Time)
    }

    /// The cell as CSV writes it (before quoting): text neutralised, instants as
    /// `YYYY-MM-DD HH:MM` in China Standard Time, money as yuan.
    pub fn csv_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Time(at) => Cow::Owned(time_text(*at)),
            Cell::Day(d) => Cow::Owned(d.to_string()),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Fen(fen) => Cow::Owned(yuan_text(*fen)),
            Cell::Empty => Cow::Borrowed(""),
        }
    }
}

/// A column: its Chinese header and its width in Excel's character units.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

pub(crate) const fn col(header: &'static str, width: f64) -> Column {
    Column { header, width }
}

/// A sheet: its name, columns and rows (each row one cell per column).
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: &'static str,
    pub columns: &'static [Column],
    pub rows: Vec<Vec<Cell>>,
}

/// What an id is shown as: grid names from the tree, person id → name, unit id → name.
/// An id without a name shows as itself.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    pub tree: &'a GridTree,
    pub people: &'a HashMap<String, String>,
    pub units: &'a HashMap<String, String>,
}

impl Names<'_> {
    pub(crate) fn grid(&self, id: &GridId) -> Cell {
        Cell::text(self.tree.get(id).map_or(id.as_str(), |g| g.name.as_str()))
    }

    pub(crate) fn person(&self, id: Option<&str>) -> Cell {
        match id {
            Some(id) => Cell::text(self.people.get(id).map_or(id, String::as_str)),
            None => Cell::Empty,
        }
    }

    pub(crate) fn unit(&self, id: &str) -> String {
        self.units.get(id).map_or(id, String::as_str).to_string()
    }
}

/// The characters that make a spreadsheet read a cell as a formula (`=`, `+`, `-`, `@`)
/// or that can start one after a field separator some programs split on (tab, CR).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as it may go into a CSV cell: a leading `'` when it starts with a formula
/// character, so Excel and LibreOffice show it as text and never evaluate it.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `YYYY-MM-DD HH:MM` in China Standard Time (CSV's rendering of an instant).
pub fn time_text(at: Millis) -> String {
    let day = Date::of_millis(at);
    let minutes = (at - day.start_millis()) / 60_000;
    format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// Fen as yuan: `1560` for whole yuan, `12.50` otherwise (integers only: no float
/// formatting in the phone's wasm).
fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let (yuan, rest) = (fen.unsigned_abs() / 100, fen.unsigned_abs() % 100);
    if rest == 0 {
        format!("{sign}{yuan}")
    } else {
        format!("{sign}{yuan}.{rest:02}")
    }
}

/// The byte-order mark that makes Excel on Windows read the file as UTF-8.
pub const BOM: char = '\u{FEFF}';

/// A table as CSV text (RFC 4180, CRLF lines): the BOM, the Chinese header row, then one
/// line per row. A field holding a comma, a quote or a line break is quoted.
pub fn csv(table: &Table) -> String {
    let mut out = String::with_capacity(64 * (table.rows.len() + 1));
    out.push(BOM);
    let headers = table.columns.iter().map(|c| Cow::Borrowed(c.header));
    line(&mut out, headers);
    for row in &table.rows {
        line(&mut out, row.iter().map(Cell::csv_text));
    }
    out
}

fn line<'a>(out: &mut String, fields: impl Iterator<Item = Cow<'a, str>>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}
