//! One module per screen (route); each area's screens in a folder.

pub mod assess;
pub mod conflicts;
pub mod dashboard;
pub mod emergency;
pub mod export;
pub mod issues;
pub mod lists;
pub mod login;
pub mod mediation;
pub mod meetings;
pub mod placeholder;
pub mod roster;
pub mod settings;
pub mod tasks;
pub mod today;
pub mod today_handed;
pub mod today_mediation;
pub mod visits;
