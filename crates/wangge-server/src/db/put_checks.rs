//! What the per-collection put checks beyond the record type (`tasks.rs`,
//! `emergencies.rs`) share: the merged record read as its core type, every field the put
//! writes (applied now or kept aside as a conflict that "keep mine" may apply later, so
//! held to the same rules), and a close (`closed`, `ended`) held to the caller's name.

use serde::de::DeserializeOwned;
use serde_json::Value;
use wangge_core::sync::KeptConflict;

use super::ctx::Ctx;
use super::DbError;
use crate::records::Fields;

/// The merged record as `T`; `what` names it if it cannot be read (validation passed, so
/// that is corruption, not bad input).
pub(super) fn merged_as<T: DeserializeOwned>(merged: &Fields, what: &str) -> Result<T, DbError> {
    serde_json::from_value(Value::Object(merged.clone()))
        .map_err(|e| DbError::Corrupt(format!("{what} unreadable after validation: {e}")))
}

/// Every (field, value) the put writes: applied, then kept aside as conflicts.
pub(super) fn writes<'a>(
    applied: &'a [(String, Value)],
    conflicts: &'a [KeptConflict],
) -> impl Iterator<Item = (&'a String, &'a Value)> + Clone {
    applied.iter().map(|(f, v)| (f, v)).chain(conflicts.iter().map(|c| (&c.field, &c.device_value)))
}

/// Whether a close (a task's `closed`, an emergency's `ended`) is null (reopened) or
/// names the caller as `by`: who closed it is history, attributed like a result.
pub(super) fn by_caller_or_null(ctx: &Ctx<'_>, value: &Value) -> bool {
    value.is_null() || value.get("by").and_then(Value::as_str) == Some(ctx.caller.user.person_id.as_str())
}
