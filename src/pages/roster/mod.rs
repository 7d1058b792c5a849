//! Roster screens: the grid tree with its households, people and units; one household.

pub mod household;
pub mod household_parts;
pub mod households;
pub mod people;
pub mod tree;

pub use household::HouseholdPage;
pub use tree::RosterPage;
