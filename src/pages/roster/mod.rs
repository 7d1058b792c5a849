//! Roster screens: the grid tree with its households, people and units; one household.

pub mod edit_draft;
pub mod history;
pub mod household;
pub mod household_form;
pub mod household_parts;
pub mod households;
pub mod labels;
pub mod member_form;
pub mod new_household;
pub mod people;
pub mod tree;
pub mod unit_draft;
pub mod unit_form;

pub use household::HouseholdPage;
pub use new_household::NewHouseholdPage;
pub use tree::RosterPage;
