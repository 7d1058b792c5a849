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
use wangge_core::household::{HouseholdTag, Member, MemberStatus, Relation};
use wangge_core::{Address, Date, GridId, IdCardNumber, PersonName, Phone};

use super::cells::{error, parse_birth_year, parse_gender, parse_grid, parse_relation, parse_tags, RowError};
use super::columns::{Columns, Field};
use super::sheet::Sheet;
use super::RefusedRow;

/// The grids a file may name, by id or by national grid code, and the caller's scope.
pub(crate) struct Grids<'a> {
    pub(super) tree: &'a GridTree,
    pub(super) home: &'a GridId,
    pub(super) by_text: HashMap<String, GridId>,
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
        Grids { tree, home, by_text }
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
        self.people.iter().flat_map(|p| p.tags.iter().copied()).collect()
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
        let refuse =
            |field: Field, reason: String| RefusedRow { row: *row, column: Some(columns.header(field)), reason };
        let (grid, address, person) = match parse_row(*row, cells, columns, grids, today) {
            Ok(parsed_row) => parsed_row,
            Err(RowError { field, reason, out_of_scope }) => {
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
            parsed.households.push(HouseholdRows { grid, address, key, people: Vec::new() });
            parsed.households.len() - 1
        });
        let household = &mut parsed.households[at];
        if let Some(other) = household.people.iter().find(|p| same_person(p, &person)) {
            let reason = format!("与第{}行是同一户的同一人(姓名和出生年份相同),请删去重复的一行", other.row);
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
                reason: format!(
                    "同一户(同一网格、同一地址)有{}个户主({list}):一户只能有一个户主,请改正后重新导入这一户",
                    heads.len()
                ),
            });
        }
        false
    });
}

fn parse_row(
    row: u32,
    cells: &[String],
    columns: &Columns,
    grids: &Grids<'_>,
    today: Date,
) -> Result<(GridId, Address, PersonRow), RowError> {
    let cell = |f: Field| columns.of(f).and_then(|i| cells.get(i)).map_or("", |s| s.trim());
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
    if let Some(id) = id_card.as_ref().filter(|id| id.birth_year() != birth_year.year()) {
        let reason = format!("身份证号中的出生年份({})与“出生年份”({})不符,请核对", id.birth_year(), birth_year.year());
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
    Ok((grid, address, PersonRow { row, phone_given: phone.is_some(), member, id_card, tags }))
}

#[cfg(test)]
mod tests;
