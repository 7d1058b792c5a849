//! Applying one pushed mutation inside the batch's transaction, as a driver of the core's
//! decisions (`wangge_core::sync::decide`): read the rows a decision needs, ask it, and
//! write what it says — `decide_put` (field merge, a deleted record refused),
//! `decide_delete` (tombstone or a `WHOLE_RECORD` conflict), `decide_append` (events, timed
//! by `accepted_time`), `decide_settle` (`settle.rs`). What is the SQLite server's alone:
//! scope, roles, attribution and validation, all checked before anything is written, so
//! a rejected mutation leaves no trace; and the conflicts' opaque ids (`moves.rs`).

use std::collections::BTreeMap;

use super::sql::params;
use serde_json::Value;
use wangge_core::issue::EventKind;
use wangge_core::issue::{derive, IssueEvent};
use wangge_core::refusal::{Forbidden, RecordFault, Refusal};
use wangge_core::sync::{
    decide_append, decide_delete, decide_put, may_delete, AppendDecision, Collection, DeleteDecision, FieldWrite,
    KeptConflict, Op, PutDecision, StoredField, StoredRecord,
};
use wangge_core::{GridId, PersonId};

use super::ctx::{Ctx, Outcome};
use super::Answer;
use super::{emergencies, handoffs, moves, photos, references, row_writes, settle, store, tasks, users, DbError};
use crate::permissions;
use crate::records::{self, Fields, Rejection, ScopeKey};

pub(super) fn apply(ctx: &mut Ctx<'_>, op: Op) -> Result<Outcome, DbError> {
    let grid_write =
        matches!(&op, Op::Put { collection: Collection::Grids, .. } | Op::Delete { collection: Collection::Grids, .. });
    if grid_write {
        return Ok(Outcome::Rejected(permissions::grid_write_refused(&ctx.caller.user)));
    }
    // A unit's contact and nothing else answers through issue events only — and reports
    // available in an emergency (主动报到), which writes nothing but their own report.
    let report = matches!(&op, Op::Put { collection, fields, .. } if emergencies::reports_only(*collection, fields));
    if ctx.contact_only() && matches!(op, Op::Put { .. } | Op::Delete { .. }) && !report {
        return Ok(refused(Refusal::ForbiddenRole(Forbidden::UnitContactOnly)));
    }
    match op {
        Op::Put { collection, id, fields } => put(ctx, collection, &id, fields),
        Op::Delete { collection, id, base } => delete(ctx, collection, &id, base),
        Op::AppendEvent { event } => append_event(ctx, &event),
        Op::SettleConflict { conflict } => settle::settle_conflict(ctx, &conflict),
    }
}

/// The field decisions of one put and the record they would leave behind.
struct Plan {
    /// Only reports on an emergency: allowed from below its node (`emergencies.rs`).
    reports_only: bool,
    merged: Fields,
    apply: Vec<(String, Value)>,
    conflicts: Vec<KeptConflict>,
}

/// A live record's cells as the core's decisions read them.
fn stored(cells: &BTreeMap<String, store::Cell>, client: &str) -> StoredRecord {
    let fields = cells
        .iter()
        .map(|(k, c)| (k.clone(), StoredField { value: c.value.clone(), own: c.writer.as_deref() == Some(client) }))
        .collect();
    StoredRecord::Live(fields)
}

fn refused(refusal: Refusal) -> Outcome {
    Outcome::Rejected(refusal.into())
}

fn put(
    ctx: &mut Ctx<'_>,
    collection: Collection,
    id: &str,
    writes: BTreeMap<String, FieldWrite>,
) -> Result<Outcome, DbError> {
    // The row and its fields in one read (a record out of scope is refused before they
    // are used).
    let (row, cells) = ctx.reads.record(ctx.tx, collection, id)?.unzip();
    let reports_only = emergencies::reports_only(collection, &writes);
    let cells = match &row {
        None => BTreeMap::new(),
        Some(row) if row.deleted => BTreeMap::new(),
        Some(row) => {
            if let Err(r) = scope_for(ctx, collection, &row.grid, reports_only) {
                return Ok(Outcome::Rejected(r));
            }
            cells.unwrap_or_default()
        }
    };
    let current = match &row {
        None => StoredRecord::Absent,
        Some(row) if row.deleted => StoredRecord::Deleted,
        Some(_) => stored(&cells, ctx.client_id),
    };
    let decided = match decide_put(&current, &writes) {
        PutDecision::Refused(refusal) => return Ok(refused(refusal)),
        PutDecision::Merge(decided) => decided,
    };
    let mut merged: Fields = cells.iter().map(|(k, c)| (k.clone(), c.value.value.clone())).collect();
    merged.extend(decided.apply.iter().cloned());
    let mut plan = Plan { reports_only, merged, apply: decided.apply, conflicts: decided.conflicts };
    if let Err(r) = canonicalize(collection, id, &mut plan) {
        return Ok(Outcome::Rejected(r));
    }
    // Who the unit's contact was, from the fields already read (a hand-off follows it).
    let old_contact = cells.get("contact_person").and_then(|c| c.value.value.as_str().map(str::to_owned));
    let is_new = row.is_none();
    let before = Before { grid: row.map(|r| r.grid), contact: old_contact };
    match check_put(ctx, collection, id, &plan, is_new)? {
        Ok(checked) => write_put(ctx, collection, id, &plan, checked, before),
        Err(r) => Ok(Outcome::Rejected(r)),
    }
}

/// Validates the record the put would leave, and every value it would keep aside as a
/// conflict as if it had been applied, then replaces each written value with its
/// canonical form. A conflict's value is shown on every phone and may later be applied
/// by "keep mine": it is held to the same rules as a value stored in the record.
fn canonicalize(collection: Collection, id: &str, plan: &mut Plan) -> Result<(), Rejection> {
    let canonical = records::validate(collection, id, &plan.merged)?;
    for (field, value) in &mut plan.apply {
        if let Some(v) = canonical.get(field) {
            *value = v.clone();
        }
    }
    for kept in &mut plan.conflicts {
        let mut alternative = plan.merged.clone();
        alternative.insert(kept.field.clone(), kept.device_value.clone());
        let canonical = records::validate(collection, id, &alternative)?;
        if let Some(v) = canonical.get(kept.field.as_str()) {
            kept.device_value = v.clone();
        }
    }
    plan.merged = canonical;
    Ok(())
}

/// Where a checked put leaves the record.
struct Checked {
    grid: String,
}

fn check_put(ctx: &Ctx<'_>, collection: Collection, id: &str, plan: &Plan, is_new: bool) -> Answer<Checked, Rejection> {
    if collection == Collection::Meetings {
        if let Err(r) = permissions::check_meeting_write(&ctx.caller.user) {
            return Ok(Err(r));
        }
    }
    let grid = match scope_of(ctx, collection, id, plan)? {
        Ok(grid) => grid,
        Err(r) => return Ok(Err(r)),
    };
    // Nothing new goes into a retired grid (what was there when it retired stays).
    let arriving = is_new || plan.apply.iter().any(|(f, _)| f == "grid");
    if let Some(g) = GridId::parse(grid.as_str()).ok().and_then(|g| ctx.tree.get(&g).filter(|g| g.retired && arriving))
    {
        return Ok(Err(Refusal::GridRetired { name: g.name.as_str().to_string() }.into()));
    }
    if let Err(r) = permissions::check_author(&ctx.caller.user, collection, &plan.merged, &plan.apply, is_new) {
        return Ok(Err(r));
    }
    if let Err(r) = references::check(ctx, collection, &plan.apply)? {
        return Ok(Err(r));
    }
    if collection == Collection::Tasks {
        if let Err(r) = tasks::check(ctx, &plan.merged, &plan.apply, &plan.conflicts, is_new)? {
            return Ok(Err(r));
        }
    }
    if collection == Collection::Emergencies {
        if let Err(r) = emergencies::check(ctx, &plan.merged, &plan.apply, &plan.conflicts, is_new)? {
            return Ok(Err(r));
        }
    }
    // A value kept aside as a conflict may be applied later by "keep mine": it is held to
    // the same rule as one applied now, or a grid worker could park a role there.
    let person_writes: Vec<(String, Value)> = plan
        .apply
        .iter()
        .cloned()
        .chain(plan.conflicts.iter().map(|c| (c.field.clone(), c.device_value.clone())))
        .collect();
    if collection == Collection::People && !person_writes.is_empty() {
        let account = users::is_account(ctx.tx, id)?;
        if let Err(r) = permissions::check_person_write(&ctx.caller.user, &person_writes, account) {
            return Ok(Err(r));
        }
    }
    if collection == Collection::Issues && !is_new && !plan.apply.is_empty() {
        // `canonicalize` has parsed the merged issue, so its reporter is there; were it
        // not, the edit check must not be skipped.
        let reporter = person_at(plan.merged.get("reporter"))
            .ok_or_else(|| DbError::Corrupt(format!("issue {id} has no valid reporter after validation")))?;
        let state = derive(&ctx.reads.history(ctx.tx, id)?).state;
        if let Err(r) = permissions::check_issue_edit(&ctx.caller.user, &ctx.units, &reporter, &state) {
            return Ok(Err(r));
        }
    }
    Ok(Ok(Checked { grid }))
}

/// What a put changes from: the record's grid (if it exists) and a unit's contact.
struct Before {
    grid: Option<String>,
    contact: Option<String>,
}

fn write_put(
    ctx: &mut Ctx<'_>,
    collection: Collection,
    id: &str,
    plan: &Plan,
    checked: Checked,
    before: Before,
) -> Result<Outcome, DbError> {
    let (c, new_grid) = (collection.name(), checked.grid);
    let new_contact = collection == Collection::Units && plan.apply.iter().any(|(f, _)| f == "contact_person");
    if !plan.apply.is_empty() {
        let v = ctx.next_version();
        let fields = plan.apply.iter().map(|(f, v)| (f, v));
        store::write_fields(ctx.tx, c, id, fields, v, Some(ctx.client_id), Some(crate::now_millis()))?;
        store::upsert_record(ctx.tx, c, id, &new_grid, v)?;
        photos::refs_of_put(ctx.tx, collection, id, &plan.apply)?;
        ctx.reads.put_written(collection, id, &new_grid, &plan.apply, v, ctx.client_id);
    }
    // A move carries visits and events along, a new contact re-stamps issues: records
    // the batch's reads did not name changed.
    if let Some(old) = before.grid.filter(|old| *old != new_grid) {
        moves::moved(ctx, collection, id, &old, &new_grid)?;
        ctx.reads.forget_all();
    }
    if new_contact {
        handoffs::contact_changed(ctx.tx, &mut ctx.version, id, before.contact.as_deref())?;
        ctx.reads.forget_all();
    }
    for kept in &plan.conflicts {
        moves::insert_conflict(ctx, collection, id, kept, &new_grid)?;
    }
    Ok(match plan.conflicts.first() {
        None => Outcome::Applied,
        Some(kept) => Outcome::Conflict(Refusal::FieldConflict { field: kept.field.clone() }.into()),
    })
}

/// The grid the record will sit in, after checking the caller may put it there.
fn scope_of(ctx: &Ctx<'_>, collection: Collection, id: &str, plan: &Plan) -> Answer<String, Rejection> {
    let key = records::scope_key(collection, id, &plan.merged);
    let grid = match key {
        Some(ScopeKey::Grid(g)) => g,
        // A household the caller cannot see is "not found", whether or not it exists.
        Some(ScopeKey::Household(h)) => match references::visible_grid(ctx, Collection::Households, &h)? {
            Some(grid) => grid,
            None => return Ok(Err(references::unseen(Collection::Households))),
        },
        None => return Ok(Err(Refusal::InvalidRecord(RecordFault::NoGrid).into())),
    };
    Ok(scope_for(ctx, collection, &grid, plan.reports_only).map(|()| grid))
}

/// The caller's subtree holds `grid` — or, for reports only on an emergency, the caller
/// sees it from below (`emergencies.rs` then holds the report to its reporter). Anything
/// else written from below an emergency is refused by `emergencies::from_below`.
fn scope_for(ctx: &Ctx<'_>, collection: Collection, grid: &str, reports_only: bool) -> Result<(), Rejection> {
    let refused = match ctx.check_scope(grid) {
        Ok(()) => return Ok(()),
        Err(r) => r,
    };
    match (collection == Collection::Emergencies && ctx.sees(collection, grid), reports_only) {
        (true, true) => Ok(()),
        (true, false) => Err(emergencies::from_below(ctx, refused)),
        (false, _) => Err(refused),
    }
}

fn delete(ctx: &mut Ctx<'_>, collection: Collection, id: &str, base: u64) -> Result<Outcome, DbError> {
    let c = collection.name();
    // Deleting what the server never had (or already deleted) leaves nothing to do.
    // The row and its fields in one read, as a put reads them.
    let Some((row, cells)) = ctx.reads.record(ctx.tx, collection, id)?.filter(|(r, _)| !r.deleted) else {
        return Ok(Outcome::Applied);
    };
    if let Err(r) = ctx.check_scope(&row.grid) {
        return Ok(Outcome::Rejected(r));
    }
    // The core's rule (the phone offers no delete at all): records with history are
    // never removed by a push, whatever the caller's scope.
    if let Err(refusal) = may_delete(collection, &ctx.caller.user.roles) {
        return Ok(Outcome::Rejected(Refusal::Delete(refusal).into()));
    }
    // The core decides: a tombstone, or — over a field someone else changed since the
    // device's base — a conflict on the whole record, so nobody's edit is dropped silently.
    match decide_delete(&stored(&cells, ctx.client_id), base) {
        DeleteDecision::Tombstone => {}
        DeleteDecision::Nothing => return Ok(Outcome::Applied),
        DeleteDecision::Conflict(kept) => {
            moves::insert_conflict(ctx, collection, id, &kept, &row.grid)?;
            return Ok(Outcome::Conflict(Refusal::DeleteConflict.into()));
        }
    }
    // The fields stay, with who deleted it: a delete is a correction someone answers
    // for, and one that can be undone; phones see only the tombstone.
    let v = ctx.next_version();
    ctx.tx.execute_later(
        "UPDATE records SET deleted = 1, version = ?3, deleted_by = ?4, deleted_client = ?5 WHERE collection = ?1 AND id = ?2",
        params![c, id, v, ctx.caller.user.person_id.as_str(), ctx.client_id],
    )?;
    ctx.reads.deleted(collection, id);
    if let Some(contact) = cells.get("contact_person").and_then(|c| c.value.value.as_str()) {
        if collection == Collection::Units {
            handoffs::unit_deleted(ctx.tx, &mut ctx.version, id, contact)?;
            ctx.reads.forget_all();
        }
    }
    Ok(Outcome::Applied)
}

fn append_event(ctx: &mut Ctx<'_>, event: &IssueEvent) -> Result<Outcome, DbError> {
    if let Err(r) = permissions::check_event(&ctx.caller.user, event) {
        return Ok(Outcome::Rejected(r));
    }
    let (stored, history) = ctx.reads.event_and_history(ctx.tx, event.id.as_str(), event.issue.as_str())?;
    // A device clock far off does not get to place the step (core `accepted_time`); the
    // same event again (another seq carried it) is a no-op, another under a used id is
    // refused.
    let (event, conflict) = match decide_append(stored.as_ref(), event, &history, Some(crate::now_millis())) {
        AppendDecision::Duplicate => return Ok(Outcome::Applied),
        AppendDecision::Refused(refusal) => return Ok(refused(refusal)),
        AppendDecision::Append { event, conflict } => (event, conflict),
    };
    // An issue the caller does not see is "not found", as one that does not exist.
    let issue = ctx.reads.record(ctx.tx, Collection::Issues, event.issue.as_str())?;
    let Some(grid) = issue_grid(ctx, event.issue.as_str(), issue.as_ref().map(|(row, _)| row))? else {
        return Ok(Outcome::Rejected(references::unseen(Collection::Issues)));
    };
    // The unit handed to must be one the caller sees (a district department above them).
    let handed_to = match &event.kind {
        EventKind::HandedOver { unit, .. } => Some(unit.as_str()),
        _ => None,
    };
    if let Some(unit) = handed_to {
        if references::visible_grid(ctx, Collection::Units, unit)?.is_none() {
            return Ok(Outcome::Rejected(references::unseen(Collection::Units)));
        }
    }
    let cells = issue.map(|(_, cells)| cells).unwrap_or_default();
    let Some(reporter) = person_at(cells.get("reporter").map(|c| &c.value.value)) else {
        return Ok(Outcome::Rejected(Refusal::UnknownRecord { collection: Collection::Issues }.into()));
    };
    // The role rule is asked of the issue as it stood at the event's own place in the
    // history, i.e. as the acting phone saw it, not as later events left it.
    let before: Vec<IssueEvent> = history.iter().filter(|e| e.order_key() < event.order_key()).cloned().collect();
    if let Err(r) = permissions::check_step(&ctx.caller.user, &ctx.units, &event, &reporter, &derive(&before).state) {
        return Ok(Outcome::Rejected(r));
    }
    if let Some(unit) = handed_to {
        handoffs::handed(ctx.tx, &mut ctx.version, event.issue.as_str(), unit)?;
    }
    let v = ctx.next_version();
    let json = store::to_json(&event);
    ctx.tx.write_rows(&row_writes::EVENT, params![event.id.as_str(), event.issue.as_str(), grid, json, v])?;
    ctx.reads.event_appended(&event);
    photos::refs_of_event(ctx.tx, &event)?;
    // Kept either way; a conflict only tells the device it did not hold.
    Ok(match conflict {
        Some(err) => Outcome::Conflict(Refusal::Domain(err.clone().into()).into()),
        None => Outcome::Applied,
    })
}

/// The issue's grid, if the caller sees it: in their subtree, or handed to one of the
/// units they are contact of (wherever it sits). `row`: the issue's row as stored.
fn issue_grid(ctx: &Ctx<'_>, issue: &str, row: Option<&store::RecordRow>) -> Result<Option<String>, DbError> {
    let Some(row) = row.filter(|r| !r.deleted) else { return Ok(None) };
    if ctx.sees(Collection::Issues, &row.grid) || handoffs::handed_to_any(ctx.tx, issue, &ctx.units)? {
        return Ok(Some(row.grid.clone()));
    }
    Ok(None)
}

/// A person id stored as a JSON string field (an issue's reporter), if it is one.
fn person_at(value: Option<&Value>) -> Option<PersonId> {
    value.and_then(Value::as_str).and_then(|s| PersonId::parse(s).ok())
}
