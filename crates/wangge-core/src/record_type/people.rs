//! People (人员): staff and roster people. Kept by roster staff and administration; no
//! phone screen edits them.

use super::{field, roundtrip, text, text_of, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::people::Person;
use crate::sync::Collection;
use crate::{GridId, PersonId, PersonName, Phone};

#[rustfmt::skip] // a table: one line per field
pub(super) static PEOPLE: RecordType = RecordType {
    collection: Collection::People,
    noun: Label { zh: "人员", en: "person" },
    scope: ScopeRule::GridField("grid"),
    author: None,
    fields: &[
        field!("id", "编号", "Id", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("name", "姓名", "Name", text!(PersonName, Some(PersonName::MAX_CHARS)), false, Shown::AsIs),
        field!("phone", "电话", "Phone", text!(Phone, None), false, Shown::AsIs),
        field!("grid", "所在网格", "Grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("roles", "身份", "Roles", None, false, Shown::Labelled(roles)),
        field!("active", "在岗", "Active", None, false, Shown::AsIs),
    ],
    references: &[],
    merge: Merge::Fields,
    unknown_code: "unknown_person",
    canonical: roundtrip::<Person>,
    name_of: |f| text_of(f, "name"),
};

fn roles(value: &serde_json::Value, lang: super::Lang) -> Option<String> {
    let roles: Vec<crate::people::Role> = serde_json::from_value(value.clone()).ok()?;
    let names: Vec<&str> =
        roles.iter().map(|r| super::Label { zh: r.label_zh(), en: r.label_en() }.get(lang)).collect();
    Some(if names.is_empty() { "—".into() } else { names.join("、") })
}
