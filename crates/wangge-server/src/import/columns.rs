//! The fields of a ledger and the columns that hold them: each field is found by its
//! Chinese header (the template's), its key, or the administrator's mapping
//! `{"file header": "field key"}` for a file whose headers differ. One mapping for every
//! kind of ledger: a kind's fields are a [`LedgerField`] (the household ledger's
//! [`Field`] here, the people list's `people::PeopleField`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::Serialize;
use utoipa::ToSchema;

use super::RefusedRow;

/// One field of a household ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Grid,
    Address,
    Name,
    Relation,
    Gender,
    BirthYear,
    Phone,
    IdNumber,
    Tags,
}

impl Field {
    pub(crate) const ALL: [Field; 9] = [
        Field::Grid,
        Field::Address,
        Field::Name,
        Field::Relation,
        Field::Gender,
        Field::BirthYear,
        Field::Phone,
        Field::IdNumber,
        Field::Tags,
    ];

    /// (key, the template's header, required)
    const fn spec(self) -> (&'static str, &'static str, bool) {
        match self {
            Field::Grid => ("grid", "网格编号", true),
            Field::Address => ("address", "地址", true),
            Field::Name => ("name", "姓名", true),
            Field::Relation => ("relation", "与户主关系", true),
            Field::Gender => ("gender", "性别", true),
            Field::BirthYear => ("birth_year", "出生年份", true),
            Field::Phone => ("phone", "联系电话", false),
            Field::IdNumber => ("id_number", "身份证号", false),
            Field::Tags => ("tags", "标签", false),
        }
    }

    pub(crate) const fn label(self) -> &'static str {
        self.spec().1
    }
}

/// The fields of one kind of ledger, in the template's column order.
pub(crate) trait LedgerField: Copy + PartialEq + Send + Sync + 'static {
    const FIELDS: &'static [Self];
    /// The key a column mapping names it by.
    fn key(self) -> &'static str;
    /// The template's header.
    fn label(self) -> &'static str;
    fn required(self) -> bool;
    /// Other headers ledgers use for it (compared as the label is).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    fn index(self) -> usize {
        Self::FIELDS.iter().position(|f| *f == self).unwrap_or(0)
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::FIELDS.iter().copied().find(|f| f.key() == key)
    }
}

impl LedgerField for Field {
    const FIELDS: &'static [Field] = &Field::ALL;
    fn key(self) -> &'static str {
        self.spec().0
    }
    fn label(self) -> &'static str {
        self.spec().1
    }
    fn required(self) -> bool {
        self.spec().2
    }
}

/// A field as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub(crate) struct FieldInfo {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) required: bool,
}

pub(crate) fn field_infos<F: LedgerField>() -> Vec<FieldInfo> {
    F::FIELDS.iter().copied().map(|f| FieldInfo { key: f.key(), label: f.label(), required: f.required() }).collect()
}

/// Which column holds each field.
#[derive(Debug, Clone)]
pub(crate) struct Columns<F = Field> {
    at: Vec<Option<usize>>,
    headers: Vec<String>,
    kind: PhantomData<F>,
}

impl<F: LedgerField> Columns<F> {
    /// The column of `field`, if the file has one.
    pub(crate) fn of(&self, field: F) -> Option<usize> {
        self.at[field.index()]
    }

    /// The file's own header of `field`'s column (the template's when it has none).
    pub(crate) fn header(&self, field: F) -> String {
        self.of(field).and_then(|i| self.headers.get(i)).cloned().unwrap_or_else(|| field.label().to_string())
    }
}

/// Headers compared without spaces (Excel users pad them) and without a `*` marking a
/// required column.
fn normalise(header: &str) -> String {
    header.chars().filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊').collect()
}

/// A mapped header row: the columns, the headers no field takes, and the refusals (on
/// row 1) for required fields with no column.
pub(crate) type Mapped<F> = (Columns<F>, Vec<String>, Vec<RefusedRow>);

/// Maps the header row. Returns the columns, the headers no field takes, and a refusal
/// (on row 1) for each required field with no column; a mapping naming an unknown field
/// key is a bad request.
pub(crate) fn map<F: LedgerField>(headers: &[String], mapping: &BTreeMap<String, String>) -> Result<Mapped<F>, String> {
    let mut columns = Columns { at: vec![None; F::FIELDS.len()], headers: headers.to_vec(), kind: PhantomData };
    let mut unmapped = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let field = match mapping.get(header).or_else(|| mapping.get(&normalise(header))) {
            Some(key) if key.is_empty() => None,
            Some(key) => Some(F::from_key(key).ok_or_else(|| format!("列对应中的字段“{key}”不存在"))?),
            None => F::FIELDS.iter().copied().find(|f| {
                let h = normalise(header);
                h == f.label() || h == f.key() || f.aliases().contains(&h.as_str())
            }),
        };
        match field {
            Some(f) if columns.at[f.index()].is_none() => columns.at[f.index()] = Some(i),
            _ if header.trim().is_empty() => {}
            _ => unmapped.push(header.clone()),
        }
    }
    let missing = F::FIELDS
        .iter()
        .copied()
        .filter(|f| f.required() && columns.of(*f).is_none())
        .map(|f| RefusedRow {
            row: 1,
            column: Some(f.label().to_string()),
            reason: format!(
                "文件中没有“{}”列:请把表头改为“{}”,或在列对应中指定哪一列是{}",
                f.label(),
                f.label(),
                f.label()
            ),
        })
        .collect();
    Ok((columns, unmapped, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_templates_headers_map_themselves() {
        let h =
            headers(&["网格编号", "地址", "姓名", "与户主关系", "性别", "出生年份", "联系电话", "身份证号", "标签"]);
        let (cols, unmapped, missing) = map::<Field>(&h, &BTreeMap::new()).unwrap();
        assert!(unmapped.is_empty() && missing.is_empty());
        assert_eq!(cols.of(Field::Tags), Some(8));
    }

    #[test]
    fn other_headers_are_mapped_by_the_administrator() {
        let h = headers(&["所属网格", "住址", "户主/成员", " 姓名 *", "关系", "性别", "出生年", "备注"]);
        let mapping: BTreeMap<String, String> = [
            ("所属网格", "grid"),
            ("住址", "address"),
            ("关系", "relation"),
            ("出生年", "birth_year"),
            ("户主/成员", ""),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (cols, unmapped, missing) = map::<Field>(&h, &mapping).unwrap();
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(cols.of(Field::Name), Some(3));
        assert_eq!(cols.header(Field::Name), " 姓名 *");
        assert_eq!(unmapped, ["户主/成员", "备注"], "a column mapped to \"\" is ignored");
    }

    #[test]
    fn a_missing_required_column_is_named_on_row_one() {
        let (_, _, missing) = map::<Field>(&headers(&["姓名"]), &BTreeMap::new()).unwrap();
        assert_eq!(missing.len(), 5);
        assert!(missing.iter().all(|r| r.row == 1));
        assert!(map::<Field>(&headers(&["x"]), &[("x".to_string(), "colour".to_string())].into()).is_err());
    }
}
