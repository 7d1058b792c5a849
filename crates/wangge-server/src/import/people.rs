//! The people list (人员名册): the community's roster of people who do not log in —
//! 楼栋长, 院落长, 户长/单元长, 红色管家, 党员, 志愿者, 调解员, 帮带导师 … (the core's roles
//! whose `handles_at()` is None). One row per person: 姓名, 网格编号, 身份(角色) (several,
//! separated by 、 or ,), 联系电话 (optional). Pure: rows are parsed here with the core's
//! own parse functions and matched against the stored people `db/import.rs` reads.
//!
//! **Decisions** (ARCHITECTURE.md repeats them):
//! - Staff who handle issues (网格员, 社区书记, 镇街/区级干部 …) get a role only with an
//!   account (`permissions::check_person_write`): a row naming such a role is refused.
//! - A row matches a stored person of the same grid and name: with a phone, the one with
//!   that phone, else the only one with no phone (whose phone is then filled in), else it
//!   is someone new; without a phone, the only one of that name (two or more: refused,
//!   add the phone to tell them apart).
//! - A match that is an account holder's person record is refused: accounts are kept in
//!   the accounts screen, never by an import.
//! - An import never removes: roles are added to the stored ones, an empty phone keeps
//!   the stored one, people missing from the file stay. A matched person who had left
//!   (`active: false`) is on the roster again. Re-importing the same file writes nothing.
//! - Two rows of one grid with one name are one person when their phones agree or either
//!   has none: the later row is refused as a duplicate.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};
use wangge_core::people::Role;
use wangge_core::{GridId, PersonName, Phone};

use super::cells::{error, parse_grid_of, RowError};
use super::columns::{Columns, LedgerField};
use super::households::Grids;
use super::sheet::Sheet;
use super::RefusedRow;

/// One field of the people list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PeopleField {
    Name,
    Grid,
    Roles,
    Phone,
}

impl LedgerField for PeopleField {
    const FIELDS: &'static [PeopleField] =
        &[PeopleField::Name, PeopleField::Grid, PeopleField::Roles, PeopleField::Phone];

    fn key(self) -> &'static str {
        match self {
            PeopleField::Name => "name",
            PeopleField::Grid => "grid",
            PeopleField::Roles => "roles",
            PeopleField::Phone => "phone",
        }
    }

    fn label(self) -> &'static str {
        match self {
            PeopleField::Name => "姓名",
            PeopleField::Grid => "网格编号",
            PeopleField::Roles => "身份(角色)",
            PeopleField::Phone => "联系电话",
        }
    }

    fn required(self) -> bool {
        !matches!(self, PeopleField::Phone)
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            PeopleField::Roles => &["身份", "角色", "身份（角色）", "职务"],
            PeopleField::Phone => &["电话", "手机", "手机号", "手机号码"],
            PeopleField::Grid => &["网格", "所属网格"],
            PeopleField::Name => &[],
        }
    }
}

/// The roles a file may name: those that handle no issue.
pub(crate) fn roster_roles() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|r| r.handles_at().is_none())
}

/// One row, parsed.
#[derive(Debug, Clone)]
pub(crate) struct PeopleRow {
    pub(crate) row: u32,
    pub(crate) grid: GridId,
    pub(crate) name: PersonName,
    pub(crate) phone: Option<Phone>,
    pub(crate) roles: BTreeSet<Role>,
}

/// The whole file, parsed.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) people: Vec<PeopleRow>,
    pub(crate) refused: Vec<RefusedRow>,
    /// Rows naming a grid outside the caller's part of the tree.
    pub(crate) out_of_scope: u32,
}

/// Parses every row; a row that repeats an earlier one's person is refused.
pub(crate) fn parse(sheet: &Sheet, columns: &Columns<PeopleField>, grids: &Grids<'_>) -> Parsed {
    let mut parsed = Parsed::default();
    for (row, cells) in &sheet.rows {
        let refuse =
            |field: PeopleField, reason: String| RefusedRow { row: *row, column: Some(columns.header(field)), reason };
        let person = match parse_row(*row, cells, columns, grids) {
            Ok(p) => p,
            Err(RowError { field, reason, out_of_scope }) => {
                parsed.out_of_scope += u32::from(out_of_scope);
                parsed.refused.push(refuse(field, reason));
                continue;
            }
        };
        if let Some(first) = parsed.people.iter().find(|p| {
            p.grid == person.grid
                && p.name == person.name
                && (p.phone.is_none() || person.phone.is_none() || p.phone == person.phone)
        }) {
            let reason = format!("与第{}行是同一人(同一网格、同一姓名,电话相同或未填),请删去重复的一行", first.row);
            parsed.refused.push(refuse(PeopleField::Name, reason));
            continue;
        }
        parsed.people.push(person);
    }
    parsed.refused.sort_by_key(|r| r.row);
    parsed
}

fn parse_row(
    row: u32,
    cells: &[String],
    columns: &Columns<PeopleField>,
    grids: &Grids<'_>,
) -> Result<PeopleRow, RowError<PeopleField>> {
    let cell = |f: PeopleField| columns.of(f).and_then(|i| cells.get(i)).map_or("", |s| s.trim());
    let name = PersonName::parse(cell(PeopleField::Name)).map_err(|e| (PeopleField::Name, e))?;
    let grid = parse_grid_of(cell(PeopleField::Grid), grids, PeopleField::Grid, "人员")?;
    let roles = parse_roles(cell(PeopleField::Roles))?;
    let phone = match cell(PeopleField::Phone) {
        "" => None,
        text => Some(Phone::parse(text).map_err(|e| (PeopleField::Phone, e))?),
    };
    Ok(PeopleRow { row, grid, name, phone, roles })
}

/// Roles separated by 、 , ， ; ； / or spaces, each by its Chinese name or its code (and
/// the words ledgers also use for them). A role that handles issues is refused: it comes
/// with an account.
pub(super) fn parse_roles(text: &str) -> Result<BTreeSet<Role>, RowError<PeopleField>> {
    let list = || roster_roles().map(Role::label_zh).collect::<Vec<_>>().join("、");
    let mut roles = BTreeSet::new();
    for word in text.split(['、', ',', '，', ';', '；', ' ', '　', '/']).map(str::trim).filter(|w| !w.is_empty()) {
        let role = Role::ALL.into_iter().find(|r| r.label_zh() == word || r.code() == word).or(match word {
            "单元长" | "户长" => Some(Role::HouseholdHead),
            "楼长" => Some(Role::BuildingHead),
            "院长" => Some(Role::CourtyardHead),
            "中共党员" | "共产党员" => Some(Role::PartyMember),
            "社区党委书记" | "书记" => Some(Role::CommunitySecretary),
            _ => None,
        });
        match role {
            Some(role) if role.handles_at().is_some() => {
                return Err(error(
                    PeopleField::Roles,
                    format!("“{word}”不能通过导入登记:网格员、社区书记等工作人员请在账号管理里建账号"),
                ))
            }
            Some(role) => {
                roles.insert(role);
            }
            None => {
                return Err(error(
                    PeopleField::Roles,
                    format!("身份“{word}”无法识别,可填写:{}(多个用“、”隔开)", list()),
                ))
            }
        }
    }
    if roles.is_empty() {
        return Err(error(PeopleField::Roles, format!("请填写身份:{}(多个用“、”隔开)", list())));
    }
    Ok(roles)
}

/// A person as stored, as matching needs it.
#[derive(Debug, Clone)]
pub(crate) struct StoredPerson {
    pub(crate) id: String,
    pub(crate) grid: String,
    pub(crate) name: String,
    pub(crate) phone: Option<String>,
    pub(crate) roles: BTreeSet<Role>,
    pub(crate) active: bool,
    /// The person record of an account holder: never changed by an import.
    pub(crate) account: bool,
}

/// One person to write: a new record's every field, or a stored one's changed fields.
#[derive(Debug, Clone)]
pub(crate) struct PersonWrite {
    pub(crate) id: String,
    pub(crate) grid: String,
    pub(crate) fields: Map<String, Value>,
}

/// What an import of the people list will do.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) added: u32,
    pub(crate) updated: u32,
    pub(crate) unchanged: u32,
    pub(crate) refused: Vec<RefusedRow>,
    pub(crate) writes: Vec<PersonWrite>,
}

/// Matches the file's rows with the stored people (all of the grids the file names, by
/// id) and plans the writes. `new_id` gives a new person's id.
pub(crate) fn plan(
    rows: Vec<PeopleRow>,
    stored: &[StoredPerson],
    columns: &Columns<PeopleField>,
    mut new_id: impl FnMut() -> String,
) -> Plan {
    let mut by_name: HashMap<(&str, &str), Vec<&StoredPerson>> = HashMap::new();
    for p in stored {
        by_name.entry((&p.grid, &p.name)).or_default().push(p);
    }
    let mut plan = Plan::default();
    let mut taken: HashMap<&str, u32> = HashMap::new();
    for row in rows {
        let refuse = |field: PeopleField, reason: String| RefusedRow {
            row: row.row,
            column: Some(columns.header(field)),
            reason,
        };
        let candidates = by_name.get(&(row.grid.as_str(), row.name.as_str())).map_or(&[][..], Vec::as_slice);
        let matched = match &row.phone {
            Some(phone) => candidates
                .iter()
                .find(|p| p.phone.as_deref() == Some(phone.as_str()))
                .or_else(|| {
                    let without: Vec<_> = candidates.iter().filter(|p| p.phone.is_none()).collect();
                    (without.len() == 1).then(|| without[0])
                })
                .copied(),
            None if candidates.len() > 1 => {
                plan.refused.push(refuse(
                    PeopleField::Phone,
                    format!("该网格已有{}位名叫“{}”的人员,请填写联系电话以区分", candidates.len(), row.name.as_str()),
                ));
                continue;
            }
            None => candidates.first().copied(),
        };
        let Some(stored) = matched else {
            let id = new_id();
            let fields = json!({
                "id": id,
                "name": row.name.as_str(),
                "phone": row.phone.as_ref().map(Phone::as_str),
                "grid": row.grid.as_str(),
                "roles": row.roles,
                "active": true,
            });
            plan.added += 1;
            plan.writes.push(PersonWrite {
                id,
                grid: row.grid.as_str().to_string(),
                fields: fields.as_object().cloned().unwrap_or_default(),
            });
            continue;
        };
        if stored.account {
            plan.refused.push(refuse(
                PeopleField::Name,
                format!("“{}”有登录账号:其信息请在账号管理里修改,不能通过导入更改", row.name.as_str()),
            ));
            continue;
        }
        if let Some(first) = taken.get(stored.id.as_str()) {
            plan.refused.push(refuse(PeopleField::Name, format!("与第{first}行对应的是同一人,请删去重复的一行")));
            continue;
        }
        taken.insert(&stored.id, row.row);
        let mut fields = Map::new();
        if let Some(phone) = row.phone.as_ref().filter(|p| stored.phone.as_deref() != Some(p.as_str())) {
            fields.insert("phone".into(), phone.as_str().into());
        }
        let roles: BTreeSet<Role> = stored.roles.union(&row.roles).copied().collect();
        if roles != stored.roles {
            fields.insert("roles".into(), json!(roles));
        }
        if !stored.active {
            fields.insert("active".into(), true.into());
        }
        if fields.is_empty() {
            plan.unchanged += 1;
        } else {
            plan.updated += 1;
            plan.writes.push(PersonWrite { id: stored.id.clone(), grid: stored.grid.clone(), fields });
        }
    }
    plan
}

#[cfg(test)]
#[path = "people_tests.rs"]
mod tests;
