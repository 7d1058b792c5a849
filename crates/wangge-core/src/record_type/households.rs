//! Households (住户): the roster the household screen edits — address, care tags, status,
//! grid — and each member as its own field `member:<id>`, merged on its own.

use serde_json::Value;

use super::{coded, field, roundtrip, text, FieldType, Label, Lang, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::household::{Household, HouseholdStatus, HouseholdTag, Member, MEMBER_FIELD_PREFIX};
use crate::sync::Collection;
use crate::{Address, GridId, HouseholdId};

/// A member's field: "家庭成员", its value "王小军 · 子女 · 138… · 在住".
#[rustfmt::skip]
static MEMBER: [FieldType; 1] = [field!("member:", "家庭成员", "Members", None, true, Shown::Labelled(member))];

#[rustfmt::skip] // a table: one line per field
pub(super) static HOUSEHOLDS: RecordType = RecordType {
    collection: Collection::Households,
    noun: Label { zh: "户", en: "household" },
    scope: ScopeRule::GridField("grid"),
    author: None,
    fields: &[
        field!("id", "编号", "Id", text!(HouseholdId, ID_CHARS), false, Shown::AsIs),
        field!("grid", "所在网格", "Grid", text!(GridId, ID_CHARS), true, Shown::AsIs),
        field!("address", "地址", "Address", text!(Address, Some(Address::MAX_CHARS)), true, Shown::AsIs),
        field!("tags", "关爱标签", "Care tags", None, true, Shown::Labelled(tags)),
        field!("status", "住户状态", "Household status", None, true, coded!(HouseholdStatus)),
        field!("merged_into", "合并到", "Merged into", text!(HouseholdId, ID_CHARS), false, Shown::AsIs),
    ],
    references: &[],
    merge: Merge::FieldsAndKeyed(&MEMBER),
    unknown_code: "unknown_household",
    canonical: roundtrip::<Household>,
    name_of: head_name,
};

fn label(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    Label { zh, en }.get(lang)
}

fn tags(value: &Value, lang: Lang) -> Option<String> {
    let tags: Vec<HouseholdTag> = serde_json::from_value(value.clone()).ok()?;
    let names: Vec<&str> = tags.iter().map(|t| label(lang, t.label_zh(), t.label_en())).collect();
    Some(if names.is_empty() { "—".into() } else { names.join("、") })
}

fn member(value: &Value, lang: Lang) -> Option<String> {
    let m: Member = serde_json::from_value(value.clone()).ok()?;
    let (r, s) = (m.relation, m.status);
    let phone = m.phone.map(|p| format!(" · {p}")).unwrap_or_default();
    Some(format!(
        "{} · {}{phone} · {}",
        m.name,
        label(lang, r.label_zh(), r.label_en()),
        label(lang, s.label_zh(), s.label_en())
    ))
}

/// The head's name: what a worker calls a household.
fn head_name(fields: &super::Fields) -> Option<String> {
    let household: Household = serde_json::from_value(Value::Object(fields.clone())).ok()?;
    household.head().map(|m| m.name.to_string())
}

/// The member's name, when `field` is a member's field (the conflict screen names which
/// member clashed: a household has several).
pub fn member_name(field: &str, value: &Value) -> Option<String> {
    field.strip_prefix(MEMBER_FIELD_PREFIX)?;
    value.get("name")?.as_str().map(str::to_string)
}
