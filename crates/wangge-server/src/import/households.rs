//! A household ledger's rows parsed with the core's own parse functions (so a bad phone
//! gets the very message the app's form shows) and grouped into households by (grid,
//! normalised address). Pure: the stored households are matched later (`db/import.rs`).
//!
//! Refused here, each row with its reason: a field that does not parse, a grid unknown or
//! outside the administrator's part of the tree, an ID-card number whose birth year
//! differs from the row's, a person twice in one household, one ID-card number in two
//! rows, a household with two heads. (A new household with no head is refused when it is
//! known to be new, in `db/import.rs`: a file may add a child to a stored household.)

use std::collections::{BTreeSet, HashMap};

use wangge_core::grid::{Grid, GridTree};
use wangge_core::household::{BirthYear, Gender, HouseholdTag, Member, MemberStatus, Relation};
use wangge_core::{Address, Date, DomainError, GridId, IdCardNumber, PersonName, Phone};

use super::columns::{Columns, Field};
use super::sheet::Sheet;
use super::RefusedRow;

/// The grids a file may name, by id or by national grid code, and the caller's scope.
pub(crate) struct Grids<'a> {
    tree: &'a GridTree,
    home: &'a GridId,
    by_text: HashMap<String, GridId>,
}

impl<'a> Grids<'a> {
    pub(crate) fn new(tree: &'a GridTree, home: &'a GridId) -> Grids<'a> {
        let by_text = tree
            .grids()
            .iter()
            .flat_map(|g: &Grid| {
                // A grid's national code is optional (admin-api); one without is found by id.
                std::iter::once((g.id.as_str().to_string(), g.id.clone()))
                    .chain(g.code.as_ref().map(|c| (c.as_str().to_string(), g.id.clone())))
            })
            .collect();
        Grids {
            tree,
            home,
            by_text,
        }
    }
}

/// One person's row, parsed.
#[derive(Debug, Clone)]
pub(crate) struct PersonRow {
    pub(crate) row: u32,
    /// As the file gives them; `id_last4` set when the row has an ID-card number.
    pub(crate) member: Member,
    /// False when the phone cell was empty (an import never blanks a stored phone).
    pub(crate) phone_given: bool,
    pub(crate) id_card: Option<IdCardNumber>,
    pub(crate) tags: BTreeSet<HouseholdTag>,
}

/// The rows of one household in the file.
#[derive(Debug, Clone)]
pub(crate) struct HouseholdRows {
    pub(crate) grid: GridId,
    /// The first row's address, as written (trimmed).
    pub(crate) address: Address,
    /// What matching compares (see [`address_key`]).
    pub(crate) key: String,
    pub(crate) people: Vec<PersonRow>,
}

impl HouseholdRows {
    /// The tags written on any of its rows.
    pub(crate) fn tags(&self) -> BTreeSet<HouseholdTag> {
        self.people
            .iter()
            .flat_map(|p| p.tags.iter().copied())
            .collect()
    }
}

/// The whole file, parsed.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) households: Vec<HouseholdRows>,
    pub(crate) refused: Vec<RefusedRow>,
    /// Rows naming a grid outside the caller's part of the tree.
    pub(crate) out_of_scope: u32,
}

/// An address as matching compares it: without spaces, full-width letters and digits
/// read as ASCII, letters in capitals ("3栋 2单元" = "3栋2单元", "Ａ座" = "a座").
pub(crate) fn address_key(address: &Address) -> String {
    address
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Parses every row and groups them into households.
pub(crate) fn parse(sheet: &Sheet, columns: &Columns, grids: &Grids<'_>, today: Date) -> Parsed {
    let mut parsed = Parsed::default();
    let mut index: HashMap<(GridId, String), usize> = HashMap::new();
    let mut id_rows: HashMap<IdCardNumber, u32> = HashMap::new();
    for (row, cells) in &sheet.rows {
        let refuse = |field: Field, reason: String| RefusedRow {
            row: *row,
            column: Some(columns.header(field)),
            reason,
        };
        let (grid, address, person) = match parse_row(*row, cells, columns, grids, today) {
            Ok(parsed_row) => parsed_row,
            Err(RowError {
                field,
                reason,
                out_of_scope,
            }) => {
                parsed.out_of_scope += u32::from(out_of_scope);
                parsed.refused.push(refuse(field, reason));
                continue;
            }
        };
        if let Some(id) = &person.id_card {
            if let Some(first) = id_rows.get(id) {
                parsed.refused.push(refuse(
                    Field::IdNumber,
                    format!("身份证号与第{first}行相同:同一人只能登记一次,请核对后删去重复的一行"),
                ));
                continue;
            }
        }
        let key = address_key(&address);
        let at = *index.entry((grid.clone(), key.clone())).or_insert_with(|| {
            parsed.households.push(HouseholdRows {
                grid,
                address,
                key,
                people: Vec::new(),
            });
            parsed.households.len() - 1
        });
        let household = &mut parsed.households[at];
        if let Some(other) = household.people.iter().find(|p| same_person(p, &person)) {
            let reason = format!(
                "与第{}行是同一户的同一人(姓名和出生年份相同),请删去重复的一行",
                other.row
            );
            parsed.refused.push(refuse(Field::Name, reason));
            continue;
        }
        if let Some(id) = &person.id_card {
            id_rows.insert(id.clone(), *row);
        }
        household.people.push(person);
    }
    refuse_two_heads(&mut parsed, columns);
    parsed.refused.sort_by_key(|r| r.row);
    parsed
}

/// Two rows of one household are one person when their ID-card numbers agree, or, when
/// either lacks one, their name and birth year do.
fn same_person(a: &PersonRow, b: &PersonRow) -> bool {
    match (&a.id_card, &b.id_card) {
        (Some(x), Some(y)) => x == y,
        _ => a.member.name == b.member.name && a.member.birth_year == b.member.birth_year,
    }
}

/// A household with more than one head in the file is refused whole: which of them heads
/// it is for the community to say, not the import.
fn refuse_two_heads(parsed: &mut Parsed, columns: &Columns) {
    parsed.households.retain(|h| {
        let heads: Vec<u32> = h.people.iter().filter(|p| p.member.relation == Relation::Head).map(|p| p.row).collect();
        if heads.len() < 2 {
            return true;
        }
        let list = heads.iter().map(|r| format!("第{r}行")).collect::<Vec<_>>().join("、");
        for p in &h.people {
            parsed.refused.push(RefusedRow {
                row: p.row,
                column: Some(columns.header(Field::Relation)),
                reason: format!("同一户(同一网格、同一地址)有{}个户主({list}):一户只能有一个户主,请改正后重新导入这一户", heads.len()),
            });
        }
        false
    });
}

struct RowError {
    field: Field,
    reason: String,
    out_of_scope: bool,
}

impl From<(Field, DomainError)> for RowError {
    fn from((field, e): (Field, DomainError)) -> RowError {
        RowError {
            field,
            reason: e.message_zh(),
            out_of_scope: false,
        }
    }
}

fn error(field: Field, reason: impl Into<String>) -> RowError {
    RowError {
        field,
        reason: reason.into(),
        out_of_scope: false,
    }
}

fn parse_row(
    row: u32,
    cells: &[String],
    columns: &Columns,
    grids: &Grids<'_>,
    today: Date,
) -> Result<(GridId, Address, PersonRow), RowError> {
    let cell = |f: Field| {
        columns
            .of(f)
            .and_then(|i| cells.get(i))
            .map_or("", |s| s.trim())
    };
    let grid = parse_grid(cell(Field::Grid), grids)?;
    let address = Address::parse(cell(Field::Address)).map_err(|e| (Field::Address, e))?;
    let name = PersonName::parse(cell(Field::Name)).map_err(|e| (Field::Name, e))?;
    let relation = parse_relation(cell(Field::Relation))?;
    let gender = parse_gender(cell(Field::Gender))?;
    let birth_year = parse_birth_year(cell(Field::BirthYear), today)?;
    let phone = match cell(Field::Phone) {
        "" => None,
        text => Some(Phone::parse(text).map_err(|e| (Field::Phone, e))?),
    };
    let id_card = match cell(Field::IdNumber) {
        "" => None,
        text => Some(IdCardNumber::parse(text).map_err(|e| (Field::IdNumber, e))?),
    };
    if let Some(id) = id_card
        .as_ref()
        .filter(|id| id.birth_year() != birth_year.year())
    {
        let reason = format!(
            "身份证号中的出生年份({})与“出生年份”({})不符,请核对",
            id.birth_year(),
            birth_year.year()
        );
        return Err(error(Field::IdNumber, reason));
    }
    let tags = parse_tags(cell(Field::Tags))?;
    let member = Member {
        name,
        gender,
        birth_year,
        phone: phone.clone(),
        relation,
        status: MemberStatus::Present,
        id_last4: id_card.as_ref().map(|id| id.last4().to_string()),
    };
    Ok((
        grid,
        address,
        PersonRow {
            row,
            phone_given: phone.is_some(),
            member,
            id_card,
            tags,
        },
    ))
}

fn parse_grid(text: &str, grids: &Grids<'_>) -> Result<GridId, RowError> {
    if text.is_empty() {
        return Err(error(
            Field::Grid,
            "请填写网格编号(网格的编号或15位全国网格编码)",
        ));
    }
    let Some(grid) = grids.by_text.get(text) else {
        return Err(error(
            Field::Grid,
            format!("找不到网格“{text}”:请填写网格编号或15位网格编码,并先在网格管理中建好该网格"),
        ));
    };
    if !grids.tree.contains(grids.home, grid) {
        let reason = format!("网格“{text}”不在您的管理范围内:只能导入您所辖网格的住户");
        return Err(RowError {
            field: Field::Grid,
            reason,
            out_of_scope: true,
        });
    }
    Ok(grid.clone())
}

/// The core's labels and codes, and the words household registers also use.
fn parse_relation(text: &str) -> Result<Relation, RowError> {
    let known = Relation::ALL
        .into_iter()
        .find(|r| r.label_zh() == text || r.code() == text);
    let synonym = || match text {
        "本人" => Some(Relation::Head),
        "妻" | "夫" | "妻子" | "丈夫" => Some(Relation::Spouse),
        "子" | "女" | "儿子" | "女儿" | "长子" | "长女" | "次子" | "次女" => {
            Some(Relation::Child)
        }
        "父亲" | "母亲" | "父" | "母" => Some(Relation::Parent),
        "孙子" | "孙女" | "外孙" | "外孙女" => Some(Relation::Grandchild),
        "兄" | "弟" | "姐" | "妹" | "哥哥" | "弟弟" | "姐姐" | "妹妹" => {
            Some(Relation::Sibling)
        }
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

fn parse_gender(text: &str) -> Result<Gender, RowError> {
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
fn parse_birth_year(text: &str, today: Date) -> Result<BirthYear, RowError> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    let year = match digits.parse::<i32>() {
        Ok(year)
            if digits.len() == 4
                && (rest.is_empty() || rest.starts_with(['年', '-', '/', '.'])) =>
        {
            year
        }
        _ if text.is_empty() => return Err(error(Field::BirthYear, "请填写出生年份,例如 1950")),
        _ => {
            return Err(error(
                Field::BirthYear,
                format!("出生年份“{text}”应为四位数字,例如 1950"),
            ))
        }
    };
    BirthYear::parse(year, today).map_err(|e| (Field::BirthYear, e).into())
}

/// Tags separated by 、 , ， ; ； / or spaces, each by its Chinese name or its code.
fn parse_tags(text: &str) -> Result<BTreeSet<HouseholdTag>, RowError> {
    let mut tags = BTreeSet::new();
    for word in text
        .split(['、', ',', '，', ';', '；', ' ', '　', '/'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match HouseholdTag::ALL
            .into_iter()
            .find(|t| t.label_zh() == word || t.code() == word)
        {
            Some(tag) => tags.insert(tag),
            None => {
                let list = HouseholdTag::ALL.map(HouseholdTag::label_zh).join("、");
                return Err(error(
                    Field::Tags,
                    format!("标签“{word}”无法识别,可用的标签:{list}(多个用“、”隔开)"),
                ));
            }
        };
    }
    Ok(tags)
}

#[cfg(test)]
mod tests;
