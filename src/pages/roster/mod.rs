//! Roster screens: the grid tree and one household.

pub mod household;
pub mod tree;

pub use household::HouseholdPage;
pub use tree::RosterPage;
