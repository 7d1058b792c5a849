//! The table an export writes, and the one defence against formula injection (OWASP "CSV
//! injection"): text a spreadsheet would read as a formula is neutralised.

use std::borrow::Cow;

use wangge_core::{Date, Millis};

/// One cell: text, an instant (shown in China Standard Time), a calendar day, a number,
/// or nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Time(Millis),
    Day(Date),
    Number(f64),
    Empty,
}

impl Cell {
    /// Text, or an empty cell for an empty string.
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub(crate) fn time(at: Option<Millis>) -> Cell {
        at.map_or(Cell::Empty, Cell::Time)
    }
}

/// A column: its Chinese header and its width in Excel's character units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub(crate) header: &'static str,
    pub(crate) width: f64,
}

/// A sheet: its name, columns and rows (each row one cell per column).
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) sheet: &'static str,
    pub(crate) columns: &'static [Column],
    pub(crate) rows: Vec<Vec<Cell>>,
}

/// The characters that make a spreadsheet read a cell as a formula (`=`, `+`, `-`, `@`)
/// or that can start one after a field separator some programs split on (tab, CR).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as it may go into a CSV cell: a leading `'` when it starts with a formula
/// character, so Excel and LibreOffice show it as text and never evaluate it.
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `YYYY-MM-DD HH:MM` in China Standard Time (CSV's rendering of an instant).
pub(crate) fn time_text(at: Millis) -> String {
    let day = Date::of_millis(at);
    let minutes = (at - day.start_millis()) / 60_000;
    format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_starting_with_a_formula_character_is_prefixed_with_a_quote() {
        for text in ["=1+1", "+86 138", "-2", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"] {
            assert_eq!(neutralise(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in ["路灯不亮", "a=b", "1-2", "", "'quoted", " =1", "邮箱 a@b.cn"] {
            assert_eq!(neutralise(text), text, "{text:?}");
            assert!(matches!(neutralise(text), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn an_instant_is_written_in_china_standard_time() {
        // 2026-12-06T16:30:00Z is 00:30 on the 7th in Beijing.
        assert_eq!(time_text(1_796_574_600_000), "2026-12-07 00:30");
    }
}
