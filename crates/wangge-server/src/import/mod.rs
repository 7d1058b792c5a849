//! Bulk import of the ledgers (台账) communities keep in Excel: a file of households, one
//! row per person, read on the server only (none of this reaches the phone's wasm).
//!
//! The steps, each its own file: `sheet.rs` reads the bytes (`.xlsx` through calamine,
//! CSV in UTF-8 or GBK) into text rows numbered as the spreadsheet numbers them;
//! `columns.rs` finds each field's column by its Chinese header or the administrator's
//! mapping; `households.rs` parses every row with the core's own parse functions (the
//! cells that need more than one, in `cells.rs`) and groups the rows into households,
//! refusing what cannot be imported with a reason in Chinese; `matching.rs` compares
//! them with the stored households and plans the writes; `db/import.rs` reads what is
//! stored and writes the plan (a dry run only counts it). `template.rs` writes the
//! downloadable template, `id_hash.rs` the keyed hash that is all the server keeps of an
//! ID-card number.
//!
//! The people list (`kind=people`: 楼栋长, 红色管家, 志愿者 … who do not log in) shares the
//! reading, the column mapping, the grid cell and the report; `people.rs` parses and
//! matches its rows (its own decisions are there).
//!
//! **Decisions** (ARCHITECTURE.md repeats them):
//! - A household is matched on (grid, normalised address); a member within it on the
//!   keyed hash of the ID-card number when the row has one, else on (name, birth year).
//! - Re-importing the same file writes nothing. A changed cell writes only that member's
//!   field (or the household's tags) at a new version.
//! - **An import never removes or blanks anything**: members missing from the file stay
//!   as they are (a ledger is often partial), an empty optional cell keeps the stored
//!   value, tags are added to those stored, never taken away.
//! - A household's tags are those written on any of its rows.
//! - Statuses (a member moved out or deceased, a household merged) are kept as stored:
//!   they are recorded in the app, where they happen, not in a ledger.

mod cells;
pub(crate) mod columns;
pub(crate) mod households;
pub(crate) mod id_hash;
pub(crate) mod matching;
pub(crate) mod people;
pub(crate) mod sheet;
pub(crate) mod template;

use serde::Serialize;
use utoipa::ToSchema;

pub(crate) use columns::FieldInfo;

/// A row that will not be (or was not) imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub(crate) struct RefusedRow {
    /// The spreadsheet's own row number (the header is row 1).
    pub(crate) row: u32,
    /// The file's header of the offending column, when one column is to blame.
    pub(crate) column: Option<String>,
    /// What is wrong and what to do, in Chinese.
    pub(crate) reason: String,
}

/// The answer to a dry run and to a confirmed import (the same numbers: a confirm
/// re-reads the file and writes exactly what its dry run showed, unless the stored data
/// changed in between).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ImportReport {
    /// True when this answer's rows were written.
    pub(crate) confirmed: bool,
    /// Data rows read (blank rows not counted).
    pub(crate) rows: u32,
    /// Rows that add a person (in a new household or an existing one).
    pub(crate) added: u32,
    /// Rows whose person (or whose household's tags) changed.
    pub(crate) updated: u32,
    /// Rows already stored exactly so: nothing written.
    pub(crate) unchanged: u32,
    pub(crate) refused: Vec<RefusedRow>,
    /// The file's header row as read.
    pub(crate) headers: Vec<String>,
    /// Headers that no field takes (ignored).
    pub(crate) unmapped: Vec<String>,
    /// The fields an import knows, for the column-mapping step.
    pub(crate) fields: Vec<FieldInfo>,
}
