//! Units (单位): shops, firms, organisations and district departments on the roster, each
//! with the account that answers for it on handed issues. No phone screen edits them yet.

use super::{coded, field, roundtrip, text, text_of, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::sync::Collection;
use crate::unit::{Unit, UnitKind};
use crate::{Address, GridId, PersonId, PersonName, Phone, UnitId, UnitName};

#[rustfmt::skip] // a table: one line per field
pub(super) static UNITS: RecordType = RecordType {
    collection: Collection::Units,
    noun: Label { zh: "单位", en: "unit" },
    scope: ScopeRule::GridField("grid"),
    author: None,
    fields: &[
        field!("id", "编号", "Id", text!(UnitId, ID_CHARS), false, Shown::AsIs),
        field!("grid", "所在网格", "Grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("name", "单位名称", "Unit name", text!(UnitName, Some(UnitName::MAX_CHARS)), false, Shown::AsIs),
        field!("kind", "单位类型", "Kind", None, false, coded!(UnitKind)),
        field!("address", "地址", "Address", text!(Address, Some(Address::MAX_CHARS)), false, Shown::AsIs),
        field!("contact", "联系人", "Contact", text!(PersonName, Some(PersonName::MAX_CHARS)), false, Shown::AsIs),
        field!("phone", "电话", "Phone", text!(Phone, None), false, Shown::AsIs),
        field!("contact_person", "联络员账号", "Contact account", text!(PersonId, ID_CHARS), false, Shown::AsIs),
    ],
    references: &[("contact_person", Collection::People)],
    merge: Merge::Fields,
    unknown_code: "unknown_unit",
    canonical: roundtrip::<Unit>,
    name_of: |f| text_of(f, "name"),
};
