//! The state one push transaction carries from mutation to mutation: the caller, the grid
//! tree for scope checks, the units the caller answers for, and the server version counter
//! advanced in memory. Also the scope rule a push shares with the pull (`pull.rs`): what
//! the caller sees of each collection.

use std::borrow::Cow;

use super::batch_reads::BatchReads;
use super::sql::Conn;
use wangge_core::grid::{ensure_in_scope, GridTree};
use wangge_core::people::only_unit_contact;
use wangge_core::sync::Collection;
use wangge_core::{DomainError, GridId, UnitId};

use crate::account::Caller;
use crate::records::Rejection;

pub(super) struct Ctx<'a> {
    /// Inside the writer group's transaction, under this push's savepoint.
    pub(super) tx: &'a Conn,
    pub(super) caller: &'a Caller,
    pub(super) client_id: &'a str,
    /// The writer's cached tree, until this push writes a grid and owns a new one.
    pub(super) tree: Cow<'a, GridTree>,
    pub(super) version: u64,
    /// The units whose contact is the caller (`handoffs::units_of`), read once per batch.
    pub(super) units: Vec<UnitId>,
    /// What the writer group reads, fetched before its first member (`batch_reads.rs`).
    pub(super) reads: &'a BatchReads,
}

/// Collections seen from above as well as below: every device also pulls the grids,
/// people and units at its home grid's ancestors (the path it shows, the staff above a
/// worker, the district departments an issue can be handed to) and the emergencies switched
/// on there (its own emergency too; on one it writes only its own report, `emergencies.rs`),
/// and may name them in a reference. The pull's SQL lists the same four names (`pull.rs`).
pub(super) fn seen_from_above(collection: Collection) -> bool {
    match collection {
        Collection::Grids | Collection::People | Collection::Units | Collection::Emergencies => true,
        Collection::Households
        | Collection::Issues
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries
        | Collection::Tasks => false,
    }
}

impl Ctx<'_> {
    /// A fresh server version. Every feed entry gets its own, so a page boundary can never
    /// split two entries that share one.
    pub(super) fn next_version(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    /// An account that is only a unit's contact: it has no subtree, only the issues
    /// handed to its units (and the path, people and units above it, read-only).
    pub(super) fn contact_only(&self) -> bool {
        only_unit_contact(&self.caller.user.roles)
    }

    /// Refuses a grid outside the caller's subtree (or unknown to the server). A
    /// contact-only account has no subtree: its home grid is where its unit sits.
    pub(super) fn check_scope(&self, grid: &str) -> Result<(), Rejection> {
        let target = GridId::parse(grid)?;
        let home = &self.caller.user.home_grid;
        if self.contact_only() {
            return Err(DomainError::OutOfScope { target, scope: home.clone() }.into());
        }
        ensure_in_scope(&self.tree, home, &target)?;
        Ok(())
    }

    /// Whether the caller sees a record of `collection` sitting in `grid`: its subtree,
    /// and for the collections seen from above also its home grid's ancestors.
    pub(super) fn sees(&self, collection: Collection, grid: &str) -> bool {
        if self.check_scope(grid).is_ok() {
            return true;
        }
        let above = || GridId::parse(grid).is_ok_and(|g| self.tree.contains(&g, &self.caller.user.home_grid));
        seen_from_above(collection) && above()
    }
}

/// What became of one mutation, before it is stored and turned into a wire result.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    Applied,
    /// Stored, but part of it lost to a newer server value (or the event does not hold).
    Conflict(Rejection),
    Rejected(Rejection),
}
