//! References from one record to another — an issue's household and unit, the issues a
//! visit followed up — must point at records the caller may see. Otherwise a worker could
//! hang an issue on a household in another grid (whose name then shows beside it on other
//! phones) or tie a visit to a foreign issue. A reference the caller cannot see gets the
//! same answer whether it exists elsewhere or nowhere, so ids in other grids cannot be
//! probed. Only references the put writes are checked: an old record is not refused for
//! an edit of another field.

use serde_json::Value;
use wangge_core::sync::Collection;

use super::ctx::Ctx;
use super::{store, DbError};
use crate::records::Rejection;

/// The first written reference the caller cannot see, as a refusal.
pub(super) fn check(ctx: &Ctx<'_>, collection: Collection, applied: &[(String, Value)]) -> Result<Result<(), Rejection>, DbError> {
    for (field, value) in applied {
        let (target, what) = match (collection, field.as_str()) {
            (Collection::Issues, "household") => (Collection::Households, "户"),
            (Collection::Issues, "unit") => (Collection::Units, "单位"),
            (Collection::Visits, "issues") => (Collection::Issues, "问题"),
            _ => continue,
        };
        let ids: Vec<&str> = match value {
            Value::String(id) => vec![id.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        for id in ids {
            if visible_grid(ctx, target, id)?.is_none() {
                return Ok(Err(unseen(target, what)));
            }
        }
    }
    Ok(Ok(()))
}

/// The record's grid, if it exists, is not deleted and sits in the caller's subtree.
pub(super) fn visible_grid(ctx: &Ctx<'_>, collection: Collection, id: &str) -> Result<Option<String>, DbError> {
    Ok(store::record_row(ctx.tx, collection.name(), id)?
        .filter(|row| !row.deleted && ctx.check_scope(&row.grid).is_ok())
        .map(|row| row.grid))
}

/// One answer for "not there" and "not yours".
pub(super) fn unseen(collection: Collection, what: &str) -> Rejection {
    Rejection::new(
        &format!("unknown_{}", collection.name().trim_end_matches('s')),
        format!("找不到该{what},或不在您负责的范围内,请先同步"),
    )
}
