//! A table as CSV: UTF-8 with a byte-order mark (so Excel on Windows reads the Chinese
//! right), the Chinese header row first, instants as `YYYY-MM-DD HH:MM` in China Standard
//! Time. **Every text cell goes through `neutralise`**.

use super::cells::{neutralise, time_text, Cell, Table};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn write(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(table.columns.iter().map(|c| c.header))?;
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(s) => neutralise(s).into_owned(),
                Cell::Time(at) => time_text(*at),
                Cell::Day(d) => d.to_string(),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.write_record(&cells)?;
    }
    out.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
