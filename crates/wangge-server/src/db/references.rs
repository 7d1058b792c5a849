//! References from one record to another — an issue's household and unit, a unit's
//! contact, a meeting's host, the issues a visit followed up — must point at records the
//! caller may see (people and units above the caller's grid included, as the pull sends
//! them: a community hands issues to the district's departments). Otherwise a worker could
//! hang an issue on a household in another grid (whose name then shows beside it on other
//! phones) or tie a visit to a foreign issue. A reference the caller cannot see gets the
//! same answer whether it exists elsewhere or nowhere, so ids in other grids cannot be
//! probed. Only references the put writes are checked: an old record is not refused for
//! an edit of another field.

use serde_json::Value;
use wangge_core::record_type::describe;
use wangge_core::refusal::Refusal;
use wangge_core::sync::Collection;

use super::ctx::Ctx;
use super::Answer;
use super::DbError;
use crate::records::Rejection;

/// The first written reference the caller cannot see, as a refusal.
pub(super) fn check(ctx: &Ctx<'_>, collection: Collection, applied: &[(String, Value)]) -> Answer<(), Rejection> {
    let references = describe(collection).references;
    for (field, value) in applied {
        let Some(&(_, target)) = references.iter().find(|(f, _)| f == field) else {
            continue;
        };
        let ids: Vec<&str> = match value {
            Value::String(id) => vec![id.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        for id in ids {
            if visible_grid(ctx, target, id)?.is_none() {
                return Ok(Err(unseen(target)));
            }
        }
    }
    Ok(Ok(()))
}

/// The record's grid, if it exists, is not deleted and the caller sees it (`Ctx::sees`:
/// its subtree, and the people and units above it), or it is one of the caller's units.
pub(super) fn visible_grid(ctx: &Ctx<'_>, collection: Collection, id: &str) -> Result<Option<String>, DbError> {
    let own_unit = collection == Collection::Units && ctx.units.iter().any(|u| u.as_str() == id);
    Ok(ctx
        .reads
        .row(ctx.tx, collection, id)?
        .filter(|row| !row.deleted && (own_unit || ctx.sees(collection, &row.grid)))
        .map(|row| row.grid))
}

/// One answer for "not there" and "not yours". The message names the record as the
/// core's description does; `_noun` is only kept so `db/apply.rs`, being rewritten
/// elsewhere, compiles unchanged (the lead drops it after the merge).
pub(super) fn unseen(collection: Collection) -> Rejection {
    Refusal::UnknownRecord { collection }.into()
}
