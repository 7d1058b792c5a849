//! Emergency mode (平急转换): one record per switch, placed at the switched node (its
//! scope), started and ended by town or district staff (`started_by`, its author); each
//! report available (主动报到) is its own keyed field `report:<person id>`, written only by
//! that person.

use serde_json::Value;

use super::ID_CHARS;
use super::{coded, field, roundtrip, text, FieldType, Fields, Label, Lang, Merge, RecordType, ScopeRule, Shown};
use crate::emergency::{check, Emergency, EmergencyKind, Ended, Report};
use crate::refusal::{RecordFault, Refusal};
use crate::sync::Collection;
use crate::{Date, DomainError, EmergencyId, GridId, PersonId, Reason};

/// A report's field ("report:<person id>").
#[rustfmt::skip]
static KEYED: [FieldType; 1] = [
    field!("report:", "主动报到", "Reported available", None, true, Shown::Labelled(report)),
];

#[rustfmt::skip] // a table: one line per field
pub(super) static EMERGENCIES: RecordType = RecordType {
    collection: Collection::Emergencies,
    noun: Label { zh: "紧急状态", en: "emergency" },
    scope: ScopeRule::GridField("grid"),
    author: Some(super::Author { field: "started_by", label: Label { zh: "紧急状态的启动人", en: "the emergency's starter" } }),
    fields: &[
        field!("id", "编号", "Id", text!(EmergencyId, ID_CHARS), false, Shown::AsIs),
        field!("grid", "范围", "Area", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("kind", "类型", "Kind", None, false, coded!(EmergencyKind)),
        field!("reason", "原因", "Reason", text!(Reason, Some(Reason::MAX_CHARS)), true, Shown::AsIs),
        field!("started_at", "启动时间", "Started", None, false, Shown::Time),
        field!("started_by", "启动人", "Started by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("ended", "解除", "Ended", None, true, Shown::Labelled(ended)),
    ],
    references: &[],
    merge: Merge::FieldsAndKeyed(&KEYED),
    unknown_code: "unknown_emergency",
    canonical,
    name_of: |fields| super::text_of(fields, "reason"),
};

/// The record as its core type writes it back, after its rules ([`check`]).
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<Emergency>(fields)?;
    let e: Emergency = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(RecordFault::Unreadable(e.to_string())))?;
    check(&e).map_err(|e| Refusal::Domain(DomainError::Emergency(e)))?;
    Ok(out)
}

/// "已报到 · 2026-12-07 · 可出动3人".
fn report(value: &Value, lang: Lang) -> Option<String> {
    let r: Report = serde_json::from_value(value.clone()).ok()?;
    let head = Label { zh: "已报到", en: "Reported" }.get(lang);
    Some(match r.note {
        Some(n) => format!("{head} · {} · {n}", Date::of_millis(r.at)),
        None => format!("{head} · {}", Date::of_millis(r.at)),
    })
}

/// "进行中" / "已解除 2026-12-07".
fn ended(value: &Value, lang: Lang) -> Option<String> {
    if value.is_null() {
        return Some(Label { zh: "进行中", en: "On" }.get(lang).to_string());
    }
    let e: Ended = serde_json::from_value(value.clone()).ok()?;
    Some(format!("{} {}", Label { zh: "已解除", en: "Ended" }.get(lang), Date::of_millis(e.at)))
}
