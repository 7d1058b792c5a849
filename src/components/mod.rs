//! Reusable pieces of the shell, one noun per module.

pub mod bottom_nav;
pub mod online_badge;
pub mod photo_picker;
pub mod photo_settings;
pub mod photo_strip;
pub mod print_head;
pub mod read_failed;
pub mod roster_link;
pub mod roster_load;
pub mod roster_tags;
pub mod sync_bar;
pub mod update_prompt;
pub mod visit_saved;
