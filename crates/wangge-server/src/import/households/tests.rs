//! Row parsing and grouping, on a small tree: every kind of refusal names its row.

use std::collections::BTreeMap;

use wangge_core::grid::{Grid, GridCode, GridLevel, GridTree};
use wangge_core::household::{HouseholdTag, Relation};
use wangge_core::{Address, Date, GridId, GridName};

use super::*;
use crate::import::columns;
use crate::import::sheet::Sheet;

const COMMUNITY: &str = "g500110001001000";
const GROUP: &str = "g500110001001001";
const OTHER: &str = "g500110002001000";

fn tree() -> GridTree {
    let grid = |id: &str, level, parent: Option<&str>| Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse("网格").unwrap(),
        level,
        parent: parent.map(|p| GridId::parse(p).unwrap()),
        code: Some(GridCode::parse(&id[1..]).unwrap()),
        retired: false,
    };
    GridTree::build(vec![
        grid("g500110000000000", GridLevel::District, None),
        grid("g500110001000000", GridLevel::Town, Some("g500110000000000")),
        grid("g500110002000000", GridLevel::Town, Some("g500110000000000")),
        grid(COMMUNITY, GridLevel::Community, Some("g500110001000000")),
        grid(OTHER, GridLevel::Community, Some("g500110002000000")),
        grid(GROUP, GridLevel::Group, Some(COMMUNITY)),
    ])
    .unwrap()
}

fn run(rows: &[[&str; 9]]) -> Parsed {
    let headers: Vec<String> = columns::Field::ALL.iter().map(|f| f.label().to_string()).collect();
    let sheet = Sheet {
        rows: rows.iter().enumerate().map(|(i, r)| (i as u32 + 2, r.iter().map(|s| s.to_string()).collect())).collect(),
        headers: headers.clone(),
    };
    let (cols, _, _) = columns::map(&headers, &BTreeMap::new()).unwrap();
    let (tree, home) = (tree(), GridId::parse(COMMUNITY).unwrap());
    parse(&sheet, &cols, &Grids::new(&tree, &home), Date::parse("2026-12-06").unwrap())
}

const CODE: &str = "500110001001001";

#[test]
fn a_household_of_two_with_tags_from_both_rows() {
    let p = run(&[
        [CODE, "二村3栋501", "王建国", "户主", "男", "1956", "13812345678", "500110195603071238", "退休职工"],
        [GROUP, "二村 3栋501", "李秀英", "配偶", "女", "1958年", "", "", "重病、低保"],
    ]);
    assert!(p.refused.is_empty(), "{:?}", p.refused);
    assert_eq!(p.households.len(), 1, "grid by id or code, address without spaces: one household");
    let h = &p.households[0];
    assert_eq!(h.people[0].member.id_last4.as_deref(), Some("1238"));
    assert_eq!(h.people[0].member.relation, Relation::Head);
    assert_eq!(h.tags().len(), 3);
    assert!(h.tags().contains(&HouseholdTag::LowIncome));
}

#[test]
fn every_bad_field_is_refused_with_its_row_and_column() {
    let ok = [GROUP, "二村3栋502", "张三", "户主", "男", "1970", "", "", ""];
    let bad = |col: usize, value: &'static str| {
        let mut row = ok;
        row[col] = value;
        row
    };
    let p = run(&[
        bad(0, "g-nowhere"),
        bad(0, OTHER),
        bad(1, ""),
        bad(3, "邻居"),
        bad(4, "未知"),
        bad(5, "2031"),
        bad(6, "1381234567"),
        bad(7, "110105194912310021"),
        bad(7, "11010519491231002X"),
        bad(8, "富裕"),
    ]);
    let rows: Vec<u32> = p.refused.iter().map(|r| r.row).collect();
    assert_eq!(rows, (2..=11).collect::<Vec<_>>());
    assert_eq!(p.out_of_scope, 1);
    assert_eq!(p.refused[1].column.as_deref(), Some("网格编号"));
    assert!(p.refused[6].reason.contains("手机号应为11位"), "the core's own message: {}", p.refused[6].reason);
    assert!(p.refused[7].reason.contains("校验位"), "{}", p.refused[7].reason);
    assert!(p.refused[8].reason.contains("1949"), "ID birth year vs stated: {}", p.refused[8].reason);
}

#[test]
fn duplicates_and_two_heads_are_refused() {
    let p = run(&[
        [GROUP, "1号", "甲", "户主", "男", "1949", "", "11010519491231002X", ""],
        [GROUP, "1号", "甲", "户主", "男", "1949", "", "", ""],
        [GROUP, "2号", "乙", "户主", "男", "1949", "", "11010519491231002X", ""],
        [GROUP, "3号", "丙", "户主", "男", "1960", "", "", ""],
        [GROUP, "3号", "丁", "本人", "女", "1961", "", "", ""],
    ]);
    let rows: Vec<(u32, &str)> = p.refused.iter().map(|r| (r.row, r.column.as_deref().unwrap())).collect();
    assert_eq!(rows, [(3, "姓名"), (4, "身份证号"), (5, "与户主关系"), (6, "与户主关系")]);
    assert_eq!(p.households.len(), 1);
}

#[test]
fn addresses_match_across_spaces_and_full_width_characters() {
    let a = Address::parse("二村 ３栋 Ａ座").unwrap();
    let b = Address::parse("二村3栋a座").unwrap();
    assert_eq!(address_key(&a), address_key(&b));
}
