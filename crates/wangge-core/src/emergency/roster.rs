//! The call roster (应急联络): who in the scope can be called in, with a phone to call —
//! the people holding a role the community calls on ([`CALLED_ROLES`]) and the units
//! there with a phone — and anyone else who reported available. Those who reported come
//! first (in the order they reported), since they are the ones to send.

use super::{Emergency, Report};
use crate::grid::GridTree;
use crate::people::{Person, Role};
use crate::unit::{Unit, UnitKind};
use crate::{GridId, PersonId, PersonName, Phone, UnitId};

/// The roles on the roster: the joint committee (第一书记, 大党委委员, who bring their
/// units' people and resources, seed 002), the community police officer and the
/// volunteers a coordinator splits work among (seed 004).
pub const CALLED_ROLES: [Role; 4] =
    [Role::FirstSecretary, Role::CommitteeMember, Role::CommunityPolice, Role::Volunteer];

/// Who a roster line calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callable {
    /// A person, with their roles.
    Person {
        /// Their id.
        id: PersonId,
        /// Their roles (the screen names the first called one).
        roles: Vec<Role>,
    },
    /// A unit, with its contact's name.
    Unit {
        /// Its id.
        id: UnitId,
        /// Its kind.
        kind: UnitKind,
        /// The contact's name, if known.
        contact: Option<PersonName>,
    },
}

/// One line of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// Who.
    pub callable: Callable,
    /// The person's or the unit's name.
    pub name: String,
    /// The number to call, if known.
    pub phone: Option<Phone>,
    /// Where they are.
    pub grid: GridId,
    /// Their report (who made it, what it said), if they reported available.
    pub report: Option<(PersonId, Report)>,
}

/// The roster of `e` from the roster records: called people and units with a phone inside
/// its node, plus any other active person who reported; reported first (earliest first),
/// then the rest by name.
pub fn roster(e: &Emergency, tree: &GridTree, people: &[Person], units: &[Unit]) -> Vec<RosterEntry> {
    let inside = |g: &GridId| tree.contains(&e.grid, g);
    let report_of = |p: &PersonId| e.reports.of(p).map(|r| (p.clone(), r.clone()));
    let mut out: Vec<RosterEntry> = people
        .iter()
        .filter(|p| p.active && inside(&p.grid))
        .filter(|p| CALLED_ROLES.iter().any(|r| p.has_role(*r)) || e.reports.of(&p.id).is_some())
        .map(|p| RosterEntry {
            callable: Callable::Person { id: p.id.clone(), roles: p.roles.iter().copied().collect() },
            name: p.name.to_string(),
            phone: p.phone.clone(),
            grid: p.grid.clone(),
            report: report_of(&p.id),
        })
        .collect();
    out.extend(units.iter().filter(|u| inside(&u.grid) && u.phone.is_some()).map(|u| {
        let for_unit = e.reports.0.iter().find(|(_, r)| r.unit.as_ref() == Some(&u.id));
        RosterEntry {
            callable: Callable::Unit { id: u.id.clone(), kind: u.kind, contact: u.contact.clone() },
            name: u.name.to_string(),
            phone: u.phone.clone(),
            grid: u.grid.clone(),
            report: for_unit.map(|(p, r)| (p.clone(), r.clone())),
        }
    }));
    crate::sort::sort_by_key(&mut out, |l| (l.report.is_none(), l.report.as_ref().map(|(_, r)| r.at), l.name.clone()));
    out
}
