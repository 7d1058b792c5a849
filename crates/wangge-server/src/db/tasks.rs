//! What a task put must keep beyond scope and the record type's rules (`apply.rs` asks
//! after validation, so the merged task reads as the core's `Task`):
//!
//! - **Only community staff and above send, forward, change or close a task**
//!   (`keeps_roster`); anyone else in scope — the grid worker — writes only `result:`
//!   fields, each **in their own name** (`by` is the caller: the result is attributed
//!   like an issue's step); a close (`closed`) likewise names the caller as `by`.
//! - **Forwarding keeps the sender's scope**: a new task (or one whose `grid` or `from`
//!   changes) is sent from a node within the caller's subtree, and its grid is that node
//!   or below it (core `check_sent_from`). Scope of the grid alone is not enough: a
//!   community's staff could otherwise claim to send as the town.
//! - **A forward keeps its parent's sending**: the parent (which the caller must see, as
//!   a reference) has the same `batch`, and the new grid is at or below the parent's
//!   (core `check_forward`).

use serde_json::Value;
use wangge_core::people::keeps_roster;
use wangge_core::refusal::{ActorFault, Forbidden, Refusal};
use wangge_core::sync::{Collection, KeptConflict};
use wangge_core::task::{check_forward, check_sent_from, Task, RESULT_PREFIX};
use wangge_core::DomainError;

use super::ctx::Ctx;
use super::put_checks::{by_caller_or_null, merged_as, writes};
use super::{store, Answer, DbError};
use crate::records::{Fields, Rejection};

/// The checks above, for a put leaving `merged`, writing `applied` and keeping
/// `conflicts` aside (a kept value may be applied later by "keep mine", so it is held to
/// the same rules).
pub(super) fn check(
    ctx: &Ctx<'_>,
    merged: &Fields,
    applied: &[(String, Value)],
    conflicts: &[KeptConflict],
    is_new: bool,
) -> Answer<(), Rejection> {
    let task: Task = merged_as(merged, "a task")?;
    let writes = || writes(applied, conflicts);
    let staff = keeps_roster(&ctx.caller.user.roles);
    for (field, value) in writes() {
        if !field.starts_with(RESULT_PREFIX) {
            if !staff {
                return Ok(Err(Refusal::ForbiddenRole(Forbidden::TaskSend).into()));
            }
            if field == "closed" && !by_caller_or_null(ctx, value) {
                return Ok(Err(Refusal::ActorMismatch(ActorFault::Closing).into()));
            }
            continue;
        }
        if value.get("by").and_then(Value::as_str) != Some(ctx.caller.user.person_id.as_str()) {
            return Ok(Err(Refusal::ActorMismatch(ActorFault::TaskResult).into()));
        }
    }
    let placed = is_new || writes().any(|(f, _)| f == "grid" || f == "from");
    if !placed {
        return Ok(Ok(()));
    }
    if let Err(r) = ctx.check_scope(task.from.as_str()) {
        return Ok(Err(r));
    }
    if let Err(e) = check_sent_from(&ctx.tree, &task) {
        return Ok(Err(Refusal::Domain(DomainError::Task(e)).into()));
    }
    let Some(parent_id) = &task.parent else {
        return Ok(Ok(()));
    };
    let cells = store::record_cells(ctx.tx, Collection::Tasks.name(), parent_id.as_str())?;
    let fields: Fields = cells.into_iter().map(|(k, c)| (k, c.value.value)).collect();
    // The reference check has already found the parent live and visible.
    let parent: Task = serde_json::from_value(Value::Object(fields))
        .map_err(|e| DbError::Corrupt(format!("task {parent_id} unreadable: {e}")))?;
    Ok(check_forward(&ctx.tree, &task, &parent).map_err(|e| Refusal::Domain(DomainError::Task(e)).into()))
}
