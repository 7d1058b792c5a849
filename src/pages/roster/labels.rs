//! Household fields and values as a person reads them, for the household's change
//! history and the conflict list: `member:<id>` is "家庭成员", a member's value is
//! "王小军 · 子女 · 13800138000 · 已故", tags and statuses are their labels, not their codes.

use serde_json::Value;
use wangge_core::household::{HouseholdStatus, HouseholdTag, Member, Members};

use crate::i18n::roster::{label, RosterMsg};
use crate::i18n::{Lang, Text};

/// The label of a household field, or `None` when it is not one.
pub fn household_field(field: &str, lang: Lang) -> Option<String> {
    let msg = match field {
        "address" => RosterMsg::FieldAddress,
        "tags" => RosterMsg::FieldTags,
        "status" => RosterMsg::FieldHouseholdStatus,
        "grid" => RosterMsg::Grid,
        f if Members::id_of_field(f).is_some() => RosterMsg::Members,
        _ => return None,
    };
    Some(msg.text(lang).to_string())
}

/// A household field's value, or `None` when it has no special reading.
pub fn household_value(field: &str, value: &Value, lang: Lang) -> Option<String> {
    let code = value.as_str().unwrap_or_default();
    match field {
        "status" => HouseholdStatus::from_code(code).map(|s| label(lang, s.label_zh(), s.label_en()).into()),
        "tags" => {
            let tags: Vec<HouseholdTag> = serde_json::from_value(value.clone()).ok()?;
            let names: Vec<&str> = tags.iter().map(|t| label(lang, t.label_zh(), t.label_en())).collect();
            Some(if names.is_empty() { "—".into() } else { names.join("、") })
        }
        f if Members::id_of_field(f).is_some() => {
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
        _ => None,
    }
}

/// The member's name, when `field` is a member field.
pub fn member_name(field: &str, value: &Value) -> Option<String> {
    Members::id_of_field(field)?;
    value.get("name")?.as_str().map(str::to_string)
}
