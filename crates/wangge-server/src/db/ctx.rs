//! The state one push transaction carries from mutation to mutation: the caller, the grid
//! tree for scope checks, and the server version counter advanced in memory.

use std::borrow::Cow;

use rusqlite::Connection;
use wangge_core::grid::{ensure_in_scope, GridTree};
use wangge_core::GridId;

use crate::account::Caller;
use crate::records::Rejection;

pub(super) struct Ctx<'a> {
    /// Inside the writer group's transaction, under this push's savepoint.
    pub(super) tx: &'a Connection,
    pub(super) caller: &'a Caller,
    pub(super) client_id: &'a str,
    /// The writer's cached tree, until this push writes a grid and owns a new one.
    pub(super) tree: Cow<'a, GridTree>,
    pub(super) version: u64,
}

impl Ctx<'_> {
    /// A fresh server version. Every feed entry gets its own, so a page boundary can never
    /// split two entries that share one.
    pub(super) fn next_version(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    /// Refuses a grid outside the caller's subtree (or unknown to the server).
    pub(super) fn check_scope(&self, grid: &str) -> Result<(), Rejection> {
        let target = GridId::parse(grid)?;
        ensure_in_scope(&self.tree, &self.caller.user.home_grid, &target)?;
        Ok(())
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
