//! A ledger file's bytes as rows of text, numbered as the spreadsheet numbers them (the
//! header is row 1). `.xlsx` through calamine (sniffed: an xlsx is a zip), anything else
//! as CSV through the csv crate — UTF-8 (with or without a BOM), or GBK, which is how
//! Excel in China saves "CSV". A file that is neither is refused, never a panic.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

/// At most this many data rows in one file (a town's ledger is a few tens of thousands).
pub(crate) const MAX_ROWS: usize = 50_000;

/// The rows of the first sheet.
#[derive(Clone, Default)]
pub(crate) struct Sheet {
    pub(crate) headers: Vec<String>,
    /// (row number, cells), blank rows left out.
    pub(crate) rows: Vec<(u32, Vec<String>)>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SheetError {
    /// Not an xlsx or a text file (an old .xls, a picture, random bytes).
    Unreadable(&'static str),
    /// An xlsx that does not open (truncated, or not really one).
    BrokenXlsx,
    /// No header row.
    Empty,
    TooManyRows,
}

impl SheetError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            SheetError::Unreadable(_) => "import_unreadable",
            SheetError::BrokenXlsx => "import_broken_xlsx",
            SheetError::Empty => "import_empty",
            SheetError::TooManyRows => "import_too_many_rows",
        }
    }

    pub(crate) fn message(&self) -> String {
        match self {
            SheetError::Unreadable(why) => {
                format!("无法读取该文件({why}):请上传 .xlsx 文件或 CSV 文件")
            }
            SheetError::BrokenXlsx => "该 .xlsx 文件已损坏或不完整:请在 Excel 中打开后重新保存,再上传".into(),
            SheetError::Empty => "文件是空的:第1行应为表头,从第2行起每行一人".into(),
            SheetError::TooManyRows => {
                format!("一个文件最多{MAX_ROWS}行:请按社区或网格分成几个文件")
            }
        }
    }
}

impl std::fmt::Debug for Sheet {
    /// Headers and a count only: the cells hold names, phones and ID-card numbers, which
    /// must not reach a log through a stray `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sheet {{ headers: {:?}, rows: {} }}", self.headers, self.rows.len())
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// Reads `bytes`: an xlsx if it is a zip (whatever the content type said), else CSV —
/// unless the upload `claims_xlsx` (by its content type): then it is a broken xlsx.
pub(crate) fn read(bytes: &[u8], claims_xlsx: bool) -> Result<Sheet, SheetError> {
    let rows = if bytes.is_empty() {
        return Err(SheetError::Empty);
    } else if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)?
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(SheetError::Unreadable("这是旧版 .xls 文件,请在 Excel 中另存为 .xlsx"));
    } else if claims_xlsx {
        return Err(SheetError::BrokenXlsx);
    } else {
        read_csv(&decode_text(bytes)?)?
    };
    let mut rows = rows.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((_, headers)) = rows.next() else {
        return Err(SheetError::Empty);
    };
    let rows: Vec<_> = rows.take(MAX_ROWS + 1).collect();
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooManyRows);
    }
    Ok(Sheet { headers: headers.into_iter().map(|h| h.trim().to_string()).collect(), rows })
}

/// At most this much XML inside an xlsx (a 50,000-row ledger holds a few tens of MB).
const MAX_UNZIPPED: u64 = 256 * 1024 * 1024;

/// Refuses a zip whose members claim to unpack to more than `max` ([`MAX_UNZIPPED`]): a
/// small upload must not make the server inflate gigabytes (a "zip bomb").
fn check_unzipped_size(bytes: &[u8], max: u64) -> Result<(), SheetError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SheetError::BrokenXlsx)?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_err(|_| SheetError::BrokenXlsx)?.size();
        total = total.saturating_add(size);
    }
    if total > max {
        return Err(SheetError::Unreadable("解压后过大,不像是一份台账"));
    }
    Ok(())
}

/// Only the first columns are read: a ledger has a dozen; a cell far to the right is
/// not part of it.
const MAX_COLUMNS: u32 = 256;

/// The first sheet's cells, streamed rather than read as one `Range`: a range is as big
/// as the rectangle its outermost cells span, so one stray cell at XFD1048576 would ask
/// for billions of cells. Empty cells are skipped, so blank rows never appear.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, SheetError> {
    check_unzipped_size(bytes, MAX_UNZIPPED)?;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| SheetError::BrokenXlsx)?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(SheetError::Empty);
    };
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| SheetError::BrokenXlsx)?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|_| SheetError::BrokenXlsx)? {
        let (row, col) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if col >= MAX_COLUMNS || text.trim().is_empty() {
            continue;
        }
        if !rows.contains_key(&row) && rows.len() > MAX_ROWS {
            return Err(SheetError::TooManyRows);
        }
        let line = rows.entry(row).or_default();
        if line.len() <= col as usize {
            line.resize(col as usize + 1, String::new());
        }
        line[col as usize] = text;
    }
    // Positions count from 0; the spreadsheet numbers rows from 1.
    Ok(rows.into_iter().map(|(row, line)| (row + 1, line)).collect())
}

/// A cell as the text a person reads in it: whole numbers without `.0` (a birth year, a
/// phone number typed as a number).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

/// UTF-8 (a BOM dropped) or, failing that, GBK; refuses binary data.
fn decode_text(bytes: &[u8]) -> Result<String, SheetError> {
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(SheetError::Unreadable("既不是 UTF-8 也不是 GBK 编码的文本"))?
            .into_owned(),
    };
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        return Err(SheetError::Unreadable("文件中有非文本内容"));
    }
    Ok(text)
}

fn read_csv(text: &str) -> Result<Vec<(u32, Vec<String>)>, SheetError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| SheetError::Unreadable("CSV 格式有误"))?;
        rows.push((i as u32 + 1, record.iter().map(str::to_string).collect()));
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_and_gbk_reads_the_same() {
        let text = "姓名,地址\n王芳,二村3栋501\n\n李明,二村3栋502\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for bytes in
            [text.as_bytes().to_vec(), gbk.into_owned(), [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()]
        {
            let sheet = read(&bytes, false).unwrap();
            assert_eq!(sheet.headers, ["姓名", "地址"]);
            assert_eq!(sheet.rows.len(), 2, "the blank row is skipped");
            assert_eq!(sheet.rows[0].1[0], "王芳");
        }
    }

    #[test]
    fn random_bytes_and_a_truncated_xlsx_are_refused() {
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(matches!(read(&noise, false), Err(SheetError::Unreadable(_))));
        assert_eq!(read(&noise, true).unwrap_err(), SheetError::BrokenXlsx);
        let mut zip = ZIP_MAGIC.to_vec();
        zip.extend_from_slice(&noise[..100]);
        assert_eq!(read(&zip, false).unwrap_err(), SheetError::BrokenXlsx);
        assert_eq!(read(b"", true).unwrap_err(), SheetError::Empty);
    }

    #[test]
    fn a_zip_that_unpacks_to_too_much_is_refused_unopened() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..3 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 << 10, "{} bytes", bytes.len());
        // The real limit is 256 MiB; the rule is the same at 2 MiB.
        let refused = check_unzipped_size(&bytes, 2 << 20).unwrap_err();
        assert!(matches!(refused, SheetError::Unreadable(_)));
        assert_eq!(check_unzipped_size(&bytes, 4 << 20), Ok(()));
    }

    #[test]
    fn a_stray_far_cell_neither_allocates_its_rectangle_nor_counts() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(2, 1, "姓名").unwrap();
        sheet.write_number(3, 1, 1950).unwrap();
        sheet.write_string(1_048_575, 16_383, "远处").unwrap();
        let read = read(&book.save_to_buffer().unwrap(), true).unwrap();
        assert_eq!(read.headers, ["", "姓名"], "row 3, column B");
        assert_eq!(read.rows, [(4, vec![String::new(), "1950".to_string()])]);
    }

    #[test]
    fn whole_numbers_read_without_a_decimal_point() {
        assert_eq!(cell_text(&Data::Float(1950.0)), "1950");
        assert_eq!(cell_text(&Data::Float(13812345678.0)), "13812345678");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
    }
}
