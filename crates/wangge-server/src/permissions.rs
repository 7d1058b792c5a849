//! Who may write what, beyond scope (which part of the grid tree is checked in `db/`):
//! **history stays attributed** — an issue event, a new issue's reporter and a new visit's
//! worker name the person who is pushing, and those names are never rewritten — and the
//! grid tree itself is kept by community staff and above. Pure checks, no SQL.
//!
//! Which role may take which step is the core's `may_take`, asked here of every appended
//! event; the state machine's one rule about people (a resolver may not verify their own
//! resolution) lives inside `derive`. Pinning the actor to the caller is what makes both
//! bind the real person.

use std::collections::BTreeSet;

use serde_json::Value;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{may_edit, may_take, Acting, IssueEvent, IssueState};
use wangge_core::people::Role;
use wangge_core::record_type::describe;
use wangge_core::refusal::{ActorFault, Forbidden, Refusal};
use wangge_core::sync::Collection;
use wangge_core::{PersonId, UnitId};

use crate::account::User;
use crate::records::{Fields, Rejection};

/// An appended event must be the caller's own, in a role the caller holds.
pub(crate) fn check_event(user: &User, event: &IssueEvent) -> Result<(), Rejection> {
    if event.actor != user.person_id {
        return Err(Refusal::ActorMismatch(ActorFault::Event).into());
    }
    if !user.roles.contains(&event.actor_role) {
        return Err(Refusal::ActorRoleMismatch { role: event.actor_role }.into());
    }
    Ok(())
}

/// The step must be one the caller's roles may take on the issue as it stood before the
/// event (the core's `may_take`, the same rule the phone uses to offer its buttons).
/// `units` are those whose contact the caller is (the contact of the unit an issue is
/// handed to replies, refuses or resolves it).
pub(crate) fn check_step(
    user: &User,
    units: &[UnitId],
    event: &IssueEvent,
    reporter: &PersonId,
    before: &IssueState,
) -> Result<(), Rejection> {
    let rungs = rungs(user);
    let action = event.kind.action();
    if may_take(action, Acting { person: &user.person_id, rungs: &rungs, units }, reporter, before) {
        return Ok(());
    }
    Err(Refusal::StepNotAllowed { action, level: before.level }.into())
}

/// An existing issue's own fields (title, category, priority, due date…) are edited by
/// its reporter or by someone handling its rung or above (the core's `may_edit`).
pub(crate) fn check_issue_edit(
    user: &User,
    units: &[UnitId],
    reporter: &PersonId,
    state: &IssueState,
) -> Result<(), Rejection> {
    let rungs = rungs(user);
    if may_edit(Acting { person: &user.person_id, rungs: &rungs, units }, reporter, state) {
        return Ok(());
    }
    Err(Refusal::EditNotAllowed { level: state.level }.into())
}

fn rungs(user: &User) -> Vec<EscalationLevel> {
    user.roles.iter().filter_map(|r| r.handles_at()).collect()
}

/// A new record of a type with an author field (the core's description: an issue's
/// reporter, a visit's worker) must name the caller; an existing one keeps its author
/// (`applied` holds the field writes this put would make).
pub(crate) fn check_author(
    user: &User,
    collection: Collection,
    merged: &Fields,
    applied: &[(String, Value)],
    is_new: bool,
) -> Result<(), Rejection> {
    let Some(author) = describe(collection).author else {
        return Ok(());
    };
    if is_new && merged.get(author.field).and_then(Value::as_str) != Some(user.person_id.as_str()) {
        return Err(Refusal::ActorMismatch(ActorFault::NewRecord(collection)).into());
    }
    if !is_new && applied.iter().any(|(f, _)| f == author.field) {
        return Err(Refusal::ActorMismatch(ActorFault::Rewritten(collection)).into());
    }
    Ok(())
}

/// **The grid tree is kept through the admin API only, never by a push**: a retire must
/// check that nothing lives in the grid, and a move must re-stamp and evict the whole
/// subtree (`db/grids.rs`); neither has a meaning for an offline phone's queued write,
/// and no screen on the phone edits grids. Roster staff are told where to go instead.
pub(crate) fn grid_write_refused(user: &User) -> Rejection {
    if keeps_roster(user) {
        Refusal::GridAdminOnly.into()
    } else {
        Refusal::ForbiddenRole(Forbidden::GridWrite).into()
    }
}

/// People on the roster are kept by the staff who keep it (community and above), and a
/// role that handles issues is never a field a phone can set: it comes with an account.
/// **An account holder's roles and home grid are set through administration only**
/// (`admin/users`, held to the administrator's rank and subtree): through a push any
/// community staff could otherwise make a colleague district staff, or move an account's
/// scope. Anyone else's record carries no staff role, or a grid worker could invent a
/// secretary that other phones then show as an assignee.
pub(crate) fn check_person_write(user: &User, applied: &[(String, Value)], account: bool) -> Result<(), Rejection> {
    if !keeps_roster(user) {
        return Err(Refusal::ForbiddenRole(Forbidden::PersonWrite).into());
    }
    if account {
        if applied.iter().any(|(f, _)| f == "roles" || f == "grid") {
            return Err(Refusal::RolesFromAccount.into());
        }
        return Ok(());
    }
    let Some((_, roles)) = applied.iter().find(|(f, _)| f == "roles") else {
        return Ok(());
    };
    // The record has been validated, so every entry is a role.
    let written: BTreeSet<Role> =
        roles.as_array().into_iter().flatten().filter_map(|r| serde_json::from_value::<Role>(r.clone()).ok()).collect();
    if written.iter().any(|r| r.handles_at().is_some()) {
        return Err(Refusal::StaffRoleNeedsAccount.into());
    }
    Ok(())
}

/// **Meetings are recorded by community staff and above** (`keeps_roster`): a joint
/// meeting's decisions become steps on the community's issues, so a grid worker or a
/// unit's contact may not write one (scope is checked beside this in `db/`).
pub(crate) fn check_meeting_write(user: &User) -> Result<(), Rejection> {
    if keeps_roster(user) {
        return Ok(());
    }
    Err(Refusal::ForbiddenRole(Forbidden::MeetingWrite).into())
}

/// Community-level roles and above keep the roster and the grid tree (the core's rule).
fn keeps_roster(user: &User) -> bool {
    wangge_core::people::keeps_roster(&user.roles)
}

#[cfg(test)]
mod tests {
    use wangge_core::people::Role;
    use wangge_core::{GridId, PersonId};

    use super::*;

    fn user(roles: &[Role]) -> User {
        User {
            username: "u".into(),
            person_id: PersonId::parse("p-1").unwrap(),
            name: "测试".into(),
            roles: roles.to_vec(),
            home_grid: GridId::parse("g1").unwrap(),
        }
    }

    #[test]
    fn no_push_writes_grids_and_staff_are_sent_to_the_admin_screens() {
        assert_eq!(grid_write_refused(&user(&[Role::GridWorker])).code, "forbidden_role");
        assert_eq!(grid_write_refused(&user(&[Role::RedSteward, Role::PartyMember])).code, "forbidden_role");
        assert_eq!(grid_write_refused(&user(&[Role::GridWorker, Role::CommunityStaff])).code, "grid_admin_only");
        assert_eq!(grid_write_refused(&user(&[Role::TownStaff])).code, "grid_admin_only");
    }

    #[test]
    fn an_existing_author_cannot_be_rewritten_even_to_the_caller() {
        let merged: Fields = serde_json::from_value(serde_json::json!({"reporter": "p-1"})).unwrap();
        let u = user(&[Role::GridWorker]);
        assert!(check_author(&u, Collection::Issues, &merged, &[], true).is_ok());
        let write = |f: &str| vec![(f.to_string(), Value::Null)];
        assert!(check_author(&u, Collection::Issues, &merged, &write("reporter"), false).is_err());
        assert!(check_author(&u, Collection::Issues, &merged, &write("title"), false).is_ok());
        assert!(check_author(&u, Collection::Households, &merged, &[], true).is_ok());
    }
}
