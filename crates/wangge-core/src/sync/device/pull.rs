//! What a pulled page means for the device: whether it lands, which of its changes, and
//! the cursor it moves to. The changes are not copied out of the page (a village's first
//! pull is ≈140,000 of them): the plan names the version above which they apply.

use super::super::protocol::{Change, PullRequest, PullResponse};
use super::{DeviceSync, EpochCheck};

/// What to do with a pulled page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullPlan {
    /// A page from an epoch this device already left, or asked from beyond the current
    /// cursor (sent before a reset): nothing changes.
    Ignore,
    /// The server is a new one: reset with [`plan_new_epoch`](super::plan_new_epoch).
    NewEpoch(String),
    /// Apply these changes and move the cursor, together.
    Apply(PageApply),
}

/// A page to apply, in one transaction with the cursor it moves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageApply {
    /// Only changes with a version above this one land: anything at or below the
    /// device's cursor it already has in a newer form.
    pub above: u64,
    /// The cursor to save (never lower than the one held).
    pub cursor: u64,
    /// The first epoch the device hears, to remember.
    pub set_epoch: Option<String>,
}

impl PageApply {
    /// The page's changes that land, in the page's (version) order.
    pub fn changes<'a>(&self, page: &'a PullResponse) -> impl Iterator<Item = &'a Change> + 'a {
        let above = self.above;
        page.changes.iter().filter(move |c| c.version() > above)
    }
}

/// Takes one pulled page. The page holds every change in `(request.cursor,
/// response.cursor]` as the server stood, so it holds for the device only if it was asked
/// from at or below the device's cursor.
pub fn plan_pull_page(sync: &DeviceSync, request: &PullRequest, response: &PullResponse) -> PullPlan {
    let set_epoch = match sync.check_epoch(&response.epoch) {
        EpochCheck::Same => None,
        EpochCheck::First => Some(response.epoch.clone()),
        EpochCheck::Stale => return PullPlan::Ignore,
        EpochCheck::Changed => return PullPlan::NewEpoch(response.epoch.clone()),
    };
    if request.cursor > sync.cursor {
        return PullPlan::Ignore;
    }
    PullPlan::Apply(PageApply { above: sync.cursor, cursor: sync.cursor.max(response.cursor), set_epoch })
}
