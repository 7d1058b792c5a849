//! Placeholder: filled in by a later step.

use super::report::{Section, Status};
use super::Prep;

pub(crate) fn section(_prep: &mut Prep<'_>) -> Section {
    let mut s = Section::new("sync", "sync");
    s.status = Status::Skipped("not written yet".into());
    s
}

pub(crate) fn comparison(_sections: &[Section]) -> Section {
    let mut s = Section::new("compare", "Wangge vs PouchDB");
    s.status = Status::Skipped("not written yet".into());
    s
}
