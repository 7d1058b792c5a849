//! The CSV the server and the phone both write: formula text neutralised, BOM, Chinese
//! headers, quoting, instants in China Standard Time, money in yuan.

use std::borrow::Cow;

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

#[test]
fn money_is_written_in_yuan_without_floats() {
    assert_eq!(Cell::Fen(15_600_000).csv_text(), "156000");
    assert_eq!(Cell::Fen(1250).csv_text(), "12.50");
    assert_eq!(Cell::Fen(-5).csv_text(), "-0.05");
    assert_eq!(Cell::Int(3).csv_text(), "3");
}

const COLUMNS: &[Column] = &[col("标题", 10.0), col("上报时间", 10.0), col("满意度", 5.0)];

fn table(rows: Vec<Vec<Cell>>) -> Table {
    Table { sheet: "问题清单", columns: COLUMNS, rows }
}

#[test]
fn csv_starts_with_the_bom_and_the_chinese_header_row() {
    let text = csv(&table(Vec::new()));
    assert!(text.as_bytes().starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(&text[3..], "标题,上报时间,满意度\r\n");
}

#[test]
fn csv_neutralises_formulas_and_quotes_what_needs_it() {
    let rows = vec![
        vec![Cell::text("=HYPERLINK(\"http://x\")"), Cell::Time(1_796_574_600_000), Cell::Int(5)],
        vec![Cell::text("路灯,不亮\n第二行"), Cell::Empty, Cell::Empty],
        vec![Cell::text("-1"), Cell::Day(Date::parse("2026-12-07").unwrap_or_else(|e| panic!("{e}"))), Cell::Empty],
    ];
    let text = csv(&table(rows));
    let lines: Vec<&str> = text[3..].split("\r\n").collect();
    assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\",2026-12-07 00:30,5");
    assert_eq!(lines[2], "\"路灯,不亮\n第二行\",,");
    assert_eq!(lines[3], "'-1,2026-12-07,");
    assert_eq!(lines[4], "");
}

#[test]
fn kinds_round_trip_through_their_codes() {
    for kind in Kind::ALL {
        assert_eq!(Kind::from_code(kind.code()), Some(kind));
    }
    assert_eq!(Kind::from_code("people"), None);
}

#[test]
fn a_filter_gives_back_the_query_the_server_reads() {
    let filter = Filter {
        status: StatusFilter::from_code("open"),
        overdue: true,
        from: Date::parse("2026-12-01").ok(),
        ..Filter::default()
    };
    let params = filter.to_params();
    assert_eq!(
        params,
        vec![("status", "open".to_string()), ("overdue", "1".to_string()), ("from", "2026-12-01".to_string())]
    );
    assert_eq!(filter.to_json(), r#"{"status":"open","overdue":true,"from":"2026-12-01"}"#);
}
