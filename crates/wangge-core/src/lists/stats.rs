//! The three lists' figures for the joint meeting: needs matched and met, projects by
//! status, and how often each resource was used (needs met through it).

use std::collections::BTreeMap;

use super::{ListEntry, ListKind, NeedStatus, ProjectStatus};
use crate::ListEntryId;

/// The figures of the entries a scope holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFigures {
    /// Needs entered.
    pub needs: u32,
    /// Needs matched, claimed or met (someone took them on).
    pub needs_taken: u32,
    /// Needs met.
    pub needs_fulfilled: u32,
    /// Projects by status (a project without one counts as planned).
    pub projects: BTreeMap<ProjectStatus, u32>,
    /// Resources and projects by the needs matched to them (and how many of those met).
    pub used: BTreeMap<ListEntryId, (u32, u32)>,
}

/// The figures over `entries`.
pub fn figures<'a>(entries: impl IntoIterator<Item = &'a ListEntry>) -> ListFigures {
    let mut f = ListFigures::default();
    for e in entries {
        match e.kind {
            ListKind::Need => {
                f.needs += 1;
                let status = e.need_status();
                if status != Some(NeedStatus::Open) {
                    f.needs_taken += 1;
                }
                let met = status == Some(NeedStatus::Fulfilled);
                f.needs_fulfilled += u32::from(met);
                if let Some(offer) = &e.matched_to {
                    let used = f.used.entry(offer.clone()).or_default();
                    used.0 += 1;
                    used.1 += u32::from(met);
                }
            }
            ListKind::Project => *f.projects.entry(e.status.unwrap_or(ProjectStatus::Planned)).or_default() += 1,
            ListKind::Resource => {}
        }
    }
    f
}
