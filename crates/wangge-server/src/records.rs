//! Pure checks on synced records (no SQL): a merged field map must form a valid core record
//! of its collection, and the grid that decides its scope is read from its fields.
//!
//! Validation runs the core's own `parse` functions field by field first, so a bad title
//! is refused with the core's code (`title_blank`) and Chinese message, then deserialises
//! the whole record into the core type to catch everything else (missing fields, bad enum
//! codes, nested members).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use wangge_core::grid::{Grid, GridCode};
use wangge_core::household::Household;
use wangge_core::issue::Issue;
use wangge_core::people::Person;
use wangge_core::sync::Collection;
use wangge_core::unit::Unit;
use wangge_core::visit::Visit;
use wangge_core::{
    Address, Date, Description, DomainError, GridId, GridName, HouseholdId, IssueTitle, Notes,
    PersonId, PersonName, Phone, UnitId, UnitName,
};

pub(crate) type Fields = Map<String, Value>;

/// Why a mutation was refused: a stable code and a message the worker can act on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rejection {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl Rejection {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Rejection {
        Rejection { code: code.to_string(), message: message.into() }
    }
}

impl From<DomainError> for Rejection {
    fn from(e: DomainError) -> Rejection {
        Rejection { code: e.code().to_string(), message: e.message_zh() }
    }
}

/// Checks that `merged` (the server's fields with the applied writes on top) is a valid
/// record of `collection` with id `id`, and has no field the record type does not know.
/// Returns the record as the core type writes it back — trimmed text, normalised values —
/// which is what gets stored, never the raw input the checks were run on.
pub(crate) fn validate(collection: Collection, id: &str, merged: &Fields) -> Result<Fields, Rejection> {
    if merged.get("id").and_then(Value::as_str) != Some(id) {
        return Err(Rejection::new("id_mismatch", "记录的 id 字段必须与记录编号一致"));
    }
    for (field, value) in merged {
        if let Value::String(s) = value {
            check_text(collection, field, s)?;
        }
    }
    let canonical = match collection {
        Collection::Grids => roundtrip::<Grid>(merged)?,
        Collection::People => roundtrip::<Person>(merged)?,
        Collection::Households => roundtrip::<Household>(merged)?,
        Collection::Units => roundtrip::<Unit>(merged)?,
        Collection::Issues => roundtrip::<Issue>(merged)?,
        Collection::Visits => roundtrip::<Visit>(merged)?,
    };
    match merged.keys().find(|k| !canonical.contains_key(*k)) {
        Some(field) => Err(Rejection::new(
            "unknown_field",
            format!("{}记录没有字段“{field}”,请更新应用", collection.name()),
        )),
        None => Ok(canonical),
    }
}

fn roundtrip<T: DeserializeOwned + Serialize>(merged: &Fields) -> Result<Fields, Rejection> {
    let record: T = serde_json::from_value(Value::Object(merged.clone()))
        .map_err(|e| Rejection::new("invalid_record", format!("记录内容不完整或格式不对:{e}")))?;
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Rejection::new("invalid_record", "记录内容格式不对")),
    }
}

/// The core's parse for the string fields it has one for, so the worker gets its message.
fn check_text(collection: Collection, field: &str, s: &str) -> Result<(), DomainError> {
    use Collection::*;
    match (collection, field) {
        (Grids, "id") | (_, "grid") | (Grids, "parent") => GridId::parse(s).map(drop),
        (People, "id") | (Issues, "reporter") | (Visits, "worker") => PersonId::parse(s).map(drop),
        (Households, "id") | (Issues | Visits, "household") => HouseholdId::parse(s).map(drop),
        (Units, "id") | (Issues, "unit") => UnitId::parse(s).map(drop),
        (Issues, "id") => wangge_core::IssueId::parse(s).map(drop),
        (Visits, "id") => wangge_core::VisitId::parse(s).map(drop),
        (Issues, "title") => IssueTitle::parse(s).map(drop),
        (Issues, "description") => Description::parse(s).map(drop),
        (Households | Units, "address") => Address::parse(s).map(drop),
        (People, "name") | (Units, "contact") => PersonName::parse(s).map(drop),
        (People | Units, "phone") => Phone::parse(s).map(drop),
        (Grids, "name") => GridName::parse(s).map(drop),
        (Grids, "code") => GridCode::parse(s).map(drop),
        (Units, "name") => UnitName::parse(s).map(drop),
        (Visits, "notes") => Notes::parse(s).map(drop),
        (Visits, "date") => Date::parse(s).map(drop),
        _ => Ok(()),
    }
}

/// Where a record sits for scope, read from its own fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ScopeKey {
    /// The record names its grid (people, households, units, issues; a grid is its own).
    Grid(String),
    /// A visit is scoped by its household's grid.
    Household(String),
}

/// `None` only for a record that does not validate (callers validate first).
pub(crate) fn scope_key(collection: Collection, id: &str, merged: &Fields) -> Option<ScopeKey> {
    let text = |f: &str| merged.get(f).and_then(Value::as_str).map(str::to_string);
    match collection {
        Collection::Grids => Some(ScopeKey::Grid(id.to_string())),
        Collection::Visits => text("household").map(ScopeKey::Household),
        _ => text("grid").map(ScopeKey::Grid),
    }
}
