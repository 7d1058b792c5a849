//! What an emergency put must keep beyond the record type's rules (`apply.rs` asks after
//! validation, so the merged record reads as the core's `Emergency`):
//!
//! - **Only town and district staff switch a scope into emergency, change it or switch it
//!   back** (a role handling issues at the town rung or above), and only at a node their
//!   scope holds (`scope_of` in `apply.rs`) that is a district, town or community
//!   (core `check_node`), and a switch back (`ended`) is in the caller's own name.
//! - **Anyone at or below the node writes only their own report**: a put whose every
//!   field is `report:<person id>` is the one write allowed on an emergency placed above
//!   the caller's scope (the record is seen from below, `ctx::seen_from_above`) and the one
//!   write a contact-only account makes besides issue events. The key is the caller
//!   (`actor_mismatch` otherwise), the caller's home grid is inside the node and a unit
//!   named is one they are the contact of, inside the node (core `check_report`).

use std::collections::BTreeMap;

use serde_json::Value;
use wangge_core::emergency::{check_node, check_report, Emergency, REPORT_PREFIX};
use wangge_core::grid::EscalationLevel;
use wangge_core::refusal::{ActorFault, Forbidden, Refusal};
use wangge_core::sync::{Collection, FieldWrite, KeptConflict};
use wangge_core::unit::Unit;
use wangge_core::DomainError;

use super::ctx::Ctx;
use super::put_checks::{by_caller_or_null, merged_as, writes};
use super::{store, Answer, DbError};
use crate::records::{Fields, Rejection};

/// Whether a put writes nothing but reports: the write allowed from below the node.
pub(super) fn reports_only(collection: Collection, writes: &BTreeMap<String, FieldWrite>) -> bool {
    collection == Collection::Emergencies && !writes.is_empty() && writes.keys().all(|f| f.starts_with(REPORT_PREFIX))
}

/// The refusal of a write other than a report on an emergency the caller sees from below:
/// to someone who could never switch, the role is what to tell them; to town staff, that
/// the node is above their own.
pub(super) fn from_below(ctx: &Ctx<'_>, out_of_scope: Rejection) -> Rejection {
    match town_staff(ctx) {
        true => out_of_scope,
        false => Refusal::ForbiddenRole(Forbidden::EmergencySwitch).into(),
    }
}

/// Whether the caller handles issues at the town rung or above.
fn town_staff(ctx: &Ctx<'_>) -> bool {
    ctx.caller.user.roles.iter().any(|r| r.handles_at().is_some_and(|l| l >= EscalationLevel::Town))
}

/// The checks above, for a put leaving `merged`, writing `applied` and keeping
/// `conflicts` aside (a kept value may be applied later by "keep mine").
pub(super) fn check(
    ctx: &Ctx<'_>,
    merged: &Fields,
    applied: &[(String, Value)],
    conflicts: &[KeptConflict],
    is_new: bool,
) -> Answer<(), Rejection> {
    let e: Emergency = merged_as(merged, "an emergency")?;
    let writes = || writes(applied, conflicts);
    let user = &ctx.caller.user;
    let town_staff = town_staff(ctx);
    for (field, value) in writes() {
        let Some(who) = field.strip_prefix(REPORT_PREFIX) else {
            if !town_staff {
                return Ok(Err(Refusal::ForbiddenRole(Forbidden::EmergencySwitch).into()));
            }
            if field == "ended" && !by_caller_or_null(ctx, value) {
                return Ok(Err(Refusal::ActorMismatch(ActorFault::Closing).into()));
            }
            continue;
        };
        if who != user.person_id.as_str() {
            return Ok(Err(Refusal::ActorMismatch(ActorFault::EmergencyReport).into()));
        }
        let Some(report) = e.reports.of(&user.person_id) else {
            continue;
        };
        let unit = match &report.unit {
            Some(id) => read_unit(ctx, id.as_str())?,
            None => None,
        };
        if let Err(err) = check_report(&ctx.tree, &e, &user.person_id, &user.home_grid, report, unit.as_ref()) {
            return Ok(Err(Refusal::Domain(DomainError::Emergency(err)).into()));
        }
    }
    let placed = is_new || writes().any(|(f, _)| f == "grid");
    if placed {
        if let Err(err) = check_node(&ctx.tree, &e.grid) {
            return Ok(Err(Refusal::Domain(DomainError::Emergency(err)).into()));
        }
    }
    Ok(Ok(()))
}

/// The unit a report names, as stored (`None` if there is none live).
fn read_unit(ctx: &Ctx<'_>, id: &str) -> Result<Option<Unit>, DbError> {
    if store::record_row(ctx.tx, Collection::Units.name(), id)?.is_none_or(|r| r.deleted) {
        return Ok(None);
    }
    let cells = store::record_cells(ctx.tx, Collection::Units.name(), id)?;
    let fields: Fields = cells.into_iter().map(|(k, c)| (k, c.value.value)).collect();
    Ok(serde_json::from_value(Value::Object(fields)).ok())
}
