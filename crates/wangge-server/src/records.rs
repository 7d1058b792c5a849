//! Pure checks on synced records (no SQL), as the core's record-type description states
//! them (`wangge_core::record_type`): a merged field map must form a valid core record of
//! its collection, and the grid that decides its scope is read from its fields.
//!
//! Validation runs the core's own `parse` functions field by field first, so a bad title
//! is refused with the core's code (`title_blank`) and Chinese message, then deserialises
//! the whole record into the core type to catch everything else (missing fields, bad enum
//! codes, nested members).

use serde_json::{Map, Value};
use wangge_core::record_type::describe;
use wangge_core::refusal::Refusal;
use wangge_core::sync::Collection;
use wangge_core::DomainError;

pub(crate) use wangge_core::record_type::ScopeKey;

pub(crate) type Fields = Map<String, Value>;

/// Why a mutation was refused, as the wire carries it: a stable code and the Chinese
/// message (a phone in English translates the code). Built from a core [`Refusal`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rejection {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl From<Refusal> for Rejection {
    fn from(r: Refusal) -> Rejection {
        Rejection { code: r.code().to_string(), message: r.message_zh() }
    }
}

impl From<DomainError> for Rejection {
    fn from(e: DomainError) -> Rejection {
        Refusal::Domain(e).into()
    }
}

/// Checks that `merged` (the server's fields with the applied writes on top) is a valid
/// record of `collection` with id `id`, and has no field the record type does not know.
/// Returns the record as the core type writes it back — trimmed text, normalised values —
/// which is what gets stored, never the raw input the checks were run on.
pub(crate) fn validate(collection: Collection, id: &str, merged: &Fields) -> Result<Fields, Rejection> {
    Ok(describe(collection).validate(id, merged)?)
}

/// `None` only for a record that does not validate (callers validate first).
pub(crate) fn scope_key(collection: Collection, id: &str, merged: &Fields) -> Option<ScopeKey> {
    describe(collection).scope_of(id, merged)
}
