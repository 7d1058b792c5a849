//! Applying one pushed mutation inside the batch's transaction: `Put` merges field by
//! field with the core's `decide_field_by_writer`, `Delete` leaves a tombstone,
//! `AppendEvent` appends to an issue's history, `SettleConflict` marks a conflict resolved.
//! Every check (scope, validation) runs before anything is written, so a rejected
//! mutation leaves no trace.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde_json::Value;
use wangge_core::issue::{derive, EventKind, IssueEvent};
use wangge_core::{GridId, PersonId};
use wangge_core::sync::{decide_field_by_writer, may_delete, Collection, FieldDecision, FieldWrite, Op};

/// A record's stored fields, with who wrote each.
type Current = BTreeMap<String, store::Cell>;

use super::ctx::{Ctx, Outcome};
use super::{moves, references, settle, store, users, DbError};
use crate::permissions;
use crate::records::{self, Fields, Rejection, ScopeKey};

pub(super) fn apply(ctx: &mut Ctx<'_>, op: Op) -> Result<Outcome, DbError> {
    let grid_write = matches!(&op, Op::Put { collection: Collection::Grids, .. } | Op::Delete { collection: Collection::Grids, .. });
    if grid_write {
        return Ok(Outcome::Rejected(permissions::grid_write_refused(&ctx.caller.user)));
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
    merged: Fields,
    apply: Vec<(String, Value)>,
    /// (field, server value, device value)
    conflicts: Vec<(String, Value, Value)>,
}

fn plan(current: &Current, writes: BTreeMap<String, FieldWrite>, client: &str) -> Plan {
    let mut merged: Fields = current.iter().map(|(k, c)| (k.clone(), c.value.value.clone())).collect();
    let (mut apply, mut conflicts) = (Vec::new(), Vec::new());
    for (field, write) in writes {
        let cell = current.get(&field);
        let own = cell.is_some_and(|c| c.writer.as_deref() == Some(client));
        match decide_field_by_writer(cell.map(|c| &c.value), own, &write) {
            FieldDecision::Apply => {
                merged.insert(field.clone(), write.value.clone());
                apply.push((field, write.value));
            }
            FieldDecision::Unchanged => {}
            FieldDecision::Conflict => {
                let server = cell.map(|c| c.value.value.clone()).unwrap_or(Value::Null);
                conflicts.push((field, server, write.value));
            }
        }
    }
    Plan { merged, apply, conflicts }
}

fn put(ctx: &mut Ctx<'_>, collection: Collection, id: &str, writes: BTreeMap<String, FieldWrite>) -> Result<Outcome, DbError> {
    let row = store::record_row(ctx.tx, collection.name(), id)?;
    if let Some(row) = &row {
        if row.deleted {
            return Ok(Outcome::Rejected(Rejection::new("record_deleted", "该记录已被删除,修改未保存")));
        }
        if let Err(r) = ctx.check_scope(&row.grid) {
            return Ok(Outcome::Rejected(r));
        }
    }
    let current = store::record_cells(ctx.tx, collection.name(), id)?;
    let mut plan = plan(&current, writes, ctx.client_id);
    if let Err(r) = canonicalize(collection, id, &mut plan) {
        return Ok(Outcome::Rejected(r));
    }
    match check_put(ctx, collection, id, &plan, row.is_none())? {
        Ok(checked) => write_put(ctx, collection, id, &plan, checked, row.map(|r| r.grid)),
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
    for (field, _, device) in &mut plan.conflicts {
        let mut alternative = plan.merged.clone();
        alternative.insert(field.clone(), device.clone());
        let canonical = records::validate(collection, id, &alternative)?;
        if let Some(v) = canonical.get(field.as_str()) {
            *device = v.clone();
        }
    }
    plan.merged = canonical;
    Ok(())
}

/// Where a checked put leaves the record.
struct Checked {
    grid: String,
}

fn check_put(
    ctx: &Ctx<'_>,
    collection: Collection,
    id: &str,
    plan: &Plan,
    is_new: bool,
) -> Result<Result<Checked, Rejection>, DbError> {
    let grid = match scope_of(ctx, collection, id, &plan.merged)? {
        Ok(grid) => grid,
        Err(r) => return Ok(Err(r)),
    };
    // Nothing new goes into a retired grid (what was there when it retired stays).
    let arriving = is_new || plan.apply.iter().any(|(f, _)| f == "grid");
    if let Some(g) = GridId::parse(grid.as_str()).ok().and_then(|g| ctx.tree.get(&g).filter(|g| g.retired && arriving)) {
        return Ok(Err(Rejection::new("grid_retired", format!("网格“{}”已撤销,不能再在其中新增内容", g.name.as_str()))));
    }
    if let Err(r) = permissions::check_author(&ctx.caller.user, collection, &plan.merged, &plan.apply, is_new) {
        return Ok(Err(r));
    }
    if let Err(r) = references::check(ctx, collection, &plan.apply)? {
        return Ok(Err(r));
    }
    // A value kept aside as a conflict may be applied later by "keep mine": it is held to
    // the same rule as one applied now, or a grid worker could park a role there.
    let person_writes: Vec<(String, Value)> =
        plan.apply.iter().cloned().chain(plan.conflicts.iter().map(|(f, _, device)| (f.clone(), device.clone()))).collect();
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
        let state = derive(&moves::issue_events(ctx.tx, id)?).state;
        if let Err(r) = permissions::check_issue_edit(&ctx.caller.user, &reporter, &state) {
            return Ok(Err(r));
        }
    }
    Ok(Ok(Checked { grid }))
}

fn write_put(
    ctx: &mut Ctx<'_>,
    collection: Collection,
    id: &str,
    plan: &Plan,
    checked: Checked,
    old_grid: Option<String>,
) -> Result<Outcome, DbError> {
    let (c, new_grid) = (collection.name(), checked.grid);
    if !plan.apply.is_empty() {
        let v = ctx.next_version();
        for (field, value) in &plan.apply {
            store::write_field(ctx.tx, c, id, field, value, v, Some(ctx.client_id))?;
        }
        store::upsert_record(ctx.tx, c, id, &new_grid, v)?;
    }
    if let Some(old) = old_grid.filter(|old| *old != new_grid) {
        moves::moved(ctx, collection, id, &old, &new_grid)?;
    }
    for (field, server, device) in &plan.conflicts {
        moves::insert_conflict(ctx, collection, id, field, server, device, &new_grid)?;
    }
    Ok(match plan.conflicts.first() {
        None => Outcome::Applied,
        Some((field, ..)) => Outcome::Conflict(Rejection::new(
            "field_conflict",
            format!("“{field}”等字段已被他人修改,您的修改已作为冲突保存,请核对处理"),
        )),
    })
}

/// The grid the record will sit in, after checking the caller may put it there.
fn scope_of(
    ctx: &Ctx<'_>,
    collection: Collection,
    id: &str,
    merged: &Fields,
) -> Result<Result<String, Rejection>, DbError> {
    let key = records::scope_key(collection, id, merged);
    let grid = match key {
        Some(ScopeKey::Grid(g)) => g,
        // A household the caller cannot see is "not found", whether or not it exists.
        Some(ScopeKey::Household(h)) => match references::visible_grid(ctx, Collection::Households, &h)? {
            Some(grid) => grid,
            None => return Ok(Err(references::unseen(Collection::Households, "户"))),
        },
        None => return Ok(Err(Rejection::new("invalid_record", "记录缺少所属网格"))),
    };
    Ok(ctx.check_scope(&grid).map(|()| grid))
}

fn delete(ctx: &mut Ctx<'_>, collection: Collection, id: &str, base: u64) -> Result<Outcome, DbError> {
    let c = collection.name();
    // Deleting what the server never had (or already deleted) leaves nothing to do.
    let Some(row) = store::record_row(ctx.tx, c, id)?.filter(|r| !r.deleted) else {
        return Ok(Outcome::Applied);
    };
    if let Err(r) = ctx.check_scope(&row.grid) {
        return Ok(Outcome::Rejected(r));
    }
    // The core's rule (the phone offers no delete at all): records with history are
    // never removed by a push, whatever the caller's scope.
    if let Err(refusal) = may_delete(collection, &ctx.caller.user.roles) {
        return Ok(Outcome::Rejected(Rejection::new(refusal.code(), refusal.message_zh())));
    }
    // A field someone else changed after this device last saw the record: deleting now
    // would drop their edit silently, so keep it and let a person decide. The device's own
    // later writes (edit, then delete, before a pull) do not count, as in the core model.
    let cells = store::record_cells(ctx.tx, c, id)?;
    let unseen = cells.values().any(|f| f.value.version > base && f.writer.as_deref() != Some(ctx.client_id));
    if unseen {
        let (server, device) = (Value::Bool(false), Value::Bool(true));
        moves::insert_conflict(ctx, collection, id, "_deleted", &server, &device, &row.grid)?;
        return Ok(Outcome::Conflict(Rejection::new("delete_conflict", "该记录在您删除前已被他人修改,删除已作为冲突保存")));
    }
    // The fields stay, with who deleted it: a delete is a correction someone answers
    // for, and one that can be undone; phones see only the tombstone.
    let v = ctx.next_version();
    ctx.tx.execute(
        "UPDATE records SET deleted = 1, version = ?3, deleted_by = ?4, deleted_client = ?5 WHERE collection = ?1 AND id = ?2",
        params![c, id, v, ctx.caller.user.person_id.as_str(), ctx.client_id],
    )?;
    Ok(Outcome::Applied)
}

fn append_event(ctx: &mut Ctx<'_>, event: &IssueEvent) -> Result<Outcome, DbError> {
    if let Err(r) = permissions::check_event(&ctx.caller.user, event) {
        return Ok(Outcome::Rejected(r));
    }
    let stored: Option<String> = ctx
        .tx
        .prepare_cached("SELECT event FROM issue_events WHERE event_id = ?1")?
        .query_row([event.id.as_str()], |r| r.get(0))
        .optional()?;
    if let Some(json) = stored {
        // The same event again (another seq carried it) is a no-op — its time may differ
        // if the server placed it at its receipt; another event under a used id would
        // silently vanish, so it is refused, as in the core's ServerModel.
        return Ok(if store::parse_json::<IssueEvent>(&json)?.same_apart_from_time(event) {
            Outcome::Applied
        } else {
            Outcome::Rejected(Rejection::new("event_id_reused", "该记录编号已被另一条记录使用,请更新应用后重试"))
        });
    }
    // An issue outside the caller's scope is "not found", as one that does not exist.
    let Some(grid) = references::visible_grid(ctx, Collection::Issues, event.issue.as_str())? else {
        return Ok(Outcome::Rejected(references::unseen(Collection::Issues, "问题")));
    };
    let mut history = moves::issue_events(ctx.tx, event.issue.as_str())?;
    // A device clock far off does not get to place the step (core `accepted_time`).
    let reported_at = history.iter().find(|e| matches!(e.kind, EventKind::Reported)).map(|e| e.at);
    let event = &event.clone().timed(crate::now_millis(), reported_at);
    let cells = store::record_cells(ctx.tx, Collection::Issues.name(), event.issue.as_str())?;
    let Some(reporter) = person_at(cells.get("reporter").map(|c| &c.value.value)) else {
        return Ok(Outcome::Rejected(Rejection::new("unknown_issue", "找不到该问题,请先同步")));
    };
    // The role rule is asked of the issue as it stood at the event's own place in the
    // history, i.e. as the acting phone saw it, not as later events left it.
    let before: Vec<IssueEvent> = history.iter().filter(|e| e.order_key() < event.order_key()).cloned().collect();
    if let Err(r) = permissions::check_step(&ctx.caller.user, event, &reporter, &derive(&before).state) {
        return Ok(Outcome::Rejected(r));
    }
    let v = ctx.next_version();
    ctx.tx
        .prepare_cached("INSERT INTO issue_events (event_id, issue_id, grid, event, version) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![event.id.as_str(), event.issue.as_str(), grid, store::to_json(event), v])?;
    history.push(event.clone());
    let derived = derive(&history);
    Ok(match derived.conflicts.iter().find(|(id, _)| *id == event.id) {
        Some((_, err)) => Outcome::Conflict(Rejection::new(err.code(), err.message_zh())),
        None => Outcome::Applied,
    })
}

/// A person id stored as a JSON string field (an issue's reporter), if it is one.
fn person_at(value: Option<&Value>) -> Option<PersonId> {
    value.and_then(Value::as_str).and_then(|s| PersonId::parse(s).ok())
}
