//! One cell of a household ledger row to its core type (grid, relation, gender, birth
//! year, tags), each refusal naming the field, with a message an administrator can act
//! on. The rest of the row (name, address, phone, ID-card number) goes straight through
//! the core's own `parse` (`households.rs`). The grid cell and the refusal type serve
//! every kind of ledger (`people.rs` too).

use std::collections::BTreeSet;

use wangge_core::household::{BirthYear, Gender, HouseholdTag, Relation};
use wangge_core::{Date, DomainError, GridId};

use super::columns::{Field, LedgerField};
use super::households::Grids;

/// Why a row was refused: the field to blame, and whether it named a grid outside the
/// administrator's part of the tree.
pub(super) struct RowError<F = Field> {
    pub(super) field: F,
    pub(super) reason: String,
    pub(super) out_of_scope: bool,
}

impl<F> From<(F, DomainError)> for RowError<F> {
    fn from((field, e): (F, DomainError)) -> RowError<F> {
        RowError { field, reason: e.message_zh(), out_of_scope: false }
    }
}

pub(super) fn error<F>(field: F, reason: impl Into<String>) -> RowError<F> {
    RowError { field, reason: reason.into(), out_of_scope: false }
}

/// A grid by id or national code, inside the caller's subtree.
pub(super) fn parse_grid(text: &str, grids: &Grids<'_>) -> Result<GridId, RowError> {
    parse_grid_of(text, grids, Field::Grid, "住户")
}

/// [`parse_grid`] for any ledger: `field` is its grid column, `what` what it lists
/// ("住户", "人员").
pub(super) fn parse_grid_of<F: LedgerField>(
    text: &str,
    grids: &Grids<'_>,
    field: F,
    what: &str,
) -> Result<GridId, RowError<F>> {
    if text.is_empty() {
        return Err(error(field, "请填写网格编号(网格的编号或15位全国网格编码)"));
    }
    let Some(grid) = grids.by_text.get(text) else {
        return Err(error(
            field,
            format!("找不到网格“{text}”:请填写网格编号或15位网格编码,并先在网格管理中建好该网格"),
        ));
    };
    if !grids.tree.contains(grids.home, grid) {
        let reason = format!("网格“{text}”不在您的管理范围内:只能导入您所辖网格的{what}");
        return Err(RowError { field, reason, out_of_scope: true });
    }
    Ok(grid.clone())
}

/// The core's labels and codes, and the words household registers also use.
pub(super) fn parse_relation(text: &str) -> Result<Relation, RowError> {
    let known = Relation::ALL.into_iter().find(|r| r.label_zh() == text || r.code() == text);
    let synonym = || match text {
        "本人" => Some(Relation::Head),
        "妻" | "夫" | "妻子" | "丈夫" => Some(Relation::Spouse),
        "子" | "女" | "儿子" | "女儿" | "长子" | "长女" | "次子" | "次女" => Some(Relation::Child),
        "父亲" | "母亲" | "父" | "母" => Some(Relation::Parent),
        "孙子" | "孙女" | "外孙" | "外孙女" => Some(Relation::Grandchild),
        "兄" | "弟" | "姐" | "妹" | "哥哥" | "弟弟" | "姐姐" | "妹妹" => Some(Relation::Sibling),
        _ => None,
    };
    known.or_else(synonym).ok_or_else(|| {
        let list = Relation::ALL.map(Relation::label_zh).join("、");
        let reason = if text.is_empty() {
            format!("请填写与户主关系:{list}")
        } else {
            format!("与户主关系“{text}”无法识别,请填写:{list}")
        };
        error(Field::Relation, reason)
    })
}

pub(super) fn parse_gender(text: &str) -> Result<Gender, RowError> {
    Gender::ALL
        .into_iter()
        .find(|g| g.label_zh() == text || g.code() == text)
        .or(match text {
            "男性" => Some(Gender::Male),
            "女性" => Some(Gender::Female),
            _ => None,
        })
        .ok_or_else(|| {
            error(
                Field::Gender,
                if text.is_empty() {
                    "请填写性别:男 或 女".to_string()
                } else {
                    format!("性别“{text}”无法识别,请填写“男”或“女”")
                },
            )
        })
}

/// A year, also as the start of a date ("1950-03-07", "1950年3月") as ledgers write it.
pub(super) fn parse_birth_year(text: &str, today: Date) -> Result<BirthYear, RowError> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    let year = match digits.parse::<i32>() {
        Ok(year) if digits.len() == 4 && (rest.is_empty() || rest.starts_with(['年', '-', '/', '.'])) => year,
        _ if text.is_empty() => return Err(error(Field::BirthYear, "请填写出生年份,例如 1950")),
        _ => return Err(error(Field::BirthYear, format!("出生年份“{text}”应为四位数字,例如 1950"))),
    };
    BirthYear::parse(year, today).map_err(|e| (Field::BirthYear, e).into())
}

/// Tags separated by 、 , ， ; ； / or spaces, each by its Chinese name or its code.
pub(super) fn parse_tags(text: &str) -> Result<BTreeSet<HouseholdTag>, RowError> {
    let mut tags = BTreeSet::new();
    for word in text.split(['、', ',', '，', ';', '；', ' ', '　', '/']).map(str::trim).filter(|w| !w.is_empty()) {
        match HouseholdTag::ALL.into_iter().find(|t| t.label_zh() == word || t.code() == word) {
            Some(tag) => tags.insert(tag),
            None => {
                let list = HouseholdTag::ALL.map(HouseholdTag::label_zh).join("、");
                return Err(error(Field::Tags, format!("标签“{word}”无法识别,可用的标签:{list}(多个用“、”隔开)")));
            }
        };
    }
    Ok(tags)
}
