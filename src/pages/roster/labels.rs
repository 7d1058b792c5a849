//! Household fields and values as a person reads them, for the household's change
//! history: the core's record-type description of households read for the screen
//! (`member:<id>` is "家庭成员", a member's value "王小军 · 子女 · 13800138000 · 已故", tags
//! and statuses their labels), the same words the conflict list uses.

use serde_json::Value;
use wangge_core::record_type::{describe, Shown};
use wangge_core::sync::Collection;

use crate::i18n::Lang;

/// The label of a household field, or `None` when it is not one.
pub fn household_field(field: &str, lang: Lang) -> Option<String> {
    describe(Collection::Households).field(field).map(|f| f.label.get(lang.into()).to_string())
}

/// A household field's value, or `None` when it has no special reading.
pub fn household_value(field: &str, value: &Value, lang: Lang) -> Option<String> {
    match describe(Collection::Households).field(field)?.shown {
        Shown::Labelled(show) => show(value, lang.into()),
        _ => None,
    }
}
