//! **One description per record type**: what the server's checks, the phone's conflict
//! screen, its store and its export need to know about a kind of record, written once.
//!
//! Why a static table per [`Collection`] rather than a trait: every reader holds a
//! `Collection` that came off the wire or out of a store, not a type parameter, so a table
//! reached through one exhaustive `match` ([`describe`]) serves them all without generics
//! or trait objects, and adding a `Collection` variant fails to compile until it is
//! described. The parts that need the record's Rust type (the whole-record round trip, a
//! coded value's label) are plain `fn` pointers in the table.
//!
//! One file per type (`grids.rs`, `people.rs`, …) holds its table.

mod emergencies;
mod grids;
mod households;
mod issues;
mod lists;
mod mediations;
mod meetings;
mod people;
mod tasks;
mod units;
mod visits;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::refusal::{RecordFault, Refusal};
use crate::sync::Collection;
use crate::DomainError;

/// A record's fields as sync carries them.
pub type Fields = Map<String, Value>;

/// The record type of `collection`. **The one `match` from a collection to its rules.**
pub fn describe(collection: Collection) -> &'static RecordType {
    match collection {
        Collection::Grids => &grids::GRIDS,
        Collection::People => &people::PEOPLE,
        Collection::Households => &households::HOUSEHOLDS,
        Collection::Units => &units::UNITS,
        Collection::Issues => &issues::ISSUES,
        Collection::Visits => &visits::VISITS,
        Collection::Meetings => &meetings::MEETINGS,
        Collection::Mediations => &mediations::MEDIATIONS,
        Collection::ListEntries => &lists::LIST_ENTRIES,
        Collection::Tasks => &tasks::TASKS,
        Collection::Emergencies => &emergencies::EMERGENCIES,
    }
}

/// A UI language, for the labels below (the app maps its own language onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// zh-CN, the default.
    Zh,
    /// English.
    En,
}

/// A text in both UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Label {
    /// The text in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// What decides which workers see a record (checked against their grid subtree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// The record is a grid: its own id.
    OwnId,
    /// The grid named by this field.
    GridField(&'static str),
    /// The grid of the household named by this field.
    ViaHousehold(&'static str),
}

/// The field naming who made a record: a new record must name the caller, and the field
/// is never rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author {
    /// The field.
    pub field: &'static str,
    /// How a message names it ("问题的上报人").
    pub label: Label,
}

/// A string field's core parse, which refuses it with the core's code and message.
#[derive(Clone, Copy)]
pub struct TextRule {
    /// The core's parse (`IssueTitle::parse` …), its value dropped.
    pub check: fn(&str) -> Result<(), DomainError>,
    /// Its length limit in characters, where it has one.
    pub max_chars: Option<usize>,
}

/// How a field's value is read by a person.
#[derive(Clone, Copy)]
pub enum Shown {
    /// As it is: text, a number, `—` for nothing.
    AsIs,
    /// A time in unix milliseconds, shown as a date.
    Time,
    /// A coded value with labels (a priority, a status, a member).
    Labelled(fn(&Value, Lang) -> Option<String>),
}

/// One field of a record.
#[derive(Clone, Copy)]
pub struct FieldType {
    /// Its wire name (for a keyed field, the prefix: `member:`).
    pub name: &'static str,
    /// Its label on the conflict screen.
    pub label: Label,
    /// The core parse a string value must pass, if it is a string field.
    pub text: Option<TextRule>,
    /// Whether a phone screen edits it (so it can clash and must read well in a conflict).
    pub phone_edits: bool,
    /// How its value reads.
    pub shown: Shown,
}

/// How concurrent writes to a record merge.
#[derive(Clone, Copy)]
pub enum Merge {
    /// Field by field: a field changed on both sides since its base is a conflict.
    Fields,
    /// Field by field, and some kinds of field are families keyed by id (`member:<id>`;
    /// a meeting's `attendee:<id>` and `item:<id>`), each merged on its own: two workers
    /// editing different members both win.
    FieldsAndKeyed(&'static [FieldType]),
}

/// Everything about one kind of record.
pub struct RecordType {
    /// Its collection (the name of its table and store: `collection.name()`).
    pub collection: Collection,
    /// What a person calls one ("问题", "issue"), for messages.
    pub noun: Label,
    /// Which grid scopes it.
    pub scope: ScopeRule,
    /// The field naming its author, if it has one.
    pub author: Option<Author>,
    /// Every plain field of the record (keyed fields are under `merge`).
    pub fields: &'static [FieldType],
    /// Fields that point at another record the caller must be able to see.
    pub references: &'static [(&'static str, Collection)],
    /// How concurrent writes merge.
    pub merge: Merge,
    /// The refusal code for "no such record here" (`unknown_household`).
    pub unknown_code: &'static str,
    /// The record as its core type writes it back (trimmed text, normalised values), or
    /// why it does not read as that type.
    pub canonical: fn(&Fields) -> Result<Fields, Refusal>,
    /// What a person calls this record, from its fields (an issue's title).
    pub name_of: fn(&Fields) -> Option<String>,
}

impl RecordType {
    /// The field `name`, a keyed field (`member:m1`) included.
    pub fn field(&self, name: &str) -> Option<&'static FieldType> {
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            return Some(f);
        }
        match self.merge {
            Merge::FieldsAndKeyed(keyed) => keyed.iter().find(|k| name.starts_with(k.name)),
            Merge::Fields => None,
        }
    }

    /// The core's parse for a string field, so the worker gets its message. A field the
    /// description does not name is left to the whole-record check.
    pub fn check_text(&self, field: &str, value: &str) -> Result<(), DomainError> {
        match self.field(field).and_then(|f| f.text) {
            Some(rule) => (rule.check)(value),
            None => Ok(()),
        }
    }

    /// Checks that `merged` is a valid record with id `id` and no field its type does not
    /// know; returns it in the core type's canonical form, which is what gets stored.
    pub fn validate(&self, id: &str, merged: &Fields) -> Result<Fields, Refusal> {
        if merged.get("id").and_then(Value::as_str) != Some(id) {
            return Err(Refusal::IdMismatch);
        }
        for (field, value) in merged {
            if let Value::String(s) = value {
                self.check_text(field, s)?;
            }
        }
        let canonical = (self.canonical)(merged)?;
        match merged.keys().find(|k| !canonical.contains_key(*k)) {
            Some(field) => Err(Refusal::UnknownField { collection: self.collection, field: field.clone() }),
            None => Ok(canonical),
        }
    }

    /// The grid (or household) that scopes a record, from its fields; `None` only for a
    /// record that does not validate.
    pub fn scope_of(&self, id: &str, fields: &Fields) -> Option<ScopeKey> {
        let text = |f: &str| fields.get(f).and_then(Value::as_str).map(str::to_string);
        match self.scope {
            ScopeRule::OwnId => Some(ScopeKey::Grid(id.to_string())),
            ScopeRule::GridField(f) => text(f).map(ScopeKey::Grid),
            ScopeRule::ViaHousehold(f) => text(f).map(ScopeKey::Household),
        }
    }

    /// The label of field `name` on the conflict screen; the wire name if it has none.
    pub fn field_label(&self, name: &str, lang: Lang) -> String {
        if name == crate::sync::WHOLE_RECORD {
            return WHOLE_RECORD_LABEL.get(lang).to_string();
        }
        match self.field(name) {
            Some(f) => f.label.get(lang).to_string(),
            None => name.to_string(),
        }
    }
}

/// Where a record sits for scope, read from its own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeKey {
    /// The record names its grid (a grid is its own).
    Grid(String),
    /// The record is scoped by its household's grid (a visit).
    Household(String),
}

/// How the conflict screen names a clash over the whole record (a delete that lost).
pub const WHOLE_RECORD_LABEL: Label = Label { zh: "删除", en: "Deletion" };

/// How the conflict screen reads the two sides of a clash over the whole record: the
/// server keeps the record (its fields, someone's edits among them), the device deleted it
/// (`null`).
pub fn whole_record_side(value: &Value, lang: Lang) -> &'static str {
    let label = match value {
        Value::Null => Label { zh: "删除这条记录", en: "Delete the record" },
        _ => Label { zh: "保留这条记录(含他人后来的修改)", en: "Keep the record (with the later edits)" },
    };
    label.get(lang)
}

/// The round trip through the core type `T`: the whole-record check.
fn roundtrip<T: DeserializeOwned + Serialize>(merged: &Fields) -> Result<Fields, Refusal> {
    let record: T = serde_json::from_value(Value::Object(merged.clone()))
        .map_err(|e| Refusal::InvalidRecord(RecordFault::Unreadable(e.to_string())))?;
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Refusal::InvalidRecord(RecordFault::NotAnObject)),
    }
}

/// A text field's value, for `name_of`.
fn text_of(fields: &Fields, name: &str) -> Option<String> {
    fields.get(name).and_then(Value::as_str).map(str::to_string)
}

/// The label of a `labelled_enum!` code, for `Shown::Labelled`.
macro_rules! coded {
    ($ty:ty) => {{
        fn show(value: &serde_json::Value, lang: $crate::record_type::Lang) -> Option<String> {
            let v = <$ty>::from_code(value.as_str()?)?;
            Some(
                match lang {
                    $crate::record_type::Lang::Zh => v.label_zh(),
                    $crate::record_type::Lang::En => v.label_en(),
                }
                .to_string(),
            )
        }
        $crate::record_type::Shown::Labelled(show)
    }};
}
pub(crate) use coded;

/// A string field checked by a core parse `$ty::parse`, limited to `$max` characters.
macro_rules! text {
    ($ty:ty, $max:expr) => {
        Some($crate::record_type::TextRule { check: |s| <$ty>::parse(s).map(drop), max_chars: $max })
    };
}
pub(crate) use text;

/// A field with its labels: `field!("title", "标题", "Title", text!(…), edits, shown)`.
macro_rules! field {
    ($name:literal, $zh:literal, $en:literal, $text:expr, $edits:expr, $shown:expr) => {
        $crate::record_type::FieldType {
            name: $name,
            label: $crate::record_type::Label { zh: $zh, en: $en },
            text: $text,
            phone_edits: $edits,
            shown: $shown,
        }
    };
}
pub(crate) use field;

pub use households::member_name;

/// The largest id the core accepts, as a text limit.
pub(crate) const ID_CHARS: Option<usize> = Some(crate::ids::MAX_ID_LEN);

#[cfg(test)]
mod tests;
