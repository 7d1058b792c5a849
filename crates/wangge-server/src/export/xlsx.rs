//! A table as an `.xlsx` workbook: bold Chinese header row, frozen; an autofilter over
//! every column; instants and days as real Excel dates (China Standard Time) with a date
//! format; numbers as numbers. **Text is written with `write_string`**, which stores it as
//! text: a leading `=` stays a character, never a formula.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use wangge_core::{Date, Millis};

use wangge_core::export::{Cell, Table};

/// Seconds China Standard Time is ahead of UTC: Excel's dates have no zone, so the
/// instant is shifted to the wall-clock time a person in China read.
const CST_SECONDS: i64 = 8 * 3600;

fn instant(at: Millis) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_timestamp(at.div_euclid(1000) + CST_SECONDS)
}

fn day(d: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month(), d.day())
}

pub(super) fn write(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(table.sheet)?;
    let header = Format::new().set_bold();
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, column) in table.columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, column.header, &header)?;
        sheet.set_column_width(c, column.width)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(r, c, s).map(drop)?,
                Cell::Time(at) => sheet.write_datetime_with_format(r, c, instant(*at)?, &time).map(drop)?,
                Cell::Day(d) => sheet.write_datetime_with_format(r, c, day(*d)?, &date).map(drop)?,
                Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(drop)?,
                Cell::Fen(fen) => sheet.write_number(r, c, *fen as f64 / 100.0).map(drop)?,
                Cell::Empty => {}
            }
        }
    }
    let last_col = table.columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    book.save_to_buffer()
}
