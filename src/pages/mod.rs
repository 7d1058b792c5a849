//! One module per screen (route).

pub mod placeholder;
pub mod settings;
pub mod today;
