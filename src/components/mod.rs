//! Reusable pieces of the shell, one noun per module.

pub mod bottom_nav;
pub mod online_badge;
pub mod sync_bar;
